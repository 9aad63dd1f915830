/* run_tests.c - the one Check runner: every module's suites (listed by the
 * Makefile in test_suites.h) in one run, ending with Check's summary line.
 * CK_RUN_SUITE=name or CK_RUN_CASE=name runs a part (Check's own variables). */
#include <check.h>
#include <stdlib.h>

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
    SRunner *sr = srunner_create(NULL);
#define SUITE(name) srunner_add_suite(sr, name());
#include "test_suites.h"
#undef SUITE
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
