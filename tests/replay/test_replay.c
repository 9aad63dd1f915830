/* test_replay.c - the clients of real captures replayed against the chip
 * (workload.kind = replay; configs/replay_http.ini, replay_memcached.ini):
 * the shipped HTTP and memcached captures, closed loop and timed (also
 * faster), every answer matching nginx's or memcached's but for the listed
 * exempt fields; a crafted TCP echo capture; two runs identical; a server
 * answering otherwise caught (documents of the wrong size or missing, the
 * echo app answering HTTP, items too large for the simulated memcached);
 * bad captures refused with a clear error and exit 2 (missing, not a pcap,
 * truncated, no TCP, lost client bytes, requests of no known protocol or
 * malformed, no answers at all). */
#include <check.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "trace_craft.h"

static double num(cJSON *j, const char *path) { return test_json_at(j, path)->valuedouble; }

/* results.clients.replay.by_type[type][outcome] (types hold dots). */
static double by_type(cJSON *j, const char *type, const char *outcome)
{
    cJSON *t = cJSON_GetObjectItemCaseSensitive(test_json_at(j, "results.clients.replay.by_type"), type);
    ck_assert_msg(t != NULL, "by_type.%s missing", type);
    return test_json_at(t, outcome)->valuedouble;
}

/* configs/replay_http.ini (or replay_memcached.ini) with this build's
 * images and extra settings. */
static const char *run_replay_of(const char *app, const char *extra)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim_exit(0,
                         "-c configs/replay_%s.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                         "--set deployment.app_firmware=%s/fw/dlibos_%s.elf %s -o %s",
                         !strcmp(app, "httpd") ? "http" : app, test_build_dir(), test_build_dir(), app, extra, dir);
    return dir;
}
static const char *run_replay(const char *extra) { return run_replay_of("httpd", extra); }
static const char *run_replay_mc(const char *extra) { return run_replay_of("memcached", extra); }

/* Every request replayed and matching: none mismatched, unanswered or
 * without the real answer, no extra bytes, no client error; the exempt
 * fields listed in stats.json and the summary. */
static void check_all_match_of(const char *dir, double requests, double connections, const char *exempt,
                               int nexempt)
{
    ck_assert_out_has("ended by the clients done");
    ck_assert_out_has(exempt);
    cJSON *j = test_read_stats(dir);
    ck_assert(cJSON_IsTrue(test_json_at(j, "results.clients.done")));
    ck_assert_double_eq(num(j, "results.clients.replay.requests"), requests);
    ck_assert_double_eq(num(j, "results.clients.replay.requests_replayed"), requests);
    ck_assert_double_eq(num(j, "results.clients.replay.matched"), requests);
    ck_assert_double_eq(num(j, "results.clients.replay.mismatched"), 0);
    ck_assert_double_eq(num(j, "results.clients.replay.unanswered"), 0);
    ck_assert_double_eq(num(j, "results.clients.replay.no_reference"), 0);
    ck_assert_double_eq(num(j, "results.clients.replay.connections_with_extra_bytes"), 0);
    ck_assert_double_eq(num(j, "results.clients.replay.connections"), connections);
    ck_assert_double_eq(num(j, "results.clients.connected"), connections);
    ck_assert_double_eq(num(j, "results.clients.requests_completed"), requests);
    ck_assert_double_eq(num(j, "results.clients.errors.total"), 0);
    ck_assert_int_eq(cJSON_GetArraySize(test_json_at(j, "results.clients.replay.exempt_fields")), nexempt);
    ck_assert_double_eq(num(j, "results.run.tile_failures"), 0);
    cJSON_Delete(j);
}
static void check_all_match(const char *dir, double requests, double connections)
{
    check_all_match_of(dir, requests, connections, "not compared: http: Date, Server, Last-Modified, ETag", 5);
}
static void check_all_match_mc(const char *dir, double requests, double connections)
{
    check_all_match_of(dir, requests, connections, "not compared: memcached: CAS values", 3);
}

