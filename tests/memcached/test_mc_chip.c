/* test_mc_chip.c - memcached on the chip, both deployments
 * (tests/memcached/dlibos_2x2.ini: the server on the dlibos app tiles;
 * tests/memcached/baseline_2x2.ini: beside the stack on every baseline tile),
 * driven by the client hosts' memcached driver: gets and sets for a while,
 * every answer checked by the hosts (values are a function of key and
 * version), nothing lost; large values (beyond a connection's send window)
 * and multigets; an open loop; two runs
 * identical; a bad deployment.app_args named; the server's error lines
 * counted as such; the driver's checks failing against a server that
 * does not speak memcached (the echo); and the store's lock, served in
 * order with every tile contending (mc_lock_fair.c). */
#include <check.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static double num(cJSON *j, const char *path) { return test_json_at(j, path)->valuedouble; }

/* Runs a deployment with this build's images; returns the folder. */
static const char *mc_run(int baseline, const char *extra)
{
    const char *dir = test_temp_dir();
    char args[1024];
    if (baseline)
        snprintf(args, sizeof args, "-c tests/memcached/baseline_2x2.ini --set deployment.firmware=%s/fw/baseline_memcached.elf "
                 "%s -o %s", test_build_dir(), extra, dir);
    else
        snprintf(args, sizeof args, "-c tests/memcached/dlibos_2x2.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                 "--set deployment.app_firmware=%s/fw/dlibos_memcached.elf %s -o %s", test_build_dir(), test_build_dir(),
                 extra, dir);
    ck_assert_msg(test_dlsim_run(args) == 0, "%s", test_out);
    return dir;
}

/* Every request of every connection answered and checked, nothing failed;
 * gets found values (hits) and sets were made. */
static void check_clients(const char *dir, double per_conn)
{
    cJSON *j = test_read_stats(dir);
    ck_assert(cJSON_IsTrue(test_json_at(j, "results.clients.done")));
    double conns = num(j, "results.clients.connections");
    ck_assert_double_eq(num(j, "results.clients.connected"), conns);
    if (per_conn > 0) ck_assert_double_eq(num(j, "results.clients.requests_issued"), conns * per_conn);
    ck_assert_double_eq(num(j, "results.clients.requests_completed"), num(j, "results.clients.requests_issued"));
    cJSON *e;
    cJSON_ArrayForEach(e, test_json_at(j, "results.clients.errors"))
        ck_assert_msg(e->valuedouble == 0, "clients.errors.%s = %g\n%s", e->string, e->valuedouble, test_out);
    double gets = num(j, "results.clients.memcached.gets"), sets = num(j, "results.clients.memcached.sets");
    ck_assert_double_eq(gets + sets, num(j, "results.clients.requests_issued"));
    ck_assert_double_gt(sets, 0);
    ck_assert_double_gt(num(j, "results.clients.memcached.hits"), 0);
    cJSON_Delete(j);
}

/* Values of 3000 bytes (several TCP segments, beyond the server's reply
 * buffer) and gets of 4 keys over 16 keys: many hits. */
static const char LARGE[] = "--set workload.mc_value_bytes=3000 --set workload.mc_multiget=4 --set workload.mc_keys=16 "
                            "--set workload.mc_get_ratio=0.5 --set clients.requests=30";
/* Values of 200 KB: more than the 64 KiB a connection may have
 * unacknowledged, sent in pieces from the item as the client acknowledges. */
static const char HUGE[] = "--set workload.mc_value_bytes=200000 --set workload.mc_keys=2 --set workload.mc_get_ratio=0.5 "
                           "--set clients.requests=6 --set clients.timeout_us=50000";

/* Each workload in both deployments: the configuration's (40 requests per
 * connection), LARGE, HUGE. */
static const struct { const char *args; double per_conn; } WORKLOADS[] = { { "", 40 }, { LARGE, 30 }, { HUGE, 6 } };

