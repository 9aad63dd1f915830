/* test_dlibos.c - DLibOS end to end on a small chip (tests/dlibos/echo_2x2.ini):
 * the stack tile (mPIPE, stack/net, sock_stack) serves TCP to the echo app
 * through the socket interface over the UDN, driven by the client hosts.
 * Every request completes with every byte verified by the hosts, for 64-byte
 * messages and for messages larger than the TCP window; wire.pcap holds only
 * ARP and IPv4/TCP frames whose IP and TCP checksums are right, with data
 * both ways and each connection opened and closed by its host; the same
 * on the TILE-Gx36 with its four ports (six serving stack tiles); two runs give identical
 * results and wire.pcap. The unprotected baseline (tests/dlibos/baseline_2x2.ini,
 * build/fw/dlibos_baseline.elf: stack and echo on every tile, no UDN between
 * them) passes the same checks on the same chip and workload. */
#include <check.h>
#include <cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "test_util.h"

static double num(cJSON *j, const char *path) { return test_json_at(j, path)->valuedouble; }

/* Runs a configuration with this build's images; returns the folder. */
static const char *dlibos_run_cfg(const char *cfg, const char *extra)
{
    const char *dir = test_temp_dir();
    char args[1024];
    snprintf(args, sizeof args,
             "-c %s --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
             "--set deployment.app_firmware=%s/fw/dlibos_echo.elf %s -o %s",
             cfg, test_build_dir(), test_build_dir(), extra, dir);
    ck_assert_msg(test_dlsim_run(args) == 0, "%s", test_out);
    return dir;
}
static const char *dlibos_run(const char *extra) { return dlibos_run_cfg("tests/dlibos/echo_2x2.ini", extra); }

/* The baseline with this build's image. */
static const char *baseline_run_cfg(const char *cfg, const char *extra)
{
    const char *dir = test_temp_dir();
    char args[1024];
    snprintf(args, sizeof args, "-c %s --set deployment.firmware=%s/fw/dlibos_baseline.elf %s -o %s", cfg,
             test_build_dir(), extra, dir);
    ck_assert_msg(test_dlsim_run(args) == 0, "%s", test_out);
    return dir;
}
static const char *baseline_run(const char *extra) { return baseline_run_cfg("tests/dlibos/baseline_2x2.ini", extra); }

/* Every request of every connection answered and verified, nothing failed. */
static void check_clients(cJSON *j, double requests_per_conn)
{
    ck_assert(cJSON_IsTrue(test_json_at(j, "results.clients.done")));
    double conns = num(j, "results.clients.connections");
    ck_assert_double_eq(num(j, "results.clients.connected"), conns);
    ck_assert_double_eq(num(j, "results.clients.requests_issued"), conns * requests_per_conn);
    ck_assert_double_eq(num(j, "results.clients.requests_completed"), conns * requests_per_conn);
    ck_assert_double_eq(num(j, "results.clients.bytes_answered"), num(j, "results.clients.bytes_sent"));
    cJSON *e;
    cJSON_ArrayForEach(e, test_json_at(j, "results.clients.errors"))
        ck_assert_msg(e->valuedouble == 0, "clients.errors.%s = %g", e->string, e->valuedouble);
}

static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }

