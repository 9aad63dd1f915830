/* test_golden.c - trace regression: every golden case (golden_cases.h) run
 * through the whole chip must reproduce the shipped wire.pcap and results
 * byte for byte. On a deliberate change, `make golden` refreshes them and
 * prints what changed: its summary (golden_diff.c) is checked here on
 * crafted captures and results. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "golden_diff.h"
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

/* A nanosecond pcap of frames given as (time in ns, one byte repeated). */
static const char *craft_pcap(const unsigned (*fr)[2], int n)
{
    static unsigned char buf[24 + 8 * (16 + 60)];
    uint32_t hdr[6] = { 0xa1b23c4du, 0x00040002u, 0, 0, 65535, 1 };
    memcpy(buf, hdr, sizeof hdr);
    size_t off = 24;
    for (int i = 0; i < n; i++) {
        uint32_t rec[4] = { fr[i][0] / 1000000000u, fr[i][0] % 1000000000u, 60, 60 };
        memcpy(buf + off, rec, sizeof rec);
        memset(buf + off + 16, (int)fr[i][1], 60);
        off += 16 + 60;
    }
    return test_write_temp_bytes(buf, off);
}

/* The summary of make golden: one frame inserted early shows as one added
 * and the later ones retimed (matched by bytes, not position), with the
 * first difference; the same file is unchanged. */
START_TEST(diff_summary_of_frames)
{
    static const unsigned a[][2] = { { 1000, 'A' }, { 2000, 'B' }, { 3000, 'C' } };
    static const unsigned b[][2] = { { 1000, 'A' }, { 1500, 'X' }, { 2500, 'B' }, { 3500, 'C' } };
    char pa[512], pb[512], *text = NULL;
    size_t len;
    snprintf(pa, sizeof pa, "%s", craft_pcap(a, 3));
    snprintf(pb, sizeof pb, "%s", craft_pcap(b, 4));
    FILE *f = open_memstream(&text, &len);
    ck_assert_int_eq(golden_diff_pcap(pa, pb, "", f), 1);
    ck_assert_int_eq(golden_diff_pcap(pa, pa, "", f), 0);
    fclose(f);
    ck_assert_msg(strstr(text, "wire.pcap: 3 -> 4 frames; first difference at frame 1: old 0.000002000 s (60 bytes), "
                               "new 0.000001500 s (60 bytes)"), "%s", text);
    ck_assert_msg(strstr(text, "last frame: old 0.000003000 s (60 bytes), new 0.000003500 s (60 bytes)"), "%s", text);
    ck_assert_msg(strstr(text, "3 frames in both (2 of them at another time), 1 only in the new (added or changed), "
                               "0 only in the old"), "%s", text);
    ck_assert_msg(strstr(text, "wire.pcap: 3 -> 3 frames, unchanged"), "%s", text);
    free(text);
    f = open_memstream(&text, &len);
    ck_assert_int_eq(golden_diff_pcap(test_write_temp("not a pcap at all, not at all"), pa, "", f), -1);
    fclose(f);
    ck_assert_msg(strstr(text, "not a pcap file"), "%s", text);
    free(text);
}
END_TEST

/* Counters that changed, old -> new, by dotted path; values only one side
 * has are "absent"; the list is bounded. */
START_TEST(diff_summary_of_results)
{
    char pa[512], pb[512], *text = NULL;
    size_t len;
    snprintf(pa, sizeof pa, "%s", test_write_temp("{\"a\": 1, \"b\": {\"c\": 2, \"s\": \"x\"}, \"d\": [1, 2]}"));
    snprintf(pb, sizeof pb, "%s", test_write_temp("{\"a\": 1, \"b\": {\"c\": 3, \"s\": \"x\"}, \"d\": [1, 2, 5]}"));
    FILE *f = open_memstream(&text, &len);
    ck_assert_int_eq(golden_diff_json(pa, pb, "", 10, f), 1);
    ck_assert_int_eq(golden_diff_json(pa, pa, "", 10, f), 0);
    ck_assert_int_eq(golden_diff_json(pa, pb, "", 1, f), 1);
    fclose(f);
    ck_assert_msg(strstr(text, "  b.c: 2 -> 3\n  d.2: absent -> 5\nresults.json: 2 of 6 values changed\n"), "%s", text);
    ck_assert_msg(strstr(text, "results.json: 0 of 5 values changed"), "%s", text);
    ck_assert_msg(strstr(text, "  b.c: 2 -> 3\n  ... and 1 more\n"), "%s", text);
    free(text);
}
END_TEST

Suite *golden_suite(void)
{
    Suite *s = suite_create("golden");
    TCase *t = tcase_create("trace");
    tcase_set_timeout(t, 120);
    tcase_add_loop_test(t, golden_case_matches, 0, (int)golden_count());
    suite_add_tcase(s, t);
    TCase *d = tcase_create("diff");
    tcase_add_test(d, diff_summary_of_frames);
    tcase_add_test(d, diff_summary_of_results);
    suite_add_tcase(s, d);
    return s;
}
