/* test_mesh.cpp - the UDN mesh engine driven directly: header encoding,
 * zero-load latency against the formula of udn_mesh.h for every pair of a
 * 6x6 mesh, bad headers, hardwall, statistics, parameter checks, and the
 * saturation throughput of uniform traffic against the bisection bound. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <vector>

#include "mesh/mesh_traffic.h"
#include "mesh/udn_mesh.h"
#include "mesh/udn_stats.h"

#include <check.h>   /* last: it defines a macro named fail */

namespace {

/* Records what the engine reports. */
struct recorder : udn_mesh_listener {
    std::vector<udn_msg> delivered;
    std::vector<udn_fault> faults;
    std::vector<int> space;
    int data_events = 0;
    void on_udn_data(int, int) { data_events++; }
    void on_udn_space(int t) { space.push_back(t); }
    void on_udn_delivered(const udn_msg &m) { delivered.push_back(m); }
    void on_udn_fault(const udn_fault &f) { faults.push_back(f); }
};

udn_mesh_params params(int w, int h, int order, int hop)
{
    udn_mesh_params p = {w, h, order, hop, 4, 128, 4, 0, 0, 0, 0, 0, UDN_ARB_ROUND_ROBIN, 0};
    return p;
}

/* Sends one message from src, one word per cycle from the engine's current
 * cycle; returns the cycle of the header. Fails the test on a refusal. */
uint64_t send_msg(udn_mesh &m, int src, int dst, int q, int len)
{
    int w = m.params().width;
    uint64_t start = m.now();
    for (int j = 0; j <= len; j++) {
        m.advance_to(start + (uint64_t)j);
        uint64_t word = j == 0 ? udn_header((uint32_t)(dst % w), (uint32_t)(dst / w), (uint32_t)q,
                                            (uint32_t)len)
                               : (uint64_t)j;
        ck_assert_int_eq(m.send(src, word), UDN_SEND_OK);
    }
    return start;
}

/* Advances until the mesh is idle (at most `limit` cycles more). */
void drain(udn_mesh &m, uint64_t limit)
{
    uint64_t end = m.now() + limit;
    while (m.busy() && m.now() < end) m.advance_to(m.now() + 1);
    ck_assert(!m.busy());
}

START_TEST(test_header_encoding)
{
    uint64_t h = udn_header(5, 3, 2, 126);
    ck_assert_uint_eq(udn_header_x(h), 5);
    ck_assert_uint_eq(udn_header_y(h), 3);
    ck_assert_uint_eq(udn_header_queue(h), 2);
    ck_assert_uint_eq(udn_header_length(h), 126);
    ck_assert_uint_eq(h & UDN_HDR_RESERVED, 0);
    ck_assert_uint_eq(udn_header(255, 255, 15, 127) & UDN_HDR_RESERVED, 0);
    ck_assert_uint_eq(UDN_RECV(3), 0x118);
    ck_assert_uint_eq(UDN_COUNT(0), 0x200);
}
END_TEST

/* latency = 1 + hops * hop_latency + 1 + length, for every pair. */
void check_zero_load(int order, int hop, const int *lens, int nlens)
{
    udn_mesh_params p = params(6, 6, order, hop);
    udn_mesh m(p);
    recorder rec;
    m.set_listener(&rec);
    for (int s = 0; s < 36; s++)
        for (int d = 0; d < 36; d++)
            for (int k = 0; k < nlens; k++) {
                int len = lens[(s + d + k) % nlens];
                rec.delivered.clear();
                uint64_t t0 = send_msg(m, s, d, (s + d) % 4, len);
                drain(m, 1000);
                ck_assert_uint_eq(rec.delivered.size(), 1);
                int hops = abs(s % 6 - d % 6) + abs(s / 6 - d / 6);
                ck_assert_int_eq(m.hops(s, d), hops);
                uint64_t expect = 1 + (uint64_t)hops * hop + 1 + (uint64_t)len;
                ck_assert_msg(rec.delivered[0].delivered - t0 == expect,
                              "%d -> %d, %d words, hop %d: latency %llu, formula %llu", s, d, len,
                              hop, (unsigned long long)(rec.delivered[0].delivered - t0),
                              (unsigned long long)expect);
                ck_assert_int_eq(m.count(d, (s + d) % 4), len);
                uint64_t w;
                for (int j = 1; j <= len; j++) {
                    ck_assert_int_eq(m.recv(d, (s + d) % 4, &w), 1);
                    ck_assert_uint_eq(w, (uint64_t)j);
                }
                ck_assert_int_eq(m.recv(d, (s + d) % 4, &w), 0);
                m.advance_to(m.now() + 1);
            }
    ck_assert_uint_eq(m.in_flight(), 0);
}

START_TEST(test_zero_load_xy)
{
    const int lens[] = {0, 1, 4, 17, 126};
    check_zero_load(UDN_ORDER_XY, 1, lens, 5);
}
END_TEST

START_TEST(test_zero_load_yx_hop3)
{
    const int lens[] = {0, 2, 9};
    check_zero_load(UDN_ORDER_YX, 3, lens, 3);
}
END_TEST

/* With buffers shorter than the credit round trip (1 + hop latency) a link
 * carries router_buffer words per round trip: a 40-word message over one
 * hop with hop 1 and buffer 1 takes two cycles per word. */
START_TEST(test_short_buffer_throttles)
{
    udn_mesh_params p = params(2, 1, UDN_ORDER_XY, 1);
    p.router_buffer = 1;
    udn_mesh m(p);
    recorder rec;
    m.set_listener(&rec);
    uint64_t t0 = m.now();
    int sent = 0;
    while (sent <= 40) {
        uint64_t w = sent == 0 ? udn_header(1, 0, 0, 40) : (uint64_t)sent;
        if (m.send(0, w) == UDN_SEND_OK) sent++;
        m.advance_to(m.now() + 1);
    }
    drain(m, 1000);
    ck_assert_uint_eq(rec.delivered.size(), 1);
    /* header at t0; one word per two cycles through every buffer. */
    ck_assert_uint_eq(rec.delivered[0].delivered - t0, 2 * 40 + 1 + 1 + 1);
    ck_assert_uint_gt(m.stats().blocked_cycles(0), 0);
}
END_TEST

START_TEST(test_bad_headers)
{
    udn_mesh_params p = params(6, 6, UDN_ORDER_XY, 1);
    udn_mesh m(p);
    recorder rec;
    m.set_listener(&rec);
    struct { uint64_t h; int code; } bad[] = {
        {udn_header(1, 1, 0, 127), UDN_FAULT_LENGTH},
        {udn_header(1, 1, 4, 2), UDN_FAULT_QUEUE},
        {udn_header(6, 1, 0, 2), UDN_FAULT_DEST},
        {udn_header(1, 6, 0, 2), UDN_FAULT_DEST},
        {udn_header(1, 1, 0, 2) | (1ULL << 40), UDN_FAULT_RESERVED},
        {udn_header(1, 1, 0, 2) | (1ULL << 7), UDN_FAULT_RESERVED},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(m.send(7, bad[i].h), UDN_SEND_FAULT);
        ck_assert_int_eq(m.take_fault(7), bad[i].code);
        ck_assert_int_eq(m.take_fault(7), 0);
        /* the payload the header announced is swallowed ... */
        for (uint32_t j = 0; j < udn_header_length(bad[i].h); j++)
            ck_assert_int_eq(m.send(7, 0xdead), UDN_SEND_OK);
        m.advance_to(m.now() + 1);
    }
    ck_assert(!m.busy());
    ck_assert_uint_eq(rec.faults.size(), 6);
    ck_assert_int_eq(rec.faults[2].tile, 7);
    ck_assert_uint_eq(m.stats().faults_total(), 6);
    ck_assert_uint_eq(m.stats().faults_by_code(UDN_FAULT_DEST), 2);
    /* ... so the next header is recognised and delivered. */
    send_msg(m, 7, 8, 1, 3);
    drain(m, 100);
    ck_assert_uint_eq(rec.delivered.size(), 1);
    ck_assert_int_eq(m.count(8, 1), 3);
}
END_TEST

START_TEST(test_hardwall)
{
    udn_mesh_params p = params(6, 6, UDN_ORDER_XY, 1);
    p.hardwall = 1;
    p.hw_x0 = 1;
    p.hw_y0 = 1;
    p.hw_x1 = 3;
    p.hw_y1 = 3;
    udn_mesh m(p);
    recorder rec;
    m.set_listener(&rec);
    int in_a = 2 * 6 + 2, in_b = 3 * 6 + 1, out_c = 5 * 6 + 5, out_d = 0;
    /* inside to inside: delivered. */
    send_msg(m, in_a, in_b, 0, 5);
    drain(m, 100);
    ck_assert_uint_eq(rec.delivered.size(), 1);
    ck_assert_uint_eq(rec.faults.size(), 0);
    /* inside to outside: dropped at the edge, fault at the sender. */
    uint64_t t0 = send_msg(m, in_a, out_c, 0, 5);
    drain(m, 100);
    ck_assert_uint_eq(rec.delivered.size(), 1);
    ck_assert_uint_eq(rec.faults.size(), 1);
    ck_assert_int_eq(rec.faults[0].tile, in_a);
    ck_assert_int_eq(rec.faults[0].code, UDN_FAULT_HARDWALL);
    /* XY: east from (2,2) to (3,2) inside, then (3,2) -> (4,2) crosses:
     * the header reaches (3,2) at t0 + 2 and is dropped there. */
    ck_assert_uint_eq(rec.faults[0].cycle, t0 + 2);
    ck_assert_int_eq(m.take_fault(in_a), UDN_FAULT_HARDWALL);
    ck_assert_int_eq(m.count(out_c, 0), 0);
    /* outside to inside: dropped too, charged to the outside sender. */
    send_msg(m, out_d, in_b, 0, 2);
    drain(m, 100);
    ck_assert_uint_eq(rec.faults.size(), 2);
    ck_assert_int_eq(rec.faults[1].tile, out_d);
    /* outside to outside around the wall: delivered. */
    send_msg(m, out_d, 5, 0, 2);
    drain(m, 100);
    ck_assert_uint_eq(rec.delivered.size(), 2);
    ck_assert_uint_eq(m.stats().faults_by_code(UDN_FAULT_HARDWALL), 2);
    ck_assert_uint_eq(m.in_flight(), 0);
}
END_TEST

/* A full demux queue stops the worm, which holds its links; the sender
 * blocks; reading the queue lets everything through. */
START_TEST(test_backpressure_and_stall)
{
    udn_mesh_params p = params(3, 1, UDN_ORDER_XY, 1);
    p.queue_words = 2;
    p.router_buffer = 2;
    udn_mesh m(p);
    recorder rec;
    m.set_listener(&rec);
    int sent = 0, refused = 0;
    for (int c = 0; c < 50; c++) {
        uint64_t w = sent == 0 ? udn_header(2, 0, 0, 20) : (uint64_t)sent;
        if (sent <= 20) {
            int r = m.send(0, w);
            if (r == UDN_SEND_OK) sent++;
            else refused++;
        }
        m.advance_to(m.now() + 1);
    }
    /* 2 in the queue, 2 in each of the 3 buffers on the way, plus the header
     * consumed at the ejection port: 9 words taken, the sender blocked. */
    ck_assert_int_eq(sent, 9);
    ck_assert_int_gt(refused, 0);
    ck_assert(!m.busy());                  /* stalled: stepping would change nothing */
    ck_assert_int_eq(m.count(2, 0), 2);
    ck_assert_int_eq(m.send_space(0), 0);
    uint64_t w;
    int got = 0;
    for (int c = 0; got < 20 && c < 1000; c++) {
        while (m.recv(2, 0, &w)) ck_assert_uint_eq(w, (uint64_t)++got);
        if (sent <= 20 && m.send(0, (uint64_t)sent) == UDN_SEND_OK) sent++;
        m.advance_to(m.now() + 1);
    }
    ck_assert_int_eq(got, 20);
    ck_assert_uint_eq(rec.delivered.size(), 1);
    ck_assert_uint_gt(m.stats().blocked_cycles(0), 30);
    ck_assert(!rec.space.empty());
}
END_TEST

START_TEST(test_round_robin)
{
    /* Tiles 0 (west) and 2 (east) both send to tile 1 at once: the first
     * worm to win the ejection port finishes, then the other goes. */
    udn_mesh_params p = params(3, 1, UDN_ORDER_XY, 1);
    udn_mesh m(p);
    recorder rec;
    m.set_listener(&rec);
    for (int round = 0; round < 2; round++) {
        for (int j = 0; j <= 3; j++) {
            ck_assert_int_eq(m.send(0, j ? (uint64_t)j : udn_header(1, 0, 0, 3)), UDN_SEND_OK);
            ck_assert_int_eq(m.send(2, j ? (uint64_t)j : udn_header(1, 0, 1, 3)), UDN_SEND_OK);
            m.advance_to(m.now() + 1);
        }
        drain(m, 100);
        uint64_t w;
        while (m.recv(1, 0, &w) || m.recv(1, 1, &w)) {}
    }
    ck_assert_uint_eq(rec.delivered.size(), 4);
    /* Each round: the pointer (0, then 2 after grants to inputs 0 and 1)
     * reaches east (input 0) before west (input 1); west waits for east's
     * tail and follows it without a gap. */
    ck_assert_int_eq(rec.delivered[0].src, 2);
    ck_assert_int_eq(rec.delivered[1].src, 0);
    ck_assert_int_eq(rec.delivered[2].src, 2);
    ck_assert_int_eq(rec.delivered[3].src, 0);
    ck_assert_uint_eq(rec.delivered[1].delivered - rec.delivered[0].delivered, 4);
}
END_TEST

/* Fixed priority: east (input 0) wins the ejection port every time. */
START_TEST(test_fixed_priority)
{
    udn_mesh_params p = params(3, 1, UDN_ORDER_XY, 1);
    p.arbitration = UDN_ARB_FIXED;
    udn_mesh m(p);
    recorder rec;
    m.set_listener(&rec);
    for (int round = 0; round < 3; round++) {
        for (int j = 0; j <= 3; j++) {
            ck_assert_int_eq(m.send(0, j ? (uint64_t)j : udn_header(1, 0, 0, 3)), UDN_SEND_OK);
            ck_assert_int_eq(m.send(2, j ? (uint64_t)j : udn_header(1, 0, 1, 3)), UDN_SEND_OK);
            m.advance_to(m.now() + 1);
        }
        drain(m, 100);
        uint64_t w;
        while (m.recv(1, 0, &w) || m.recv(1, 1, &w)) {}
    }
    ck_assert_uint_eq(rec.delivered.size(), 6);
    for (int k = 0; k < 6; k++) ck_assert_int_eq(rec.delivered[k].src, k % 2 ? 0 : 2);
}
END_TEST

START_TEST(test_stats_json)
{
    udn_mesh_params p = params(4, 3, UDN_ORDER_XY, 1);
    udn_mesh m(p);
    send_msg(m, 0, 11, 2, 6);
    drain(m, 100);
    cJSON *j = m.stats().to_json(m.now());
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq((int)cJSON_GetObjectItem(j, "messages")->valuedouble, 1);
    cJSON *lat = cJSON_GetObjectItem(j, "latency");
    ck_assert_int_eq((int)cJSON_GetObjectItem(lat, "max")->valuedouble, 1 + 5 + 1 + 6);
    cJSON *east = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "links"), "east");
    ck_assert_int_eq(cJSON_GetArraySize(east), 3);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetArrayItem(east, 0)), 4);
    ck_assert(cJSON_GetArrayItem(cJSON_GetArrayItem(east, 0), 0)->valuedouble > 0);
    ck_assert_int_eq((int)cJSON_GetObjectItem(j, "link_words_total")->valuedouble, 7 * 5);
    cJSON *occ = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "queue_occupancy"), "max");
    ck_assert_int_eq((int)cJSON_GetArrayItem(cJSON_GetArrayItem(occ, 11), 2)->valuedouble, 6);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "send_blocked_cycles")), 12);
    cJSON_Delete(j);

    udn_latency_hist h;
    for (int i = 1; i <= 100; i++) h.add((uint64_t)i);
    ck_assert_uint_eq(h.percentile(0.99), 99);
    ck_assert_uint_eq(h.percentile(0.5), 50);
    ck_assert_uint_eq(h.max(), 100);
}
END_TEST