static uint32_t csum_add(uint32_t s, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2) s += be16(p + i);
    if (n & 1) s += (uint32_t)p[n - 1] << 8;
    return s;
}
static uint16_t csum_fold(uint32_t s)
{
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

typedef struct wire_sum {
    unsigned frames, arp, arp_from_chip_requests, tcp, syn, fin, data_to_chip, data_from_chip;
} wire_sum;

/* Parses wire.pcap: every frame must be ARP or IPv4/TCP with right checksums. */
/* The chip's MAC (net.mac) in the run checked. */
static uint8_t chip_mac[6] = { 0x02, 0xdc, 0xff, 0x00, 0x00, 0x01 };

static wire_sum check_pcap(const char *dir)
{
    char path[512];
    size_t len;
    snprintf(path, sizeof path, "%s/wire.pcap", dir);
    uint8_t *d = (uint8_t *)test_read_bytes(path, &len);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_ge(len, 24);
    uint32_t magic = (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
    ck_assert_msg(magic == 0xa1b2c3d4u || magic == 0xa1b23c4du, "pcap magic %08x", magic);
    ck_assert_uint_eq(d[20], 1); /* LINKTYPE_ETHERNET */
    wire_sum w = { 0 };
    size_t off = 24;
    while (off < len) {
        ck_assert_uint_le(off + 16, len);
        uint32_t cl = (uint32_t)d[off + 8] | (uint32_t)d[off + 9] << 8 | (uint32_t)d[off + 10] << 16 |
                      (uint32_t)d[off + 11] << 24;
        ck_assert_uint_le(off + 16 + cl, len);
        const uint8_t *f = d + off + 16;
        off += 16 + cl;
        w.frames++;
        ck_assert_uint_ge(cl, 14);
        uint32_t type = be16(f + 12);
        if (type == 0x0806) {
            ck_assert_uint_ge(cl, 42);
            w.arp++;
            if (!memcmp(f + 6, chip_mac, 6) && f[21] == 1) w.arp_from_chip_requests++;
            continue;
        }
        ck_assert_msg(type == 0x0800, "frame %u: EtherType %04x", w.frames, type);
        const uint8_t *ip = f + 14;
        unsigned ihl = (ip[0] & 15) * 4u, tot = be16(ip + 2);
        ck_assert_uint_eq(ip[0] >> 4, 4);
        ck_assert_uint_ge(ihl, 20);
        ck_assert_msg(14 + tot <= cl && tot >= ihl + 20, "frame %u: IP length %u", w.frames, tot);
        ck_assert_msg(csum_fold(csum_add(0, ip, ihl)) == 0xffff, "frame %u: IP checksum", w.frames);
        ck_assert_msg(ip[9] == 6, "frame %u: protocol %u, not TCP", w.frames, ip[9]);
        const uint8_t *tcp = ip + ihl;
        unsigned tlen = tot - ihl, doff = (tcp[12] >> 4) * 4u;
        ck_assert_msg(doff >= 20 && doff <= tlen, "frame %u: data offset", w.frames);
        uint32_t s = csum_add(0, ip + 12, 8) + 6 + tlen;
        ck_assert_msg(csum_fold(csum_add(s, tcp, tlen)) == 0xffff, "frame %u: TCP checksum", w.frames);
        w.tcp++;
        if (tcp[13] & 0x02) w.syn++;
        if (tcp[13] & 0x01) w.fin++;
        if (tlen > doff) {
            if (!memcmp(f, chip_mac, 6)) w.data_to_chip++;
            else if (!memcmp(f + 6, chip_mac, 6)) w.data_from_chip++;
        }
    }
    free(d);
    return w;
}

/* stack_tiles: the tiles serving frames, which print "<who> tile N: serving";
 * busy: how many of their rings must have got flows (the mPIPE's flow hash
 * decides: with 8 connections over 4 baseline tiles one gets none). */
static void check_run_of(const char *dir, double requests_per_conn, int stack_tiles, int busy, const char *who)
{
    for (int t = 0; t < stack_tiles; t++) {
        char line[64];
        snprintf(line, sizeof line, "%s tile %d: serving", who, t);
        ck_assert_out_has(line);
    }
    ck_assert_out_has("ended by the clients done");
    cJSON *j = test_read_stats(dir);
    check_clients(j, requests_per_conn);
    ck_assert_double_eq(num(j, "results.run.tile_failures"), 0);
    wire_sum w = check_pcap(dir);
    double conns = num(j, "results.clients.connections");
    ck_assert_uint_gt(w.arp, 0);
    ck_assert_uint_eq(w.syn, 2 * (unsigned)conns);   /* SYN and SYN-ACK of each */
    /* each host closes its connections; the run ends once the hosts are
     * done and the ports have been quiet for two drain checks (1000 cycles
     * each, sim/run_control.h), which can come before the chip's own FIN */
    ck_assert_uint_ge(w.fin, (unsigned)conns);
    ck_assert_uint_ge(w.data_to_chip, (unsigned)(conns * requests_per_conn));
    ck_assert_uint_ge(w.data_from_chip, (unsigned)(conns * requests_per_conn));
    ck_assert_uint_eq(w.frames, w.arp + w.tcp);
    /* every stack tile got flows (its notification ring), and ARP learnt by
     * one is shared with the others: the chip never has to ask */
    cJSON *rings = test_json_at(j, "results.mpipe.rings");
    ck_assert_int_eq(cJSON_GetArraySize(rings), stack_tiles);
    int got = 0;
    for (int t = 0; t < stack_tiles; t++)
        got += cJSON_GetObjectItem(cJSON_GetArrayItem(rings, t), "descriptors")->valuedouble > 4;
    ck_assert_int_ge(got, busy);
    ck_assert_uint_eq(w.arp_from_chip_requests, 0);
    /* the firmware's own counters reach stats.json (TILE_SYS_STAT_*): the
     * serving tiles' TCP segments and socket requests add up to at least
     * one segment and one request (a SEND) per request answered */
    double segs = 0, reqs = 0;
    cJSON *tl = test_json_at(j, "results.tiles");
    for (int t = 0; t < cJSON_GetArraySize(tl); t++) {
        cJSON *fw = cJSON_GetObjectItem(cJSON_GetArrayItem(tl, t), "firmware");
        if (!fw) continue;
        cJSON *n = cJSON_GetObjectItem(fw, "net.tcp_rx"), *r = cJSON_GetObjectItem(fw, "sock_req_ok");
        segs += n ? n->valuedouble : 0;
        reqs += r ? r->valuedouble : 0;
        ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetArrayItem(tl, t), "firmware_stats_refused"));
    }
    ck_assert_double_ge(segs, conns * requests_per_conn);
    if (!strcmp(who, "stack")) ck_assert_double_ge(reqs, conns * requests_per_conn);
    cJSON_Delete(j);
}
static void check_run(const char *dir, double requests_per_conn, int stack_tiles)
{
    check_run_of(dir, requests_per_conn, stack_tiles, stack_tiles, "stack");
}

