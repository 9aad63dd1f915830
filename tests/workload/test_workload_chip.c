/* test_workload_chip.c - the [workload] section on the chip and without it:
 * a web workload on DLibOS (tests/httpd/dlibos_2x2.ini) with a warm-up: the
 * answers in it not counted, the per-type results adding up to the total
 * with ordered percentiles, OUT/latency_hist.dat holding each type's
 * counted answers, the throughput per port; dlsim --workload-pcap writing
 * the requests the run sends (the same requests per client, in the same
 * order, read back with the trace library), at the open-loop rate; ETC on
 * DLibOS's memcached and as a pcap; bad
 * workload keys and options refused with exit 2. */
#include <check.h>
#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "trace.h"

static double num(cJSON *j, const char *path) { return test_json_at(j, path)->valuedouble; }

#define HTTPD "-c tests/httpd/dlibos_2x2.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf " \
              "--set deployment.app_firmware=%s/fw/dlibos_httpd.elf "

/* Per type of latency_hist.dat in dir: the sum of its counts, in *sum
 * (types in file order, at most 8); returns the number of types. */
static int hist_sums(const char *dir, char names[8][32], double sum[8])
{
    char path[512];
    snprintf(path, sizeof path, "%s/latency_hist.dat", dir);
    char *text = test_read_file(path);
    ck_assert_ptr_nonnull(text);
    int n = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char type[32];
        unsigned long long bucket, count;
        if (line[0] == '#') continue;
        ck_assert_msg(sscanf(line, "%31s %llu %llu", type, &bucket, &count) == 3, "bad line '%s'", line);
        if (!n || strcmp(names[n - 1], type)) {
            ck_assert_int_lt(n, 8);
            snprintf(names[n], 32, "%s", type);
            sum[n++] = 0;
        }
        sum[n - 1] += (double)count;
    }
    free(text);
    return n;
}

/* 8 connections x 20 GETs, a warm-up of 100 us from the hosts' start: some
 * answers fall in it and are not counted; the types add up. */
START_TEST(warmup_and_types_on_the_chip)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim_exit(0, HTTPD "--set workload.warmup_us=100 --progress -o %s", test_build_dir(), test_build_dir(),
                         dir);
    ck_assert_out_has("answers in it not counted");
    ck_assert_out_has(" 160 requests  ");   /* the progress line's last: every answer, warm-up included */
    ck_assert_out_has("GET:/16k");
    cJSON *j = test_read_stats(dir);
    double issued = num(j, "results.clients.requests_issued"), done = num(j, "results.clients.requests_completed");
    double warm = num(j, "results.clients.requests_warmup");
    ck_assert_double_eq(issued, 160);
    ck_assert_double_eq(num(j, "results.clients.errors.total"), 0);
    ck_assert_double_gt(warm, 0);
    ck_assert_double_gt(done, 100);
    ck_assert_double_eq(done + warm, issued);
    ck_assert_double_eq(num(j, "results.clients.warmup_ns"), 100000);
    /* the types: each counted answer once, percentiles ordered */
    cJSON *types = test_json_at(j, "results.clients.types"), *t;
    double sum = 0;
    int ntypes = 0;
    cJSON_ArrayForEach(t, types)
    {
        const char *q[] = { "p50", "p90", "p99", "p99_9", "max" };
        cJSON *l = cJSON_GetObjectItem(t, "latency_ns");
        for (int i = 1; i < 5; i++)
            ck_assert_double_le(cJSON_GetObjectItem(l, q[i - 1])->valuedouble, cJSON_GetObjectItem(l, q[i])->valuedouble);
        ck_assert_double_le(cJSON_GetObjectItem(l, "max")->valuedouble, num(j, "results.clients.latency_ns.max"));
        ck_assert_double_gt(cJSON_GetObjectItem(l, "p50")->valuedouble, 0);
        sum += cJSON_GetObjectItem(t, "requests_completed")->valuedouble;
        ntypes++;
    }
    ck_assert_int_eq(ntypes, 4);
    ck_assert_double_eq(sum, done);
    /* the histograms: a block per type, its counts the type's answers */
    char names[8][32];
    double hs[8];
    int n = hist_sums(dir, names, hs);
    ck_assert_int_eq(n, 4);
    for (int i = 0; i < n; i++) {
        cJSON *ty = cJSON_GetObjectItemCaseSensitive(types, names[i]);
        ck_assert_msg(ty != NULL, "type %s of latency_hist.dat not in stats.json", names[i]);
        ck_assert_double_eq(hs[i], cJSON_GetObjectItem(ty, "requests_completed")->valuedouble);
    }
    /* throughput: the port's requests are all of them; Gb/s is bytes over the window */
    cJSON *port0 = cJSON_GetArrayItem(test_json_at(j, "results.clients.throughput.ports"), 0);
    ck_assert_double_eq(cJSON_GetObjectItem(port0, "requests_completed")->valuedouble, done);
    double w = num(j, "results.clients.window_ns");
    double gbps = (num(j, "results.clients.bytes_sent") + num(j, "results.clients.bytes_answered")) * 8 / w;
    ck_assert_double_eq_tol(num(j, "results.clients.throughput.gbps"), gbps, 1e-9);
    ck_assert_double_eq_tol(cJSON_GetObjectItem(port0, "gbps")->valuedouble, gbps, 1e-9);
    ck_assert_double_eq(num(j, "results.clients.tcp.switch_drops"), 0);
    cJSON_Delete(j);
}
END_TEST

