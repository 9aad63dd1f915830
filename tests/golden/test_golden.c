/* test_golden.c - trace regression: every golden case (golden_cases.h) run
 * through the whole chip must reproduce the shipped wire.pcap and results
 * byte for byte. On a deliberate change, `make golden` refreshes them. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "golden_run.h"

/* 1 when the two files hold the same bytes. */
static int same_file(const char *a, const char *b)
{
    char cmd[2100], out[256];
    snprintf(cmd, sizeof cmd, "cmp %s %s", a, b);
    return test_run(cmd, out, sizeof out) == 0;
}

START_TEST(golden_case_matches)
{
    const char *name = golden_name((size_t)_i);
    const char *dir = test_temp_dir();
    char log[4096], got[512], want[512];
    ck_assert_msg(golden_run(test_dlsim(), test_build_dir(), name, dir, log, sizeof log) == 0, "%s", log);
    const char *files[] = { "wire.pcap", "results.json" };
    for (int f = 0; f < 2; f++) {
        snprintf(got, sizeof got, "%s/%s", dir, files[f]);
        snprintf(want, sizeof want, "tests/golden/%s/%s", name, files[f]);
        ck_assert_msg(same_file(got, want),
                      "golden %s: %s differs from %s (compare them; if the change is intended, run make golden)",
                      name, got, want);
    }
}
END_TEST

Suite *golden_suite(void)
{
    Suite *s = suite_create("golden");
    TCase *t = tcase_create("trace");
    tcase_set_timeout(t, 120);
    tcase_add_loop_test(t, golden_case_matches, 0, (int)golden_count());
    suite_add_tcase(s, t);
    return s;
}