START_TEST(echo_64_byte_requests)
{
    check_run(dlibos_run(""), 20, 2);
}
END_TEST

START_TEST(echo_one_stack_tile)
{
    check_run(dlibos_run("--set deployment.stack_tiles=1"), 20, 1);
}
END_TEST

/* The chip's address and MAC come from net.address and net.mac (through the
 * boot information): the clients, numbered in that subnet, are served, and
 * the data frames to and from the chip carry that MAC (check_pcap). */
START_TEST(echo_at_configured_address)
{
    static const uint8_t mac[6] = { 0x02, 0x12, 0x34, 0x56, 0x78, 0x9a };
    memcpy(chip_mac, mac, 6);
    check_run(dlibos_run("--set net.address=192.168.77.40/26 --set net.mac=02:12:34:56:78:9a"), 20, 2);
}
END_TEST

/* mesh.sender_id = on: the UDN transport reads UDN_SENDER (true length and
 * sender of each message); the echo run gives the same verified results and
 * no request counts as forged. */
START_TEST(echo_with_sender_id)
{
    check_run(dlibos_run("--set mesh.sender_id=on"), 20, 2);
    ck_assert_msg(!strstr(test_out, "sock_sender_forged="), "%s", test_out);
}
END_TEST

/* 20000-byte messages: more than the stack's and the hosts' 16 KiB window,
 * so every answer takes many segments and window updates. */
START_TEST(echo_messages_larger_than_the_window)
{
    check_run(dlibos_run("--set workload.echo_bytes=20000 --set clients.requests=4"), 4, 2);
}
END_TEST

/* Lines "<prefix><tile>: first connection" for tiles first .. first + n - 1:
 * how many are in the output. */
