// tile_core.cpp - runs one tile's ISS under SystemC: quanta, sync points,
// sleeping on wfi and blocking devices, and the built-in SYS page.
#include "core/tile_core.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "abi/tile_memmap.h"
#include "core/iss_host_access.h"

using namespace sc_core;

TileCore::TileCore(sc_module_name name, int tile, const TileCoreParams &params, sc_time cycle,
                   FILE *console)
    : sc_module(name), tile_(tile), quantum_(params.quantum ? params.quantum : 1), cycle_(cycle)
{
    tile_sys_init(&sys_, (unsigned)tile, console);
    core_ = static_cast<iss_core *>(calloc(1, sizeof(iss_core)));
    if (!core_) {
        fprintf(stderr, "dlsim: out of memory for tile %d\n", tile);
        exit(1);
    }
    iss_init(core_, (uint64_t)tile, TILE_DRAM_BASE, &params.timing);
    core_->mem.ctx = this;
    core_->mem.load = on_load;
    core_->mem.store = on_store;
    core_->mem.fetch = nullptr; // code runs from RAM only
    core_->mem.atomic = on_atomic;
    SC_THREAD(thread);
}

TileCore::~TileCore() { free(core_); }

void TileCore::load(uint8_t *ram, uint64_t base, uint64_t size, uint64_t entry)
{
    iss_set_ram(core_, ram, base, size);
    core_->pc = entry;
    state = TileState::running;
}

void TileCore::set_mmu(mem_mmu *mmu, bool caches)
{
    mmu_ = mmu;
    core_->mem.translate = on_translate;
    core_->mem.ram_latency = caches && mmu->sys ? on_ram_latency : nullptr;
    if (caches && mmu->sys) mem_sys_l1_filters(mmu->sys, mmu->tile, core_);
    iss_tlb_flush(core_);
}

iss_mem_status TileCore::on_translate(void *ctx, uint64_t va, iss_access kind, int priv, iss_xlate *x)
{
    return mem_mmu_translate(static_cast<TileCore *>(ctx)->mmu_, va, kind, priv, x);
}

uint64_t TileCore::on_ram_latency(void *ctx, uint64_t pa, unsigned size, iss_access kind)
{
    return mem_mmu_latency(static_cast<TileCore *>(ctx)->mmu_, pa, size, kind);
}

// An atomic: on shared memory, first a sync point (the retry performs it at
// the core's cycle, so atomics are ordered chip-wide by simulated time);
// private memory is seen by this tile only. Then the reservations, and the
// fixed cost when there is no cache model to ask.
iss_mem_status TileCore::on_atomic(void *ctx, uint64_t pa, unsigned size, iss_atomic_kind kind, int *sc_ok,
                                   uint64_t *lat)
{
    TileCore *t = static_cast<TileCore *>(ctx);
    if (t->shared_ && phys_mem_ptr(t->shared_, pa, size) && !t->synced_here()) return ISS_MEM_RETRY;
    if (t->mmu_ && t->mmu_->sys) {
        *sc_ok = mem_sys_atomic(t->mmu_->sys, (unsigned)t->tile_, pa, kind, *sc_ok);
        if (!t->core_->mem.ram_latency) *lat = mem_sys_atomic_fixed(t->mmu_->sys);
    }
    return ISS_MEM_OK;
}

void TileCore::attach(uint64_t base, uint64_t size, MmioDevice *dev)
{
    maps_.push_back(Mapping{ base, size, dev });
}

uint64_t TileCore::busy_cycles() const { return core_->cycle - slept_cycles; }

uint64_t TileCore::kernel_cycle() const { return sc_time_stamp().value() / cycle_.value(); }

void TileCore::sync()
{
    uint64_t now = kernel_cycle();
    if (core_->cycle > now) wait(sc_time::from_value(cycle_.value() * (core_->cycle - now)));
}

void TileCore::charge_sleep()
{
    uint64_t now = kernel_cycle();
    if (now > core_->cycle) {
        slept_cycles += now - core_->cycle;
        iss_add_cycles(core_, now - core_->cycle);
    }
}

// Sleeps until e fires or the armed deadline (TILE_SYS_WAKE_AT) comes; the
// core is synced (its cycle is the kernel's). A deadline that has come is
// disarmed and told to the devices; the caller retries as after any wake.
bool TileCore::sleep_on(const sc_event &e)
{
    const uint64_t at = sys_.wake_at;
    if (!at || at > ~0ULL / cycle_.value()) { // none, or past the end of simulated time
        wait(e);
        charge_sleep();
        return false;
    }
    if (at > core_->cycle) {
        wait(sc_time::from_value(cycle_.value() * at) - sc_time_stamp(), e);
        charge_sleep();
        if (core_->cycle < at) return false; // e came first: still armed
    }
    sys_.wake_at = 0;
    deadline_wakes++;
    for (const Mapping &m : maps_) m.dev->tile_deadline(tile_);
    return true;
}