/* wrk's three keep-alive connections (one without requests), closed loop. */
START_TEST(http_wrk_closed)
{
    const char *dir = run_replay("");
    check_all_match(dir, 201, 3);
    cJSON *j = test_read_stats(dir);
    ck_assert_double_eq(by_type(j, "GET /16k.html", "matched"), 67);
    /* the workload's results: the kind, the matched answers per request
     * type and per port */
    ck_assert_str_eq(test_json_at(j, "results.clients.kind")->valuestring, "replay");
    ck_assert_str_eq(test_json_at(j, "results.clients.mode")->valuestring, "closed");
    cJSON *t = cJSON_GetObjectItemCaseSensitive(test_json_at(j, "results.clients.types"), "GET /16k.html");
    ck_assert_msg(t != NULL, "results.clients.types has no 'GET /16k.html'");
    ck_assert_double_eq(test_json_at(t, "requests_completed")->valuedouble, 67);
    ck_assert_double_gt(test_json_at(t, "latency_ns.p50")->valuedouble, 0);
    cJSON *p0 = cJSON_GetArrayItem(test_json_at(j, "results.clients.throughput.ports"), 0);
    ck_assert_ptr_nonnull(p0);
    ck_assert_double_eq(test_json_at(p0, "requests_completed")->valuedouble, 201);
    ck_assert_double_gt(test_json_at(p0, "gbps_answered")->valuedouble, 0);
    cJSON_Delete(j);
}
END_TEST

/* ab: HTTP/1.0, a connection per request, two at a time, at the recorded
 * times; wrk at the recorded times 100 times faster (requests pile up). */
START_TEST(http_timed)
{
    check_all_match(run_replay("--set workload.trace=traces/http_ab.pcap --set workload.replay_mode=timed"), 50, 50);
    check_all_match(run_replay("--set workload.replay_mode=timed --set workload.replay_speed=100"), 201, 3);
}
END_TEST

START_TEST(http_deterministic)
{
    const char *a = run_replay("--set workload.trace=traces/http_ab.pcap --set workload.replay_mode=timed");
    const char *b = run_replay("--set workload.trace=traces/http_ab.pcap --set workload.replay_mode=timed");
    test_same_run_outputs(a, b);
    a = run_replay("");
    b = run_replay("");
    test_same_run_outputs(a, b);
}
END_TEST

/* The comparison can fail: /4k.html 4000 bytes long instead of 4096, and
 * /16k.html missing (404 where nginx had it), each reported with its cause. */
START_TEST(wrong_documents_are_mismatches)
{
    const char *dir = run_replay("--set deployment.app_args=docs=/1k.html:1k,/4k.html:4000");
    ck_assert_out_has("201 replayed: 67 matched, 134 mismatched, 0 unanswered");
    ck_assert_out_has("'content-length: 4000' where the real server sent 'content-length: 4096'");
    ck_assert_out_has("status 'HTTP/1.1 404 Not Found' where the real server answered 'HTTP/1.1 200 OK' "
                      "(/16k.html is not a document of deployment.app_args)");
    cJSON *j = test_read_stats(dir);
    ck_assert_double_eq(by_type(j, "GET /4k.html", "mismatched"), 67);
    ck_assert_double_eq(by_type(j, "GET /16k.html", "mismatched"), 67);
    ck_assert_double_eq(by_type(j, "GET /1k.html", "matched"), 67);
    ck_assert_double_eq(num(j, "results.clients.errors.replay_mismatch"), 134);
    ck_assert_int_eq(cJSON_GetArraySize(test_json_at(j, "results.clients.replay.mismatches")), 8);
    cJSON_Delete(j);
}
END_TEST

/* The echo app answering the HTTP clients (port 7): its answers are the
 * requests, no HTTP response: caught, the connection given up. */
START_TEST(echo_app_answering_http_is_caught)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim_exit(0,
                         "-c configs/replay_http.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                         "--set deployment.app_firmware=%s/fw/dlibos_echo.elf --set deployment.app_args= "
                         "--set workload.replay_port=7 "
                         "-o %s",
                         test_build_dir(), test_build_dir(), dir);
    ck_assert_out_has("mismatch: GET /4k.html (connection 1, request 0, frame 13): not an answer of http: "
                      "'GET /4k.html HTTP/1.1\\r\\nHost: 10.77.0.1\\r\\n\\r\\n'");
    cJSON *j = test_read_stats(dir);
    ck_assert_double_eq(num(j, "results.clients.replay.matched"), 0);
    ck_assert_double_eq(num(j, "results.clients.replay.mismatched"), 2);
    ck_assert_double_eq(num(j, "results.clients.replay.unanswered"), 199);
    cJSON_Delete(j);
}
END_TEST

/* ---- memcached (configs/replay_memcached.ini) ---- */

/* etc_client.py's one connection (gets, misses each followed by a set),
 * at the recorded times (235 ms) and closed loop. */
START_TEST(memcached_etc)
{
    check_all_match_mc(run_replay_mc(""), 582, 1);
    const char *dir = run_replay_mc("--set workload.replay_mode=closed");
    check_all_match_mc(dir, 582, 1);
    cJSON *j = test_read_stats(dir);
    ck_assert_double_eq(by_type(j, "get", "matched"), 387);
    ck_assert_double_eq(by_type(j, "set", "matched"), 195);
    cJSON_Delete(j);
}
END_TEST

