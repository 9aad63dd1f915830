/* test_runner.c - Check tests of the test machinery itself: skipped tests
 * are recorded by test_skip and shown as skipped (never as passed) in the
 * runner's closing line; and the usage of the trace tool mktrace. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"

static char out[65536];

START_TEST(skip_records_name_and_reason)
{
    const char *path = test_write_temp("");
    ck_assert_ptr_nonnull(path);
    char saved[256] = "";
    const char *old = getenv(TEST_SKIP_ENV);
    if (old) snprintf(saved, sizeof saved, "%s", old);
    setenv(TEST_SKIP_ENV, path, 1);
    test_skip("no frobnicator\non this host");
    test_skip("second reason");
    if (*saved) setenv(TEST_SKIP_ENV, saved, 1);
    else unsetenv(TEST_SKIP_ENV);
    char *text = test_read_file(path);
    ck_assert_ptr_nonnull(text);
    ck_assert_str_eq(text, "skip_records_name_and_reason: no frobnicator on this host\n"
                           "skip_records_name_and_reason: second reason\n");
    free(text);

    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(test_skips_report(path, f), 2);
    rewind(f);
    size_t n = fread(out, 1, sizeof out - 1, f);
    out[n] = 0;
    fclose(f);
    ck_assert_str_eq(out, "skipped: skip_records_name_and_reason: no frobnicator on this host\n"
                          "skipped: skip_records_name_and_reason: second reason\n");
    unlink(path);
    ck_assert_int_eq(test_skips_report(path, stderr), 0); /* no file: none */
}
END_TEST

/* Run normally, this test runs the runner on this suite with
 * DLTEST_SKIP_DEMO set, under which it skips itself: the runner must count
 * it as skipped, print why, and end with the closing line. */
START_TEST(runner_counts_skips_apart)
{
    if (getenv("DLTEST_SKIP_DEMO")) {
        test_skip("asked to by DLTEST_SKIP_DEMO");
        return;
    }
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "env -u CK_RUN_CASE -u CK_INCLUDE_TAGS -u CK_EXCLUDE_TAGS DLTEST_SKIP_DEMO=1 "
             "CK_RUN_SUITE=runner %s/run_tests",
             test_build_dir());
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "the runner failed (exit %d):\n%s", rc, out);
    ck_assert_msg(strstr(out, "100%: Checks: 3, Failures: 0, Errors: 0\n"), "no Check summary:\n%s", out);
    ck_assert_msg(strstr(out, "\nskipped: runner_counts_skips_apart: asked to by DLTEST_SKIP_DEMO\n"),
                  "no reason:\n%s", out);
    const char *last = "\nchecks: 2 passed, 0 failed, 1 skipped\n";
    size_t n = strlen(out), l = strlen(last);
    ck_assert_msg(n >= l && strcmp(out + n - l, last) == 0, "the last line is not '%s':\n%s", last + 1, out);
}
END_TEST

START_TEST(mktrace_usage)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s/mktrace --help", test_build_dir());
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    ck_assert_msg(strncmp(out, "usage: mktrace OUT.pcap", 23) == 0, "no usage:\n%s", out);
    ck_assert_msg(strstr(out, "--gap-ns") && !strstr(out, "bad argument"), "%s", out);
    snprintf(cmd, sizeof cmd, "%s/mktrace -h", test_build_dir());
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    ck_assert_msg(strstr(out, "usage: mktrace"), "%s", out);
    /* a real mistake still exits 2 and names the argument */
    snprintf(cmd, sizeof cmd, "%s/mktrace /dev/null --frob", test_build_dir());
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 2);
    ck_assert_msg(strstr(out, "--frob") && strstr(out, "usage: mktrace"), "%s", out);
    snprintf(cmd, sizeof cmd, "%s/mktrace", test_build_dir());
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 2);
    ck_assert_msg(strstr(out, "usage: mktrace"), "%s", out);
}
END_TEST

Suite *runner_suite(void)
{
    Suite *s = suite_create("runner");
    TCase *t = tcase_create("runner");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, skip_records_name_and_reason);
    tcase_add_test(t, runner_counts_skips_apart);
    tcase_add_test(t, mktrace_usage);
    suite_add_tcase(s, t);
    return s;
}