START_TEST(test_param_errors)
{
    char err[200];
    udn_mesh_params p = params(6, 6, UDN_ORDER_XY, 1);
    ck_assert_int_eq(udn_mesh_params_check(&p, err, sizeof err), 0);
    p.queues = 5;
    ck_assert_int_eq(udn_mesh_params_check(&p, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "mesh.queues = 5"));
    p = params(6, 6, UDN_ORDER_XY, 0);
    ck_assert_int_eq(udn_mesh_params_check(&p, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "mesh.hop_latency"));
    p = params(6, 6, UDN_ORDER_XY, 1);
    p.hardwall = 1;
    p.hw_x0 = 2;
    p.hw_x1 = 1;
    ck_assert_int_eq(udn_mesh_params_check(&p, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "hardwall_x1"));
    p = params(6, 6, UDN_ORDER_XY, 1);
    p.arbitration = 2;
    ck_assert_int_eq(udn_mesh_params_check(&p, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "mesh.arbitration"));

    mesh_traffic_opts o = {"uniform", 0.1, 4, 100, 0};
    ck_assert_int_eq(mesh_traffic_check(&o, err, sizeof err), 0);
    o.traffic = "random";
    ck_assert_int_eq(mesh_traffic_check(&o, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "--traffic random"));
    o.traffic = "hotspot";
    o.rate = 1.5;
    ck_assert_int_eq(mesh_traffic_check(&o, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "--rate"));
    o.rate = 0.5;
    o.size = 127;
    ck_assert_int_eq(mesh_traffic_check(&o, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "--size 127"));
    ck_assert_int_eq(mesh_traffic_pattern("neighbor"), MESH_TRAFFIC_NEIGHBOR);
}
END_TEST

