/* run_tests.c - the one Check runner: every module's suites (listed by the
 * Makefile in test_suites.h) in one run, then Check's summary line, the
 * reason of every skipped test, and a last line
 *   checks: N passed, N failed, N skipped
 * (Check has no skipped result: tests record skips with test_skip, see
 * test_util.h, and they are taken out of the passed count).
 * CK_RUN_SUITE=name or CK_RUN_CASE=name runs a part (Check's own variables). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test_util.h"

#define SUITE(name) Suite *name(void);
#include "test_suites.h"
#undef SUITE

/* libsystemc's own main() refers to sc_main; ours replaces that main, and
 * SystemC suites elaborate and run inside their (forked) tests. */
int sc_main(int argc, char **argv);
int sc_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int main(void)
{
    char skips[] = "/tmp/dltest-skips-XXXXXX";
    int fd = mkstemp(skips);
    if (fd < 0) {
        perror("run_tests: cannot create the file of skipped tests");
        return EXIT_FAILURE;
    }
    close(fd);
    setenv(TEST_SKIP_ENV, skips, 1);
    SRunner *sr = srunner_create(NULL);
#define SUITE(name) srunner_add_suite(sr, name());
#include "test_suites.h"
#undef SUITE
    srunner_run_all(sr, CK_NORMAL);
    int run = srunner_ntests_run(sr), failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    fflush(stdout);
    int skipped = test_skips_report(skips, stdout);
    unlink(skips);
    /* test_skip is followed by return; should a test fail after it anyway,
     * the three counts still add up to the tests run. */
    int passed = run - failed - skipped;
    if (passed < 0) {
        skipped += passed;
        passed = 0;
    }
    printf("checks: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
