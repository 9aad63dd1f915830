// test_tile_core.cpp - exact-cycle tests of the SystemC tile wrapper: a core
// that ran ahead meets every device access level with the kernel, sleeps on
// a blocking device and on wfi, and is charged the cycles it slept; accesses
// that cross a page sync once; a device that never lets an access finish
// stops the tile instead of hanging the run; the wake-up deadline
// (TILE_SYS_WAKE_AT) ends a sleep at its exact cycle.
#include <systemc>
#include <cstdio>
#include <cstring>
#include <unistd.h>
#include <vector>

#include "abi/tile_memmap.h"
#include "core/tile_core.h"

#include <check.h> // last: it defines a macro named fail

using namespace sc_core;

namespace {

// The core's parameters, written out: one cycle per instruction (counts are
// exact), a quantum of 1000 cycles (a loop runs far ahead of the kernel),
// a 1.2 GHz clock in femtoseconds.
TileCoreParams untimed_core()
{
    TileCoreParams p{};
    p.timing.timing = 0;
    p.timing.issue_width = 1;
    p.quantum = 1000;
    return p;
}
sc_core::sc_time cycle_time() { return sc_core::sc_time::from_value(833333); }
void init_time() { sc_core::sc_set_time_resolution(1, sc_core::SC_FS); }

// RISC-V encoders for the few instructions the test programs use.
uint32_t i_type(int32_t imm, int rs1, int f3, int rd, int op)
{
    return ((uint32_t)(imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
uint32_t addi(int rd, int rs1, int32_t imm) { return i_type(imm, rs1, 0, rd, 0x13); }
uint32_t ld(int rd, int rs1, int32_t imm) { return i_type(imm, rs1, 3, rd, 0x03); }
uint32_t lh(int rd, int rs1, int32_t imm) { return i_type(imm, rs1, 1, rd, 0x03); }
uint32_t lw(int rd, int rs1, int32_t imm) { return i_type(imm, rs1, 2, rd, 0x03); }
uint32_t lui(int rd, uint32_t imm20) { return (imm20 << 12) | (rd << 7) | 0x37; }
uint32_t auipc(int rd, uint32_t imm20) { return (imm20 << 12) | (rd << 7) | 0x17; }
uint32_t store(int f3, int rs2, int rs1, int32_t imm)
{
    return ((uint32_t)((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
           ((uint32_t)(imm & 0x1f) << 7) | 0x23;
}
uint32_t sh(int rs2, int rs1, int32_t imm) { return store(1, rs2, rs1, imm); }
uint32_t sw(int rs2, int rs1, int32_t imm) { return store(2, rs2, rs1, imm); }
uint32_t sd(int rs2, int rs1, int32_t imm) { return store(3, rs2, rs1, imm); }
uint32_t branch(int f3, int rs1, int rs2, int32_t off)
{
    uint32_t u = (uint32_t)off;
    return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) |
           (f3 << 12) | (((u >> 1) & 0xf) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}
uint32_t beq(int rs1, int rs2, int32_t off) { return branch(0, rs1, rs2, off); }
uint32_t bne(int rs1, int rs2, int32_t off) { return branch(1, rs1, rs2, off); }
const uint32_t WFI = 0x10500073;
enum { T0 = 5, T1 = 6, T2 = 7, T3 = 28, A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14 };

// A device that records, at each load, the kernel's cycle and the core's; a
// store blocks until cycle `release`.
struct ProbeDevice : MmioDevice {
    TileCore *tile = nullptr;
    sc_time cycle;
    uint64_t release = 0;
    sc_event released;
    std::vector<uint64_t> kernel, local;
    uint64_t now() const { return sc_time_stamp().value() / cycle.value(); }
    MmioResult load(uint64_t, unsigned, uint64_t &v, const sc_event **) override
    {
        kernel.push_back(now());
        local.push_back(tile->local_cycle());
        v = now();
        return MmioResult::ok;
    }
    MmioResult store(uint64_t, unsigned, uint64_t, const sc_event **wait) override
    {
        if (now() >= release) return MmioResult::ok;
        released.notify(sc_time::from_value(cycle.value() * (release - now())));
        *wait = &released;
        return MmioResult::block;
    }
};

// Wakes a tile at a given cycle.
struct Waker : sc_module {
    SC_HAS_PROCESS(Waker);
    TileCore *tile;
    sc_time at;
    Waker(sc_module_name n, TileCore *t, sc_time when) : sc_module(n), tile(t), at(when)
    {
        SC_THREAD(run);
    }
    void run()
    {
        wait(at);
        tile->wake_up();
    }
};

// Writes a word into shared memory by DMA at a given cycle.
struct Dma : sc_module {
    SC_HAS_PROCESS(Dma);
    phys_mem *mem;
    sc_time at;
    Dma(sc_module_name n, phys_mem *m, sc_time when) : sc_module(n), mem(m), at(when)
    {
        SC_THREAD(run);
    }
    void run()
    {
        wait(at);
        uint64_t v = 0x1234;
        phys_mem_dma_write(mem, TILE_SHARED_BASE + 0x40, &v, 8);
    }
};

// Bytes behind a device (an MMIO page pair): every access is recorded with
// the kernel's cycle and the core's.
struct BytesDevice : MmioDevice {
    TileCore *tile = nullptr;
    sc_time cycle;
    std::vector<uint8_t> bytes = std::vector<uint8_t>(0x4000, 0);
    std::vector<uint64_t> kernel, local;
    void record()
    {
        kernel.push_back(sc_time_stamp().value() / cycle.value());
        local.push_back(tile->local_cycle());
    }
    MmioResult load(uint64_t off, unsigned size, uint64_t &v, const sc_event **) override
    {
        record();
        v = 0;
        memcpy(&v, &bytes.at(off), size);
        return MmioResult::ok;
    }
    MmioResult store(uint64_t off, unsigned size, uint64_t v, const sc_event **) override
    {
        record();
        memcpy(&bytes.at(off), &v, size);
        return MmioResult::ok;
    }
};

// A device whose loads never complete and take no time: each asks to be
// retried after an event it notifies in the same cycle (a broken device).
struct NeverDevice : MmioDevice {
    sc_event again;
    uint64_t tries = 0;
    MmioResult load(uint64_t, unsigned, uint64_t &, const sc_event **wait) override
    {
        tries++;
        again.notify(SC_ZERO_TIME);
        *wait = &again;
        return MmioResult::block;
    }
    MmioResult store(uint64_t, unsigned, uint64_t, const sc_event **) override { return MmioResult::ok; }
};

// A wait register like UDN_WAIT (abi/udn.h): a load returns what ended the
// wait and takes it (bit 0: a word was delivered; WAIT_DEADLINE: the tile's
// deadline came) and blocks while there is neither. deliver() at a cycle.
const uint64_t WAIT_DEADLINE = 1ULL << 33;
struct WaitDevice : MmioDevice {
    sc_event arrived;
    bool word = false, deadline = false;
    MmioResult load(uint64_t, unsigned, uint64_t &v, const sc_event **wait) override
    {
        v = (word ? 1 : 0) | (deadline ? WAIT_DEADLINE : 0);
        word = deadline = false;
        if (v) return MmioResult::ok;
        *wait = &arrived;
        return MmioResult::block;
    }
    MmioResult store(uint64_t, unsigned, uint64_t, const sc_event **) override { return MmioResult::fault; }
    void tile_deadline(int) override { deadline = true; }
};
struct Deliver : sc_module {
    SC_HAS_PROCESS(Deliver);
    WaitDevice *dev;
    sc_time at;
    Deliver(sc_module_name n, WaitDevice *d, sc_time when) : sc_module(n), dev(d), at(when) { SC_THREAD(run); }
    void run()
    {
        wait(at);
        dev->word = true;
        dev->arrived.notify(SC_ZERO_TIME);
    }
};

// Runs a program with a WaitDevice at the UDN page and, when word_at, a
// word delivered at that cycle; for 10000 cycles.
struct WaitRun {
    sc_time cycle = cycle_time();
    TileCore tile;
    WaitDevice dev;
    std::vector<uint8_t> ram = std::vector<uint8_t>(4096, 0);
    WaitRun(const uint32_t *prog, size_t bytes) : tile("tile", 0, untimed_core(), cycle_time(), stdout)
    {
        memcpy(ram.data(), prog, bytes);
        tile.attach(TILE_UDN_BASE, TILE_UDN_SIZE, &dev);
        tile.load(ram.data(), TILE_DRAM_BASE, ram.size(), TILE_DRAM_BASE);
    }
    void run() { sc_start(sc_time::from_value(cycle.value() * 10000)); }
};
const int SYS_WAKE = (int)(TILE_SYS_WAKE_AT - TILE_SYS_BASE);
const int SYS_CYCLE = (int)(TILE_SYS_CYCLE - TILE_SYS_BASE);
const int SYS_EXIT = (int)(TILE_SYS_EXIT - TILE_SYS_BASE);

// The deadline programs' common ending: the tile exited, with a0 (what the
// wait returned), a1 (the cycle after it) and a2 (the deadline register
// then) as given.
void check_wait_exit(const WaitRun &r, uint64_t a0, uint64_t a1, uint64_t a2)
{
    ck_assert_int_eq((int)r.tile.state, (int)TileState::exited);
    ck_assert_uint_eq(r.tile.core().x[A0], a0);
    ck_assert_uint_eq(r.tile.core().x[A1], a1);
    ck_assert_uint_eq(r.tile.core().x[A2], a2);
}

// The value the page-crossing program stores (its sign bits are set in every
// size, so the loads' sign extension shows).
const uint64_t PATTERN = 0xf1e2d3c4b5a69788ULL;

// A program that stores PATTERN across three page boundaries of `base`
// (2 bytes at base + 0x1000 - 1, 4 at base + 0x2000 - 2, 8 at base + 0x3000
// - 4), loads each back sign-extended into a1, a2, a3, and exits.
std::vector<uint8_t> crossing_program(uint64_t base)
{
    const uint32_t prog[] = {
        auipc(T2, 0),
        ld(T1, T2, 64),                     // PATTERN, at offset 64 of the program
        lui(T0, (uint32_t)((base + 0x1000) >> 12)),
        sh(T1, T0, -1),
        lui(T0, (uint32_t)((base + 0x2000) >> 12)),
        sw(T1, T0, -2),
        lui(T0, (uint32_t)((base + 0x3000) >> 12)),
        sd(T1, T0, -4),
        lui(T0, (uint32_t)((base + 0x1000) >> 12)),
        lh(A1, T0, -1),
        lui(T0, (uint32_t)((base + 0x2000) >> 12)),
        lw(A2, T0, -2),
        lui(T0, (uint32_t)((base + 0x3000) >> 12)),
        ld(A3, T0, -4),
        lui(T3, TILE_SYS_BASE >> 12),
        sd(0, T3, TILE_SYS_EXIT - TILE_SYS_BASE),
    };
    static_assert(sizeof prog <= 64, "the pattern follows the program");
    std::vector<uint8_t> ram(4096, 0);
    memcpy(ram.data(), prog, sizeof prog);
    memcpy(ram.data() + 64, &PATTERN, 8);
    return ram;
}

// The bytes of PATTERN a crossing access of n bytes left at page + 0x1000.
void check_crossing_bytes(const uint8_t *page_end_minus_4, unsigned n)
{
    const uint8_t *p = page_end_minus_4 + 4 - n / 2;
    ck_assert_msg(memcmp(p, &PATTERN, n) == 0, "the %u-byte store left the wrong bytes", n);
}

void check_crossing_loads(const TileCore &tile)
{
    ck_assert_int_eq((int)tile.state, (int)TileState::exited);
    ck_assert_uint_eq(tile.core().x[A1], (uint64_t)(int64_t)(int16_t)PATTERN);
    ck_assert_uint_eq(tile.core().x[A2], (uint64_t)(int64_t)(int32_t)PATTERN);
    ck_assert_uint_eq(tile.core().x[A3], PATTERN);
}

} // namespace

START_TEST(device_access_meets_kernel_time_exactly)
{
    init_time();
    TileCoreParams cfg = untimed_core();
    sc_time cycle = cycle_time();

    const uint32_t prog[] = {
        lui(T0, TILE_UDN_BASE >> 12),  // probe device at the UDN page
        addi(T2, 0, 2000),
        addi(T2, T2, -1),              // loop: 2 x 2000 instructions
        bne(T2, 0, -4),
        ld(T1, T0, 0),                 // at cycle 4002
        ld(T1, T0, 0),                 // at cycle 4003
        sd(T1, T0, 8),                 // blocks until cycle 50000
        ld(T1, T0, 0),                 // at 50001
        WFI,                           // retires at 50002, sleeps until the waker
        ld(T1, T0, 0),                 // at 80000
        lui(T3, TILE_SYS_BASE >> 12),
        sd(0, T3, TILE_SYS_EXIT - TILE_SYS_BASE),
    };
    std::vector<uint8_t> ram(4096, 0);
    memcpy(ram.data(), prog, sizeof prog);

    TileCore tile("tile", 0, cfg, cycle, stdout);
    ProbeDevice dev;
    dev.tile = &tile;
    dev.cycle = cycle;
    dev.release = 50000;
    tile.attach(TILE_UDN_BASE, TILE_UDN_SIZE, &dev);
    tile.load(ram.data(), TILE_DRAM_BASE, ram.size(), TILE_DRAM_BASE);
    Waker waker("waker", &tile, sc_time::from_value(cycle.value() * 80000));
    sc_start(sc_time::from_value(cycle.value() * 100000));

    ck_assert_int_eq((int)tile.state, (int)TileState::exited);
    ck_assert_uint_eq(dev.kernel.size(), 4);
    for (size_t i = 0; i < dev.kernel.size(); i++)
        ck_assert_msg(dev.kernel[i] == dev.local[i], "access %zu: kernel at cycle %llu, core at %llu",
                      i, (unsigned long long)dev.kernel[i], (unsigned long long)dev.local[i]);
    ck_assert_uint_eq(dev.kernel[0], 4002);
    ck_assert_uint_eq(dev.kernel[1], 4003);
    ck_assert_uint_eq(dev.kernel[2], 50001);
    ck_assert_uint_eq(dev.kernel[3], 80000);
    // slept: the store from 4004 to 50000, after the wfi from 50003 to 80000
    ck_assert_uint_eq(tile.slept_cycles, (50000 - 4004) + (80000 - 50003));
    ck_assert_uint_eq(tile.instructions(), 2 + 4000 + 8);
    ck_assert_uint_eq(tile.busy_cycles(), 2 + 4000 + 8);
}
END_TEST

START_TEST(wake_before_wfi_is_not_lost)
{
    init_time();
    TileCoreParams cfg = untimed_core();
    sc_time cycle = cycle_time();
    // The wake comes at cycle 10, while the core (ahead of the kernel) is
    // still in its loop; its wfi at cycle ~400 must then return at once.
    const uint32_t prog[] = {
        addi(T2, 0, 200),
        addi(T2, T2, -1),
        bne(T2, 0, -4),
        WFI,
        lui(T3, TILE_SYS_BASE >> 12),
        sd(0, T3, TILE_SYS_EXIT - TILE_SYS_BASE),
    };
    std::vector<uint8_t> ram(4096, 0);
    memcpy(ram.data(), prog, sizeof prog);
    TileCore tile("tile", 0, cfg, cycle, stdout);
    tile.load(ram.data(), TILE_DRAM_BASE, ram.size(), TILE_DRAM_BASE);
    Waker waker("waker", &tile, sc_time::from_value(cycle.value() * 10));
    sc_start(sc_time::from_value(cycle.value() * 10000));
    ck_assert_int_eq((int)tile.state, (int)TileState::exited);
    ck_assert_uint_eq(tile.slept_cycles, 0);
}
END_TEST

START_TEST(poll_sees_dma_write_at_its_cycle)
{
    init_time();
    TileCoreParams cfg = untimed_core();
    sc_time cycle = cycle_time();
    phys_mem mem;
    char err[256];
    ck_assert_int_eq(phys_mem_init(&mem, 1 << 20, err, sizeof err), 0);
    const uint32_t prog[] = {
        lui(T0, TILE_SHARED_BASE >> 12),
        lui(T3, TILE_UDN_BASE >> 12),
        ld(T1, T0, 0x40),              // polls at even cycles 2, 4, ...
        beq(T1, 0, -4),
        ld(T2, T3, 0),                 // probe: 1004 when the DMA lands at 1001
        lui(T3, TILE_SYS_BASE >> 12),
        sd(0, T3, TILE_SYS_EXIT - TILE_SYS_BASE),
    };
    std::vector<uint8_t> ram(4096, 0);
    memcpy(ram.data(), prog, sizeof prog);
    TileCore tile("tile", 0, cfg, cycle, stdout);
    ProbeDevice dev;
    dev.tile = &tile;
    dev.cycle = cycle;
    tile.attach(TILE_UDN_BASE, TILE_UDN_SIZE, &dev);
    tile.map_shared(&mem);
    tile.load(ram.data(), TILE_DRAM_BASE, ram.size(), TILE_DRAM_BASE);
    Dma dma("dma", &mem, sc_time::from_value(cycle.value() * 1001));
    sc_start(sc_time::from_value(cycle.value() * 5000));
    ck_assert_int_eq((int)tile.state, (int)TileState::exited);
    ck_assert_uint_eq(dev.kernel.size(), 1);
    ck_assert_uint_eq(dev.kernel[0], 1004);
    phys_mem_free(&mem);
}
END_TEST

// Misaligned accesses of 2, 4 and 8 bytes that cross a 4 KiB page of shared
// memory: the slow path splits them into bytes, all of which go through in
// the one sync point of their instruction.
START_TEST(page_crossing_shared_memory)
{
    init_time();
    TileCoreParams cfg = untimed_core();
    sc_time cycle = cycle_time();
    phys_mem mem;
    char err[256];
    ck_assert_int_eq(phys_mem_init(&mem, 1 << 20, err, sizeof err), 0);
    std::vector<uint8_t> ram = crossing_program(TILE_SHARED_BASE);
    TileCore tile("tile", 0, cfg, cycle, stdout);
    tile.map_shared(&mem);
    tile.load(ram.data(), TILE_DRAM_BASE, ram.size(), TILE_DRAM_BASE);
    sc_start(sc_time::from_value(cycle.value() * 1000));
    check_crossing_loads(tile);
    for (unsigned n = 2, k = 1; n <= 8; n *= 2, k++)
        check_crossing_bytes(phys_mem_ptr(&mem, TILE_SHARED_BASE + 0x1000 * k - 4, 8), n);
    // one cycle per instruction: nothing retried at a cost, nothing slept
    ck_assert_uint_eq(tile.instructions(), 16);
    ck_assert_uint_eq(tile.local_cycle(), 16);
    phys_mem_free(&mem);
}
END_TEST

// The same accesses across two pages of one device (the mPIPE page is 64
// KiB): every byte reaches the device at the cycle of its instruction.
START_TEST(page_crossing_mmio)
{
    init_time();
    TileCoreParams cfg = untimed_core();
    sc_time cycle = cycle_time();
    std::vector<uint8_t> ram = crossing_program(TILE_MPIPE_BASE);
    TileCore tile("tile", 0, cfg, cycle, stdout);
    BytesDevice dev;
    dev.tile = &tile;
    dev.cycle = cycle;
    tile.attach(TILE_MPIPE_BASE, dev.bytes.size(), &dev);
    tile.load(ram.data(), TILE_DRAM_BASE, ram.size(), TILE_DRAM_BASE);
    sc_start(sc_time::from_value(cycle.value() * 1000));
    check_crossing_loads(tile);
    for (unsigned n = 2, k = 1; n <= 8; n *= 2, k++) check_crossing_bytes(&dev.bytes[0x1000 * k - 4], n);
    // (2 + 4 + 8) bytes stored, then loaded, one device access per byte; the
    // stores run at cycles 3, 5, 7, the loads at 9, 11, 13
    ck_assert_uint_eq(dev.kernel.size(), 28);
    const uint64_t at[6] = { 3, 5, 7, 9, 11, 13 };
    const unsigned n[6] = { 2, 4, 8, 2, 4, 8 };
    for (size_t i = 0, a = 0; a < 6; a++)
        for (unsigned b = 0; b < n[a]; b++, i++) {
            ck_assert_msg(dev.kernel[i] == at[a] && dev.local[i] == at[a],
                          "byte %u of access %zu: kernel at cycle %llu, core at %llu, expected %llu", b, a,
                          (unsigned long long)dev.kernel[i], (unsigned long long)dev.local[i],
                          (unsigned long long)at[a]);
        }
    ck_assert_uint_eq(tile.instructions(), 16);
}
END_TEST

// A device that keeps asking for a retry in the same cycle would spin the
// SystemC kernel for ever: the tile stops with an error naming it and the pc.
START_TEST(retry_without_progress_stops_the_tile)
{
    init_time();
    TileCoreParams cfg = untimed_core();
    sc_time cycle = cycle_time();
    const uint32_t prog[] = {
        lui(T0, TILE_UDN_BASE >> 12),
        addi(T1, 0, 1),
        ld(T1, T0, 8),                 // at pc 0x80000008: never completes
        lui(T3, TILE_SYS_BASE >> 12),
        sd(0, T3, TILE_SYS_EXIT - TILE_SYS_BASE),
    };
    std::vector<uint8_t> ram(4096, 0);
    memcpy(ram.data(), prog, sizeof prog);
    TileCore tile("tile", 7, cfg, cycle, stdout);
    NeverDevice dev;
    tile.attach(TILE_UDN_BASE, TILE_UDN_SIZE, &dev);
    tile.load(ram.data(), TILE_DRAM_BASE, ram.size(), TILE_DRAM_BASE);
    FILE *err = tmpfile();
    ck_assert_ptr_nonnull(err);
    fflush(stderr);
    int saved = dup(2);
    dup2(fileno(err), 2);
    sc_start(sc_time::from_value(cycle.value() * 1000));
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char text[512] = "";
    rewind(err);
    size_t len = fread(text, 1, sizeof text - 1, err);
    text[len] = 0;
    fclose(err);
    ck_assert_int_eq((int)tile.state, (int)TileState::trapped);
    ck_assert_uint_eq(tile.core().trap_pc, TILE_DRAM_BASE + 8);
    ck_assert_uint_eq(tile.core().trap_cause, ISS_CAUSE_LOAD_ACCESS);
    ck_assert_uint_eq(tile.core().trap_tval, TILE_UDN_BASE + 8);
    ck_assert_msg(strstr(text, "tile 7") && strstr(text, "pc 0x80000008") && strstr(text, "no progress"),
                  "stderr: %s", text);
    ck_assert_uint_eq(dev.tries, TileCore::kRetryLimit);
    ck_assert_uint_eq(tile.instructions(), 2);
}
END_TEST

// A deadline in the future: the wait sleeps until exactly that cycle and
// says so; the deadline is then disarmed (one-shot); a wfi is woken by the
// next deadline at its cycle too.
START_TEST(deadline_wakes_wait_and_wfi_at_its_cycle)
{
    init_time();
    const uint32_t prog[] = {
        lui(T3, TILE_SYS_BASE >> 12),
        lui(T0, TILE_UDN_BASE >> 12),
        addi(T1, 0, 2000),
        sd(T1, T3, SYS_WAKE),          // cycle 3
        ld(A0, T0, 0),                 // cycle 4: sleeps, completes at 2000
        ld(A1, T3, SYS_CYCLE),         // 2001
        ld(A2, T3, SYS_WAKE),          // 0: disarmed
        addi(T1, T1, 1000),
        sd(T1, T3, SYS_WAKE),          // 3000
        WFI,                           // cycle 2005, retires: asleep from 2006 to 3000
        ld(A3, T3, SYS_CYCLE),         // 3000
        sd(0, T3, SYS_EXIT),
    };
    WaitRun r(prog, sizeof prog);
    r.run();
    check_wait_exit(r, WAIT_DEADLINE, 2001, 0);
    ck_assert_uint_eq(r.tile.core().x[A3], 3000);
    ck_assert_uint_eq(r.tile.slept_cycles, (2000 - 4) + (3000 - 2006));
    ck_assert_uint_eq(r.tile.deadline_wakes, 2);
    ck_assert_uint_eq(r.tile.busy_cycles(), 12);
}
END_TEST

// A deadline that has passed: the wait returns at once, with the mark.
START_TEST(deadline_in_the_past_returns_at_once)
{
    init_time();
    const uint32_t prog[] = {
        lui(T3, TILE_SYS_BASE >> 12),
        lui(T0, TILE_UDN_BASE >> 12),
        addi(T1, 0, 2),
        sd(T1, T3, SYS_WAKE),          // cycle 3: deadline 2, already past
        ld(A0, T0, 0),                 // cycle 4: returns at once
        ld(A1, T3, SYS_CYCLE),         // 5
        ld(A2, T3, SYS_WAKE),          // 0
        sd(0, T3, SYS_EXIT),
    };
    WaitRun r(prog, sizeof prog);
    r.run();
    check_wait_exit(r, WAIT_DEADLINE, 5, 0);
    ck_assert_uint_eq(r.tile.slept_cycles, 0);
}
END_TEST

// A word before the deadline ends the wait at its cycle, without the mark,
// and leaves the deadline armed: the next wait ends at it.
START_TEST(word_before_deadline_wins)
{
    init_time();
    const uint32_t prog[] = {
        lui(T3, TILE_SYS_BASE >> 12),
        lui(T0, TILE_UDN_BASE >> 12),
        addi(T1, 0, 2000),
        sd(T1, T3, SYS_WAKE),          // cycle 3
        ld(A0, T0, 0),                 // cycle 4: the word at 1000
        ld(A1, T3, SYS_CYCLE),         // 1001
        ld(A2, T3, SYS_WAKE),          // still 2000
        ld(A3, T0, 0),                 // cycle 1003: the deadline at 2000
        ld(A4, T3, SYS_CYCLE),         // 2001
        sd(0, T3, SYS_EXIT),
    };
    WaitRun r(prog, sizeof prog);
    Deliver d("deliver", &r.dev, sc_time::from_value(r.cycle.value() * 1000));
    r.run();
    check_wait_exit(r, 1, 1001, 2000);
    ck_assert_uint_eq(r.tile.core().x[A3], WAIT_DEADLINE);
    ck_assert_uint_eq(r.tile.core().x[A4], 2001);
    ck_assert_uint_eq(r.tile.slept_cycles, (1000 - 4) + (2000 - 1003));
    ck_assert_uint_eq(r.tile.deadline_wakes, 1);
}
END_TEST

extern "C" Suite *tile_core_suite(void)
{
    Suite *s = suite_create("tile_core");
    TCase *t = tcase_create("sync");
    tcase_add_test(t, device_access_meets_kernel_time_exactly);
    tcase_add_test(t, wake_before_wfi_is_not_lost);
    tcase_add_test(t, poll_sees_dma_write_at_its_cycle);
    tcase_add_test(t, page_crossing_shared_memory);
    tcase_add_test(t, page_crossing_mmio);
    tcase_add_test(t, retry_without_progress_stops_the_tile);
    tcase_add_test(t, deadline_wakes_wait_and_wfi_at_its_cycle);
    tcase_add_test(t, deadline_in_the_past_returns_at_once);
    tcase_add_test(t, word_before_deadline_wins);
    suite_add_tcase(s, t);
    return s;
}
