// test_mpipe_model.cpp - the mPIPE model under SystemC with a test backend
// and a scripted "software" thread: exact wire, classifier and DMA timing,
// drops by cause and recovery, ring wrap, bucket modes, chaining, egress
// gather with checksum offload checked by independent code; every register
// hole faults; the slot FIFO the queues are made of.
#include <systemc>
#include <cstring>
#include <deque>
#include <functional>
#include <vector>

#include "abi/mpipe.h"
#include "mpipe/eth_wire.h"
#include "mpipe/mpipe_model.h"
#include "mpipe/slot_fifo.h"
#include "mpipe_abi_layout.h"   // the descriptors pinned, as C++ lays them out
extern "C" {
#include "mpipe_frames.h"
}

#include <check.h> // last: it defines a macro named fail

using namespace sc_core;

namespace {

const uint64_t BIT = 100000;                   // fs per bit at 10 Gb/s
const uint64_t SHARED = TILE_SHARED_BASE;
const uint64_t RING_MEM = SHARED + 0x10000;    // notification rings, 0x10000 apart
const uint64_t ER_MEM = SHARED + 0x100000;     // egress rings
const uint64_t BUF_MEM = SHARED + 0x200000;    // buffers

// Frames to receive at given times; frames transmitted, with their times.
struct TestBackend : PortBackend {
    std::deque<std::pair<std::vector<uint8_t>, uint64_t>> in;
    sc_event added;
    sc_event *more() override { return &added; }
    std::vector<std::pair<std::vector<uint8_t>, uint64_t>> out;
    bool next(std::vector<uint8_t> &f, uint64_t &at) override
    {
        if (in.empty()) return false;
        f = in.front().first;
        at = in.front().second;
        in.pop_front();
        return true;
    }
    void transmitted(const uint8_t *f, size_t len, uint64_t start) override
    {
        out.emplace_back(std::vector<uint8_t>(f, f + len), start);
    }
};

// Runs a function as a SystemC thread (the software side of a test).
struct Script : sc_module {
    SC_HAS_PROCESS(Script);
    std::function<void()> fn;
    Script(sc_module_name n, std::function<void()> f) : sc_module(n), fn(f) { SC_THREAD(run); }
    void run() { fn(); }
};

struct DmaWrite { uint64_t fs, addr, len; };

void on_dma(void *ctx, uint64_t addr, uint64_t len)
{
    static_cast<std::vector<DmaWrite> *>(ctx)->push_back({ sc_time_stamp().value(), addr, len });
}

// One mPIPE with one port (or more), 16 MiB of shared memory, a test
// backend on port 0 and a log of DMA writes.
// The TILE-Gx36's mPIPE as the default configuration describes it, written
// out (the model is tested without sim/), with one 10 Gb/s port.
MpipeParams default_params()
{
    MpipeParams p{};
    p.ports = 1;
    p.rate_gbps = 10;
    p.pad_short = true;
    p.classifiers = 10;
    p.classify_cycles = 10;
    p.dma_latency = 80;
    p.dma_bytes_per_cycle = 16;
    p.max_frame = 1544;
    p.egress_sf_blocks = 12;
    return p;
}

struct Bench {
    MpipeParams cfg;
    phys_mem mem;
    Mpipe *m = nullptr;
    TestBackend be;
    std::vector<DmaWrite> dma;
    uint64_t C = 0;   // fs per cycle

