// test_mem_dma.cpp - DMA coherence on a tile with the MMU and the cache
// model: the firmware polls a word of an RX pool (so its line is cached),
// the mPIPE-style DMA writes it, and the next read returns what the DMA
// wrote, as a cache miss (the write dropped every cached copy).
#include <systemc>
#include <cstring>
#include <vector>

#include "abi/boot_info.h"
#include "abi/tile_memmap.h"
#include "mem_test_params.h"
#include "core/tile_core.h"
#include "mem/mem_mmu.h"
#include "mem/mem_sys.h"

#include "rv_encode.h"

#include <check.h> // last: it defines a macro named fail

using namespace sc_core;

namespace {

struct Dma : sc_module {
    SC_HAS_PROCESS(Dma);
    phys_mem *mem;
    uint64_t addr;
    sc_time at;
    Dma(sc_module_name n, phys_mem *m, uint64_t a, sc_time when) : sc_module(n), mem(m), addr(a), at(when)
    {
        SC_THREAD(run);
    }
    void run()
    {
        wait(at);
        uint64_t v = 0x1234;
        phys_mem_dma_write(mem, addr, &v, 8);
    }
};

} // namespace

START_TEST(firmware_reads_what_dma_wrote_with_the_line_cached)
{
    sc_set_time_resolution(1, SC_FS);
    mem_params cfg = mem_test_params();
    TileCoreParams core{ { 1, 3, 2, 0, 2, 2, 32, 4 }, 1000 }; // the TILE-Gx36's core, timed
    sc_time cycle = sc_time::from_value(833333);               // 1.2 GHz
    char err[512];
    phys_mem mem;
    mem_sys sys;
    mem_mmu mmu;
    ck_assert_int_eq(phys_mem_init(&mem, cfg.dram_mib << 20, err, sizeof err), 0);
    ck_assert_int_eq(mem_sys_init(&sys, &cfg, err, sizeof err), 0);
    ck_assert_int_eq(phys_mem_observe(&mem, mem_sys_dma_written, &sys), 0);

    TileCore tile("tile", 0, core, cycle, stdout);
    ck_assert_int_eq(mem_mmu_init(&mmu, &cfg, 0, tile.iss(), &sys, err, sizeof err), 0);
    ck_assert_int_eq(mem_layout_shared(&mmu.space, &cfg, BOOT_ROLE_STACK, BOOT_APP_NONE, mem.host, mem.size,
                                       err, sizeof err), 0);
    mem_segment code = { TILE_DRAM_BASE, 4096, BOOT_RIGHT_R | BOOT_RIGHT_X };
    uint64_t win, win_size;
    mem_layout_window(&cfg, &code, 1, &win, &win_size);
    std::vector<uint8_t> ram(win_size, 0);
    ck_assert_int_eq(mem_layout_private(&mmu.space, &cfg, &code, 1, win, win_size, ram.data(),
                                        TILE_PRIVATE_PHYS_BASE, nullptr, 0, err, sizeof err), 0);
    uint64_t rx = 0;
    for (unsigned i = 0; i < mmu.space.n; i++)
        if (mmu.space.r[i].kind == BOOT_REGION_RX_POOL && mmu.space.r[i].app == 0) rx = mmu.space.r[i].va;
    ck_assert(rx != 0 && rx < (1ULL << 31));

    const uint32_t prog[] = {
        RV_LUI(RV_T0, (uint32_t)(rx >> 12)),
        RV_LD(RV_T1, RV_T0, 0x40), // poll: the line is cached after the first miss
        RV_BEQ(RV_T1, 0, -4),
        RV_LD(RV_T2, RV_T0, 0x40), // read again
        RV_LUI(RV_T3, TILE_SYS_BASE >> 12),
        RV_SD(RV_T2, RV_T3, TILE_SYS_EXIT - TILE_SYS_BASE),
    };
    memcpy(ram.data(), prog, sizeof prog);
    tile.load(ram.data(), win, win_size, TILE_DRAM_BASE);
    tile.map_shared(&mem);
    tile.set_mmu(&mmu, true);
    Dma dma("dma", &mem, rx + 0x40, sc_time::from_value(cycle.value() * 3001));
    sc_start(sc_time::from_value(cycle.value() * 20000));

    ck_assert_int_eq((int)tile.state, (int)TileState::exited);
    ck_assert_int_eq(tile.exit_code(), 0x1234);
    ck_assert_uint_eq(sys.t[0].dma_invalidations, 1);
    // polls hit in L1 until the DMA; then the read misses all the way to DRAM
    ck_assert_uint_ge(sys.t[0].loads[MEM_CLASS_L1], 10);
    ck_assert_uint_eq(sys.t[0].loads[MEM_CLASS_DRAM], 2); // the first poll, the read after the DMA
    ck_assert_uint_ge(tile.local_cycle(), 3001);
    mem_mmu_free(&mmu);
    mem_sys_free(&sys);
    phys_mem_free(&mem);
}
END_TEST

extern "C" Suite *mem_dma_suite(void)
{
    Suite *s = suite_create("mem_dma");
    TCase *t = tcase_create("coherence");
    tcase_add_test(t, firmware_reads_what_dma_wrote_with_the_line_cached);
    suite_add_tcase(s, t);
    return s;
}