START_TEST(gets_and_sets_checked)
{
    int baseline = _i & 1;
    const char *dir = mc_run(baseline, WORKLOADS[_i / 2].args);
    ck_assert_out_has(baseline ? "baseline tile 0: serving" : "memcached app 0: serving");
    ck_assert_out_has("ended by the clients done");
    check_clients(dir, WORKLOADS[_i / 2].per_conn);
}
END_TEST

/* Open loop for 400 us: whatever was issued was answered. */
START_TEST(dlibos_open_loop)
{
    const char *dir = mc_run(0, "--set workload.loop=open --set workload.rate=400000 --set clients.requests=0 "
                                "--set clients.duration_us=400 --set clients.timeout_us=2000");
    cJSON *j = test_read_stats(dir);
    ck_assert_double_gt(num(j, "results.clients.requests_completed"), 80);
    ck_assert_double_eq(num(j, "results.clients.errors.total"), 0);
    cJSON_Delete(j);
}
END_TEST

static void check_identical(int baseline)
{
    char a[512], b[512];
    snprintf(a, sizeof a, "%s", mc_run(baseline, LARGE));
    snprintf(b, sizeof b, "%s", mc_run(baseline, LARGE));
    cJSON *ja = test_read_stats(a), *jb = test_read_stats(b);
    ck_assert(cJSON_Compare(test_json_at(ja, "results"), test_json_at(jb, "results"), 1));
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    char pa[600], pb[600];
    size_t la, lb;
    snprintf(pa, sizeof pa, "%s/wire.pcap", a);
    snprintf(pb, sizeof pb, "%s/wire.pcap", b);
    char *x = test_read_bytes(pa, &la), *y = test_read_bytes(pb, &lb);
    ck_assert(x && y && la == lb && memcmp(x, y, la) == 0);
    free(x);
    free(y);
}

START_TEST(dlibos_two_runs_identical)
{
    check_identical(0);
}
END_TEST

START_TEST(baseline_two_runs_identical)
{
    check_identical(1);
}
END_TEST

START_TEST(bad_app_args_are_named)
{
    ck_assert_dlsim(2, "memcached app: deployment.app_args: unknown key 'memory'",
                    "-c tests/memcached/dlibos_2x2.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                    "--set deployment.app_firmware=%s/fw/dlibos_memcached.elf --set deployment.app_args=memory=64 "
                    "--set clients.hosts_per_port=0 --set run.time_us=300 -o %s",
                    test_build_dir(), test_build_dir(), test_temp_dir());
    ck_assert_dlsim(2, "baseline tile 0: deployment.app_args: mem_mb = 'x': expected",
                    "-c tests/memcached/baseline_2x2.ini --set deployment.firmware=%s/fw/baseline_memcached.elf "
                    "--set deployment.app_args=mem_mb=x --set clients.hosts_per_port=0 --set run.time_us=300 -o %s",
                    test_build_dir(), test_temp_dir());
    ck_assert_dlsim(1, "the TX region has 256 KiB, memcached needs 512",
                    "-c tests/memcached/dlibos_2x2.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                    "--set deployment.app_firmware=%s/fw/dlibos_memcached.elf --set mem.tx_kib=256 "
                    "--set clients.hosts_per_port=0 --set run.time_us=300 -o %s",
                    test_build_dir(), test_build_dir(), test_temp_dir());
}
END_TEST

/* Values over the server's item_max: every set is answered
 * "SERVER_ERROR object too large for cache", counted as the server's
 * errors (not verify), and every get misses. */
START_TEST(server_errors_are_counted)
{
    const char *dir = mc_run(0, "--set deployment.app_args=item_max=1024,mem_mb=4 --set workload.mc_value_bytes=2000");
    cJSON *j = test_read_stats(dir);
    double sets = num(j, "results.clients.memcached.sets");
    ck_assert_double_gt(sets, 0);
    ck_assert_double_eq(num(j, "results.clients.errors.server"), sets);
    ck_assert_double_eq(num(j, "results.clients.errors.verify"), 0);
    ck_assert_double_eq(num(j, "results.clients.memcached.hits"), 0);
    ck_assert_double_eq(num(j, "results.clients.requests_completed"), num(j, "results.clients.memcached.gets"));
    cJSON_Delete(j);
}
END_TEST