    explicit Bench(const char *rules = "default stacks=0-31 buckets=0+256",
                   std::function<void(MpipeParams &)> tweak = nullptr)
    {
        sc_set_time_resolution(1, SC_FS);
        cfg = default_params();
        if (tweak) tweak(cfg);
        char err[256];
        ck_assert_int_eq(phys_mem_init(&mem, 16 << 20, err, sizeof err), 0);
        phys_mem_observe(&mem, on_dma, &dma);
        mpipe_rules r;
        ck_assert_msg(mpipe_rules_parse(rules, &r, err, sizeof err) == 0, "%s", err);
        sc_time cyc = sc_time::from_value(833333); // 1.2 GHz
        C = cyc.value();
        m = new Mpipe("mpipe", cfg, r, &mem, cyc);
        m->ports[0]->attach_backend(&be);
    }
    ~Bench()
    {
        delete m;
        phys_mem_free(&mem);
    }
    void wr(uint64_t off, uint64_t v)
    {
        const sc_event *w = nullptr;
        ck_assert_msg(m->store(off, 8, v, &w) == MmioResult::ok, "store to 0x%llx faulted",
                      (unsigned long long)off);
    }
    uint64_t rd(uint64_t off)
    {
        const sc_event *w = nullptr;
        uint64_t v = 0;
        ck_assert(m->load(off, 8, v, &w) == MmioResult::ok);
        return v;
    }
    // Stack s: n buffers of class cls from BUF_MEM + at.
    void stack(unsigned s, unsigned cls, unsigned n, uint64_t at = 0, uint64_t capacity = 1024)
    {
        wr(MPIPE_STACK_REG(s, MPIPE_STACK_INIT), MPIPE_STACK_INIT_VAL(cls, capacity));
        for (unsigned i = 0; i < n; i++)
            wr(MPIPE_STACK_REG(s, MPIPE_STACK_PUSH), BUF_MEM + at + (uint64_t)i * mpipe_size_class_bytes(cls));
    }
    void ring(unsigned r, uint64_t entries = 128)
    {
        wr(MPIPE_RING_REG(r, MPIPE_RING_BASE), RING_MEM + r * 0x10000ULL);
        wr(MPIPE_RING_REG(r, MPIPE_RING_INIT), entries);
    }
    // Group 0 = rings [0, n); buckets [b0, b0 + count) in mode starting at ring `start`.
    void buckets(unsigned n, unsigned mode, unsigned b0 = 0, unsigned count = 256, unsigned start = 0)
    {
        wr(MPIPE_GROUP_REG(0), MPIPE_GROUP_VAL(0, n));
        for (unsigned b = b0; b < b0 + count; b++) wr(MPIPE_BUCKET_REG(b), MPIPE_BUCKET_VAL(0, mode, start));
    }
    mpipe_idesc idesc(unsigned r, uint64_t slot)
    {
        mpipe_idesc d;
        phys_mem_dma_read(&mem, RING_MEM + r * 0x10000ULL + (slot % 128) * 64, &d, sizeof d);
        return d;
    }
    void add(const std::vector<uint8_t> &f, uint64_t at_fs)
    {
        be.in.emplace_back(f, at_fs);
        be.added.notify(SC_ZERO_TIME);
    }
    void run_ns(uint64_t ns) { sc_start(sc_time::from_value(ns * 1000000ULL)); }
};

std::vector<uint8_t> frame(size_t len, int proto = 17, uint16_t dport = 7, uint16_t sport = 1000,
                           uint8_t seed = 0)
{
    std::vector<uint8_t> f(len);
    tf_build(f.data(), len, proto, 0x0a000001, 0x0a000101, sport, dport, 0, seed);
    return f;
}

uint64_t up(uint64_t t, uint64_t c) { return (t + c - 1) / c * c; }

} // namespace

START_TEST(ingress_line_rate_and_dma_timing)
{
    Bench b;
    b.stack(0, 1, 16);
    b.ring(0);
    b.buckets(1, MPIPE_MODE_STATIC);
    std::vector<uint8_t> f = frame(60);
    for (int k = 0; k < 4; k++) b.add(f, 0);   // a back-to-back burst
    b.run_ns(2000);
    ck_assert_uint_eq(b.m->delivered, 4);
    ck_assert_uint_eq(b.dma.size(), 8);
    const uint64_t C = b.C;
    uint64_t idma_free = 0;
    for (int k = 0; k < 4; k++) {
        uint64_t start = (uint64_t)k * 672 * BIT;               // 67.2 ns per 64-byte frame
        uint64_t fcs_end = start + (8 + 64) * 8 * BIT;          // preamble + frame + FCS
        uint64_t done = up(fcs_end, C) + 10 * C;                // classify_cycles
        uint64_t dstart = std::max(done, idma_free);
        uint64_t data = dstart + (4 + 80) * C;                  // ceil(60/16) + dma_latency
        uint64_t desc = data + 4 * C;                           // ceil(64/16)
        idma_free = dstart + 8 * C;
        ck_assert_uint_eq(b.dma[2 * k].fs, data);
        ck_assert_uint_eq(b.dma[2 * k].len, 60);
        ck_assert_uint_eq(b.dma[2 * k + 1].fs, desc);
        ck_assert_uint_eq(b.dma[2 * k + 1].addr, RING_MEM + (uint64_t)k * 64);
        mpipe_idesc d = b.idesc(0, (uint64_t)k);
        ck_assert_uint_eq(d.time_sec, 0);
        ck_assert_uint_eq(d.time_ns, start / 1000000);
        ck_assert_uint_eq(d.seq, (uint64_t)k);
        ck_assert_uint_eq(d.l2_size, 60);
        ck_assert_uint_eq(d.flags, MPIPE_IDESC_GEN | MPIPE_IDESC_IPCK_OK | MPIPE_IDESC_L4CK_OK);
        ck_assert_uint_eq(d.flow_hash, tf_flow_hash(0x0a000001, 0x0a000101, 17, 1000, 7));
        ck_assert_uint_eq(d.bucket, d.flow_hash % 256);
        ck_assert_uint_eq(d.l3_off, 14);
        ck_assert_uint_eq(d.l4_off, 34);
        ck_assert_uint_eq(d.port_dst, 7);
        ck_assert_uint_eq(mpipe_bdesc_stack(d.bdesc), 0);
        ck_assert_uint_eq(mpipe_bdesc_class(d.bdesc), 1);
        ck_assert_uint_eq(mpipe_bdesc_c(d.bdesc), MPIPE_C_UNCHAINED);
        ck_assert_int_eq(memcmp(phys_mem_ptr(&b.mem, mpipe_bdesc_addr(d.bdesc), 60), f.data(), 60), 0);
    }
    ck_assert_uint_eq(b.m->ports[0]->rx_frames, 4);
    ck_assert_uint_eq(b.rd(MPIPE_RING_REG(0, MPIPE_RING_COUNT)), 4);
}
END_TEST

