/* iss.h - the tile core: an RV64IMA + Zicsr + Zifencei instruction-set
 * simulator with the TILE-Gx timing model, in plain C (no SystemC).
 *
 * Concepts:
 *  - A core runs in batches: iss_run(core, budget) executes until its local
 *    cycle counter has advanced by `budget` cycles or something needs the
 *    caller (wfi, a device access that must wait for a sync point, a device
 *    asking to stop, an unhandled trap). The caller (bare-metal runner or the
 *    SystemC wrapper) decides what to do and calls iss_run again.
 *  - Memory (Spike's TLB fast path): a host TLB of 4 KiB pages maps a
 *    virtual page to host bytes, with one tag array per access kind (read,
 *    write, execute). A hit is one shift, one compare and one add; with
 *    timing on, an optional hook adds the memory system's latency. A page
 *    only gets the tags its rights allow, and pages that are special (MMIO,
 *    DMA-written memory that needs a sync point, a watched store window)
 *    get none, so rights are never tested on the fast path: a miss takes
 *    the slow path, which translates (iss_mem_ops.translate: the MMU model,
 *    or the identity map of the RAM window when there is none), refills the
 *    host TLB, or calls the device callbacks of iss_mem_ops, which return a
 *    status (ok, fault, retry after sync, stop) and extra latency.
 *  - Decoded instructions are cached per PC and tagged with the instruction
 *    word itself (rv8's key with Spike's index): a hit needs the fetched word
 *    to match, so stores to code and fence.i need no invalidation.
 *  - Timing: with core.timing off every instruction takes one cycle; with it
 *    on, the in-order multi-issue model charges latencies: it is the timed
 *    copy of the interpreter loop (iss_loop.inc compiled with ISS_TIMING 1,
 *    rules at its top), with the parameters of iss_timing_cfg below.
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

/* Kinds of access, for the RAM latency hook. ISS_ACCESS_AMO is only ever
 * passed to ram_latency (an LR, SC or AMO: performed at the line's home);
 * translate sees an atomic as a load (LR) or a store (SC, AMO). */
typedef enum iss_access { ISS_ACCESS_FETCH, ISS_ACCESS_LOAD, ISS_ACCESS_STORE, ISS_ACCESS_AMO } iss_access;

/* Kinds of atomic memory operation (A extension), for the atomic callback. */
typedef enum iss_atomic_kind { ISS_ATOMIC_LR, ISS_ATOMIC_SC, ISS_ATOMIC_AMO } iss_atomic_kind;

/* Slow-path memory callbacks. Each may be NULL (every access faults). `lat`
 * receives the extra cycles the access costs (0 on entry). size is 1, 2, 4
 * or 8; addresses may be misaligned. Loaded values are zero-extended.
 * ram_latency (may be NULL) is the memory system's hook: with the timing
 * model on, it is called with the physical address for every memory fetch,
 * load and store (fast path or not; never for a device register) and
 * returns the cycles the access costs beyond an L1 hit (a load's result
 * comes that much later; fetches and stores stall the pipeline). An aligned
 * fetch or load of the line its L1 set used last is a hit that changes
 * nothing and skips the call (see mru_i, mru_d), and so does a store to the
 * line of the previous store when no other call came between them in the
 * same iss_run (see last_store). translate
 * (may be NULL: RAM window one to one) is the MMU, see iss_xlate.
 *
 * atomic (may be NULL: a lone core, nothing to order against) is the chip's
 * part of an LR, SC or AMO of size bytes to memory at physical pa (never a
 * device register: an atomic there is an access fault). The ISS calls it
 * after translation and before it performs the atomic. It returns
 * ISS_MEM_RETRY to have the instruction redone after a sync point (the
 * SystemC wrapper does so for shared memory, so that the atomics of all
 * tiles happen in simulated-time order), else ISS_MEM_OK. It keeps the
 * chip-wide reservations: an LR reserves the line for this core; for an SC,
 * *sc_ok comes in as the core's own verdict (its reservation is on this
 * line and no trap or mret came since) and the callback clears it when
 * another core's SC or AMO to the line came since the LR; a successful SC
 * or an AMO breaks the other cores' reservations on the line. *lat (0 on
 * entry) receives the atomic's cycles beyond an L1 hit when there is no
 * ram_latency hook (the wrapper's fixed cost without a cache model); with
 * the hook, the ISS asks it with ISS_ACCESS_AMO instead. */
