/* test_httpd.c - the httpd on the chip, both deployments
 * (tests/httpd/dlibos_2x2.ini with build/fw/dlibos_httpd.elf on the app tiles,
 * tests/httpd/baseline_2x2.ini with build/fw/baseline_httpd.elf on every
 * tile), fetched by the client hosts' HTTP driver: many connections, keep-
 * alive and not, pipelined, large documents; every answer checked by the
 * hosts (status line, headers, every body byte) and nothing lost (every
 * request issued answered, no error of any cause); the TILE-Gx36 with its
 * four ports; two runs identical (results and wire.pcap); a bad
 * deployment.app_args refused by the firmware (exit 2 of the tile) and by
 * the clients' plan (exit 2 of dlsim); a short run of the parser's fuzzer;
 * the parser on the tile core (build/fw/parse_loop.elf: instructions per
 * request, printed); the shipped TILE-Gx36 configurations (make run's) are
 * tilegx36.ini's chip and serve every connection. The 2 x 2 chips of most
 * tests: tests/httpd/dlibos_2x2.ini and baseline_2x2.ini. */
#include <check.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "test_util.h"

static double num(cJSON *j, const char *path) { return test_json_at(j, path)->valuedouble; }

/* Runs a configuration with this build's images; returns the folder. */
static const char *run_dlibos_cfg(const char *cfg, const char *extra)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim_exit(0,
                         "-c %s --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                         "--set deployment.app_firmware=%s/fw/dlibos_httpd.elf %s -o %s",
                         cfg, test_build_dir(), test_build_dir(), extra, dir);
    return dir;
}
static const char *run_dlibos(const char *extra) { return run_dlibos_cfg("tests/httpd/dlibos_2x2.ini", extra); }

static const char *run_baseline_cfg(const char *cfg, const char *extra)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim_exit(0, "-c %s --set deployment.firmware=%s/fw/baseline_httpd.elf %s -o %s", cfg,
                         test_build_dir(), extra, dir);
    return dir;
}
static const char *run_baseline(const char *extra) { return run_baseline_cfg("tests/httpd/baseline_2x2.ini", extra); }

/* Every request of every connection answered and checked, no error of any
 * cause (the HTTP driver's too: http_status, http_header, http_body,
 * http_extra). connections: TCP connections expected to open. */
static void check_all_answered(const char *dir, double requests, double connections)
{
    ck_assert_out_has("ended by the clients done");
    ck_assert_msg(!strstr(test_out, "limits reached"), "a limit reached:\n%s", test_out);
    cJSON *j = test_read_stats(dir);
    ck_assert(cJSON_IsTrue(test_json_at(j, "results.clients.done")));
    ck_assert_double_eq(num(j, "results.clients.requests_issued"), requests);
    ck_assert_double_eq(num(j, "results.clients.requests_completed"), requests);
    ck_assert_double_eq(num(j, "results.clients.connected"), connections);
    ck_assert_double_gt(num(j, "results.clients.bytes_answered"), requests * 64);
    ck_assert_double_eq(num(j, "results.clients.errors.http_body"), 0); /* the driver's causes are there */
    cJSON *e;
    cJSON_ArrayForEach(e, test_json_at(j, "results.clients.errors"))
        ck_assert_msg(e->valuedouble == 0, "clients.errors.%s = %g", e->string, e->valuedouble);
    ck_assert_double_eq(num(j, "results.run.tile_failures"), 0);
    cJSON_Delete(j);
}

/* ---- dlibos ---- */

START_TEST(dlibos_keepalive_mix)
{
    const char *dir = run_dlibos("");
    ck_assert_out_has("httpd: 4 documents (21568 bytes) on port 80");
    check_all_answered(dir, 8 * 20, 8);
}
END_TEST

/* Without keep-alive: a connection per request, closed by the server. */
START_TEST(dlibos_one_connection_per_request)
{
    check_all_answered(run_dlibos("--set workload.web_keepalive=off --set clients.requests=10"), 80, 80);
}
END_TEST

/* 8 requests written ahead of their answers on each connection, among them
 * 16 KiB documents (answers in several sends, more than the hosts' window). */
START_TEST(dlibos_pipelined)
{
    check_all_answered(run_dlibos("--set workload.web_pipeline=8 --set workload.web_paths=/16k,/64*3,/1k"), 160, 8);
}
END_TEST

/* HEAD requests and paths that name no document (404, the connection
 * kept) among the GETs, pipelined: each answer as expected. */
START_TEST(dlibos_head_and_not_found)
{
    check_all_answered(run_dlibos("--set workload.web_pipeline=4 "
                                  "--set 'workload.web_paths=/1k,HEAD:/16k,404:/none*2,HEAD:/64,/index.html'"),
                       160, 8);
}
END_TEST