/* Uniform traffic on a k x k mesh: half the tiles send (N/2)/(N-1) of their
 * words across the bisection, which has k links each way, so the accepted
 * rate cannot exceed 4k(N-1)/N^2 words per tile per cycle (0.648 for 6x6).
 * Single-lane wormhole routing with dimension order loses to head-of-line
 * blocking and saturates well below: we measure about 0.36 (56 %). */
START_TEST(test_uniform_saturation)
{
    udn_mesh_params p = params(6, 6, UDN_ORDER_XY, 1);
    mesh_traffic_opts o = {"uniform", 1.0, 4, 20000, 2000};
    mesh_traffic_result r;
    char err[200];
    ck_assert_int_eq(mesh_traffic_run(&p, 1200, 1, &o, MESH_TRAFFIC_RUN_AHEAD, &r, err, sizeof err), 0);
    double bound = 4.0 * 6 * 35 / (36.0 * 36.0);
    printf("mesh: uniform saturation %.4f words/tile/cycle, bisection bound %.4f (%.0f %%)\n",
           r.accepted, bound, 100.0 * r.accepted / bound);
    ck_assert(r.accepted <= bound);
    ck_assert(r.accepted >= 0.5 * bound);
    ck_assert(r.offered > 0.99);
    ck_assert(r.link_max > 0.55 && r.link_max <= 1.0);
    cJSON_Delete(r.udn);
}
END_TEST