static int tiles_saying(const char *prefix, int first, int n, const char *what)
{
    int got = 0;
    for (int t = first; t < first + n; t++) {
        char line[96];
        snprintf(line, sizeof line, "%s%d: %s", prefix, t, what);
        got += strstr(test_out, line) != NULL;
    }
    return got;
}

/* Both app tiles of tests/dlibos/two_apps.ini serve port 7: the rule's
 * split=2 sends the flows of every other bucket to app tile 3's buffer
 * stacks (2-3, in its own RX pool: protection on, it can read no other's),
 * and the stack tiles give each connection to the tile whose pool its
 * frames land in. */
#define ck_assert_out_lacks(s) \
    ck_assert_msg(strstr(test_out, (s)) == NULL, "output has '%s':\n%s", (s), test_out)
START_TEST(two_app_tiles_serve_one_port)
{
    const char *dir = dlibos_run_cfg("tests/dlibos/two_apps.ini", "");
    ck_assert_out_lacks("bad events");
    ck_assert_int_eq(tiles_saying("echo app on tile ", 2, 2, "first connection"), 2);
    check_run(dir, 20, 2);
}
END_TEST

/* Without split every frame lands in app tile 2's stacks (the lowest of a
 * size), so it serves every connection and app tile 3, listening on the
 * same port, gets none: the rules, not the LISTEN, decide. */
START_TEST(the_rules_choose_the_app_tile)
{
    const char *dir = dlibos_run_cfg("tests/dlibos/two_apps.ini", "--set 'mpipe.rules=default stacks=0-31 buckets=0+256'");
    ck_assert_out_lacks("bad events");
    ck_assert_out_has("echo app on tile 2: first connection");
    ck_assert_out_lacks("echo app on tile 3: first connection");
    check_run(dir, 20, 2);
}
END_TEST

/* The TILE-Gx36 as shipped (configs/dlibos_echo.ini, 256 connections,
 * fewer requests): all 8 stack tiles serve (each printed its first
 * connection and its notification ring got frames: check_run) over shared
 * egress rings, and all 28 app tiles serve port 7. */
START_TEST(echo_on_the_tilegx36)
{
    const char *dir = dlibos_run_cfg("configs/dlibos_echo.ini", "--set clients.requests=4");
    ck_assert_int_eq(tiles_saying("stack tile ", 0, 8, "first connection"), 8);
    ck_assert_int_eq(tiles_saying("echo app on tile ", 8, 28, "first connection"), 28);
    ck_assert_out_has("stack tile 0: serving on tile 0 after");
    ck_assert_out_has("(28 app tiles, 4 request credits each)");
    check_run(dir, 4, 8);
    ck_assert_msg(!strstr(test_out, "limits reached"), "a limit reached:\n%s", test_out);
}
END_TEST

/* Stack tiles placed anywhere (deployment.stack_set, not tiles 0-7): the
 * firmware takes the placement from the boot information (stack_set,
 * stack_index): each stack index serves on its tile, every stack tile and
 * every app tile (the 28 others) serves, every request is verified. */
START_TEST(echo_with_stack_tiles_anywhere)
{
    const char *dir = dlibos_run_cfg("configs/dlibos_echo.ini",
                                     "--set deployment.stack_set=0,5,14,21,30-33 --set clients.requests=4");
    static const int stack[8] = { 0, 5, 14, 21, 30, 31, 32, 33 };
    int apps = 0;
    for (int t = 0, k = 0; t < 36; t++) {
        char line[96];
        if (k < 8 && t == stack[k]) {
            snprintf(line, sizeof line, "stack tile %d: serving on tile %d after", k, t);
            ck_assert_out_has(line);
            k++;
            continue;
        }
        snprintf(line, sizeof line, "echo app on tile %d: first connection", t);
        apps += strstr(test_out, line) != NULL;
    }
    ck_assert_int_eq(apps, 28);
    ck_assert_int_eq(tiles_saying("stack tile ", 0, 8, "first connection"), 8);
    ck_assert_out_lacks("bad events");
    check_run(dir, 4, 8);
}
END_TEST

