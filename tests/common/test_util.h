/* test_util.h - helpers shared by the Check suites: temporary files, running
 * the dlsim binary and capturing what it prints, and skipped tests. */
#ifndef DL_TESTS_TEST_UTIL_H
#define DL_TESTS_TEST_UTIL_H

#include <stddef.h>
#include <stdio.h>

/* Writes text to a new temporary file; returns its path (static storage,
 * one of a few rotating buffers). */
const char *test_write_temp(const char *text);

/* The same for len bytes of any content. */
const char *test_write_temp_bytes(const void *data, size_t len);

/* A new empty temporary directory; returns its path (rotating buffers). */
const char *test_temp_dir(void);

/* Path of the dlsim binary under test ($DLSIM, else build/dlsim). */
const char *test_dlsim(void);

/* Runs a shell command; returns its exit status (or -1) and puts up to
 * outlen-1 bytes of its combined stdout and stderr into out. */
int test_run(const char *cmd, char *out, size_t outlen);

/* Reads a whole file into a malloc'd string (NULL if it cannot). */
char *test_read_file(const char *path);

/* The same, also giving the length (for binary files). */
char *test_read_bytes(const char *path, size_t *len);

/* The build folder ($BUILD, else build): firmware is in BUILD/fw. */
const char *test_build_dir(void);

/* What the last test_dlsim_run printed, stdout and stderr together. */
extern char test_out[65536];

/* Runs the dlsim binary with args; returns its exit status. */
int test_dlsim_run(const char *args);

/* The same with the arguments formatted as by printf. */
int test_dlsim_runf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* DIR/stats.json parsed (the test fails when it is missing or malformed). */
struct cJSON *test_read_stats(const char *dir);

/* The item at a dotted path such as "results.udn.messages" (the test fails
 * when it is missing). */
struct cJSON *test_json_at(struct cJSON *root, const char *path);

/* Two run folders hold the same `results` in stats.json and byte-identical
 * wire.pcap (the test fails otherwise): the determinism check. */
void test_same_run_outputs(const char *dir_a, const char *dir_b);

/* Check has no "skipped" result. A test that cannot run here (not root, a
 * tool missing) calls test_skip(reason) and returns: the reason and the
 * test's name are appended to the file named by $DLTEST_SKIP_FILE, which the
 * runner (run_tests.c) sets, reads after the run, and counts as skipped, not
 * passed. Without the variable the reason only goes to stderr. */
#define TEST_SKIP_ENV "DLTEST_SKIP_FILE"
#define test_skip(reason) test_skip_as(__func__, (reason))
void test_skip_as(const char *func, const char *reason);

/* Prints "skipped: NAME: REASON" for every record of the file at path to
 * out; returns how many (0 when there is no file). */
int test_skips_report(const char *path, FILE *out);

#define ck_assert_out_has(s) \
    ck_assert_msg(strstr(test_out, (s)) != NULL, "output lacks '%s':\n%s", (s), test_out)

/* Runs dlsim with the printf-formatted arguments and checks that it exits
 * with `status` (else the test fails showing what dlsim printed)... */
#define ck_assert_dlsim_exit(status, ...)                                                   \
    do {                                                                                    \
        int st_ = test_dlsim_runf(__VA_ARGS__);                                             \
        ck_assert_msg(st_ == (status), "dlsim exited %d, expected %d:\n%s", st_, (status), \
                      test_out);                                                            \
    } while (0)

/* ...and that its output has `text`. */
#define ck_assert_dlsim(status, text, ...)           \
    do {                                             \
        ck_assert_dlsim_exit((status), __VA_ARGS__); \
        ck_assert_out_has(text);                     \
    } while (0)

/* Asserts that the configuration at path is configs/tilegx36.ini's chip:
 * every key but the deployment, client and workload sections, the name,
 * mpipe.rules and mem.protection has tilegx36.ini's value (the shipped
 * TILE-Gx36 configurations copy it: the configuration has no include). */
void test_check_same_chip(const char *path);

#endif