struct iss_xlate;
typedef struct iss_mem_ops {
    void *ctx;
    iss_mem_status (*load)(void *ctx, uint64_t addr, unsigned size,
                           uint64_t *val, uint64_t *lat);
    iss_mem_status (*store)(void *ctx, uint64_t addr, unsigned size,
                            uint64_t val, uint64_t *lat);
    iss_mem_status (*fetch)(void *ctx, uint64_t addr, uint32_t *insn,
                            uint64_t *lat);
    uint64_t (*ram_latency)(void *ctx, uint64_t addr, unsigned size, iss_access kind);
    iss_mem_status (*translate)(void *ctx, uint64_t va, iss_access kind, int priv,
                                struct iss_xlate *x);
    iss_mem_status (*atomic)(void *ctx, uint64_t pa, unsigned size, iss_atomic_kind kind,
                             int *sc_ok, uint64_t *lat);
} iss_mem_ops;

/* Result of iss_mem_ops.translate for one virtual address (the MMU model).
 * The slow path calls translate on a host-TLB miss; it returns ISS_MEM_OK
 * and fills x, or ISS_MEM_PAGE_FAULT / ISS_MEM_ACCESS_FAULT (the trap the
 * access raises). With host set, the access is done on those bytes and the
 * host TLB gets the tags in `fill` for the page; with host NULL it goes to
 * load/store/fetch at physical address pa (devices, sync points). `cached`
 * says the access is memory (the ram_latency hook charges it) rather than a
 * device register. `lat` is the translation's own cost (a modelled TLB
 * refill), charged once as a pipeline stall even if the access is retried. */
enum { ISS_FILL_R = 1, ISS_FILL_W = 2, ISS_FILL_X = 4 };
typedef struct iss_xlate {
    uint64_t pa;           /* physical address of the access */
    uint8_t *host;         /* host bytes of the 4 KiB page holding va, or NULL */
    unsigned fill;         /* ISS_FILL_*: fast-path tags the page may get */
    int cached;            /* memory (1) or a device register (0) */
    uint64_t lat;          /* extra cycles of the translation */
} iss_xlate;

/* Timing parameters, in cycles (filled by sim/ from the core section of the
 * configuration: sim/model_params.h). */
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
    ISS_CAUSE_MISALIGNED_LOAD = 4,   /* LR only: other loads may be misaligned */
    ISS_CAUSE_LOAD_ACCESS = 5,
    ISS_CAUSE_MISALIGNED_STORE = 6,  /* store/AMO: SC and AMOs only */
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
#define ISS_PAGE_SHIFT 12  /* host TLB pages: 4 KiB */
#define ISS_TLB_BITS 10    /* host TLB: 1024 entries (4 MiB), direct mapped */
#define ISS_TLB_INVALID UINT64_MAX
/* Lines of the core's own L1 filters until a cache model hands it its own
 * (iss_set_l1_filters): 64 bytes, the TILE-Gx line and mem.line_bytes'
 * default. */
#define ISS_LINE_SHIFT_DEFAULT 6

/* The host TLB: entry i holds virtual page vpn (vpn & mask == i) in the tag
 * of each access kind the page allows; host[i] + va is the host address
 * and pa[i] + va the physical address of va. */