/* The requests of each client (one connection per host) in a capture:
 * their types in order, as one string per client address. */
static int client_requests(const char *pcap, char seq[8][512], uint32_t ip[8])
{
    char err[512];
    struct trace *t = trace_new();
    ck_assert_msg(trace_read_pcap(t, pcap, err, sizeof err) == 0, "%s", err);
    trace_finish(t);
    int n = 0;
    for (size_t i = 0; i < t->ntxns; i++) {
        const struct trace_txn *x = &t->txns[i];
        uint32_t a = t->flows[x->flow].ip[0];
        int k = 0;
        while (k < n && ip[k] != a) k++;
        if (k == n) {
            ck_assert_int_lt(n, 8);
            ip[n] = a;
            seq[n++][0] = 0;
        }
        strncat(seq[k], t->types[x->type], 511 - strlen(seq[k]));
        strncat(seq[k], ";", 511 - strlen(seq[k]));
    }
    trace_free(t);
    return n;
}

/* --workload-pcap writes what the run sends: every client's requests, the
 * same documents in the same order as the run's wire.pcap shows. */
START_TEST(workload_pcap_matches_the_run)
{
    const char *dir = test_temp_dir();
    const char *mix = "--set clients.conns_per_host=1 --set clients.requests=12 "
                      "--set workload.web_paths=/64,/1k,/16k,/index.html --set workload.web_popularity=zipf";
    ck_assert_dlsim_exit(0, HTTPD "%s -o %s", test_build_dir(), test_build_dir(), mix, dir);
    char pcap[512], wire[512];
    snprintf(pcap, sizeof pcap, "%s/workload.pcap", dir);
    snprintf(wire, sizeof wire, "%s/wire.pcap", dir);
    ck_assert_dlsim(0, "48 requests of 4 connections written", HTTPD "%s --workload-pcap %s", test_build_dir(),
                    test_build_dir(), mix, pcap);
    char a[8][512], b[8][512];
    uint32_t ia[8], ib[8];
    int na = client_requests(pcap, a, ia), nb = client_requests(wire, b, ib);
    ck_assert_int_eq(na, 4);
    ck_assert_int_eq(nb, 4);
    for (int i = 0; i < na; i++) {
        int k = 0;
        while (k < nb && ib[k] != ia[i]) k++;
        ck_assert_int_lt(k, nb);
        ck_assert_str_eq(a[i], b[k]);
        ck_assert_ptr_nonnull(strstr(a[i], "GET /64;"));   /* the most popular, surely drawn */
    }
}
END_TEST

/* Open loop: the file's requests come at the rate, over the duration, and
 * tcpdump reads it. */
START_TEST(workload_pcap_open_loop_rate)
{
    const char *dir = test_temp_dir();
    char pcap[512], err[512];
    snprintf(pcap, sizeof pcap, "%s/w.pcap", dir);
    ck_assert_dlsim(0, "connections written", "-c tests/dlibos/echo_2x2.ini --set workload.loop=open "
                    "--set workload.rate=1e6 --set clients.duration_us=4000 --set clients.requests=0 "
                    "--workload-pcap %s", pcap);
    struct trace *t = trace_new();
    ck_assert_msg(trace_read_pcap(t, pcap, err, sizeof err) == 0, "%s", err);
    trace_finish(t);
    ck_assert_int_eq(t->nflows, 8);
    ck_assert_int_eq(t->nissues, 0);
    ck_assert_msg(fabs((double)t->ntxns - 4000) < 4 * sqrt(4000.0), "%zu requests, expected about 4000", t->ntxns);
    for (size_t i = 0; i < t->ntxns; i++) {
        ck_assert_uint_eq(t->txns[i].req_bytes, 64);
        ck_assert_str_eq(t->types[t->txns[i].type], "echo");
        ck_assert_int_ge(t->txns[i].req_ns, 600000);
        ck_assert_int_lt(t->txns[i].req_ns, 4600000);
    }
    trace_free(t);
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "tcpdump -nr %s 2>&1 | tail -1", pcap);
    if (test_run("command -v tcpdump >/dev/null", out, sizeof out) == 0) {
        ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
        ck_assert_msg(strstr(out, "10.0.0.1.7: Flags [P.]") != NULL, "tcpdump: %s", out);
    }
}
END_TEST

