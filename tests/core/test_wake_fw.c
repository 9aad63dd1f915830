/* test_wake_fw.c - Check suite wake_fw_suite: the wake-up deadline
 * (TILE_SYS_WAKE_AT) from firmware on the chip. tests/core/wake_at.c on
 * configs/tiny.ini: UDN_WAIT woken by its deadline (UDN_WAIT_DEADLINE, the
 * deadline then disarmed), a past deadline returning at once, a UDN word
 * beating the deadline (which stays armed), a periodic tick; with
 * core.timing off the wake-ups are exact to the cycle: the rdcycle after
 * the wait runs the cycle after the deadline (late=1), the past deadline's
 * wait costs only the instructions between the two rdcycles (took=3, as
 * gcc -O2 compiles it). Slept cycles are
 * charged as idle in stats.json. */
#include <check.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static cJSON *run_wake(const char *extra)
{
    const char *dir = test_temp_dir();
    char args[1024];
    snprintf(args, sizeof args, "-c configs/tiny.ini --set run.cycles=200000 --set deployment.firmware=%s/fw/wake_at.elf -o %s %s",
             test_build_dir(), dir, extra);
    ck_assert_msg(test_dlsim_run(args) == 0, "dlsim failed:\n%s", test_out);
    return test_read_stats(dir);
}

START_TEST(deadline_wakes_firmware_exactly)
{
    cJSON *st = run_wake("--set core.timing=off");
    ck_assert_out_has("wake_at: deadline wait=0x200000000 late=1 armed=0");
    ck_assert_out_has("wake_at: past wait=0x200000000 took=3");
    ck_assert_out_has("wake_at: word wait=0x1 word=42 before=1 armed=1");
    ck_assert_out_has("wake_at: ticks 10");
    /* tile 0 slept through its deadlines: mostly idle */
    cJSON *t0 = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(st, "results"), "tiles"), 0);
    ck_assert_ptr_nonnull(t0);
    double busy = cJSON_GetObjectItem(t0, "busy_cycles")->valuedouble;
    double idle = cJSON_GetObjectItem(t0, "idle_cycles")->valuedouble;
    ck_assert_msg(idle > 5000 + 20000 + 9000 && busy < idle, "tile 0 busy %.0f idle %.0f", busy, idle);
    ck_assert_out_has("wake_at ok");
    cJSON_Delete(st);
}
END_TEST

START_TEST(deadline_with_timing_on)
{
    cJSON *st = run_wake("");
    ck_assert_out_has("wake_at ok");
    cJSON_Delete(st);
}
END_TEST

Suite *wake_fw_suite(void);
Suite *wake_fw_suite(void)
{
    Suite *s = suite_create("wake_fw");
    TCase *tc = tcase_create("chip");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, deadline_wakes_firmware_exactly);
    tcase_add_test(tc, deadline_with_timing_on);
    suite_add_tcase(s, tc);
    return s;
}
