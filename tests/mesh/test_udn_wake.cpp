// test_udn_wake.cpp - a tile asleep in UDN_WAIT is woken by the mPIPE at the
// exact cycle its descriptor lands on the tile's notification ring, and by a
// UDN message; the value of the wait says which (abi/udn.h). Real tile core,
// mesh, UDN page and mPIPE, wired as the chip wires them (sim/chip.cpp).
#include <systemc>
#include <cstring>
#include <vector>

#include "abi/mpipe.h"
#include "abi/tile_memmap.h"
#include "abi/udn.h"
#include "core/tile_core.h"
#include "mesh/udn_tile_device.h"
#include "mpipe/mpipe_model.h"
extern "C" {
#include "../mpipe/mpipe_frames.h"
}

#include "rv_encode.h"

#include <check.h> // last: it defines a macro named fail

using namespace sc_core;

namespace {

const uint64_t RING = TILE_SHARED_BASE + 0x10000;
const uint64_t BUFS = TILE_SHARED_BASE + 0x200000;

struct OneFrame : PortBackend {
    std::vector<uint8_t> f;
    bool given = false;
    bool next(std::vector<uint8_t> &frame, uint64_t &at) override
    {
        if (given) return false;
        given = true;
        frame = f;
        at = 0;
        return true;
    }
};

struct DmaLog { std::vector<uint64_t> fs, addr; };
void on_dma(void *ctx, uint64_t addr, uint64_t)
{
    static_cast<DmaLog *>(ctx)->fs.push_back(sc_time_stamp().value());
    static_cast<DmaLog *>(ctx)->addr.push_back(addr);
}

// Sends a one-word UDN message from tile 1 to tile 0, queue 2, at a cycle.
struct Sender : sc_module {
    SC_HAS_PROCESS(Sender);
    udn_mesh_sc *udn;
    uint64_t at_fs;
    Sender(sc_module_name n, udn_mesh_sc *u, uint64_t fs) : sc_module(n), udn(u), at_fs(fs) { SC_THREAD(run); }
    void run()
    {
        wait(sc_time::from_value(at_fs));
        ck_assert_int_eq(udn->send(1, udn_header(0, 0, 2, 1)), UDN_SEND_OK);
        ck_assert_int_eq(udn->send(1, 77), UDN_SEND_OK);
    }
};

} // namespace

