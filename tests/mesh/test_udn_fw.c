/* test_udn_fw.c - Check tests of tile firmware on the UDN through the chip:
 * a ping-pong between two tiles (data intact, steady round trips, message
 * counts in stats.json) and a bad header that stops only its sender. */
#include <check.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/test_util.h"

static char out[16384];

/* Runs dlsim on tiny.ini with the firmware; returns stats.json parsed. */
static cJSON *run_fw(const char *fw, const char *extra)
{
    const char *dir = test_temp_dir();
    char cmd[1024], path[512];
    snprintf(cmd, sizeof cmd, "%s -c configs/tiny.ini --set deployment.firmware=build/fw/%s.elf -o %s %s",
             test_dlsim(), fw, dir, extra);
    ck_assert_msg(test_run(cmd, out, sizeof out) == 0, "dlsim failed:\n%s", out);
    snprintf(path, sizeof path, "%s/stats.json", dir);
    char *text = test_read_file(path);
    ck_assert_ptr_nonnull(text);
    cJSON *j = cJSON_Parse(text);
    free(text);
    ck_assert_ptr_nonnull(j);
    return j;
}

static cJSON *get(cJSON *o, const char *path)
{
    char buf[128], *save, *p;
    snprintf(buf, sizeof buf, "%s", path);
    for (p = strtok_r(buf, ".", &save); p && o; p = strtok_r(NULL, ".", &save))
        o = cJSON_GetObjectItemCaseSensitive(o, p);
    ck_assert_msg(o != NULL, "%s missing", path);
    return o;
}

START_TEST(pingpong_between_tiles)
{
    const char *timing[] = { "--set core.timing=off", "" };
    for (int t = 0; t < 2; t++) {
        cJSON *j = run_fw("udn_pingpong", timing[t]);
        ck_assert_msg(strstr(out, "[tile 0] pingpong ok") != NULL, "%s", out);
        /* one way: inject 1 + 2 hops + eject 1 + 4 words = 8 cycles at zero load */
        unsigned steady = 0;
        for (int r = 0; r < 8; r++) {
            char key[32];
            snprintf(key, sizeof key, "round %d: ", r);
            const char *p = strstr(out, key);
            ck_assert_ptr_nonnull(p);
            unsigned c = (unsigned)atoi(p + strlen(key));
            ck_assert_uint_ge(c, 2 * 8);
            if (r == 1) steady = c;
            if (r > 1) ck_assert_uint_eq(c, steady); /* no drift: the same round trip each time */
        }
        ck_assert_int_eq(get(j, "results.udn.messages")->valueint, 8 + 8 + 1);
        ck_assert_int_eq(get(j, "results.udn.payload_words")->valueint, 8 * 4 * 2 + 1);
        cJSON_Delete(j);
    }
}
END_TEST

START_TEST(bad_header_stops_only_its_sender)
{
    cJSON *j = run_fw("udn_badheader", "");
    ck_assert_msg(strstr(out, "[tile 0] still running") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "not stopped") == NULL, "%s", out);
    cJSON *tiles = get(j, "results.tiles");
    ck_assert_str_eq(get(cJSON_GetArrayItem(tiles, 1), "state")->valuestring, "trapped");
    ck_assert_str_eq(get(cJSON_GetArrayItem(tiles, 0), "state")->valuestring, "exited");
    ck_assert_int_eq(get(cJSON_GetArrayItem(tiles, 0), "exit_code")->valueint, 0);
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