/* ETC on DLibOS's memcached: every answer checked right, the types
 * get_hit, get_miss and set adding up, hits and misses per key; and
 * --workload-pcap writes the same gets and sets (the same keys, read back
 * as memcached by the trace library). */
START_TEST(etc_on_the_chip_and_as_a_pcap)
{
    const char *dir = test_temp_dir();
    const char *etc = "--set workload.kind=etc --set workload.etc_keys=300 --set clients.requests=60";
    ck_assert_dlsim_exit(0, "-c tests/memcached/dlibos_2x2.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                         "--set deployment.app_firmware=%s/fw/dlibos_memcached.elf %s -o %s",
                         test_build_dir(), test_build_dir(), etc, dir);
    cJSON *j = test_read_stats(dir);
    ck_assert_str_eq(test_json_at(j, "results.clients.kind")->valuestring, "etc");
    ck_assert_double_eq(num(j, "results.clients.requests_completed"), 480);
    ck_assert_double_eq(num(j, "results.clients.errors.total"), 0);
    double hit = num(j, "results.clients.types.get_hit.requests_completed");
    double miss = num(j, "results.clients.types.get_miss.requests_completed");
    double set = num(j, "results.clients.types.set.requests_completed");
    ck_assert_double_eq(hit + miss + set, 480);
    ck_assert_double_eq(hit + miss, num(j, "results.clients.memcached.gets"));
    ck_assert_double_eq(set, num(j, "results.clients.memcached.sets"));
    ck_assert_double_eq(hit, num(j, "results.clients.memcached.hits"));
    ck_assert_double_gt(hit, 0);   /* Zipf keys: the popular ones are set early */
    cJSON_Delete(j);
    char pcap[512], wire[512];
    snprintf(pcap, sizeof pcap, "%s/etc.pcap", dir);
    snprintf(wire, sizeof wire, "%s/wire.pcap", dir);
    ck_assert_dlsim(0, "480 requests of 8 connections written", "-c tests/memcached/dlibos_2x2.ini %s --workload-pcap %s",
                    etc, pcap);
    uint64_t n[2][2] = { { 0, 0 }, { 0, 0 } };   /* [file][get, set] */
    const char *files[2] = { pcap, wire };
    char err[512];
    for (int f = 0; f < 2; f++) {
        struct trace *t = trace_new();
        ck_assert_msg(trace_read_pcap(t, files[f], err, sizeof err) == 0, "%s", err);
        trace_finish(t);
        for (size_t i = 0; i < t->ntxns; i++) {
            const char *ty = t->types[t->txns[i].type];
            n[f][0] += !strcmp(ty, "get");
            n[f][1] += !strcmp(ty, "set");
        }
        trace_free(t);
    }
    ck_assert_uint_eq(n[0][0] + n[0][1], 480);
    ck_assert_uint_eq(n[0][0], n[1][0]);
    ck_assert_uint_eq(n[0][1], n[1][1]);
}
END_TEST

/* Two ETC runs in open loop with a warm-up: the same results, wire.pcap
 * and latency_hist.dat, byte for byte; the pcap written twice the same. */