START_TEST(udn_wait_wakes_on_descriptor_and_on_message)
{
    sc_set_time_resolution(1, SC_FS);
    sc_time cycle = sc_time::from_value(833333); // 1.2 GHz
    const uint64_t C = cycle.value();
    char err[512];

    phys_mem mem;
    ck_assert_int_eq(phys_mem_init(&mem, 16 << 20, err, sizeof err), 0);
    DmaLog dma;
    phys_mem_observe(&mem, on_dma, &dma);
    // a 2 x 2 mesh with the TILE-Gx36's UDN, written out
    udn_mesh_params p{};
    p.width = p.height = 2;
    p.order = UDN_ORDER_XY;
    p.hop_latency = 1;
    p.queues = 4;
    p.queue_words = 128;
    p.router_buffer = 4;
    p.arbitration = UDN_ARB_ROUND_ROBIN;
    ck_assert_msg(udn_mesh_params_check(&p, err, sizeof err) == 0, "%s", err);
    udn_mesh_sc udn("udn", p, cycle);
    udn.watch_data(true);
    mpipe_rules rules;
    ck_assert_int_eq(mpipe_rules_parse("default stacks=0-31 buckets=0+256", &rules, err, sizeof err), 0);
    MpipeParams mp{};
    mp.ports = 1;
    mp.rate_gbps = 10;
    mp.pad_short = true;
    mp.classifiers = 10;
    mp.classify_cycles = 10;
    mp.dma_latency = 80;
    mp.dma_bytes_per_cycle = 16;
    mp.max_frame = 1544;
    mp.egress_sf_blocks = 12;
    Mpipe mpipe("mpipe", mp, rules, &mem, cycle);
    OneFrame be;
    be.f.resize(60);
    tf_build(be.f.data(), 60, 17, 0x0a000001, 0x0a000101, 1000, 7, 0, 0);
    mpipe.ports[0]->attach_backend(&be);

    // The tile: UDN_WAIT (a0), the cycle after it (a1), UDN_WAIT again (a2)
    // and the cycle after it (a3), then exit.
    const uint32_t prog[] = {
        RV_LUI(RV_T0, TILE_UDN_BASE >> 12),
        RV_LUI(RV_T3, TILE_SYS_BASE >> 12),
        RV_LD(RV_A0, RV_T0, UDN_WAIT), // at cycle 2: sleeps
        RV_LD(RV_A1, RV_T3, TILE_SYS_CYCLE - TILE_SYS_BASE),
        RV_LD(RV_A2, RV_T0, UDN_WAIT),
        RV_LD(RV_A3, RV_T3, TILE_SYS_CYCLE - TILE_SYS_BASE),
        RV_SD(0, RV_T3, TILE_SYS_EXIT - TILE_SYS_BASE),
    };
    std::vector<uint8_t> ram(4096, 0);
    memcpy(ram.data(), prog, sizeof prog);
    TileCoreParams core{};
    core.timing.timing = 0; // one cycle per instruction
    core.timing.issue_width = 1;
    core.quantum = 1000;
    TileCore tile("tile", 0, core, cycle, stdout);
    UdnTileDevice page(udn, 0);
    tile.attach(TILE_UDN_BASE, TILE_UDN_SIZE, &page);
    tile.map_shared(&mem);
    tile.attach(TILE_MPIPE_BASE, TILE_MPIPE_SIZE, &mpipe);
    mpipe.wake_targets({ &tile });
    tile.load(ram.data(), TILE_DRAM_BASE, ram.size(), TILE_DRAM_BASE);

    // The software side of the mPIPE (as the driver sets it up): a buffer
    // stack, ring 0 owned by tile 0, every bucket to it.
    const sc_event *w = nullptr;
    ck_assert(mpipe.store(MPIPE_STACK_REG(0, MPIPE_STACK_INIT), 8, MPIPE_STACK_INIT_VAL(1, 64), &w) == MmioResult::ok);
    for (unsigned i = 0; i < 4; i++)
        ck_assert(mpipe.store(MPIPE_STACK_REG(0, MPIPE_STACK_PUSH), 8, BUFS + i * mpipe_size_class_bytes(1), &w) ==
                  MmioResult::ok);
    ck_assert(mpipe.store(MPIPE_RING_REG(0, MPIPE_RING_BASE), 8, RING, &w) == MmioResult::ok);
    ck_assert(mpipe.store(MPIPE_RING_REG(0, MPIPE_RING_INIT), 8, 128, &w) == MmioResult::ok);
    ck_assert(mpipe.store(MPIPE_RING_REG(0, MPIPE_RING_TILE), 8, 0, &w) == MmioResult::ok);
    ck_assert(mpipe.store(MPIPE_GROUP_REG(0), 8, MPIPE_GROUP_VAL(0, 1), &w) == MmioResult::ok);
    for (unsigned b = 0; b < 256; b++)
        ck_assert(mpipe.store(MPIPE_BUCKET_REG(b), 8, MPIPE_BUCKET_VAL(0, MPIPE_MODE_STATIC, 0), &w) ==
                  MmioResult::ok);

    Sender sender("sender", &udn, 5000 * C);
    sc_start(sc_time::from_value(20000 * C));

    ck_assert_int_eq((int)tile.state, (int)TileState::exited);
    // the frame's data, then its descriptor at the ring's first slot
    ck_assert_uint_eq(dma.fs.size(), 2);
    ck_assert_uint_eq(dma.addr[1], RING);
    ck_assert_uint_eq(dma.fs[1] % C, 0);
    uint64_t desc = dma.fs[1] / C;
    ck_assert_uint_lt(desc, 5000);
    // woken by the mPIPE, no UDN word: the wait retired at the descriptor's
    // cycle, the next instruction ran one cycle later
    ck_assert_uint_eq(tile.core().x[RV_A0], UDN_WAIT_WOKEN);
    ck_assert_uint_eq(tile.core().x[RV_A1], desc + 1);
    // woken by the message on queue 2 only, after the sender's cycle
    ck_assert_uint_eq(tile.core().x[RV_A2], 1u << 2);
    ck_assert_uint_gt(tile.core().x[RV_A3], 5000);
    ck_assert_uint_lt(tile.core().x[RV_A3], 5100);
    // asleep from cycle 2 to the descriptor, then from cycle desc + 2 to the
    // word's arrival
    ck_assert_uint_eq(tile.slept_cycles, (desc - 2) + (tile.core().x[RV_A3] - 1 - (desc + 2)));
    phys_mem_free(&mem);
}
END_TEST

extern "C" Suite *udn_wake_suite(void)
{
    Suite *s = suite_create("udn_wake");
    TCase *t = tcase_create("udn_wake");
    tcase_add_test(t, udn_wait_wakes_on_descriptor_and_on_message);
    suite_add_tcase(s, t);
    return s;
}
