// tile_core.h - the SystemC wrapper of one tile's core: runs the ISS in
// bounded quanta ahead of SystemC time and brings its local time level with
// the kernel at every device access (docs/DESIGN.md, fixed decisions 4 and
// 5, and "The sync protocol").
//
// Time: the core's local clock is iss_core.cycle. After a quantum the thread
// waits until the kernel catches up, so the core never runs more than
// core.quantum cycles ahead. A device access first stops the ISS (the access
// returns "retry"), the thread syncs, then the access is redone at exactly
// the core's cycle. One sync serves the whole instruction: an access the
// ISS splits into pieces (a misaligned access that crosses a 4 KiB page goes
// byte by byte) does every piece at that cycle. A blocking access or wfi
// sleeps on an event; the cycles slept are charged to the core as if it had
// spun, and counted as idle. An access retried kRetryLimit times without
// progress (same instruction, same cycle: a device that asks for a retry
// after an event of the same cycle, for ever) stops the tile with an error
// naming it and the pc, as an access fault, instead of hanging the run.
//
// Atomics (LR, SC, AMOs) on shared memory are sync points too, so the
// atomics of all tiles happen in simulated-time order; the chip-wide
// reservations and their cost are the memory system's (mem_sys_atomic).
//
// Wake-up deadline: every sleep (a blocking access, wfi) waits on its event
// or, when TILE_SYS_WAKE_AT is armed, on its event or that cycle, whichever
// comes first (a timed wait: no process runs in between). A deadline that
// ends the sleep, or has already passed when the tile would sleep, is
// disarmed (one-shot) and reported to every attached device
// (MmioDevice::tile_deadline: UDN_WAIT returns UDN_WAIT_DEADLINE).
//
// Devices: MMIO pages are attached with attach(); the SYS page of
// tile_memmap.h (console, exit, cycle counter, tile id, wake-up deadline) is
// built in.
#ifndef DL_CORE_TILE_CORE_H
#define DL_CORE_TILE_CORE_H

#include <systemc>
#include <cstdint>
#include <vector>

#include "core/iss.h"
#include "core/mmio_device.h"
#include "mem/mem_mmu.h"
#include "mem/phys_mem.h"
extern "C" {
#include "core/tile_sys.h"
}

// The core's parameters, filled by sim/ from the configuration's core
// section (sim/model_params.h).
struct TileCoreParams {
    iss_timing_cfg timing;   // the ISS's timing model
    uint64_t quantum;        // cycles the core may run ahead of the kernel (>= 1)
};

// Why a tile's program is no longer running.
enum class TileState { idle, running, exited, trapped };

class TileCore : public sc_core::sc_module, public WakeableTile {
public:
    SC_HAS_PROCESS(TileCore);

    // Console lines go to `console`, prefixed with the tile number.
    TileCore(sc_core::sc_module_name name, int tile, const TileCoreParams &params,
             sc_core::sc_time cycle, FILE *console);
    ~TileCore();

    // Gives the core its program: RAM window and entry point. Before the run.
    void load(uint8_t *ram, uint64_t base, uint64_t size, uint64_t entry);

    // Maps a device at [base, base + size) of the tile's address space.
    void attach(uint64_t base, uint64_t size, MmioDevice *dev);

    // Maps the chip's shared memory; every access to it is a sync point.
    void map_shared(phys_mem *mem) { shared_ = mem; }

    // Gives the core an MMU (models/mem/mem_mmu.h): from then on its
    // accesses are translated through mmu's address space and TLBs, user
    // mode is checked against the regions' rights, and, with `caches`, the
    // memory system charges each access. Without it (tests, bare tiles)
    // the RAM window of load() is mapped one to one. Before the run.
    void set_mmu(mem_mmu *mmu, bool caches);
    const mem_mmu *mmu() const { return mmu_; }

    // The ISS state, for the memory system (filters, host-TLB flushes).
    iss_core *iss() { return core_; }

    // Did the program stop on a memory-protection fault (a page fault the
    // MMU recorded; see mmu()->fault)?
    bool faulted() const { return faulted_; }

    // Devices call it when something the tile may wait for happens: ends a
    // wfi now, or makes the next wfi return at once (wfi is only a hint),
    // and tells every attached device (MmioDevice::tile_woken), so that a
    // UDN_WAIT ends too.
    void wake_up() override;

    // Retries of one access without progress (same instruction, same cycle)
    // after which the tile stops with an error instead of hanging the run.
    static const unsigned kRetryLimit = 1000;

    TileState state = TileState::idle;
    int64_t exit_code() const { return (int64_t)sys_.exit_code; }
    const tile_sys &sys() const { return sys_; }  // the firmware's counters among it
    uint64_t busy_cycles() const;     // local cycles less those slept
    uint64_t slept_cycles = 0;
    uint64_t deadline_wakes = 0;      // sleeps ended (or skipped) by TILE_SYS_WAKE_AT
    uint64_t instructions() const { return core_->instret; }
    uint64_t local_cycle() const { return core_->cycle; }
    const iss_core &core() const { return *core_; }

private:
    struct Mapping { uint64_t base, size; MmioDevice *dev; };

    void thread();
    void sync();          // wait until kernel time reaches the local cycle
    void charge_sleep();  // local cycle := kernel time, counting the gap as slept
    bool sleep_on(const sc_core::sc_event &e); // until e or the deadline; true: the deadline
    uint64_t kernel_cycle() const;
    iss_mem_status access(bool store, uint64_t addr, unsigned size, uint64_t *val);

    static iss_mem_status on_load(void *ctx, uint64_t addr, unsigned size, uint64_t *val, uint64_t *lat);
    static iss_mem_status on_store(void *ctx, uint64_t addr, unsigned size, uint64_t val, uint64_t *lat);
    static iss_mem_status on_translate(void *ctx, uint64_t va, iss_access kind, int priv, iss_xlate *x);
    static uint64_t on_ram_latency(void *ctx, uint64_t pa, unsigned size, iss_access kind);
    static iss_mem_status on_atomic(void *ctx, uint64_t pa, unsigned size, iss_atomic_kind kind, int *sc_ok,
                                    uint64_t *lat);

    const int tile_;
    const uint64_t quantum_;
    const sc_core::sc_time cycle_;
    iss_core *core_;
    tile_sys sys_;
    phys_mem *shared_ = nullptr;
    mem_mmu *mmu_ = nullptr;
    bool faulted_ = false;
    std::vector<Mapping> maps_;
    // The instruction the core last synced for: its pc, and the retired
    // instructions and traps before it (together they name one attempt to
    // run one instruction). Its device accesses may proceed; any other
    // instruction's first ask for a sync point.
    bool synced_ = false;
    uint64_t sync_pc_ = 0, sync_instret_ = 0, sync_traps_ = 0;
    bool synced_here() const
    {
        return synced_ && core_->pc == sync_pc_ && core_->instret == sync_instret_ &&
               core_->stat_traps == sync_traps_;
    }
    // The watchdog: consecutive syncs of that instruction at the same cycle,
    // and the last device access (for the error).
    unsigned stuck_ = 0;
    uint64_t stuck_cycle_ = 0;
    uint64_t last_addr_ = 0;
    bool last_store_ = false;
    bool no_progress(); // counts one retry; true when the tile must stop
    const sc_core::sc_event *block_on_ = nullptr;
    sc_core::sc_event wake_;
    bool wake_pending_ = false;
};

#endif