START_TEST(etc_open_loop_runs_identical)
{
    const char *etc = "--set workload.kind=etc --set workload.etc_keys=500 --set workload.loop=open "
                      "--set workload.rate=200000 --set clients.requests=0 --set clients.duration_us=600 "
                      "--set workload.warmup_us=100";
    char d[2][512];
    for (int i = 0; i < 2; i++) {
        snprintf(d[i], sizeof d[i], "%s", test_temp_dir());
        ck_assert_dlsim_exit(0, "-c tests/memcached/dlibos_2x2.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                             "--set deployment.app_firmware=%s/fw/dlibos_memcached.elf %s -o %s",
                             test_build_dir(), test_build_dir(), etc, d[i]);
        char p[1100];
        snprintf(p, sizeof p, "%s/w.pcap", d[i]);
        ck_assert_dlsim_exit(0, "-c tests/memcached/dlibos_2x2.ini %s --workload-pcap %s", etc, p);
    }
    test_same_run_outputs(d[0], d[1]);
    cJSON *j = test_read_stats(d[0]);
    ck_assert_double_gt(num(j, "results.clients.requests_completed"), 60);
    ck_assert_double_eq(num(j, "results.clients.errors.total"), 0);
    cJSON_Delete(j);
    for (const char *name = "latency_hist.dat"; name; name = strcmp(name, "w.pcap") ? "w.pcap" : NULL) {
        char pa[1100], pb[1100];
        size_t la, lb;
        snprintf(pa, sizeof pa, "%s/%s", d[0], name);
        snprintf(pb, sizeof pb, "%s/%s", d[1], name);
        char *x = test_read_bytes(pa, &la), *y = test_read_bytes(pb, &lb);
        ck_assert_ptr_nonnull(x);
        ck_assert_ptr_nonnull(y);
        ck_assert_msg(la == lb && memcmp(x, y, la) == 0, "%s differs", name);
        ck_assert_uint_gt(la, 100);
        free(x);
        free(y);
    }
}
END_TEST

START_TEST(bad_workload_keys)
{
    ck_assert_dlsim(2, "workload.kind = 'ftp': expected one of echo|web|memcached|etc",
                    "-c tests/dlibos/echo_2x2.ini --set workload.kind=ftp -o %s", test_temp_dir());
    ck_assert_dlsim(2, "unknown key 'driver' in section [clients]; it is now workload.kind",
                    "-c tests/dlibos/echo_2x2.ini --set clients.driver=http -o %s", test_temp_dir());
    ck_assert_dlsim(2, "unknown key 'msg_bytes' in section [clients]; it is now workload.echo_bytes",
                    "-c tests/dlibos/echo_2x2.ini --set clients.msg_bytes=100 -o %s", test_temp_dir());
    ck_assert_dlsim(2, "workload.loop = open needs workload.rate above 0",
                    "-c tests/dlibos/echo_2x2.ini --set workload.loop=open -o %s", test_temp_dir());
    ck_assert_dlsim(2, "workload.warmup_us = -1 is out of range", "-c tests/dlibos/echo_2x2.ini --set workload.warmup_us=-1 -o %s",
                    test_temp_dir());
    ck_assert_dlsim(2, "workload.web_paths: '/64*3': a weight, but workload.web_popularity = zipf",
                    "-c tests/httpd/dlibos_2x2.ini --set workload.web_popularity=zipf --set workload.web_paths=/64*3,/1k "
                    "-o %s", test_temp_dir());
    ck_assert_dlsim(2, "a closed loop without think times (workload.think_us = 0) and without clients.requests",
                    "-c tests/dlibos/echo_2x2.ini --set clients.requests=0 --set clients.duration_us=100 "
                    "--workload-pcap %s/x.pcap", test_temp_dir());
    ck_assert_dlsim(2, "--workload-pcap runs no chip", "--elf x.elf --workload-pcap %s/x.pcap", test_temp_dir());
    ck_assert_dlsim(2, "there is no client", "--workload-pcap %s/x.pcap", test_temp_dir());
    ck_assert_dlsim(2, "unknown key 'mc_keys' in section [clients]; it is now workload.mc_keys",
                    "-c tests/dlibos/echo_2x2.ini --set clients.mc_keys=10 -o %s", test_temp_dir());
    ck_assert_dlsim(2, "workload.etc_value_max = 10 is out of range",
                    "-c tests/dlibos/echo_2x2.ini --set workload.etc_value_max=10 -o %s", test_temp_dir());
    ck_assert_dlsim(2, "/nodir/x.pcap: cannot write", "-c tests/dlibos/echo_2x2.ini --workload-pcap /nodir/x.pcap");
}
END_TEST

Suite *workload_chip_suite(void)
{
    Suite *s = suite_create("workload_chip");
    TCase *tc = tcase_create("chip");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, warmup_and_types_on_the_chip);
    tcase_add_test(tc, workload_pcap_matches_the_run);
    tcase_add_test(tc, workload_pcap_open_loop_rate);
    tcase_add_test(tc, etc_on_the_chip_and_as_a_pcap);
    tcase_add_test(tc, etc_open_loop_runs_identical);
    tcase_add_test(tc, bad_workload_keys);
    suite_add_tcase(s, tc);
    return s;
}
