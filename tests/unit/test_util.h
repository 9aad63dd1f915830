/* test_util.h - helpers shared by the Check suites: temporary files, running
 * the dlsim binary and capturing what it prints. */
#ifndef DL_TESTS_TEST_UTIL_H
#define DL_TESTS_TEST_UTIL_H

#include <stddef.h>

/* Writes text to a new temporary file; returns its path (static storage,
 * one of a few rotating buffers). */
const char *test_write_temp(const char *text);

/* A new empty temporary directory; returns its path (rotating buffers). */
const char *test_temp_dir(void);

/* Path of the dlsim binary under test ($DLSIM, else build/dlsim). */
const char *test_dlsim(void);

/* Runs a shell command; returns its exit status (or -1) and puts up to
 * outlen-1 bytes of its combined stdout and stderr into out. */
int test_run(const char *cmd, char *out, size_t outlen);

/* Reads a whole file into a malloc'd string (NULL if it cannot). */
char *test_read_file(const char *path);

#endif
