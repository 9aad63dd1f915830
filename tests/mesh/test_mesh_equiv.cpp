/* test_mesh_equiv.cpp - the event-driven mesh (udn_mesh_sc, SystemC threads
 * with blocking calls) against the cycle-by-cycle reference (test_mesh_ref)
 * on the same random traffic: every message must become readable in the
 * same cycle, every tile must read the same words in the same cycles and be
 * blocked and faulted as often. */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>

#include <stdio.h>

#include <map>
#include <vector>

#include "mesh/mesh_prng.h"
#include "test_mesh_ref.h"
#include "mesh/udn_mesh_sc.h"
#include "mesh/udn_stats.h"

#include <check.h>   /* last: it defines a macro named fail */

using namespace sc_core;

namespace {

struct msg_spec { uint32_t gap; int dst, q, len; bool bad; };

/* What every tile does, the same for both models. */
struct tile_script {
    std::vector<msg_spec> msgs;
    std::vector<uint32_t> read_gaps;
    uint32_t first_read;
};

struct traffic_shape {
    uint32_t max_gap;        /* cycles between a message and the next, 0..max_gap */
    int max_len;             /* payload words, 0..max_len */
    uint32_t max_read_gap;   /* cycles between two reads, 0..max_read_gap */
    int bad_one_in;          /* one header in this many is invalid (0: none) */
};

std::vector<tile_script> make_scripts(const udn_mesh_params &p, const traffic_shape &s,
                                      uint64_t seed, int msgs_per_tile, int reads_per_tile)
{
    int n = p.width * p.height;
    std::vector<tile_script> v(n);
    for (int t = 0; t < n; t++) {
        uint64_t rng = mesh_prng_stream(seed, (uint64_t)t);
        for (int k = 0; k < msgs_per_tile; k++) {
            msg_spec m;
            m.gap = (uint32_t)mesh_prng_below(&rng, s.max_gap + 1);
            m.dst = (int)mesh_prng_below(&rng, (uint64_t)n);
            m.q = (int)mesh_prng_below(&rng, (uint64_t)p.queues);
            m.len = (int)mesh_prng_below(&rng, (uint64_t)s.max_len + 1);
            m.bad = s.bad_one_in && mesh_prng_below(&rng, (uint64_t)s.bad_one_in) == 0;
            v[t].msgs.push_back(m);
        }
        v[t].first_read = (uint32_t)mesh_prng_below(&rng, s.max_read_gap + 1);
        for (int k = 0; k < reads_per_tile; k++)
            v[t].read_gaps.push_back((uint32_t)mesh_prng_below(&rng, s.max_read_gap + 1));
    }
    return v;
}

uint64_t script_word(const udn_mesh_params &p, int t, int k, const msg_spec &m, int j)
{
    if (j > 0) return ((uint64_t)t << 48) | ((uint64_t)k << 16) | (uint64_t)j;
    uint32_t q = m.bad ? (uint32_t)p.queues : (uint32_t)m.q;   /* out of range when bad */
    return udn_header((uint32_t)(m.dst % p.width), (uint32_t)(m.dst / p.width), q,
                      (uint32_t)m.len);
}

/* The first queue with data at or after `rot`. */
int pick_queue(uint32_t mask, int rot, int queues)
{
    for (int k = 0; k < queues; k++) {
        int q = (rot + k) % queues;
        if (mask & (1u << q)) return q;
    }
    return -1;
}

/* Per tile: a hash of (cycle, word) of every word read, and their count. */
struct read_log {
    std::vector<uint64_t> hash, count;
    explicit read_log(int n) : hash(n, 0), count(n, 0) {}
    void add(int t, uint64_t cycle, uint64_t w)
    {
        uint64_t s = hash[t] ^ (cycle * 0x9e3779b97f4a7c15ULL) ^ w;
        hash[t] = mesh_prng_next(&s);
        count[t]++;
    }
};

/* The reference, driven cycle by cycle by the scripts. */
void run_reference(const udn_mesh_params &p, const std::vector<tile_script> &sc,
                   uint64_t cycles, mesh_ref &ref, read_log &log)
{
    int n = p.width * p.height;
    std::vector<uint64_t> next_send(n), next_read(n);
    std::vector<int> k(n, 0), j(n, 0), rot(n, 0);
    for (int t = 0; t < n; t++) {
        next_send[t] = sc[t].msgs.empty() ? ~0ULL : sc[t].msgs[0].gap;
        next_read[t] = sc[t].first_read;
    }
    for (uint64_t c = 0; c < cycles; c++) {
        for (int t = 0; t < n; t++) {
            if (k[t] < (int)sc[t].msgs.size() && c >= next_send[t]) {
                const msg_spec &m = sc[t].msgs[k[t]];
                int r = ref.send(t, script_word(p, t, k[t], m, j[t]));
                if (r == UDN_SEND_FULL) {
                    next_send[t] = c + 1;
                } else if (++j[t] > m.len) {
                    j[t] = 0;
                    k[t]++;
                    next_send[t] = c + 1 + (k[t] < (int)sc[t].msgs.size() ? sc[t].msgs[k[t]].gap : 0);
                } else {
                    next_send[t] = c + 1;
                }
            }
            if (rot[t] < (int)sc[t].read_gaps.size() && c >= next_read[t]) {
                uint32_t mask = ref.avail(t);
                if (mask) {
                    uint64_t w;
                    int q = pick_queue(mask, rot[t], p.queues);
                    ck_assert_int_eq(ref.recv(t, q, &w), 1);
                    log.add(t, c, w);
                    next_read[t] = c + 1 + sc[t].read_gaps[rot[t]];
                    rot[t]++;
                }
            }
        }
        ref.step();
    }
}

/* The event-driven model with one sender and one reader thread per tile. */
class equiv_bench : public sc_module, public udn_mesh_listener {
public:
    equiv_bench(sc_module_name name, const udn_mesh_params &p, const std::vector<tile_script> &sc,
                sc_time cycle)
        : sc_module(name), log(p.width * p.height), faults(p.width * p.height, 0), p_(p),
          sc_(sc), cycle_(cycle)
    {
        mesh = new udn_mesh_sc("udn", p, cycle);
        mesh->set_observer(this);
        for (int t = 0; t < p.width * p.height; t++) {
            sc_spawn(sc_bind(&equiv_bench::sender, this, t));
            sc_spawn(sc_bind(&equiv_bench::reader, this, t));
        }
    }