/* The other placement (28 stack tiles, 8 app tiles, 512 connections): an
 * app tile reads events on its 4 demux queues (7 stack tiles to a queue: 4
 * credits each; with one queue 28 stack tiles would get 1, and the firmware
 * refused to start); every stack tile and every app tile serves. */
START_TEST(echo_on_28_stack_tiles)
{
    const char *dir = dlibos_run_cfg("configs/dlibos_echo.ini",
                                     "--set deployment.stack_tiles=28 --set clients.conns_per_host=16 "
                                     "--set 'mpipe.rules=default stacks=0-15 buckets=0+256 split=8' "
                                     "--set clients.requests=2");
    ck_assert_int_eq(tiles_saying("stack tile ", 0, 28, "first connection"), 28);
    ck_assert_int_eq(tiles_saying("echo app on tile ", 28, 8, "first connection"), 8);
    ck_assert_out_has("(8 app tiles, 14 request credits each)");
    check_run(dir, 2, 28);
    ck_assert_msg(!strstr(test_out, "limits reached"), "a limit reached:\n%s", test_out);
}
END_TEST

START_TEST(shipped_configs_are_the_tilegx36)
{
    test_check_same_chip("configs/dlibos_echo.ini");
    test_check_same_chip("configs/baseline_echo.ini");
}
END_TEST

/* 128 connections on the TILE-Gx36: 32 hosts (more than the stack's
 * default ARP cache of 16 entries, which thrashed: answers dropped while the
 * chip asked again, then retransmitted or timed out) and more connections
 * than one echo app's table held before (64: the rest were aborted). */
#define CONNS128 "--set clients.hosts_per_port=8 --set clients.conns_per_host=4 " \
                 "--set clients.requests=10 --set clients.start_us=600"
START_TEST(echo_128_connections_on_the_tilegx36)
{
    check_run(dlibos_run_cfg("configs/tilegx36.ini", CONNS128), 10, 8);
    ck_assert_msg(!strstr(test_out, "limits reached"), "a limit reached:\n%s", test_out);
}
END_TEST

/* Beyond a limit, never silent: 80 connections on one stack tile (64 at
 * most): the stack tile prints the SYNs it could not take, and every
 * request is either answered or counted as a client error (whether the
 * clients' retransmitted SYNs find a free slot before their timeout
 * depends on timing, so both outcomes are accepted). */
START_TEST(a_full_connection_table_is_reported)
{
    const char *dir = dlibos_run("--set deployment.stack_tiles=1 --set clients.conns_per_host=20");
    ck_assert_out_has("stack tile 0: limits reached:");
    ck_assert_out_has("tcp_conn_full=");
    ck_assert_msg(!strstr(test_out, "tcp_conn_full=0 "), "%s", test_out);
    cJSON *j = test_read_stats(dir);
    ck_assert_double_eq(num(j, "results.clients.requests_completed") + num(j, "results.clients.errors.total"),
                        num(j, "results.clients.requests_issued"));
    ck_assert_double_gt(num(j, "results.clients.requests_issued"), 0);
    cJSON_Delete(j);
}
END_TEST

/* Two runs of one deployment give identical results and wire.pcap. */
static void check_identical(const char *(*run)(const char *))
{
    char a[512];
    snprintf(a, sizeof a, "%s", run("--set workload.echo_bytes=1000"));
    test_same_run_outputs(a, run("--set workload.echo_bytes=1000"));
}

START_TEST(two_runs_identical)
{
    check_identical(dlibos_run);
}
END_TEST

/* ---- the unprotected baseline: every tile serves (4 on the 2 x 2 chip) ---- */