typedef struct iss_tlb {
    uint64_t tag_r[1u << ISS_TLB_BITS], tag_w[1u << ISS_TLB_BITS], tag_x[1u << ISS_TLB_BITS];
    uint64_t host[1u << ISS_TLB_BITS], pa[1u << ISS_TLB_BITS];
} iss_tlb;

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

    /* memory: without mem.translate, the RAM window [ram_base, ram_base +
     * ram_size) at host ram is mapped one to one; stores to [watch_base,
     * watch_base + watch_size) take the slow path instead */
    uint8_t *ram;
    uint64_t ram_base, ram_size;
    uint64_t watch_base, watch_size;
    iss_mem_ops mem;
    iss_tlb tlb;
    uint64_t lat_carry;    /* translation cost of an access being retried */
    uint64_t xlat_stall;   /* translation cost of the last slow-path access:
                              a pipeline stall (the refill traps to the
                              hypervisor), taken by the loop */
    /* memory-system filters (timing on): per L1 set, the line (physical
     * address >> line_shift) used last. An aligned access to that line is an
     * L1 hit that changes nothing (the line is already the most recent), so
     * the hook is not called. A cache model owns the arrays (its L1 sets,
     * iss_set_l1_filters) and keeps them true; without one, one entry per
     * cache (mask 0) remembers the last line fetched and the last loaded. */
    unsigned line_shift;
    uint64_t *mru_i, *mru_d;
    uint64_t mask_i, mask_d;
    uint64_t own_mru[2];
    /* the line of the last store passed to the hook, while nothing else
     * reached the memory system in this batch: storing to it again changes
     * no cache state (everything it touched is already most recent) */
    uint64_t last_store;
    /* the LR/SC reservation (A extension): one per core, on the line
     * resv_line (physical address >> line_shift) while resv_valid; an SC,
     * a trap and mret clear it (other cores' atomics: the atomic callback) */
    int resv_valid;
    uint64_t resv_line;

    /* timing model state */
    iss_timing_cfg tcfg;
    uint64_t ready[33];    /* cycle at which each register's value is ready */
    unsigned slot;         /* instructions issued in the current cycle */
    uint64_t mem_cycle;    /* cycle of the last memory instruction issued */

    /* last unhandled trap (valid after ISS_STOP_TRAP) */
    int halted;
    uint64_t trap_cause, trap_pc, trap_tval;
    uint32_t trap_insn;
    /* A trap handler faulting on itself (opt-in: nested_trap_limit > 0, set
     * by the bare-metal runner): an exception at the pc and with the cause
     * of the previous trap, with no mret between them, is the handler's own
     * instruction faulting (e.g. saving registers on an unmapped stack).
     * At the nested_trap_limit-th such identical trap in a row the core
     * halts as on an unhandled trap, with trap_nested set to that count
     * (0 otherwise). */
    unsigned nested_trap_limit, nested_traps, trap_nested;
    int in_trap;           /* a trap was taken and no mret since */

    /* statistics: traps taken (handled or not); of those, exceptions of an
     * instruction that was fetched (all but interrupts and fetch faults: with
     * instret, the count of instructions fetched, so the fetch loop counts
     * nothing); misaligned loads and stores (counted with the timing model
     * on, where they cost cycles); loads the L1 filter served as hits without
     * calling ram_latency (the cache model never sees them) */
    uint64_t stat_traps, stat_fetched_traps, stat_misaligned;
    uint64_t stat_filtered_d;
    uint64_t stat_atomics, stat_sc_failed; /* LR, SC and AMOs performed; SCs that failed */

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

/* Empties the host TLB (all of it, or the pages of [va, va + len)): the
 * MMU model calls it when it evicts a modelled TLB entry, so that a host
 * TLB hit is always a modelled TLB hit. The core itself flushes on every
 * change of privilege. */
void iss_tlb_flush(iss_core *c);
void iss_tlb_flush_range(iss_core *c, uint64_t va, uint64_t len, unsigned kinds);

/* Hands the L1 filters to a cache model: per-set most-recent lines of its
 * L1I (sets = mask_i + 1) and L1D, for lines of 1 << line_shift bytes. */
void iss_set_l1_filters(iss_core *c, unsigned line_shift, uint64_t *mru_i, uint64_t mask_i,
                        uint64_t *mru_d, uint64_t mask_d);

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
