/* test_udn_fw.c - Check tests of tile firmware on the UDN through the chip:
 * a ping-pong between two tiles (data intact, steady round trips, message
 * counts in stats.json) and a bad header that stops only its sender. */
#include <check.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/test_util.h"


/* Runs dlsim on tiny.ini with the firmware; returns stats.json parsed. */
static cJSON *run_fw(const char *fw, const char *extra)
{
    const char *dir = test_temp_dir();
    char args[1024];
    snprintf(args, sizeof args, "-c configs/tiny.ini --set deployment.firmware=%s/fw/%s.elf -o %s %s",
             test_build_dir(), fw, dir, extra);
    ck_assert_msg(test_dlsim_run(args) == 0, "dlsim failed:\n%s", test_out);
    return test_read_stats(dir);
}

START_TEST(pingpong_between_tiles)
{
    const char *timing[] = { "--set core.timing=off", "" };
    for (int t = 0; t < 2; t++) {
        cJSON *j = run_fw("udn_pingpong", timing[t]);
        ck_assert_msg(strstr(test_out, "[tile 0] pingpong ok") != NULL, "%s", test_out);
        /* one way: inject 1 + 2 hops + eject 1 + 4 words = 8 cycles at zero load */
        unsigned steady = 0;
        for (int r = 0; r < 8; r++) {
            char key[32];
            snprintf(key, sizeof key, "round %d: ", r);
            const char *p = strstr(test_out, key);
            ck_assert_ptr_nonnull(p);
            unsigned c = (unsigned)atoi(p + strlen(key));
            ck_assert_uint_ge(c, 2 * 8);
            if (r == 1) steady = c;
            if (r > 1) ck_assert_uint_eq(c, steady); /* no drift: the same round trip each time */
        }
        ck_assert_int_eq(test_json_at(j, "results.udn.messages")->valueint, 8 + 8 + 1);
        ck_assert_int_eq(test_json_at(j, "results.udn.payload_words")->valueint, 8 * 4 * 2 + 1);
        cJSON_Delete(j);
    }
}
END_TEST

START_TEST(bad_header_stops_only_its_sender)
{
    cJSON *j = run_fw("udn_badheader", "--set run.expect_faults=any");   /* tile 1 traps */
    ck_assert_msg(strstr(test_out, "[tile 0] still running") != NULL, "%s", test_out);
    ck_assert_msg(strstr(test_out, "not stopped") == NULL, "%s", test_out);
    cJSON *tiles = test_json_at(j, "results.tiles");
    ck_assert_str_eq(test_json_at(cJSON_GetArrayItem(tiles, 1), "state")->valuestring, "trapped");
    ck_assert_str_eq(test_json_at(cJSON_GetArrayItem(tiles, 0), "state")->valuestring, "exited");
    ck_assert_int_eq(test_json_at(cJSON_GetArrayItem(tiles, 0), "exit_code")->valueint, 0);
    cJSON_Delete(j);
}
END_TEST

Suite *udn_fw_suite(void)
{
    Suite *s = suite_create("udn_fw");
    TCase *t = tcase_create("udn_fw");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, pingpong_between_tiles);
    tcase_add_test(t, bad_header_stops_only_its_sender);
    suite_add_tcase(s, t);
    return s;
}