    udn_mesh_sc *mesh;
    read_log log;
    std::vector<int> faults;
    std::map<std::pair<int, uint64_t>, uint64_t> delivered;

    void on_udn_data(int, int) {}
    void on_udn_space(int) {}
    void on_udn_delivered(const udn_msg &m) { delivered[std::make_pair(m.src, m.seq)] = m.delivered; }
    void on_udn_fault(const udn_fault &f) { faults[f.tile]++; }

private:
    void sleep(uint64_t cycles)
    {
        if (cycles) wait(cycle_ * (double)cycles);
    }

    void sender(int t)
    {
        const std::vector<msg_spec> &msgs = sc_[t].msgs;
        if (msgs.empty()) return;
        sleep(msgs[0].gap);
        for (size_t k = 0; k < msgs.size(); k++) {
            for (int j = 0; j <= msgs[k].len; j++) {
                if (j > 0) sleep(1);
                mesh->send(t, script_word(p_, t, (int)k, msgs[k], j));
            }
            sleep(1 + (k + 1 < msgs.size() ? msgs[k + 1].gap : 0));
        }
    }

    void reader(int t)
    {
        sleep(sc_[t].first_read);
        for (size_t r = 0; r < sc_[t].read_gaps.size(); r++) {
            uint32_t mask = mesh->wait_any(t);
            uint64_t w;
            int q = pick_queue(mask, (int)r, p_.queues);
            if (q < 0 || !mesh->try_recv(t, q, &w)) {
                fprintf(stderr, "reader %d: wait_any returned mask %#x\n", t, mask);
                return;
            }
            log.add(t, mesh->cycle_now(), w);
            sleep(1 + sc_[t].read_gaps[r]);
        }
    }