// A tile waiting in the ring's wait-for-event register wakes exactly when
// the descriptor lands.
START_TEST(ring_wait_register_wakes_on_landing)
{
    Bench b;
    b.stack(0, 1, 16);
    b.ring(0);
    b.buckets(1, MPIPE_MODE_STATIC);
    b.add(frame(60), 1000 * 1000000ULL);
    std::vector<uint64_t> woke;
    Script sw("sw", [&b, &woke]() {
        for (uint64_t head = 0; head < 2; head++) {
            const sc_event *w = nullptr;
            while (b.m->store(MPIPE_RING_REG(0, MPIPE_RING_COUNT), 8, head, &w) == MmioResult::block) wait(*w);
            woke.push_back(sc_time_stamp().value());
            if (head == 0) b.add(frame(60), sc_time_stamp().value() + 500 * 1000000ULL);
        }
    });
    b.run_ns(4000);
    ck_assert_uint_eq(woke.size(), 2);
    std::vector<uint64_t> desc;
    for (auto &w : b.dma)
        if (w.len == 64) desc.push_back(w.fs);
    ck_assert_uint_eq(desc.size(), 2);
    ck_assert_uint_eq(woke[0], desc[0]);
    ck_assert_uint_eq(woke[1], desc[1]);
    const sc_event *w = nullptr;
    ck_assert(b.m->store(MPIPE_RING_REG(1, MPIPE_RING_COUNT), 8, 0, &w) == MmioResult::fault);   // ring off
}
END_TEST

START_TEST(wire_pads_short_and_honours_times)
{
    Bench b;
    b.stack(0, 1, 16);
    b.ring(0);
    b.buckets(1, MPIPE_MODE_STATIC);
    std::vector<uint8_t> big = frame(1514), small = frame(42 + 8);
    b.add(big, 1000 * 1000000ULL);    // at 1 us
    b.add(small, 0);                  // asks for 0: waits for the wire (1514 + 4 + 20 bytes)
    b.add(small, 5000 * 1000000ULL);  // at 5 us exactly
    b.run_ns(8000);
    ck_assert_uint_eq(b.m->delivered, 3);
    ck_assert_uint_eq(b.idesc(0, 0).time_ns, 1000);
    ck_assert_uint_eq(b.idesc(0, 1).time_ns, 1000 + (1514 + 4 + 20) * 8 * BIT / 1000000);
    ck_assert_uint_eq(b.idesc(0, 1).l2_size, 60);   // padded by the sender
    ck_assert_uint_eq(b.idesc(0, 2).time_ns, 5000);
}
END_TEST

START_TEST(classifier_is_a_timed_resource)
{
    Bench b("default stacks=0 buckets=0+256", [](MpipeParams &c) {
        c.classifiers = 2;
        c.classify_cycles = 300;
    });
    b.stack(0, 1, 64);
    b.ring(0);
    b.buckets(1, MPIPE_MODE_STATIC);
    for (int k = 0; k < 6; k++) b.add(frame(60), 0);
    b.run_ns(3000);
    ck_assert_uint_eq(b.m->delivered, 6);
    // two processors of 300 cycles against a frame every 80.64 cycles: from
    // the third frame on, frames leave in pairs 300 cycles apart
    std::vector<uint64_t> desc;
    for (auto &w : b.dma)
        if (w.len == 64) desc.push_back(w.fs);
    ck_assert_uint_eq(desc.size(), 6);
    for (int k = 2; k < 6; k++) ck_assert_uint_eq(desc[k] - desc[k - 2], 300 * b.C);
    ck_assert_uint_eq(b.m->classifier_busy_cycles, 6 * 300);
}
END_TEST

