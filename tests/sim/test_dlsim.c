/* test_dlsim.c - Check tests of the dlsim command line: help, version, exit
 * statuses of bad options and configurations, a full run on tiny.ini whose
 * stats.json parses and is identical (config, results) across runs, the
 * exit status of runs whose tiles fail, the mesh-only mode's outputs and
 * `make mesh-sweep`. */
#include <check.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"


START_TEST(help_version_help_config)
{
    ck_assert_dlsim(0, "usage: dlsim", "--help");
    ck_assert_dlsim(0, "dlsim ", "--version");
    ck_assert_dlsim(0, "mesh.hop_latency", "--help-config");
    ck_assert_out_has("run.cycles");
}
END_TEST

START_TEST(usage_errors_exit_2)
{
    ck_assert_dlsim(2, "--frobnicate: unknown option", "--frobnicate");
    ck_assert_dlsim(2, "needs a value", "-c");
    ck_assert_dlsim(2, "unexpected argument", "stray");
    ck_assert_dlsim(2, "need --mesh-only", "--rate 0.1");
    ck_assert_dlsim(2, "--max-cycles many", "--elf x --max-cycles many");
}
END_TEST

START_TEST(config_errors_exit_2)
{
    ck_assert_dlsim(2, "/nonexistent.ini: cannot open", "-c /nonexistent.ini");
    ck_assert_dlsim(2, "did you mean chip.width?", "-c configs/tiny.ini --set chip.widht=3");
    const char *bad = test_write_temp("[chip]\nwidth = 99\n");
    ck_assert_dlsim(2, ":2: chip.width = 99 is out of range", "-c %s", bad);
    ck_assert_dlsim(2, "leaves no application tile", "--set chip.width=1 --set chip.height=1");
}
END_TEST

/* Runs tiny.ini into a fresh directory; returns the parsed stats.json. */
static cJSON *run_tiny(const char *extra)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim_exit(0, "-c configs/tiny.ini -o %s %s", dir, extra);
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

/* The state of tile t in a run's results. */
static const char *tile_state(cJSON *run, int t)
{
    cJSON *tiles = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(run, "results"), "tiles");
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(tiles, t), "state")->valuestring;
}

/* deployment.stack_firmware and .app_firmware run on their role's tiles
 * only (tiny: tile 0 is the stack tile), each overriding
 * deployment.firmware for its role; a role with neither stays idle. */
START_TEST(firmware_per_role)
{
    cJSON *a = run_tiny("--set deployment.stack_firmware=build/fw/hello.elf");
    ck_assert_out_has("[tile 0] hello from tile 0 after");
    ck_assert_str_eq(tile_state(a, 0), "exited");
    for (int t = 1; t < 4; t++) ck_assert_str_eq(tile_state(a, t), "idle");
    cJSON_Delete(a);
    a = run_tiny("--set deployment.app_firmware=build/fw/hello.elf");
    ck_assert_str_eq(tile_state(a, 0), "idle");
    for (int t = 1; t < 4; t++) ck_assert_str_eq(tile_state(a, t), "exited");
    cJSON_Delete(a);
    /* the stack tile's own image replaces the common one there only
     * (sock_loop runs longer than the run: tile 0 never exits or greets) */
    a = run_tiny("--set deployment.firmware=build/fw/hello.elf --set deployment.stack_firmware=build/fw/sock_loop.elf");
    ck_assert_str_ne(tile_state(a, 0), "exited");
    ck_assert_msg(!strstr(test_out, "hello from tile 0"), "%s", test_out);
    for (int t = 1; t < 4; t++) ck_assert_str_eq(tile_state(a, t), "exited");
    cJSON_Delete(a);
    ck_assert_dlsim(2, "deployment.app_firmware: /nonexistent.elf: cannot open",
                    "-c configs/tiny.ini --set deployment.app_firmware=/nonexistent.elf");
}
END_TEST

/* deployment.tile_firmware gives one tile its own image, whatever its
 * role, over the role's; a bad path names the key, the tile and the file. */