/* memslap: sets of ~2.9 KB values on one connection, gets of them on two
 * others, each ending with quit (no reply owed), 10 times faster; twice,
 * identical. */
START_TEST(memcached_memslap_timed_deterministic)
{
    const char *a = run_replay_mc("--set workload.trace=traces/memcached_memslap.pcap --set workload.replay_speed=10");
    check_all_match_mc(a, 302, 3);
    cJSON *j = test_read_stats(a);
    ck_assert_double_eq(by_type(j, "quit", "matched"), 2);
    cJSON_Delete(j);
    const char *b = run_replay_mc("--set workload.trace=traces/memcached_memslap.pcap --set workload.replay_speed=10");
    test_same_run_outputs(a, b);
}
END_TEST

/* Items above 2 KiB refused by the simulated server: its SERVER_ERROR where
 * memcached stored, and the misses of the gets after, are mismatches. */
START_TEST(memcached_small_items_are_mismatches)
{
    const char *dir = run_replay_mc("--set workload.trace=traces/memcached_memslap.pcap --set workload.replay_speed=10 "
                                    "--set deployment.app_args=mem_mb=64,item_max=2048");
    ck_assert_out_has("mismatch: set (connection 0, request 0, frame 4): answer 'SERVER_ERROR object too large for "
                      "cache\\r\\n' where the real server answered 'STORED\\r\\n'");
    cJSON *j = test_read_stats(dir);
    ck_assert_double_gt(by_type(j, "set", "mismatched"), 0);
    ck_assert_double_gt(by_type(j, "get", "mismatched"), 0);
    ck_assert_double_eq(num(j, "results.clients.replay.mismatched"), num(j, "results.clients.errors.replay_mismatch"));
    cJSON_Delete(j);
}
END_TEST

/* A crafted TCP echo capture (port 7: three requests, the third in two
 * segments, each echoed) replayed against the DLibOS echo app, timed:
 * every answer byte for byte; one answer of the capture spoilt: caught. */
static const char *echo_capture(const char *third_answer)
{
    const char *path = test_write_temp("");
    FILE *f = craft_pcap_open(path);
    ck_assert_ptr_nonnull(f);
    struct craft c;
    craft_init(&c, NULL, f, 40000, 7, 100, 900);
    craft_handshake(&c, 0);
    const char *req[] = { "first request", "second", "third " };
    for (int i = 0; i < 3; i++) {
        craft_send(&c, 0, 10000 + i * 20000, req[i], strlen(req[i]));
        if (i == 2) craft_send(&c, 0, 52000, "part", 4);
        const char *a = i == 2 ? third_answer : req[i];
        craft_send(&c, 1, 15000 + i * 20000 + (i == 2 ? 40000 : 0), a, strlen(a));
    }
    fclose(f);
    return path;
}

START_TEST(echo_timed)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim_exit(0,
                         "-c configs/replay_http.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                         "--set deployment.app_firmware=%s/fw/dlibos_echo.elf --set deployment.app_args= "
                         "--set workload.trace=%s --set workload.replay_mode=timed -o %s",
                         test_build_dir(), test_build_dir(), echo_capture("third part"), dir);
    ck_assert_out_has("4 requests in 1 connections, 4 replayed: 4 matched, 0 mismatched");
    ck_assert_msg(!strstr(test_out, "not compared"), "echo has no exempt field:\n%s", test_out);
    cJSON *j = test_read_stats(dir);
    ck_assert_int_eq(cJSON_GetArraySize(test_json_at(j, "results.clients.replay.exempt_fields")), 0);
    cJSON_Delete(j);
    ck_assert_dlsim_exit(0,
                         "-c configs/replay_http.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                         "--set deployment.app_firmware=%s/fw/dlibos_echo.elf --set deployment.app_args= "
                         "--set workload.trace=%s --set workload.replay_mode=timed -o %s",
                         test_build_dir(), test_build_dir(), echo_capture("third PART"), test_temp_dir());
    ck_assert_out_has("3 matched, 1 mismatched");
    ck_assert_out_has("mismatch: echo (connection 0, request 3, frame 9): answer 'part' where the real server "
                      "answered 'PART' (byte 0)");
}
END_TEST

/* ---- bad captures: exit 2 before the run, naming the file and the fault ---- */

static void refused(const char *file, const char *text)
{
    ck_assert_dlsim(2, text, "-c configs/replay_http.ini --set workload.trace=%s -o %s", file, test_temp_dir());
    ck_assert_out_has("workload.trace (set at --set workload.trace=");
}