START_TEST(drops_by_cause)
{
    Bench b("dport=9 stacks=0 buckets=300+1 | default stacks=0 buckets=0+256",
            [](MpipeParams &c) { c.pad_short = 0; });
    b.stack(0, 1, 64);
    b.ring(0);
    b.buckets(1, MPIPE_MODE_STATIC);
    b.add(frame(59), 0);                                     // runt: below 60 with padding off
    b.add(frame(1545), 0);                                   // oversize: above mpipe.max_frame
    std::vector<uint8_t> f = frame(100);
    f[14] = 0x55;                                            // IPv4 version 5
    b.add(f, 0);
    f = frame(100);
    f[24] ^= 0xff;                                           // header checksum
    b.add(f, 0);
    b.add(frame(100, 17, 9), 0);                             // bucket 300: not set up
    b.add(frame(100), 0);                                    // delivered
    b.run_ns(5000);
    ck_assert_uint_eq(b.m->drops(DROP_RUNT), 1);
    ck_assert_uint_eq(b.m->drops(DROP_OVERSIZE), 1);
    ck_assert_uint_eq(b.m->drops(DROP_PARSE), 1);
    ck_assert_uint_eq(b.m->drops(DROP_IPV4_CSUM), 1);
    ck_assert_uint_eq(b.m->drops(DROP_NO_RING), 1);
    ck_assert_uint_eq(b.m->delivered, 1);
    ck_assert_uint_eq(b.rd(MPIPE_REG_DROPS), 5);
    ck_assert_str_eq(mpipe_drop_name(DROP_IPV4_CSUM), "bad_ipv4_csum");
}
END_TEST

START_TEST(buffer_exhaustion_drops_then_recovers)
{
    Bench b;
    b.stack(0, 1, 2);
    b.ring(0);
    b.buckets(1, MPIPE_MODE_STATIC);
    for (int k = 0; k < 5; k++) b.add(frame(60), 0);
    for (int k = 0; k < 3; k++) b.add(frame(60), 10000 * 1000000ULL);   // at 10 us
    Script sw("sw", [&b]() {
        wait(sc_time::from_value(5000 * 1000000ULL));
        ck_assert_uint_eq(b.m->drops(DROP_NO_BUFFER), 3);
        ck_assert_uint_eq(b.rd(MPIPE_STACK_REG(0, MPIPE_STACK_COUNT)), 0);
        ck_assert_uint_eq(b.rd(MPIPE_STACK_REG(0, MPIPE_STACK_POP)), 0);   // empty
        for (int k = 0; k < 2; k++) {       // the software is done with both
            b.wr(MPIPE_STACK_REG(0, MPIPE_STACK_PUSH), mpipe_bdesc_addr(b.idesc(0, (uint64_t)k).bdesc));
            b.wr(MPIPE_REG_CREDIT, MPIPE_CREDIT(0, MPIPE_NO_BUCKET, 1));
        }
    });
    b.run_ns(20000);
    ck_assert_uint_eq(b.m->delivered, 4);
    ck_assert_uint_eq(b.m->drops(DROP_NO_BUFFER), 4);
}
END_TEST

START_TEST(ring_overflow_drops_then_wraps)
{
    Bench b;
    b.stack(0, 1, 300);
    b.ring(0, 128);
    b.buckets(1, MPIPE_MODE_STATIC);
    for (int k = 0; k < 130; k++) b.add(frame(60), 0);
    for (int k = 0; k < 10; k++) b.add(frame(60, 17, 7, 1000, (uint8_t)k), 20000 * 1000000ULL);
    Script sw("sw", [&b]() {
        wait(sc_time::from_value(15000 * 1000000ULL));
        ck_assert_uint_eq(b.m->delivered, 128);
        ck_assert_uint_eq(b.m->drops(DROP_RING_FULL), 2);
        ck_assert_uint_eq(b.m->ring_occupancy(0), 128);
        b.wr(MPIPE_REG_CREDIT, MPIPE_CREDIT(0, MPIPE_NO_BUCKET, 128));
    });
    b.run_ns(25000);
    ck_assert_uint_eq(b.m->delivered, 138);
    // descriptors 128..137 went to slots 0..9 with GEN 0 (second pass)
    for (uint64_t k = 0; k < 10; k++) {
        mpipe_idesc d = b.idesc(0, k);
        ck_assert_uint_eq(d.seq, 128 + k);
        ck_assert_uint_eq(d.flags & MPIPE_IDESC_GEN, 0);
    }
    ck_assert_uint_eq(b.idesc(0, 10).flags & MPIPE_IDESC_GEN, MPIPE_IDESC_GEN);   // still the first pass
    ck_assert_uint_eq(b.m->ring_stats[0].max_occupancy, 128);
}
END_TEST