/* Larger documents than the stack's send buffer (64 KiB): the server sends
 * them in parts as the connection's window allows. (The app tile builds
 * them at start-up, ~9 cycles a byte: the clients start later.) */
START_TEST(dlibos_large_documents)
{
    check_all_answered(run_dlibos("--set 'deployment.app_args=docs=/200k:200k,/5:5' --set workload.web_paths=/200k,/5 "
                                  "--set clients.requests=4 --set workload.web_pipeline=2 --set clients.start_us=3000"),
                       32, 8);
}
END_TEST

/* Open loop (Poisson arrivals), a connection per request. */
START_TEST(dlibos_open_loop)
{
    check_all_answered(run_dlibos("--set workload.loop=open --set workload.rate=20000 --set clients.requests=10 "
                                  "--set workload.web_keepalive=off"),
                       80, 80);
}
END_TEST

/* The checks can fail: the echo app on the app tiles answers the HTTP
 * clients (port 7) with their own requests, and every first answer is
 * caught as a wrong status line. */
START_TEST(an_echo_is_no_http_server)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim_exit(0,
                         "-c tests/httpd/dlibos_2x2.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                         "--set deployment.app_firmware=%s/fw/dlibos_echo.elf --set deployment.app_args= "
                         "--set clients.server_port=7 --set clients.requests=2 -o %s",
                         test_build_dir(), test_build_dir(), dir);
    cJSON *j = test_read_stats(dir);
    ck_assert_double_eq(num(j, "results.clients.requests_completed"), 0);
    ck_assert_double_eq(num(j, "results.clients.errors.http_status"), 8);
    ck_assert_double_eq(num(j, "results.clients.errors.total"), 8);
    cJSON_Delete(j);
}
END_TEST

/* The TILE-Gx36: 4 ports x 4 hosts x 4 connections, 6 serving stack tiles. */
#define GX36 "--set workload.kind=web --set clients.server_port=80 --set clients.hosts_per_port=4 " \
             "--set clients.conns_per_host=4 --set clients.requests=10 --set clients.start_us=900"
START_TEST(dlibos_on_the_tilegx36)
{
    const char *dir = run_dlibos_cfg("configs/tilegx36.ini", GX36);
    check_all_answered(dir, 640, 64);
}
END_TEST

START_TEST(dlibos_on_the_tilegx36_without_keepalive)
{
    const char *dir = run_dlibos_cfg("configs/tilegx36.ini", GX36 " --set workload.web_keepalive=off");
    check_all_answered(dir, 640, 640);
}
END_TEST

START_TEST(shipped_configs_are_the_tilegx36)
{
    test_check_same_chip("configs/dlibos_httpd.ini");
    test_check_same_chip("configs/baseline_httpd.ini");
    test_check_same_chip("configs/dlibos_memcached.ini");   /* served: tests/memcached */
    test_check_same_chip("configs/baseline_memcached.ini");
    check_all_answered(run_dlibos_cfg("configs/dlibos_httpd.ini", "--set clients.requests=2"), 512, 256);
    check_all_answered(run_baseline_cfg("configs/baseline_httpd.ini", "--set clients.requests=1"), 512, 512);
}
END_TEST

/* Two runs: identical results and wire.pcap. */
static void check_identical(const char *(*run)(const char *), const char *extra)
{
    char a[512];
    snprintf(a, sizeof a, "%s", run(extra));
    test_same_run_outputs(a, run(extra));
}

START_TEST(dlibos_two_runs_identical)
{
    check_identical(run_dlibos, "--set workload.web_pipeline=3");
}
END_TEST

/* A bad deployment.app_args: with HTTP clients the plan refuses it (the
 * clients read the documents from it too); without clients the firmware
 * says what is wrong and its tile exits 2. */
START_TEST(bad_app_args)
{
    ck_assert_dlsim(2, "deployment.app_args: docs: document /x is larger than",
                    "-c tests/httpd/dlibos_2x2.ini --set 'deployment.app_args=docs=/x:9m' -o %s", test_temp_dir());
    ck_assert_dlsim(2, "workload.web_paths: '/nothere' is not a document of deployment.app_args",
                    "-c tests/httpd/dlibos_2x2.ini --set workload.web_paths=/64,/nothere -o %s", test_temp_dir());
    ck_assert_dlsim(2, "'404:/64': 404: names a path that is not a document",
                    "-c tests/httpd/dlibos_2x2.ini --set workload.web_paths=404:/64 -o %s", test_temp_dir());
    ck_assert_dlsim(2, "expected [HEAD:|404:]PATH[*WEIGHT] with a weight",
                    "-c tests/httpd/dlibos_2x2.ini --set workload.web_paths=/64*0 -o %s", test_temp_dir());
    ck_assert_dlsim(2, "workload.web_pipeline = 2 needs workload.web_keepalive = on",
                    "-c tests/httpd/dlibos_2x2.ini --set workload.web_pipeline=2 --set workload.web_keepalive=off "
                    "-o %s", test_temp_dir());
    ck_assert_dlsim(2, "httpd: deployment.app_args: unknown setting",
                    "-c tests/httpd/dlibos_2x2.ini --set deployment.app_firmware=%s/fw/dlibos_httpd.elf "
                    "--set 'deployment.app_args=files=/a:1' --set clients.hosts_per_port=0 --set run.time_us=700 "
                    "-o %s", test_build_dir(), test_temp_dir());
    ck_assert_out_has("refused its configuration (exit code 2");
}
END_TEST

