/* test_udn_fw.c - Check tests of tile firmware on the UDN through the chip:
 * a ping-pong between two tiles (data intact, round trips of the exact
 * derived length, message counts and cache counts in stats.json) and a bad
 * header that stops only its sender. */
#include <check.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"


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

/* The round trip of one 4-word message and its 4-word reply, rdcycle to
 * rdcycle in the pinger (T = the first rdcycle; the code is what gcc -O2
 * makes of udn_pingpong.c; the ponger waits in its load of the next first
 * word). A word is readable 4 cycles after its write (inject 1 + 2 hops +
 * eject 1: the zero-load formula of models/mesh, 1 + hops + 1 + words for a
 * back-to-back message).
 *
 * core.timing off (one cycle per instruction): the pinger writes the header
 * at T+1 and word i at T+3+2i (an add between); word 0 is readable at T+7.
 * The ponger's load returns then, its sd, bne, loads of words 1..3 with an
 * sd after each, and the reply header at T+17; its loop (ld, add, add, sd,
 * bne) writes reply word i at T+21+5i, readable at T+25+5i. The pinger's
 * loop (ld, beq, add, bne: 4 cycles) waits for each: its loads return at
 * T+25, 30, 35, 40, and beq, add, bne take it to the rdcycle at T+44.
 *
 * core.timing on (3-wide in order, load-use 2, a forward taken branch
 * mispredicted 2, one memory operation per group, the caches warm): every
 * UDN store is a sync point in its own group, so the pinger writes header
 * and words at T+1..T+5 and word 0 is readable at T+6. The ponger's ld at
 * T+6, bne at T+8, loads of words 1..3 at T+9, T+11, T+13 with the stores
 * of words 2 and 3 (waiting for load-use) at T+11, T+13, T+15 and the reply
 * header at T+15; its loop writes reply word i at T+19+4i, readable at
 * T+23+4i. The pinger's loop now takes 7 cycles a word (ld; beq 2 later,
 * taken forward: +2; add; bne), slower than the replies: loads at T+23,
 * 30, 37, 44, and the last word's ld, beq (+2 +2), add, bne (not taken
 * backward: +2) reach the rdcycle at T+44+9 = T+53. */
static const unsigned round_trip[2] = { 44, 53 };

START_TEST(pingpong_between_tiles)
{
    const char *timing[] = { "--set core.timing=off", "" };
    for (int t = 0; t < 2; t++) {
        cJSON *j = run_fw("udn_pingpong", timing[t]);
        ck_assert_msg(strstr(test_out, "[tile 0] pingpong ok") != NULL, "%s", test_out);
        for (int r = 1; r < 8; r++) { /* round 0 pays for cold caches and the ponger's start */
            char key[32];
            snprintf(key, sizeof key, "round %d: ", r);
            const char *p = strstr(test_out, key);
            ck_assert_ptr_nonnull(p);
            unsigned c = (unsigned)atoi(p + strlen(key));
            ck_assert_msg(c == round_trip[t], "%s round %d: %u cycles, expected %u\n%s", timing[t], r, c,
                          round_trip[t], test_out);
        }
        ck_assert_int_eq(test_json_at(j, "results.udn.messages")->valueint, 8 + 8 + 1);
        ck_assert_int_eq(test_json_at(j, "results.udn.payload_words")->valueint, 8 * 4 * 2 + 1);
        /* With the caches on, every fetch counts: one L1I access per
         * instruction (no tile traps; the UDN accesses are redone after
         * their sync points, which fetches nothing more), hits = accesses -
         * misses. */
        cJSON *tiles = test_json_at(j, "results.tiles");
        for (int k = 0; t == 1 && k < cJSON_GetArraySize(tiles); k++) {
            cJSON *tile = cJSON_GetArrayItem(tiles, k);
            double insns = test_json_at(tile, "instructions")->valuedouble;
            cJSON *l1i = test_json_at(tile, "cache.l1i");
            ck_assert_msg(insns > 0 && test_json_at(l1i, "accesses")->valuedouble == insns,
                          "tile %d: %g instructions, %g L1I accesses", k, insns,
                          test_json_at(l1i, "accesses")->valuedouble);
            for (const char *c = "l1i\0l1d\0l2\0"; *c; c += strlen(c) + 1) {
                char key[32];
                snprintf(key, sizeof key, "cache.%s", c);
                cJSON *o = test_json_at(tile, key);
                double a = test_json_at(o, "accesses")->valuedouble, h = test_json_at(o, "hits")->valuedouble;
                ck_assert(a > 0);
                ck_assert(h == a - test_json_at(o, "misses")->valuedouble);
                double d = test_json_at(o, "hit_rate")->valuedouble - h / a;
                ck_assert(d < 1e-12 && d > -1e-12); /* (as printed in the JSON) */
            }
        }
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

/* UDN_SENDER (mesh.sender_id, not a TILE-Gx feature): tile 0 receiving
 * from tiles 1 and 2 at once is told the right sender, length and words
 * left for every word; off (the default), the register does not exist and
 * the load faults: tile 0 stops, the senders finish. */
START_TEST(sender_register_names_senders)
{
    cJSON *j = run_fw("udn_sender", "--set mesh.sender_id=on");
    ck_assert_msg(strstr(test_out, "[tile 0] sender: tile 1 8, tile 2 8, ok") != NULL, "%s", test_out);
    cJSON *tiles = test_json_at(j, "results.tiles");
    ck_assert_str_eq(test_json_at(cJSON_GetArrayItem(tiles, 0), "state")->valuestring, "exited");
    ck_assert_int_eq(test_json_at(cJSON_GetArrayItem(tiles, 0), "exit_code")->valueint, 0);
    cJSON_Delete(j);

    j = run_fw("udn_sender", "--set run.expect_faults=any");
    ck_assert_msg(strstr(test_out, "sender:") == NULL, "%s", test_out);
    tiles = test_json_at(j, "results.tiles");
    ck_assert_str_eq(test_json_at(cJSON_GetArrayItem(tiles, 0), "state")->valuestring, "trapped");
    for (int t = 1; t <= 2; t++)
        ck_assert_str_eq(test_json_at(cJSON_GetArrayItem(tiles, t), "state")->valuestring, "exited");
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
    tcase_add_test(t, sender_register_names_senders);
    suite_add_tcase(s, t);
    return s;
}