/* A crafted capture: one conversation (client bytes, server bytes). */
static const char *crafted(uint16_t port, const char *req, const char *resp)
{
    const char *path = test_write_temp("");
    FILE *f = craft_pcap_open(path);
    ck_assert_ptr_nonnull(f);
    struct craft c;
    craft_init(&c, NULL, f, 40000, port, 100, 900);
    craft_handshake(&c, 0);
    craft_send(&c, 0, 10000, req, strlen(req));
    if (*resp) craft_send(&c, 1, 20000, resp, strlen(resp));
    fclose(f);
    return path;
}

START_TEST(bad_captures)
{
    refused("/nonexistent/x.pcap", "/nonexistent/x.pcap: cannot open: No such file or directory");
    refused("configs/tiny.ini", "configs/tiny.ini: not a pcap file");
    char *all;
    size_t n;
    all = test_read_bytes("traces/http_wrk.pcap", &n);
    ck_assert_ptr_nonnull(all);
    refused(test_write_temp_bytes(all, 100000), "truncated or corrupt after frame 118");
    free(all);
    /* UDP only (the frames of traces/echo.pcap that are not TCP) */
    const char *udp = test_write_temp("");
    FILE *f = craft_pcap_open(udp);
    uint8_t fr[60] = { 0 };
    fr[12] = 0x08;
    fr[14] = 0x45;
    fr[17] = 46;
    fr[22] = 64;
    fr[23] = 17;
    craft_pcap_frame(f, 0, fr, sizeof fr);
    fclose(f);
    refused(udp, "no TCP connection to replay (1 frames, 0 of them TCP; UDP (not matched) (1))");
    refused("traces/echo.pcap", "the clients' bytes are incomplete: 121864 bytes missing in 8 connection(s)");
    refused(crafted(9999, "HELLO there\r\n", "hi\r\n"),
            "1 connection(s) hold 13 client bytes that are no request the replay understands");
    refused(crafted(80, "GET / HTTX/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n"), "1 malformed or unknown request(s)");
    refused(crafted(80, "GET / HTTP/1.1\r\n\r\n", ""), "the capture holds none of the server's answers to its 1");
    ck_assert_dlsim(2, "workload.kind = replay needs workload.trace = FILE",
                    "-c configs/replay_http.ini --set workload.trace= -o %s", test_temp_dir());
    ck_assert_dlsim(2, "is set but workload.kind is not replay",
                    "-c configs/replay_http.ini --set workload.kind=web -o %s", test_temp_dir());
    /* the keys of [clients] it had before: refused with their new name */
    ck_assert_dlsim(2, "unknown key 'replay' in section [clients]; it is now workload.trace",
                    "-c configs/replay_http.ini --set clients.replay=traces/http_ab.pcap -o %s", test_temp_dir());
    ck_assert_dlsim(2, "unknown key 'replay_mode' in section [clients]; it is now workload.replay_mode",
                    "-c configs/replay_http.ini --set clients.replay_mode=timed -o %s", test_temp_dir());
    ck_assert_dlsim(2, "unknown key 'replay_speed' in section [clients]; it is now workload.replay_speed",
                    "-c configs/replay_http.ini --set clients.replay_speed=2 -o %s", test_temp_dir());
    ck_assert_dlsim(2, "unknown key 'replay_port' in section [clients]; it is now workload.replay_port",
                    "-c configs/replay_http.ini --set clients.replay_port=80 -o %s", test_temp_dir());
    ck_assert_dlsim(2, "workload.kind (echo, web for http, memcached, replay)",
                    "-c configs/replay_http.ini --set clients.driver=replay -o %s", test_temp_dir());
    ck_assert_dlsim(2, "--workload-pcap: workload.kind = replay: its requests are those of workload.trace",
                    "-c configs/replay_http.ini --workload-pcap %s/x.pcap", test_temp_dir());
}
END_TEST

Suite *replay_suite(void);
Suite *replay_suite(void)
{
    Suite *s = suite_create("replay");
    TCase *tc = tcase_create("replay");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, http_wrk_closed);
    tcase_add_test(tc, http_timed);
    tcase_add_test(tc, http_deterministic);
    tcase_add_test(tc, wrong_documents_are_mismatches);
    tcase_add_test(tc, echo_app_answering_http_is_caught);
    tcase_add_test(tc, echo_timed);
    tcase_add_test(tc, memcached_etc);
    tcase_add_test(tc, memcached_memslap_timed_deterministic);
    tcase_add_test(tc, memcached_small_items_are_mismatches);
    tcase_add_test(tc, bad_captures);
    suite_add_tcase(s, tc);
    return s;
}
