/* iss.h - the tile core: an RV64IM + Zicsr + Zifencei instruction-set
 * simulator with the TILE-Gx timing model, in plain C (no SystemC).
 *
 * Concepts:
 *  - A core runs in batches: iss_run(core, budget) executes until its local
 *    cycle counter has advanced by `budget` cycles or something needs the
 *    caller (wfi, a device access that must wait for a sync point, a device
 *    asking to stop, an unhandled trap). The caller (bare-metal runner or the
 *    SystemC wrapper) decides what to do and calls iss_run again.
 *  - Memory: plain RAM is one host buffer reached by the fast path (one
 *    subtract and one compare per access; with timing on, an optional hook
 *    adds the memory system's latency). Everything else - MMIO, pages the
 *    caller wants to watch - goes through the slow-path callbacks of
 *    iss_mem_ops, which return a status (ok, fault, retry after sync, stop)
 *    and the extra latency the memory system charges.
 *  - Decoded instructions are cached per PC and tagged with the instruction
 *    word itself (rv8's key with Spike's index): a hit needs the fetched word
 *    to match, so stores to code and fence.i need no invalidation.
 *  - Timing: with core.timing off every instruction takes one cycle; with it
 *    on, the in-order multi-issue model of iss_timing.h charges latencies.
 */
#ifndef DL_CORE_ISS_H
#define DL_CORE_ISS_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Why iss_run returned. */
typedef enum iss_stop {
    ISS_STOP_BUDGET = 0,   /* the cycle budget is used up */
    ISS_STOP_WFI,          /* wfi with no interrupt pending: pc is past the wfi */
    ISS_STOP_SYNC,         /* a slow-path access asked for a sync point; pc is
                              at that instruction, which has not executed */
    ISS_STOP_DEVICE,       /* a slow-path access completed and asked to stop */
    ISS_STOP_TRAP,         /* unhandled trap (mtvec unset): see iss->trap_* */
    ISS_STOP_HALTED        /* the core was already stopped by an unhandled trap */
} iss_stop;

/* Status of one slow-path memory access. */
typedef enum iss_mem_status {
    ISS_MEM_OK = 0,
    ISS_MEM_ACCESS_FAULT,  /* raises the access-fault trap of the access kind */
    ISS_MEM_PAGE_FAULT,    /* raises the page-fault trap of the access kind */
    ISS_MEM_RETRY,         /* not done: stop with ISS_STOP_SYNC, redo later */
    ISS_MEM_STOP           /* done: finish the instruction, then ISS_STOP_DEVICE */
} iss_mem_status;

/* Kinds of access, for the RAM latency hook. */
typedef enum iss_access { ISS_ACCESS_FETCH, ISS_ACCESS_LOAD, ISS_ACCESS_STORE } iss_access;

/* Slow-path memory callbacks. Each may be NULL (every access faults). `lat`
 * receives the extra cycles the access costs (0 on entry). size is 1, 2, 4
 * or 8; addresses may be misaligned. Loaded values are zero-extended.
 * ram_latency (may be NULL) is the memory system's hook on the RAM fast
 * path: with the timing model on, it is called for every RAM fetch, load and
 * store and returns the cycles the access costs beyond an L1 hit (a load's
 * result comes that much later; fetches and stores stall the pipeline). */
typedef struct iss_mem_ops {
    void *ctx;
    iss_mem_status (*load)(void *ctx, uint64_t addr, unsigned size,
                           uint64_t *val, uint64_t *lat);
    iss_mem_status (*store)(void *ctx, uint64_t addr, unsigned size,
                            uint64_t val, uint64_t *lat);
    iss_mem_status (*fetch)(void *ctx, uint64_t addr, uint32_t *insn,
                            uint64_t *lat);
    uint64_t (*ram_latency)(void *ctx, uint64_t addr, unsigned size, iss_access kind);
} iss_mem_ops;

/* Timing parameters, in cycles (see the core section of sim/config.h). */
typedef struct iss_timing_cfg {
    int timing;            /* 0: one cycle per instruction */
    unsigned issue_width;  /* >= 1 */
    unsigned load_use, branch_taken, mispredict;
    unsigned mul_latency, div_latency, misaligned_penalty;
} iss_timing_cfg;