START_TEST(baseline_echo_64_byte_requests)
{
    const char *dir = baseline_run("");
    check_run_of(dir, 20, 4, 3, "baseline");
    cJSON *j = test_read_stats(dir);
    /* run to completion: no UDN message between app and stack (only ARP
     * notes: each of the 4 hosts ARPs once, its note goes to the 3 other tiles) */
    ck_assert_double_le(num(j, "results.udn.messages"), 4 * 3);
    cJSON_Delete(j);
}
END_TEST

START_TEST(baseline_echo_messages_larger_than_the_window)
{
    check_run_of(baseline_run("--set workload.echo_bytes=20000 --set clients.requests=4"), 4, 4, 3, "baseline");
}
END_TEST

/* The TILE-Gx36 as shipped (configs/baseline_echo.ini, 512 connections,
 * fewer requests): all 36 tiles get flows over the shared egress rings. */
START_TEST(baseline_echo_on_the_tilegx36)
{
    const char *dir = baseline_run_cfg("configs/baseline_echo.ini", "--set clients.requests=2");
    check_run_of(dir, 2, 36, 36, "baseline");
    ck_assert_msg(!strstr(test_out, "limits reached"), "a limit reached:\n%s", test_out);
}
END_TEST

START_TEST(baseline_128_connections_on_the_tilegx36)
{
    const char *dir = baseline_run_cfg("configs/tilegx36.ini",
                                       "--set deployment.mode=baseline --set mem.protection=off " CONNS128);
    check_run_of(dir, 10, 36, 30, "baseline");
    ck_assert_msg(!strstr(test_out, "limits reached"), "a limit reached:\n%s", test_out);
}
END_TEST

START_TEST(baseline_two_runs_identical)
{
    check_identical(baseline_run);
}
END_TEST

/* The same on the TILE-Gx36 as shipped, where stack tiles share egress
 * rings (atomics, in-order doorbells): 2 tiles per ring in dlibos, 6 in
 * the baseline. */
static const char *gx36_dlibos(const char *extra)
{
    char a[256];
    snprintf(a, sizeof a, "--set clients.requests=3 %s", extra);
    return dlibos_run_cfg("configs/dlibos_echo.ini", a);
}
static const char *gx36_baseline(const char *extra)
{
    char a[256];
    snprintf(a, sizeof a, "--set clients.requests=2 %s", extra);
    return baseline_run_cfg("configs/baseline_echo.ini", a);
}
START_TEST(tilegx36_two_runs_identical)
{
    check_identical(gx36_dlibos);
    check_identical(gx36_baseline);
}
END_TEST

Suite *dlibos_suite(void)
{
    Suite *s = suite_create("dlibos");
    TCase *t = tcase_create("echo");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, echo_64_byte_requests);
    tcase_add_test(t, echo_one_stack_tile);
    tcase_add_test(t, echo_at_configured_address);
    tcase_add_test(t, echo_with_sender_id);
    tcase_add_test(t, echo_on_the_tilegx36);
    tcase_add_test(t, echo_128_connections_on_the_tilegx36);
    tcase_add_test(t, a_full_connection_table_is_reported);
    tcase_add_test(t, echo_messages_larger_than_the_window);
    tcase_add_test(t, two_runs_identical);
    tcase_add_test(t, two_app_tiles_serve_one_port);
    tcase_add_test(t, the_rules_choose_the_app_tile);
    tcase_add_test(t, shipped_configs_are_the_tilegx36);
    tcase_add_test(t, echo_with_stack_tiles_anywhere);
    tcase_add_test(t, echo_on_28_stack_tiles);
    suite_add_tcase(s, t);
    TCase *b = tcase_create("baseline");
    tcase_set_timeout(b, 120);
    tcase_add_test(b, baseline_echo_64_byte_requests);
    tcase_add_test(b, baseline_128_connections_on_the_tilegx36);
    tcase_add_test(b, baseline_echo_messages_larger_than_the_window);
    tcase_add_test(b, baseline_echo_on_the_tilegx36);
    tcase_add_test(b, baseline_two_runs_identical);
    tcase_add_test(b, tilegx36_two_runs_identical);
    suite_add_tcase(s, b);
    return s;
}