/* The driver against the echo: every answer is the request again, not a
 * memcached reply: counted as errors, none as completed. */
START_TEST(driver_checks_fail_against_the_echo)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim_exit(0, "-c tests/dlibos/echo_2x2.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                         "--set deployment.app_firmware=%s/fw/dlibos_echo.elf --set workload.kind=memcached "
                         "--set clients.timeout_us=300 -o %s", test_build_dir(), test_build_dir(), dir);
    cJSON *j = test_read_stats(dir);
    ck_assert_double_eq(num(j, "results.clients.requests_completed"), 0);
    ck_assert_double_gt(num(j, "results.clients.errors.verify"), 0);
    cJSON_Delete(j);
}
END_TEST

/* The store's lock with every tile contending (mc_lock_fair.c), on the
 * 2 x 2 and the 6 x 6 chip: it lets one in at a time (the count is exact)
 * and in order: while a tile waits, each other tile takes it once at most
 * (plus one that was taking it as the tile asked). The test-and-set lock
 * it replaced let the tile that released it, or the tiles nearest the
 * line's home, take it again and again (2 x 2: a tile overtaken 103 times;
 * 6 x 6: 2652 times; on the TILE-Gx36 memcached's farthest tiles waited for
 * it beyond the clients' 10 ms timeout). */
START_TEST(store_lock_serves_in_order)
{
    unsigned side = _i ? 6 : 2, tiles = side * side;
    ck_assert_dlsim_exit(0, "--set chip.width=%u --set chip.height=%u --set deployment.stack_tiles=1 "
                         "--set port.count=1 --set run.cycles=2000000 --set deployment.firmware=%s/fw/mc_lock_fair.elf "
                         "-o %s", side, side, test_build_dir(), test_temp_dir());
    char want[128];
    snprintf(want, sizeof want, "store lock: %u acquisitions, expected %u; most overtaken ", tiles * 100, tiles * 100);
    ck_assert_out_has(want);
    unsigned most = (unsigned)strtoul(strstr(test_out, want) + strlen(want), NULL, 10);
    ck_assert_msg(most <= tiles, "a tile was overtaken %u times by %u other tiles\n%s", most, tiles - 1, test_out);
}
END_TEST

/* The shipped TILE-Gx36 configurations (configs/dlibos_memcached.ini,
 * baseline_memcached.ini; tests/httpd checks they are tilegx36.ini's chip):
 * all 256 / 512 connections served, every answer right, in both. */
START_TEST(shipped_tilegx36_configs_serve)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim_exit(0, "-c configs/dlibos_memcached.ini --set clients.requests=3 -o %s", dir);
    check_clients(dir, 3);
    dir = test_temp_dir();
    ck_assert_dlsim_exit(0, "-c configs/baseline_memcached.ini --set clients.requests=2 -o %s", dir);
    check_clients(dir, 2);
}
END_TEST

Suite *mc_chip_suite(void);
Suite *mc_chip_suite(void)
{
    Suite *s = suite_create("mc_chip");
    TCase *tc = tcase_create("chip");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, gets_and_sets_checked, 0, 2 * (int)(sizeof WORKLOADS / sizeof WORKLOADS[0]));
    tcase_add_test(tc, dlibos_open_loop);
    tcase_add_test(tc, dlibos_two_runs_identical);
    tcase_add_test(tc, baseline_two_runs_identical);
    tcase_add_test(tc, bad_app_args_are_named);
    tcase_add_test(tc, server_errors_are_counted);
    tcase_add_test(tc, driver_checks_fail_against_the_echo);
    tcase_add_test(tc, shipped_tilegx36_configs_serve);
    tcase_add_loop_test(tc, store_lock_serves_in_order, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}