START_TEST(bucket_modes)
{
    // one bucket per destination port, so each frame's bucket is known
    Bench b("dport=1 stacks=0 buckets=0+1 | dport=2 stacks=0 buckets=1+1 | dport=3 stacks=0 buckets=2+1 | "
            "dport=4 stacks=0 buckets=3+1 | default stacks=0 buckets=4+1");
    b.stack(0, 1, 600);
    for (unsigned r = 0; r < 4; r++) b.ring(r);
    b.buckets(4, MPIPE_MODE_STATIC, 0, 1, 3);          // bucket 0: static, ring 3
    b.buckets(4, MPIPE_MODE_ROUND_ROBIN, 1, 1, 0);     // bucket 1
    b.buckets(4, MPIPE_MODE_STICKY, 2, 1, 2);          // bucket 2, starting on ring 2
    b.buckets(4, MPIPE_MODE_AFFINITY, 3, 1, 1);        // bucket 3
    uint64_t t = 0, gap = 100000 * 1000ULL;            // 100 ns apart, in order
    for (int k = 0; k < 3; k++) b.add(frame(60, 17, 1), t += gap);
    for (int k = 0; k < 8; k++) b.add(frame(60, 17, 2), t += gap);
    b.run_ns(t / 1000000 + 2000);
    // static: ring 3 three times; round robin: the least full ring, ties in
    // rotating order, so rings 0-2 share the 8 evenly and ring 3 gets none
    ck_assert_uint_eq(b.m->ring_stats[3].written, 3);
    uint64_t w0 = b.m->ring_stats[0].written, w1 = b.m->ring_stats[1].written, w2 = b.m->ring_stats[2].written;
    ck_assert_uint_eq(w0 + w1 + w2, 8);
    ck_assert(w0 >= 2 && w0 <= 3 && w1 >= 2 && w1 <= 3 && w2 >= 2 && w2 <= 3);
    ck_assert_uint_eq(w1, 2);   // the trace of the rotation: 0 1 2 0 1 2 2 0
    // sticky: stays on ring 2 until it is full, then the least full (ring 1)
    for (int k = 0; k < 125; k++) b.add(frame(60, 17, 3), (t += gap));
    b.run_ns(125 * 100 + 2000);
    ck_assert_uint_eq(b.m->ring_occupancy(2), 128);
    b.add(frame(60, 17, 3), (t += gap));
    b.run_ns(1000);
    ck_assert_uint_eq(b.m->ring_occupancy(2), 128);
    ck_assert_uint_eq(b.m->ring_occupancy(1), 3);
    ck_assert_uint_eq(b.m->drops(DROP_RING_FULL), 0);
    // affinity: nothing outstanding, so the least full (ring 0, first of the
    // 3-3-3 tie); then ring 0 while the bucket has descriptors outstanding,
    // even when ring 1 is emptier; once drained, the least full again
    for (int k = 0; k < 3; k++) b.add(frame(60, 17, 4), (t += gap));
    b.run_ns(1000);
    ck_assert_uint_eq(b.m->ring_occupancy(0), 6);
    b.wr(MPIPE_REG_CREDIT, MPIPE_CREDIT(1, MPIPE_NO_BUCKET, 2));   // ring 1: 1
    b.add(frame(60, 17, 4), (t = sc_time_stamp().value() + gap));
    b.run_ns(1000);
    ck_assert_uint_eq(b.m->ring_occupancy(0), 7);
    ck_assert_uint_eq(b.m->ring_occupancy(1), 1);
    b.wr(MPIPE_REG_CREDIT, MPIPE_CREDIT(0, 3, 4));                 // bucket 3 drains
    b.add(frame(60, 17, 4), (t = sc_time_stamp().value() + gap));
    b.run_ns(1000);
    ck_assert_uint_eq(b.m->ring_occupancy(0), 3);
    ck_assert_uint_eq(b.m->ring_occupancy(1), 2);
    ck_assert_uint_eq(b.m->drops(DROP_RING_FULL), 0);
}
END_TEST