/* ---- the baseline ---- */

START_TEST(baseline_keepalive_mix)
{
    check_all_answered(run_baseline(""), 160, 8);
}
END_TEST

START_TEST(baseline_one_connection_per_request)
{
    check_all_answered(run_baseline("--set workload.web_keepalive=off --set clients.requests=10"), 80, 80);
}
END_TEST

START_TEST(baseline_pipelined)
{
    check_all_answered(run_baseline("--set workload.web_pipeline=8 --set workload.web_paths=/16k,/64*3,/1k"), 160,
                       8);
}
END_TEST

START_TEST(baseline_on_the_tilegx36)
{
    const char *dir = run_baseline_cfg("configs/tilegx36.ini", GX36 " --set deployment.mode=baseline "
                                                                   "--set mem.protection=off");
    check_all_answered(dir, 640, 64);
}
END_TEST

START_TEST(baseline_two_runs_identical)
{
    check_identical(run_baseline, "--set workload.web_pipeline=3");
}
END_TEST

/* ---- the parser alone: on the tile core, and its fuzzer ---- */

START_TEST(parser_on_the_tile_core)
{
    ck_assert_dlsim(0, "parse_loop: ", "--elf %s/fw/parse_loop.elf", test_build_dir());
    const char *line = strstr(test_out, "parse_loop: ");
    printf("%.*s\n", (int)strcspn(line, "\n"), line);
}
END_TEST

START_TEST(fuzz_short_run_finds_nothing)
{
    const char *dir = test_temp_dir();
    char cmd[1024], out[256], log[600];
    snprintf(log, sizeof log, "%s/fuzz.log", dir);
    snprintf(cmd, sizeof cmd,
             "%s/http_fuzz -runs=100000 -seed=1 -max_len=4096 -dict=tests/httpd/http.dict -artifact_prefix=%s/ "
             "%s tests/httpd/fuzz_corpus > %s 2>&1", test_build_dir(), dir, dir, log);
    int rc = test_run(cmd, out, sizeof out);
    char *text = test_read_file(log);
    ck_assert_ptr_nonnull(text);
    size_t n = strlen(text);
    ck_assert_msg(rc == 0 && strstr(text, "Done 100000 runs"), "http_fuzz failed (exit %d), see %s:\n%s", rc, log,
                  text + (n > 2000 ? n - 2000 : 0));
    free(text);
}
END_TEST

Suite *httpd_suite(void)
{
    Suite *s = suite_create("httpd");
    TCase *d = tcase_create("dlibos");
    tcase_set_timeout(d, 180);
    tcase_add_test(d, dlibos_keepalive_mix);
    tcase_add_test(d, dlibos_one_connection_per_request);
    tcase_add_test(d, dlibos_pipelined);
    tcase_add_test(d, dlibos_large_documents);
    tcase_add_test(d, dlibos_head_and_not_found);
    tcase_add_test(d, dlibos_open_loop);
    tcase_add_test(d, an_echo_is_no_http_server);
    tcase_add_test(d, dlibos_on_the_tilegx36);
    tcase_add_test(d, dlibos_on_the_tilegx36_without_keepalive);
    tcase_add_test(d, dlibos_two_runs_identical);
    tcase_add_test(d, bad_app_args);
    suite_add_tcase(s, d);
    TCase *b = tcase_create("baseline");
    tcase_set_timeout(b, 180);
    tcase_add_test(b, baseline_keepalive_mix);
    tcase_add_test(b, baseline_one_connection_per_request);
    tcase_add_test(b, baseline_pipelined);
    tcase_add_test(b, baseline_on_the_tilegx36);
    tcase_add_test(b, baseline_two_runs_identical);
    tcase_add_test(b, shipped_configs_are_the_tilegx36);
    suite_add_tcase(s, b);
    TCase *f = tcase_create("fuzz");
    tcase_set_timeout(f, 180);
    tcase_add_test(f, fuzz_short_run_finds_nothing);
    tcase_add_test(f, parser_on_the_tile_core);
    suite_add_tcase(s, f);
    return s;
}