/* Trap causes (mcause values for exceptions). */
enum {
    ISS_CAUSE_MISALIGNED_FETCH = 0,
    ISS_CAUSE_FETCH_ACCESS = 1,
    ISS_CAUSE_ILLEGAL = 2,
    ISS_CAUSE_BREAKPOINT = 3,
    ISS_CAUSE_LOAD_ACCESS = 5,
    ISS_CAUSE_STORE_ACCESS = 7,
    ISS_CAUSE_ECALL_U = 8,
    ISS_CAUSE_ECALL_M = 11,
    ISS_CAUSE_FETCH_PAGE = 12,
    ISS_CAUSE_LOAD_PAGE = 13,
    ISS_CAUSE_STORE_PAGE = 15
};
#define ISS_CAUSE_INTERRUPT (1ULL << 63)

enum { ISS_PRIV_U = 0, ISS_PRIV_M = 3 };

#define ISS_DC_BITS 13     /* decode cache: 8192 entries, 128 KiB per core */

/* One decoded instruction: 16 bytes. imm holds the immediate (or the CSR
 * number); rdt is the destination for the scoreboard (32 for x0); aux is
 * the raw rs1 field of CSR instructions (register or 5-bit immediate). */
typedef struct iss_dinsn {
    uint32_t word;
    uint8_t op, rd, rs1, rs2;
    int32_t imm;
    uint8_t rdt, aux, pad[2];
} iss_dinsn;

typedef struct iss_core {
    /* architectural state */
    uint64_t x[32];
    uint64_t pc;
    int priv;
    uint64_t mstatus, mtvec, mepc, mcause, mtval, mscratch, mie, mip;
    uint64_t hartid;
    uint64_t mcycle_off, minstret_off; /* mcycle/minstret writes, as offsets */

    /* counters: local cycle (time of the next issue group) and retired */
    uint64_t cycle, instret;

    /* memory: fast RAM [ram_base, ram_base + ram_size) at host ram; stores to
     * [watch_base, watch_base + watch_size) take the slow path instead */
    uint8_t *ram;
    uint64_t ram_base, ram_size;
    uint64_t watch_base, watch_size;
    iss_mem_ops mem;

    /* timing model state */
    iss_timing_cfg tcfg;
    uint64_t ready[33];    /* cycle at which each register's value is ready */
    unsigned slot;         /* instructions issued in the current cycle */
    uint64_t mem_cycle;    /* cycle of the last memory instruction issued */

    /* last unhandled trap (valid after ISS_STOP_TRAP) */
    int halted;
    uint64_t trap_cause, trap_pc, trap_tval;
    uint32_t trap_insn;

    /* statistics: traps taken (handled or not); misaligned loads and stores
     * (counted with the timing model on, where they cost cycles) */
    uint64_t stat_traps, stat_misaligned;

    iss_dinsn dc[1u << ISS_DC_BITS];
} iss_core;

/* Prepares a core: zero state, machine mode, pc = reset_pc, mhartid = hartid.
 * The core struct is large (decode cache): allocate it, do not put it on the
 * stack. RAM and callbacks are set with iss_set_ram / iss->mem. */
void iss_init(iss_core *c, uint64_t hartid, uint64_t reset_pc,
              const iss_timing_cfg *t);

/* Sets the fast RAM window: guest [base, base + size) is host ram[0..size). */
void iss_set_ram(iss_core *c, uint8_t *ram, uint64_t base, uint64_t size);

/* Stores into [base, base + size) go through mem.store even inside RAM. */
void iss_set_store_watch(iss_core *c, uint64_t base, uint64_t size);

/* Runs until `budget` more cycles have passed or a stop reason occurs. */
iss_stop iss_run(iss_core *c, uint64_t budget);

/* Raises (mask set) or clears machine interrupt-pending bits (mip). Taken at
 * the start of the next iss_run if enabled. */
void iss_set_irq(iss_core *c, uint64_t mip_mask, int level);

/* Charges cycles the core spent waiting outside iss_run (sleep on wfi, a
 * blocking device read): the local clock advances, nothing retires. */
void iss_add_cycles(iss_core *c, uint64_t cycles);

/* A short name for a trap cause ("illegal instruction"), never NULL. */
const char *iss_cause_name(uint64_t cause);

/* A short name for a stop reason. */
const char *iss_stop_name(iss_stop s);

#ifdef __cplusplus
}
#endif
#endif
