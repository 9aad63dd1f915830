/* test_atomic_fw.c - Check suite atomic_fw_suite: the A extension on the
 * chip. tests/core/atomic_count.c on a 2 x 2 chip: four tiles increment
 * shared counters with AMOADD and with LR/SC loops, and both end exact
 * (the SCs did collide: some failed); an AMO costs exactly the home's
 * latency: l2_latency on a line homed on the tile itself, remote_latency
 * + hop_cycles * 2 on one homed two hops away, mem.remote_latency for both
 * without the cache model (the firmware's measurement adds 3 cycles: the
 * AMO's address depends on the first rdcycle through two ALU operations). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

/* Runs atomic_count.elf with extra settings; returns the output. */
static void run_count(const char *extra)
{
    char args[1024];
    snprintf(args, sizeof args,
             "--set chip.width=2 --set chip.height=2 --set deployment.stack_tiles=1 --set port.count=1 "
             "--set mem.homing=page --set run.cycles=400000 --set deployment.firmware=%s/fw/atomic_count.elf "
             "%s -o %s",
             test_build_dir(), extra, test_temp_dir());
    ck_assert_msg(test_dlsim_run(args) == 0, "dlsim failed:\n%s", test_out);
}

START_TEST(atomic_counters_exact)
{
    run_count("");
    ck_assert_out_has("atomics: amoadd 800 lrsc 800 expected 800 sc_failed ");
    const char *p = strstr(test_out, "sc_failed ");
    ck_assert_msg(p && strtoul(p + 10, NULL, 10) > 0, "no SC ever failed: the tiles did not contend\n%s", test_out);
}
END_TEST

START_TEST(atomic_cost_at_home)
{
    run_count("");
    ck_assert_out_has("atomics: amo cycles local-home 14 remote-home 36");  /* 3 + 11, 3 + 31 + 2 */
    run_count("--set mem.l2_latency=13 --set mem.remote_latency=40 --set mem.hop_cycles=2");
    ck_assert_out_has("atomics: amo cycles local-home 16 remote-home 47");  /* 3 + 13, 3 + 40 + 4 */
    run_count("--set mem.timing=off");
    ck_assert_out_has("atomics: amo cycles local-home 34 remote-home 34");  /* 3 + 31 */
}
END_TEST

Suite *atomic_fw_suite(void);
Suite *atomic_fw_suite(void)
{
    Suite *s = suite_create("atomic_fw");
    TCase *tc = tcase_create("chip");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, atomic_counters_exact);
    tcase_add_test(tc, atomic_cost_at_home);
    suite_add_tcase(s, tc);
    return s;
}