START_TEST(frames_larger_than_a_buffer_are_chained)
{
    Bench b;
    b.stack(0, 0, 8);            // 128-byte buffers only
    b.ring(0);
    b.buckets(1, MPIPE_MODE_STATIC);
    std::vector<uint8_t> f = frame(300, 6, 80);
    b.add(f, 0);
    b.add(frame(100), 0);        // fits one 128-byte buffer: not chained
    b.run_ns(2000);
    ck_assert_uint_eq(b.m->delivered, 2);
    mpipe_idesc d = b.idesc(0, 0);
    ck_assert_uint_eq(mpipe_bdesc_c(d.bdesc), MPIPE_C_CHAINED);
    std::vector<uint8_t> got;
    uint64_t bd = d.bdesc;
    int buffers = 0;
    for (;;) {
        buffers++;
        uint64_t next;
        phys_mem_dma_read(&b.mem, mpipe_bdesc_addr(bd), &next, 8);
        size_t n = std::min<size_t>(120, 300 - got.size());
        const uint8_t *p = phys_mem_ptr(&b.mem, mpipe_bdesc_addr(bd) + 8, n);
        got.insert(got.end(), p, p + n);
        if (mpipe_bdesc_c(next) != MPIPE_C_CHAINED) {
            ck_assert_uint_eq(mpipe_bdesc_c(next), MPIPE_C_INVALID);
            break;
        }
        bd = next;
    }
    ck_assert_int_eq(buffers, 3);   // 120 + 120 + 60
    ck_assert(got == f);
    ck_assert_uint_eq(mpipe_bdesc_c(b.idesc(0, 1).bdesc), MPIPE_C_UNCHAINED);
    ck_assert_uint_eq(b.rd(MPIPE_STACK_REG(0, MPIPE_STACK_COUNT)), 4);
}
END_TEST

START_TEST(smallest_fitting_stack)
{
    Bench b("default stacks=0-2 buckets=0+256");
    b.stack(0, 4, 4, 0);            // 1664
    b.stack(1, 0, 4, 0x10000);      // 128
    b.stack(2, 2, 4, 0x20000);      // 512
    b.ring(0);
    b.buckets(1, MPIPE_MODE_STATIC);
    b.add(frame(100), 0);
    b.add(frame(300), 0);
    b.add(frame(1000), 0);
    b.run_ns(2000);
    ck_assert_uint_eq(mpipe_bdesc_stack(b.idesc(0, 0).bdesc), 1);
    ck_assert_uint_eq(mpipe_bdesc_stack(b.idesc(0, 1).bdesc), 2);
    ck_assert_uint_eq(mpipe_bdesc_stack(b.idesc(0, 2).bdesc), 0);
}
END_TEST