    udn_mesh_params p_;
    const std::vector<tile_script> &sc_;
    sc_time cycle_;
};

void check_equivalence(const udn_mesh_params &p, const traffic_shape &s, uint64_t seed,
                       uint64_t cycles, int msgs_per_tile, uint64_t min_blocked)
{
    std::vector<tile_script> sc = make_scripts(p, s, seed, msgs_per_tile, 100000);
    int n = p.width * p.height;

    mesh_ref ref(p);
    read_log ref_log(n);
    run_reference(p, sc, cycles, ref, ref_log);

    sc_time cycle(1, SC_NS);
    equiv_bench *b = new equiv_bench("bench", p, sc, cycle);
    sc_start(cycle * (double)cycles);
    b->mesh->engine().advance_to(cycles);

    ck_assert_uint_gt(ref.delivered.size(), 0);
    ck_assert_uint_eq(b->delivered.size(), ref.delivered.size());
    for (std::map<std::pair<int, uint64_t>, uint64_t>::const_iterator it = ref.delivered.begin();
         it != ref.delivered.end(); ++it) {
        std::map<std::pair<int, uint64_t>, uint64_t>::const_iterator e = b->delivered.find(it->first);
        ck_assert_msg(e != b->delivered.end(), "message %d/%llu: delivered by the reference at %llu, "
                      "not by the mesh", it->first.first, (unsigned long long)it->first.second,
                      (unsigned long long)it->second);
        ck_assert_msg(e->second == it->second, "message %d/%llu: mesh cycle %llu, reference %llu",
                      it->first.first, (unsigned long long)it->first.second,
                      (unsigned long long)e->second, (unsigned long long)it->second);
    }
    uint64_t blocked = 0;
    for (int t = 0; t < n; t++) {
        ck_assert_uint_eq(b->log.count[t], ref_log.count[t]);
        ck_assert_msg(b->log.hash[t] == ref_log.hash[t], "tile %d read other words or cycles", t);
        ck_assert_uint_eq(b->mesh->engine().stats().blocked_cycles(t), ref.blocked_cycles[t]);
        ck_assert_int_eq(b->faults[t], ref.faults[t]);
        blocked += ref.blocked_cycles[t];
    }
    ck_assert_uint_ge(blocked, min_blocked);
}

udn_mesh_params params_6x6(int order, int hop, int queue_words, int buffer)
{
    udn_mesh_params p = {6, 6, order, hop, 4, queue_words, buffer, 0, 0, 0, 0, 0,
                         UDN_ARB_ROUND_ROBIN, 0};
    return p;
}

START_TEST(test_equiv_low_load)
{
    traffic_shape s = {200, 8, 0, 0};
    check_equivalence(params_6x6(UDN_ORDER_XY, 1, 8, 4), s, 11, 6000, 60, 0);
}
END_TEST

START_TEST(test_equiv_medium_load)
{
    traffic_shape s = {30, 12, 3, 40};
    check_equivalence(params_6x6(UDN_ORDER_XY, 1, 8, 4), s, 12, 6000, 400, 1);
}
END_TEST

/* Back-to-back long messages, slow readers, 4-word queues: full queues,
 * worms stopped across the mesh, senders blocked most of the time. */
START_TEST(test_equiv_saturating)
{
    traffic_shape s = {2, 20, 8, 0};
    check_equivalence(params_6x6(UDN_ORDER_XY, 1, 4, 2), s, 13, 6000, 1000, 10000);
}
END_TEST

/* Fixed-priority arbitration under heavy load. */
START_TEST(test_equiv_fixed_priority)
{
    traffic_shape s = {4, 16, 4, 0};
    udn_mesh_params p = params_6x6(UDN_ORDER_XY, 1, 6, 3);
    p.arbitration = UDN_ARB_FIXED;
    check_equivalence(p, s, 15, 6000, 800, 1000);
}
END_TEST

/* Y-then-X, 2-cycle hops with buffers too short for the credit round trip,
 * and a hardwall that drops what tries to leave it. */
START_TEST(test_equiv_yx_hop2_hardwall)
{
    traffic_shape s = {10, 10, 2, 30};
    udn_mesh_params p = params_6x6(UDN_ORDER_YX, 2, 6, 2);
    p.hardwall = 1;
    p.hw_x0 = 1;
    p.hw_y0 = 1;
    p.hw_x1 = 4;
    p.hw_y1 = 3;
    check_equivalence(p, s, 14, 6000, 600, 1);
}
END_TEST

}  // namespace

extern "C" Suite *mesh_equiv_suite(void);
Suite *mesh_equiv_suite(void)
{
    Suite *s = suite_create("mesh_equiv");
    TCase *tc = tcase_create("reference");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_equiv_low_load);
    tcase_add_test(tc, test_equiv_medium_load);
    tcase_add_test(tc, test_equiv_saturating);
    tcase_add_test(tc, test_equiv_fixed_priority);
    tcase_add_test(tc, test_equiv_yx_hop2_hardwall);
    suite_add_tcase(s, tc);
    return s;
}