/* Below saturation everything offered is accepted, and a run is
 * reproducible from its seed. */
START_TEST(test_low_load_accepted)
{
    udn_mesh_params p = params(6, 6, UDN_ORDER_XY, 1);
    mesh_traffic_opts o = {"transpose", 0.05, 8, 20000, 1000};
    mesh_traffic_result r;
    char err[200];
    ck_assert_int_eq(mesh_traffic_run(&p, 1200, 7, &o, 0, &r, err, sizeof err), 0);
    ck_assert(fabs(r.accepted - r.offered) < 0.002);
    ck_assert(r.lat_mean > 10 && r.lat_mean < 25);
    cJSON_Delete(r.udn);
}
END_TEST

/* Run-ahead must not change a single number: the same run with and without
 * it (one per test: SystemC elaborates once per process) gives the
 * fingerprint below, taken from the run through the kernel every cycle. */
void run_fingerprint(uint64_t run_ahead)
{
    udn_mesh_params p = params(6, 6, UDN_ORDER_YX, 2);
    p.router_buffer = 3;
    mesh_traffic_opts o = {"hotspot", 0.25, 5, 6000, 500};
    mesh_traffic_result r;
    char err[200];
    ck_assert_int_eq(mesh_traffic_run(&p, 1200, 3, &o, run_ahead, &r, err, sizeof err), 0);
    cJSON *lw = cJSON_GetObjectItem(r.udn, "link_words_total");
    ck_assert_uint_eq(r.created, 8997);
    ck_assert_uint_eq(r.messages, 4699);
    ck_assert_uint_eq(r.latency.count(), 4699);
    ck_assert(fabs(r.lat_mean - 809.757821) < 1e-6);
    ck_assert_uint_eq(r.lat_p99, 4725);
    ck_assert_uint_eq(r.lat_max, 6204);
    ck_assert_uint_eq((uint64_t)lw->valuedouble, 96237);
    cJSON_Delete(r.udn);
}