START_TEST(firmware_per_tile)
{
    cJSON *a = run_tiny("--set deployment.firmware=build/fw/sock_loop.elf "
                        "--set deployment.tile_firmware=2:build/fw/hello.elf,0:build/fw/hello.elf");
    ck_assert_out_has("[tile 2] hello from tile 2 after");
    ck_assert_out_has("[tile 0] hello from tile 0 after");
    ck_assert_msg(!strstr(test_out, "hello from tile 1"), "%s", test_out);
    ck_assert_str_eq(tile_state(a, 0), "exited");
    ck_assert_str_eq(tile_state(a, 2), "exited");
    ck_assert_str_ne(tile_state(a, 1), "exited");
    ck_assert_str_ne(tile_state(a, 3), "exited");
    cJSON_Delete(a);
    ck_assert_dlsim(2, "deployment.tile_firmware (tile 1): /nonexistent.elf: cannot open",
                    "-c configs/tiny.ini --set deployment.tile_firmware=1:/nonexistent.elf");
    ck_assert_dlsim(2, "deployment.tile_firmware: tile 9 is not on the chip",
                    "-c configs/tiny.ini --set deployment.tile_firmware=9:build/fw/hello.elf");
}
END_TEST

START_TEST(bad_firmware_exit_2)
{
    ck_assert_dlsim(2, "deployment.firmware: /nonexistent.elf: cannot open",
                    "-c configs/tiny.ini --set deployment.firmware=/nonexistent.elf");
    ck_assert_dlsim(2, "deployment.firmware: configs/tiny.ini:",
                    "-c configs/tiny.ini --set deployment.firmware=configs/tiny.ini");
}
END_TEST

START_TEST(unwritable_output_dir)
{
    ck_assert_dlsim(2, "cannot create output directory", "-c configs/tiny.ini -o /proc/nope/out");
}
END_TEST

START_TEST(config_given_twice_refused)
{
    ck_assert_dlsim(2, "-c configs/echo.ini: a configuration file is already given",
                    "-c configs/tiny.ini -c configs/echo.ini");
    ck_assert_dlsim(2, "one -c only", "--config configs/tiny.ini --config configs/tiny.ini");
}
END_TEST

START_TEST(output_naming_a_file_exit_2)
{
    const char *f = test_write_temp("not a directory\n");
    ck_assert_dlsim(2, f, "-c configs/tiny.ini -o %s", f);
    ck_assert_out_has("not a directory");
    ck_assert_dlsim(2, "not a directory",
                    "--mesh-only --traffic uniform --rate 0.1 --size 4 --cycles 10 -o %s/sub", f);
}
END_TEST

/* stats.json records what produced the run: its mode, the configuration's
 * sections (the client hosts' workload among them); an old workload kind
 * (idle) is refused */
START_TEST(config_records_mode)
{
    cJSON *a = run_tiny("");
    ck_assert_str_eq(test_json_at(a, "config.mode")->valuestring, "chip");
    ck_assert(cJSON_IsArray(test_json_at(a, "config.traces")));
    ck_assert_int_eq(cJSON_GetArraySize(test_json_at(a, "config.traces")), 0);
    ck_assert_str_eq(test_json_at(a, "config.workload.kind")->valuestring, "echo");
    ck_assert_str_eq(test_json_at(a, "results.run.end")->valuestring, "bound");
    cJSON_Delete(a);
    ck_assert_dlsim_exit(2, "-c configs/tiny.ini --set workload.kind=idle");
}
END_TEST

/* A tile that traps, faults or exits non-zero makes the exit status 1,
 * unless run.expect_faults = any; tiles that exit 0 leave it 0. */
START_TEST(tile_failures_exit_1)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim(1, "1 tile(s) failed",
                    "-c configs/tiny.ini --set deployment.firmware=%s/fw/udn_badheader.elf -o %s",
                    test_build_dir(), dir);
    ck_assert_out_has("tile 1: trapped");
    ck_assert_out_has("run.expect_faults = any");
    cJSON *j = test_read_stats(dir);   /* the outputs are written all the same */
    ck_assert_int_eq(test_json_at(j, "results.run.tile_failures")->valueint, 1);
    cJSON_Delete(j);
    ck_assert_dlsim_exit(0,
                         "-c configs/tiny.ini --set deployment.firmware=%s/fw/udn_badheader.elf "
                         "--set run.expect_faults=any -o %s",
                         test_build_dir(), dir);
    /* memory protection faults on four tiles */
    ck_assert_dlsim(
        1, "4 tile(s) failed",
        "--set chip.width=3 --set chip.height=2 --set deployment.stack_tiles=1 "
        "--set port.count=1 --set run.cycles=600000 --set deployment.firmware=%s/fw/mem_prot.elf -o %s",
        test_build_dir(), dir);
    ck_assert_out_has("tile 4: faulted");
    /* every tile exits 0: 0 */
    ck_assert_dlsim_exit(0, "-c configs/tiny.ini --set deployment.firmware=%s/fw/hello.elf -o %s",
                         test_build_dir(), dir);
}
END_TEST