void TileCore::thread()
{
    if (state != TileState::running) return;
    for (;;) {
        iss_stop s = iss_run(core_, quantum_);
        switch (s) {
        case ISS_STOP_BUDGET:
            sync();
            break;
        case ISS_STOP_SYNC:
            sync();
            if (block_on_) {
                const sc_event *e = block_on_;
                block_on_ = nullptr;
                sleep_on(*e);
            }
            if (no_progress()) return;
            synced_ = true;
            sync_pc_ = core_->pc;
            sync_instret_ = core_->instret;
            sync_traps_ = core_->stat_traps;
            break;
        case ISS_STOP_WFI:
            sync();
            if (!wake_pending_) sleep_on(wake_);
            wake_pending_ = false;
            break;
        case ISS_STOP_DEVICE:
            sync();
            tile_sys_flush(&sys_);
            state = TileState::exited;
            return;
        case ISS_STOP_TRAP:
        case ISS_STOP_HALTED:
            sync();
            state = TileState::trapped;
            // Page faults come only from the MMU, which recorded the last one
            // (its address may be inside a page-crossing access, past tval).
            if (mmu_ && mmu_->fault.valid &&
                (core_->trap_cause == ISS_CAUSE_FETCH_PAGE || core_->trap_cause == ISS_CAUSE_LOAD_PAGE ||
                 core_->trap_cause == ISS_CAUSE_STORE_PAGE)) {
                char text[256];
                faulted_ = true;
                mem_mmu_fault_text(mmu_, core_->trap_pc, text, sizeof text);
                fprintf(stderr, "dlsim: memory protection fault: %s\n", text);
                return;
            }
            fprintf(stderr, "dlsim: tile %d stopped: unhandled trap: %s at pc 0x%llx, instruction 0x%08x, tval 0x%llx\n",
                    tile_, iss_cause_name(core_->trap_cause), (unsigned long long)core_->trap_pc,
                    core_->trap_insn, (unsigned long long)core_->trap_tval);
            return;
        }
    }
}

bool TileCore::no_progress()
{
    if (!synced_here() || core_->cycle != stuck_cycle_) {
        stuck_ = 0;
        stuck_cycle_ = core_->cycle;
        return false;
    }
    if (++stuck_ < kRetryLimit) return false;
    // Stop as an access fault of that instruction (the device never let it
    // complete), so the report has the pc, the instruction and the address.
    uint64_t pc = core_->pc;
    core_->halted = 1;
    core_->trap_cause = last_store_ ? ISS_CAUSE_STORE_ACCESS : ISS_CAUSE_LOAD_ACCESS;
    core_->trap_pc = pc;
    core_->trap_tval = last_addr_;
    core_->trap_insn = core_->dc[(pc >> 2) & ((1u << ISS_DC_BITS) - 1)].word;
    state = TileState::trapped;
    fprintf(stderr,
            "dlsim: tile %d stopped: no progress: the %s at 0x%llx by the instruction at pc 0x%llx was retried "
            "%u times at cycle %llu without completing (its device asks for a retry in the same cycle for ever)\n",
            tile_, last_store_ ? "store" : "load", (unsigned long long)last_addr_, (unsigned long long)pc,
            kRetryLimit, (unsigned long long)core_->cycle);
    return true;
}

void TileCore::wake_up()
{
    wake_pending_ = true;
    wake_.notify(SC_ZERO_TIME);
    for (const Mapping &m : maps_) m.dev->tile_woken(tile_);
}

// A device access at the core's own cycle: the first attempt of an
// instruction only asks for a sync point; the retry after it performs the
// access, every piece of it (see synced_here).
iss_mem_status TileCore::access(bool store, uint64_t addr, unsigned size, uint64_t *val)
{
    if (!synced_here()) return ISS_MEM_RETRY;
    last_addr_ = addr;
    last_store_ = store;
    if (tile_sys_owns(addr))
        return store ? tile_sys_store(&sys_, addr, size, *val)
                     : tile_sys_load(&sys_, addr, size, core_->cycle, val);
    if (shared_) {
        if (uint8_t *p = phys_mem_ptr(shared_, addr, size)) {
            if (store && mmu_ && mmu_->sys) mem_sys_resv_store(mmu_->sys, (unsigned)tile_, addr, size);
            iss_host_access(p, val, size, store);
            return ISS_MEM_OK;
        }
    }
    for (const Mapping &m : maps_) {
        if (addr < m.base || addr - m.base >= m.size) continue;
        const sc_event *ev = nullptr;
        MmioResult r = store ? m.dev->store(addr - m.base, size, *val, &ev)
                             : m.dev->load(addr - m.base, size, *val, &ev);
        if (r == MmioResult::ok) return ISS_MEM_OK;
        if (r == MmioResult::fault || !ev) return ISS_MEM_ACCESS_FAULT; // block needs an event
        block_on_ = ev;
        return ISS_MEM_RETRY;
    }
    return ISS_MEM_ACCESS_FAULT;
}

iss_mem_status TileCore::on_load(void *ctx, uint64_t addr, unsigned size, uint64_t *val, uint64_t *lat)
{
    (void)lat; // device registers cost the instruction only (docs/DESIGN.md, fixed decision 6)
    return static_cast<TileCore *>(ctx)->access(false, addr, size, val);
}

iss_mem_status TileCore::on_store(void *ctx, uint64_t addr, unsigned size, uint64_t val, uint64_t *lat)
{
    (void)lat;
    return static_cast<TileCore *>(ctx)->access(true, addr, size, &val);
}
