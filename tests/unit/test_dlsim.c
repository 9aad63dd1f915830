/* test_dlsim.c - Check tests of the dlsim command line: help, version, exit
 * statuses of bad options and configurations, and a full run on tiny.ini
 * whose stats.json parses and is identical (config, results) across runs. */
#include <check.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"


START_TEST(help_version_help_config)
{
    ck_assert_int_eq(test_dlsim_run("--help"), 0);
    ck_assert_out_has("usage: dlsim");
    ck_assert_int_eq(test_dlsim_run("--version"), 0);
    ck_assert_out_has("dlsim ");
    ck_assert_int_eq(test_dlsim_run("--help-config"), 0);
    ck_assert_out_has("mesh.hop_latency");
    ck_assert_out_has("run.cycles");
}
END_TEST

START_TEST(usage_errors_exit_2)
{
    ck_assert_int_eq(test_dlsim_run("--frobnicate"), 2);
    ck_assert_out_has("--frobnicate: unknown option");
    ck_assert_int_eq(test_dlsim_run("-c"), 2);
    ck_assert_out_has("needs a value");
    ck_assert_int_eq(test_dlsim_run("stray"), 2);
    ck_assert_out_has("unexpected argument");
    ck_assert_int_eq(test_dlsim_run("--rate 0.1"), 2);
    ck_assert_out_has("need --mesh-only");
    ck_assert_int_eq(test_dlsim_run("--elf x --max-cycles many"), 2);
    ck_assert_out_has("--max-cycles many");
}
END_TEST

START_TEST(config_errors_exit_2)
{
    ck_assert_int_eq(test_dlsim_run("-c /nonexistent.ini"), 2);
    ck_assert_out_has("/nonexistent.ini: cannot open");
    ck_assert_int_eq(test_dlsim_run("-c configs/tiny.ini --set chip.widht=3"), 2);
    ck_assert_out_has("did you mean chip.width?");
    const char *bad = test_write_temp("[chip]\nwidth = 99\n");
    char args[512];
    snprintf(args, sizeof args, "-c %s", bad);
    ck_assert_int_eq(test_dlsim_run(args), 2);
    ck_assert_out_has(":2: chip.width = 99 is out of range");
    ck_assert_int_eq(test_dlsim_run("--set chip.width=1 --set chip.height=1"), 2);
    ck_assert_out_has("leaves no application tile");
}
END_TEST

/* Runs tiny.ini into a fresh directory; returns the parsed stats.json. */
static cJSON *run_tiny(const char *extra)
{
    const char *dir = test_temp_dir();
    char args[1024];
    snprintf(args, sizeof args, "-c configs/tiny.ini -o %s %s", dir, extra);
    ck_assert_msg(test_dlsim_run(args) == 0, "dlsim failed:\n%s", test_out);
    return test_read_stats(dir);
}

START_TEST(tiny_run_writes_stats_and_is_deterministic)
{
    cJSON *a = run_tiny("");
    ck_assert_out_has("simulated");
    cJSON *b = run_tiny("");
    for (const char *sec = "config"; sec; sec = strcmp(sec, "config") == 0 ? "results" : NULL) {
        cJSON *x = cJSON_GetObjectItemCaseSensitive(a, sec);
        cJSON *y = cJSON_GetObjectItemCaseSensitive(b, sec);
        ck_assert_msg(x && y, "section %s missing", sec);
        ck_assert_msg(cJSON_Compare(x, y, 1), "section %s differs between two runs", sec);
    }
    ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(a, "host"));
    cJSON *cfg = cJSON_GetObjectItemCaseSensitive(a, "config");
    cJSON *chip = cJSON_GetObjectItemCaseSensitive(cfg, "chip");
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(chip, "name")->valuestring, "tiny");
    /* defaults are echoed too: a key tiny.ini does not set */
    ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cfg, "core"), "misaligned_penalty"));
    cJSON *res = cJSON_GetObjectItemCaseSensitive(a, "results");
    cJSON *run = cJSON_GetObjectItemCaseSensitive(cfg, "run");
    ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(res, "cycles")->valuedouble,
                        cJSON_GetObjectItemCaseSensitive(run, "cycles")->valuedouble);
    int w = cJSON_GetObjectItemCaseSensitive(chip, "width")->valueint;
    int h = cJSON_GetObjectItemCaseSensitive(chip, "height")->valueint;
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(res, "tiles")), w * h);
    cJSON_Delete(a);
    cJSON_Delete(b);
}
END_TEST

START_TEST(set_reaches_results)
{
    cJSON *a = run_tiny("--set run.cycles=777 --set chip.width=3");
    cJSON *res = cJSON_GetObjectItemCaseSensitive(a, "results");
    ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(res, "cycles")->valuedouble, 777);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(res, "tiles")), 3 * 2);
    cJSON_Delete(a);
}
END_TEST

START_TEST(firmware_runs_on_every_tile)
{
    cJSON *a = run_tiny("--set deployment.firmware=build/fw/hello.elf");
    for (int t = 0; t < 4; t++) {
        char line[64];
        snprintf(line, sizeof line, "[tile %d] hello from tile %d after", t, t);
        ck_assert_out_has(line);
    }
    cJSON *tiles = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(a, "results"), "tiles");
    cJSON *t;
    cJSON_ArrayForEach(t, tiles) {
        ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(t, "state")->valuestring, "exited");
        ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(t, "exit_code")->valueint, 0);
        ck_assert_int_gt(cJSON_GetObjectItemCaseSensitive(t, "instructions")->valueint, 100);
    }
    cJSON *b = run_tiny("--set deployment.firmware=build/fw/hello.elf");
    ck_assert(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(a, "results"),
                            cJSON_GetObjectItemCaseSensitive(b, "results"), 1));
    cJSON_Delete(a);
    cJSON_Delete(b);
}
END_TEST

START_TEST(bad_firmware_exit_2)
{
    ck_assert_int_eq(test_dlsim_run("-c configs/tiny.ini --set deployment.firmware=/nonexistent.elf"), 2);
    ck_assert_out_has("deployment.firmware: /nonexistent.elf: cannot open");
    ck_assert_int_eq(test_dlsim_run("-c configs/tiny.ini --set deployment.firmware=configs/tiny.ini"), 2);
    ck_assert_out_has("deployment.firmware: configs/tiny.ini:");
}
END_TEST

START_TEST(unwritable_output_dir)
{
    ck_assert_int_eq(test_dlsim_run("-c configs/tiny.ini -o /proc/nope/out"), 2);
    ck_assert_out_has("cannot create output directory");
}
END_TEST

Suite *dlsim_suite(void)
{
    Suite *s = suite_create("dlsim");
    TCase *t = tcase_create("cli");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, help_version_help_config);
    tcase_add_test(t, usage_errors_exit_2);
    tcase_add_test(t, config_errors_exit_2);
    tcase_add_test(t, tiny_run_writes_stats_and_is_deterministic);
    tcase_add_test(t, set_reaches_results);
    tcase_add_test(t, unwritable_output_dir);
    tcase_add_test(t, firmware_runs_on_every_tile);
    tcase_add_test(t, bad_firmware_exit_2);
    suite_add_tcase(s, t);
    return s;
}