/* --mesh-only: stats.json of the common shape, mesh.dat, links.dat; same
 * bytes but the host section across two runs; one limit for --size. */
START_TEST(mesh_only_outputs)
{
    const char *dir = test_temp_dir(), *dir2 = test_temp_dir();
    char path[600];
    ck_assert_dlsim_exit(0,
                         "--mesh-only --traffic uniform --rate 0.1 --size 4 --cycles 3000 --warmup 300 "
                         "--set chip.width=3 --set chip.height=2 --set deployment.stack_tiles=1 -o %s",
                         dir);
    ck_assert_out_has("wrote");
    ck_assert_out_has("/stats.json, mesh.dat, links.dat");
    cJSON *j = test_read_stats(dir);
    ck_assert_str_eq(test_json_at(j, "config.mode")->valuestring, "mesh-only");
    ck_assert_str_eq(test_json_at(j, "config.traffic.pattern")->valuestring, "uniform");
    ck_assert_double_eq(test_json_at(j, "config.traffic.rate")->valuedouble, 0.1);
    ck_assert_int_eq(test_json_at(j, "config.traffic.size")->valueint, 4);
    ck_assert_int_eq(test_json_at(j, "config.traffic.cycles")->valueint, 3000);
    ck_assert_int_eq(test_json_at(j, "config.traffic.warmup")->valueint, 300);
    ck_assert_int_eq(test_json_at(j, "config.chip.width")->valueint, 3);
    ck_assert_int_eq(test_json_at(j, "results.mesh.width")->valueint, 3);
    ck_assert_int_eq(test_json_at(j, "results.mesh.height")->valueint, 2);
    ck_assert_int_eq(test_json_at(j, "results.cycles")->valueint, 3300);
    double offered = test_json_at(j, "results.offered")->valuedouble;
    double accepted = test_json_at(j, "results.accepted")->valuedouble;
    ck_assert_msg(offered > 0.07 && offered < 0.13, "offered %g", offered);
    ck_assert_msg(accepted > 0.07 && accepted < 0.13, "accepted %g", accepted);
    ck_assert_int_gt(test_json_at(j, "results.messages_delivered")->valueint, 100);
    ck_assert(cJSON_IsObject(test_json_at(j, "results.latency")));
    ck_assert(cJSON_IsObject(test_json_at(j, "results.udn")));
    ck_assert(test_json_at(j, "host.wall_seconds")->valuedouble >= 0);
    snprintf(path, sizeof path, "%s/mesh.json", dir);
    ck_assert_int_ne(access(path, F_OK), 0);
    /* mesh.dat: a header, then the row of this run */
    snprintf(path, sizeof path, "%s/mesh.dat", dir);
    char *dat = test_read_file(path);
    ck_assert_ptr_nonnull(dat);
    char *row = strchr(dat, '\n');
    ck_assert(dat[0] == '#' && row);
    double rate, off, acc;
    ck_assert_int_eq(sscanf(row + 1, "%lf %lf %lf", &rate, &off, &acc), 3);
    ck_assert_double_eq(rate, 0.1);
    ck_assert_double_eq_tol(off, offered, 1e-6);
    ck_assert_double_eq_tol(acc, accepted, 1e-6);
    free(dat);
    /* links.dat: (2H-1) x (2W-1) = 3 x 5 */
    snprintf(path, sizeof path, "%s/links.dat", dir);
    char *links = test_read_file(path);
    ck_assert_ptr_nonnull(links);
    int rows = 0;
    for (char *l = links; *l; l = strchr(l, '\n') + 1) {
        if (*l != '#') {
            rows++;
            int cols = 1;
            for (char *c = l; *c && *c != '\n'; c++) cols += *c == ' ';
            ck_assert_int_eq(cols, 5);
        }
        if (!strchr(l, '\n')) break;
    }
    ck_assert_int_eq(rows, 3);
    free(links);
    /* deterministic */
    ck_assert_dlsim_exit(0,
                         "--mesh-only --traffic uniform --rate 0.1 --size 4 --cycles 3000 --warmup 300 "
                         "--set chip.width=3 --set chip.height=2 --set deployment.stack_tiles=1 -o %s",
                         dir2);
    cJSON *k = test_read_stats(dir2);
    ck_assert(cJSON_Compare(cJSON_GetObjectItem(j, "config"), cJSON_GetObjectItem(k, "config"), 1));
    ck_assert(cJSON_Compare(cJSON_GetObjectItem(j, "results"), cJSON_GetObjectItem(k, "results"), 1));
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "cmp %s/mesh.dat %s/mesh.dat && cmp %s/links.dat %s/links.dat", dir, dir2, dir, dir2);
    ck_assert_msg(test_run(cmd, test_out, sizeof test_out) == 0, "%s", test_out);
    cJSON_Delete(j);
    cJSON_Delete(k);
    /* --size: one limit, stated the same way whatever is wrong */
    const char *sizes[] = { "0", "127", "lots", "99999999999999999999" };
    for (int i = 0; i < 4; i++) {
        ck_assert_dlsim(2, "expected payload words per message, 1..126",
                        "--mesh-only --traffic uniform --rate 0.1 --size %s --cycles 10 -o %s", sizes[i],
                        dir);
    }
    ck_assert_dlsim_exit(0, "--mesh-only --traffic uniform --rate 0.1 --size 126 --cycles 10 -o %s", dir);
}
END_TEST