// Egress: a UDP and a TCP frame, each a gather of a header buffer (checksum
// field zero) and a payload buffer with checksum offload; then a
// nothing-to-send descriptor that only returns a buffer; then a burst.
START_TEST(egress_gather_checksum_and_line_rate)
{
    Bench b;
    b.stack(0, 1, 0, 0, 64);   // empty: filled by the returns
    std::vector<std::vector<uint8_t>> want;
    std::vector<mpipe_edesc> ed;
    uint64_t buf = BUF_MEM;
    auto put = [&](const std::vector<uint8_t> &bytes) {
        memcpy(phys_mem_ptr(&b.mem, buf, bytes.size()), bytes.data(), bytes.size());
        uint64_t a = buf;
        buf += 512;
        return a;
    };
    for (int proto : { 17, 6 }) {
        std::vector<uint8_t> f = frame(proto == 17 ? 300 : 200, proto, 80, 1234, 5);
        want.push_back(f);
        size_t l4 = 34, hdr = l4 + (proto == 6 ? 20 : 8), dest = l4 + (proto == 6 ? 16 : 6);
        // seed: the pseudo-header sum (addresses, protocol, L4 length)
        uint32_t s = 0x0a00 + 0x0001 + 0x0a00 + 0x0101 + (uint32_t)proto + (uint32_t)(f.size() - l4);
        std::vector<uint8_t> h(f.begin(), f.begin() + (long)hdr), p(f.begin() + (long)hdr, f.end());
        h[dest] = h[dest + 1] = 0;
        mpipe_edesc d0 = { mpipe_edesc_w0((unsigned)h.size(), 0, 0) | mpipe_edesc_csum((unsigned)l4, (unsigned)dest, s),
                           mpipe_bdesc(put(h), 0, 1, 0) | MPIPE_BDESC_HWB };
        mpipe_edesc d1 = { mpipe_edesc_w0((unsigned)p.size(), 1, 0), mpipe_bdesc(put(p), 0, 1, 0) | MPIPE_BDESC_HWB };
        ed.push_back(d0);
        ed.push_back(d1);
    }
    ed.push_back({ MPIPE_EDESC_NS | MPIPE_EDESC_EOP, mpipe_bdesc(buf, 0, 1, 0) | MPIPE_BDESC_HWB });
    buf += 512;
    for (int k = 0; k < 6; k++) {
        want.push_back(frame(60, 17, 9, (uint16_t)k));
        ed.push_back({ mpipe_edesc_w0(60, 1, 0), mpipe_bdesc(put(want.back()), 0, 1, 0) });
    }
    for (size_t i = 0; i < ed.size(); i++) {
        ed[i].w0 |= mpipe_gen(i, 512) ? MPIPE_EDESC_GEN : 0;
        phys_mem_dma_write(&b.mem, ER_MEM + i * 16, &ed[i], 16);
    }
    b.wr(MPIPE_ER_REG(0, MPIPE_ER_BASE), ER_MEM);
    b.wr(MPIPE_ER_REG(0, MPIPE_ER_INIT), MPIPE_ER_INIT_VAL(512, 0));
    uint64_t woke = 0;
    Script sw("sw", [&b, &ed, &woke]() {
        b.wr(MPIPE_ER_REG(0, MPIPE_ER_TAIL), ed.size());
        const sc_event *w = nullptr;   // sleep in the completion register until frame 0 is done
        while (b.m->store(MPIPE_ER_REG(0, MPIPE_ER_DONE), 8, 1, &w) == MmioResult::block) wait(*w);
        woke = sc_time_stamp().value();
    });
    b.run_ns(5000);
    ck_assert_uint_eq(b.be.out.size(), 8);
    for (size_t i = 0; i < 8; i++) {
        const std::vector<uint8_t> &o = b.be.out[i].first;
        for (size_t k = 0; k < o.size() && k < want[i].size(); k++)
            ck_assert_msg(o[k] == want[i][k], "frame %zu byte %zu: %02x, want %02x", i, k, o[k], want[i][k]);
        ck_assert_uint_eq(o.size(), want[i].size());
        ck_assert(tf_ipv4_ok(o.data(), o.size()) && tf_l4_ok(o.data(), o.size()));
    }
    ck_assert_uint_eq(b.rd(MPIPE_ER_REG(0, MPIPE_ER_DONE)), ed.size());
    ck_assert_uint_eq(b.rd(MPIPE_STACK_REG(0, MPIPE_STACK_COUNT)), 5);   // 4 gathered + 1 ns
    // timing: the first frame reads its 300 bytes (19 cycles) after the
    // descriptor latency; the last six (60 bytes) follow at line rate
    const uint64_t C = b.C;
    ck_assert_uint_eq(b.be.out[0].second, (80 + 19) * C);
    for (size_t i = 3; i < 8; i++)
        ck_assert_uint_eq(b.be.out[i].second - b.be.out[i - 1].second, 672 * BIT);
    ck_assert_uint_eq(b.m->ports[0]->tx_frames, 8);
    ck_assert_uint_eq(woke, b.be.out[0].second + (8 + 300 + 4) * 8 * BIT);   // end of frame 0's FCS
}
END_TEST

START_TEST(egress_bad_generation_stops_the_ring)
{
    Bench b;
    mpipe_edesc d = { mpipe_edesc_w0(60, 1, 0), mpipe_bdesc(BUF_MEM, 0, 1, 0) };   // GEN 0 on the first pass
    phys_mem_dma_write(&b.mem, ER_MEM, &d, 16);
    b.wr(MPIPE_ER_REG(0, MPIPE_ER_BASE), ER_MEM);
    b.wr(MPIPE_ER_REG(0, MPIPE_ER_INIT), MPIPE_ER_INIT_VAL(512, 0));
    Script sw("sw", [&b]() { b.wr(MPIPE_ER_REG(0, MPIPE_ER_TAIL), 1); });
    b.run_ns(1000);
    ck_assert_uint_eq(b.be.out.size(), 0);
    ck_assert_uint_eq(b.m->egress_errors, 1);
    const sc_event *w = nullptr;
    ck_assert(b.m->store(MPIPE_ER_REG(0, MPIPE_ER_TAIL), 8, 600, &w) == MmioResult::fault);   // past the ring
    ck_assert(b.m->store(MPIPE_RING_REG(1, MPIPE_RING_INIT), 8, 100, &w) == MmioResult::fault); // bad size
    ck_assert(b.m->store(MPIPE_STACK_REG(0, MPIPE_STACK_PUSH), 8, BUF_MEM, &w) == MmioResult::fault); // disabled
    ck_assert(b.m->store(MPIPE_REG_INFO, 4, 0, &w) == MmioResult::fault);
}
END_TEST