START_TEST(test_run_ahead_per_cycle)
{
    run_fingerprint(0);
}
END_TEST

START_TEST(test_run_ahead_quantum)
{
    run_fingerprint(MESH_TRAFFIC_RUN_AHEAD);
}
END_TEST

}  // namespace

extern "C" Suite *mesh_suite(void);
Suite *mesh_suite(void)
{
    Suite *s = suite_create("mesh");
    TCase *tc = tcase_create("engine");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_header_encoding);
    tcase_add_test(tc, test_zero_load_xy);
    tcase_add_test(tc, test_zero_load_yx_hop3);
    tcase_add_test(tc, test_short_buffer_throttles);
    tcase_add_test(tc, test_bad_headers);
    tcase_add_test(tc, test_hardwall);
    tcase_add_test(tc, test_backpressure_and_stall);
    tcase_add_test(tc, test_round_robin);
    tcase_add_test(tc, test_fixed_priority);
    tcase_add_test(tc, test_stats_json);
    tcase_add_test(tc, test_param_errors);
    suite_add_tcase(s, tc);
    TCase *tt = tcase_create("traffic");
    tcase_set_timeout(tt, 60);
    tcase_add_test(tt, test_uniform_saturation);
    tcase_add_test(tt, test_low_load_accepted);
    tcase_add_test(tt, test_run_ahead_per_cycle);
    tcase_add_test(tt, test_run_ahead_quantum);
    suite_add_tcase(s, tt);
    return s;
}