/* make mesh-sweep on a tiny sweep: one mesh.dat row per rate, in order, in
 * latency.dat; both plots drawn. */
START_TEST(mesh_sweep_target)
{
    const char *out = test_temp_dir();
    char cmd[1024], path[600];
    snprintf(cmd, sizeof cmd, "make -s -o %s/dlsim BUILD=%s mesh-sweep MESH_RATES='0.05 0.2' "
             "MESH_HEATMAP_RATE=0.2 MESH_CYCLES=2000 MESH_WARMUP=200 MESH_SWEEP_OUT=%s 2>&1",
             test_build_dir(), test_build_dir(), out);
    static char mout[65536];
    ck_assert_msg(test_run(cmd, mout, sizeof mout) == 0, "%s", mout);
    snprintf(path, sizeof path, "%s/latency.dat", out);
    char *dat = test_read_file(path);
    ck_assert_ptr_nonnull(dat);
    double r1, r2, o1, o2;
    char *second = strchr(dat, '\n');
    ck_assert_ptr_nonnull(second);
    ck_assert_int_eq(sscanf(dat, "%lf %lf", &r1, &o1), 2);
    ck_assert_int_eq(sscanf(second + 1, "%lf %lf", &r2, &o2), 2);
    ck_assert_double_eq(r1, 0.05);
    ck_assert_double_eq(r2, 0.2);
    ck_assert(o1 < o2);
    ck_assert_ptr_null(strchr(second + 1, '\n') ? strchr(strchr(second + 1, '\n') + 1, '\n') : NULL);
    free(dat);
    snprintf(path, sizeof path, "%s/r0.2/stats.json", out);
    ck_assert_int_eq(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/mesh_latency.png", out);
    ck_assert_int_eq(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/mesh_heatmap_links.png", out);
    ck_assert_int_eq(access(path, R_OK), 0);
    /* a heatmap rate outside the sweep is refused */
    snprintf(cmd, sizeof cmd, "make -s -o %s/dlsim BUILD=%s mesh-sweep MESH_RATES=0.05 MESH_HEATMAP_RATE=0.3 "
             "MESH_SWEEP_OUT=%s 2>&1", test_build_dir(), test_build_dir(), out);
    ck_assert_int_ne(test_run(cmd, mout, sizeof mout), 0);
    ck_assert_msg(strstr(mout, "not one of MESH_RATES") != NULL, "%s", mout);
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
    tcase_add_test(t, firmware_per_role);
    tcase_add_test(t, firmware_per_tile);
    tcase_add_test(t, config_given_twice_refused);
    tcase_add_test(t, output_naming_a_file_exit_2);
    tcase_add_test(t, config_records_mode);
    tcase_add_test(t, tile_failures_exit_1);
    tcase_add_test(t, mesh_only_outputs);
    tcase_add_test(t, mesh_sweep_target);
    suite_add_tcase(s, t);
    return s;
}