START_TEST(register_holes_and_missing_registers_fault)
{
    Bench b;
    const sc_event *w = nullptr;
    uint64_t v = 0;
    const uint64_t bad_loads[] = { MPIPE_REG_CREDIT, 0x18, 0x0ff8, MPIPE_STACK_REG(3, MPIPE_STACK_INIT),
                                   0x1400, MPIPE_RING_REG(7, MPIPE_RING_BASE), MPIPE_GROUP_REG(1),
                                   MPIPE_BUCKET_REG(9), 0xd200, MPIPE_ER_REG(2, MPIPE_ER_INIT),
                                   MPIPE_ER_REG(2, 0x28), 0xe600, 0xfff8 };
    for (uint64_t off : bad_loads)
        ck_assert_msg(b.m->load(off, 8, v, &w) == MmioResult::fault, "load of 0x%llx", (unsigned long long)off);
    const uint64_t bad_stores[] = { MPIPE_REG_INFO, MPIPE_REG_DROPS, 0x18, MPIPE_STACK_REG(3, MPIPE_STACK_POP),
                                    MPIPE_STACK_REG(3, MPIPE_STACK_COUNT), 0x1400, 0x4100, 0xd200,
                                    MPIPE_ER_REG(2, 0x28), MPIPE_ER_REG(23, 0x38), 0xe600 };
    for (uint64_t off : bad_stores)
        ck_assert_msg(b.m->store(off, 8, 0, &w) == MmioResult::fault, "store to 0x%llx", (unsigned long long)off);
    // a credit naming a ring past the last (bits above 47 included) faults
    b.ring(0);
    ck_assert(b.m->store(MPIPE_REG_CREDIT, 8, MPIPE_CREDIT(0, MPIPE_NO_BUCKET, 1), &w) == MmioResult::ok);
    ck_assert(b.m->store(MPIPE_REG_CREDIT, 8, MPIPE_CREDIT(1ULL << 16, MPIPE_NO_BUCKET, 1), &w) == MmioResult::fault);
    ck_assert(b.m->load(MPIPE_REG_INFO, 8, v, &w) == MmioResult::ok);
    ck_assert_uint_eq(mpipe_info_ports(v), 1);
    ck_assert_uint_eq(mpipe_info_classifiers(v), (uint64_t)b.cfg.classifiers);
}
END_TEST

START_TEST(slot_fifo_keeps_order_and_reuses_slots)
{
    SlotFifo<std::vector<int>> q;
    for (int i = 0; i < 4; i++) q.push_back().assign(100, i);   // fills the first ring of 4
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(q.front()[0], i);
        q.pop_front();
    }
    // a slot comes back as its last use left it: no new buffer needed
    std::vector<int> &again = q.push_back();
    ck_assert_uint_ge(again.capacity(), 100);
    const int *storage = again.data();
    again.assign(1, 0);
    ck_assert_ptr_eq(again.data(), storage);
    // order holds across the wrap and two growths; contents move with their slot
    for (int i = 1; i < 12; i++) q.push_back().assign(1, i);
    ck_assert_uint_eq(q.size(), 12);
    ck_assert_ptr_eq(q.front().data(), storage);
    for (int i = 0; i < 12; i++) {
        ck_assert_int_eq(q[0][0], i);
        q.pop_front();
    }
    ck_assert(q.empty());
}
END_TEST

extern "C" Suite *mpipe_model_suite(void)
{
    Suite *s = suite_create("mpipe_model");
    TCase *t = tcase_create("model");
    tcase_add_test(t, ingress_line_rate_and_dma_timing);
    tcase_add_test(t, ring_wait_register_wakes_on_landing);
    tcase_add_test(t, wire_pads_short_and_honours_times);
    tcase_add_test(t, classifier_is_a_timed_resource);
    tcase_add_test(t, drops_by_cause);
    tcase_add_test(t, buffer_exhaustion_drops_then_recovers);
    tcase_add_test(t, ring_overflow_drops_then_wraps);
    tcase_add_test(t, bucket_modes);
    tcase_add_test(t, frames_larger_than_a_buffer_are_chained);
    tcase_add_test(t, smallest_fitting_stack);
    tcase_add_test(t, egress_gather_checksum_and_line_rate);
    tcase_add_test(t, egress_bad_generation_stops_the_ring);
    tcase_add_test(t, register_holes_and_missing_registers_fault);
    tcase_add_test(t, slot_fifo_keeps_order_and_reuses_slots);
    suite_add_tcase(s, t);
    return s;
}
