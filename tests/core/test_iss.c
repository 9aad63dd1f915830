/* test_iss.c - Check suite iss_suite: the ISS as a library - decoding,
 * the slow-path protocol (latency, retry after sync, stop, faults), unhandled
 * traps, a trap handler faulting on itself, wfi and interrupts, the cycle budget, the decode cache under
 * self-modifying code, the store watch window and the SYS page. */
#include <check.h>
#include <stdio.h>

#include "core/iss_internal.h"
#include "core/iss_alu.h"
#include "core/tile_sys.h"
#include "test_iss_util.h"

static iss_core *core;
static t_dev dev;
static iss_timing_cfg tc;

static void setup(void)
{
    tc = t_timing(0);
    memset(&dev, 0, sizeof dev);
    core = NULL;
}

static void teardown(void)
{
    if (core)
        t_core_free(core);
}

#define LOAD(prog) (core = t_core(&tc, &dev, prog, sizeof prog / sizeof prog[0]))

START_TEST(iss_decode_fields_and_illegal)
{
    iss_dinsn d;
    iss_decode(&d, ADDI(5, 6, -2048));
    ck_assert_int_eq(d.op, ISS_OP_ADDI);
    ck_assert_int_eq(d.rd, 5);
    ck_assert_int_eq(d.rs1, 6);
    ck_assert_int_eq(d.rs2, 0);          /* unused source reads x0 */
    ck_assert_int_eq(d.imm, -2048);
    iss_decode(&d, BNE(1, 2, -4096));
    ck_assert_int_eq(d.op, ISS_OP_BNE);
    ck_assert_int_eq(d.imm, -4096);
    iss_decode(&d, JAL(1, 0xffffe));
    ck_assert_int_eq(d.op, ISS_OP_JAL);
    ck_assert_int_eq(d.imm, 0xffffe);
    iss_decode(&d, SD(7, 8, -1));
    ck_assert_int_eq(d.op, ISS_OP_SD);
    ck_assert_int_eq(d.imm, -1);
    ck_assert_int_eq(d.rs2, 7);
    iss_decode(&d, ADDI(0, 1, 1));
    ck_assert_int_eq(d.rdt, 32);         /* x0 never enters the scoreboard */
    static const uint32_t bad[] = {
        0x00000000u, 0xffffffffu,
        t_i(0x13, 1, 1, 1, 0x400),        /* slli with a bad funct6 */
        t_i(0x13, 5, 1, 1, 0x200),        /* srli/srai with a bad funct6 */
        t_i(0x03, 7, 1, 1, 0),            /* load funct3 7 */
        t_s(0x23, 4, 1, 1, 0),            /* store funct3 4 */
        t_i(0x73, 4, 1, 1, 0x300),        /* csr funct3 4 */
        t_r(0x33, 0, 2, 1, 1, 1),         /* op with funct7 2 */
        t_r(0x3b, 1, 1, 1, 1, 1),         /* mulw family hole (funct3 1) */
        t_i(0x1b, 1, 1, 1, 0x20),         /* slliw shamt 32 */
        0x00200073u,                      /* uret: no N extension, so illegal */
        t_i(0x67, 1, 1, 1, 0),            /* jalr funct3 1 */
        t_r(0x2f, 2, 0x08, 1, 2, 3),      /* lr.w with rs2 != 0 */
        t_r(0x2f, 1, 0x00, 1, 2, 3),      /* amoadd funct3 1 (no .h) */
        t_r(0x2f, 4, 0x00, 1, 2, 3),      /* amoadd funct3 4 */
        t_r(0x2f, 3, 0x14, 1, 2, 3),      /* funct5 0x05: no such AMO */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        iss_decode(&d, bad[i]);
        ck_assert_msg(d.op == ISS_OP_ILLEGAL, "%#x decoded as op %d", bad[i], d.op);
    }
}
END_TEST

START_TEST(iss_alu_edge_cases)
{
    ck_assert_uint_eq(iss_div(5, 0), UINT64_MAX);
    ck_assert_uint_eq(iss_rem(5, 0), 5);
    ck_assert_uint_eq(iss_div((uint64_t)INT64_MIN, (uint64_t)-1), (uint64_t)INT64_MIN);
    ck_assert_uint_eq(iss_rem((uint64_t)INT64_MIN, (uint64_t)-1), 0);
    ck_assert_uint_eq(iss_divw(0x80000000u, (uint64_t)-1), 0xffffffff80000000ull);
    ck_assert_uint_eq(iss_remuw(7, 0), 7);
    ck_assert_uint_eq(iss_divuw(0xffffffffu, 1), UINT64_MAX);  /* sign-extended */
    ck_assert_uint_eq(iss_mulhsu((uint64_t)-1, UINT64_MAX), UINT64_MAX);
    ck_assert_uint_eq(iss_mulh((uint64_t)INT64_MIN, (uint64_t)INT64_MIN), 1ull << 62);
}
END_TEST

START_TEST(iss_x0_stays_zero)
{
    static const uint32_t prog[] = { ADDI(0, 0, 5), LD(0, 6, 0), ADD(1, 0, 0), WFI };
    LOAD(prog);
    memcpy(core->ram + 0x8000, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_WFI);
    ck_assert_uint_eq(core->x[0], 0);
    ck_assert_uint_eq(core->x[1], 0);
}
END_TEST

START_TEST(iss_slow_path_load_store)
{
    static const uint32_t prog[] = { LD(1, 5, 8), SW(1, 5, 16), WFI };
    dev.value = 0x1122334455667788ull;
    LOAD(prog);
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_WFI);
    ck_assert_uint_eq(core->x[1], 0x1122334455667788ull);
    ck_assert_uint_eq(dev.loads, 1);
    ck_assert_uint_eq(dev.stores, 1);
    ck_assert_uint_eq(dev.last_addr, T_MMIO + 16);
    ck_assert_uint_eq(dev.value, 0x55667788ull);  /* only the stored bytes */
}
END_TEST

START_TEST(iss_slow_path_retry_then_stop)
{
    static const uint32_t prog[] = { ADDI(1, 0, 1), LD(2, 5, 0), ADDI(3, 0, 3), WFI };
    dev.retries_left = 1;
    dev.value = 42;
    LOAD(prog);
    /* The load asks for a sync point: it has not executed, pc points at it. */
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_SYNC);
    ck_assert_uint_eq(core->pc, TILE_DRAM_BASE + 4);
    ck_assert_uint_eq(core->instret, 1);
    ck_assert_uint_eq(core->x[2], 0);
    /* Next time the device completes it and asks to stop after it. */
    dev.status = ISS_MEM_STOP;
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_DEVICE);
    ck_assert_uint_eq(core->x[2], 42);
    ck_assert_uint_eq(core->instret, 2);
    ck_assert_uint_eq(core->pc, TILE_DRAM_BASE + 8);
    dev.status = ISS_MEM_OK;
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_WFI);
    ck_assert_uint_eq(core->x[3], 3);
}
END_TEST

START_TEST(iss_retry_keeps_timing_exact)
{
    static const uint32_t prog[] = { LD(2, 5, 0), WFI };
    tc = t_timing(1);
    dev.retries_left = 3;
    LOAD(prog);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(iss_run(core, 100), ISS_STOP_SYNC);
    ck_assert_uint_eq(core->cycle, 0);
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_WFI);
    ck_assert_uint_eq(core->cycle, 1);        /* {ld, wfi}: charged once */
}
END_TEST

/* The atomic callback: what it is told, a retry before anything is done,
 * an SC it fails (another tile's), and its fixed cost without a cache
 * hook: lr.w at cycle 0 costs load_use 2 + 20, sc.w 2, wfi issues at 24. */
static unsigned amo_calls, amo_retries;
static int amo_kinds[4];
static uint64_t amo_pa;
static iss_mem_status t_amo(void *ctx, uint64_t pa, unsigned size, iss_atomic_kind kind, int *sc_ok,
                            uint64_t *lat)
{
    (void)ctx;
    ck_assert_uint_eq(size, kind == ISS_ATOMIC_AMO ? 8 : 4);
    if (amo_retries) {
        amo_retries--;
        return ISS_MEM_RETRY;
    }
    amo_kinds[amo_calls++ & 3] = kind;
    amo_pa = pa;
    if (kind == ISS_ATOMIC_SC) {
        ck_assert_int_eq(*sc_ok, 1); /* the core's own verdict: reserved */
        *sc_ok = 0;
    } else {
        *lat = 20;
    }
    return ISS_MEM_OK;
}

START_TEST(iss_atomic_callback)
{
    static const uint32_t prog[] = { LR_W(7, 6), SC_W(8, 9, 6), AMOADD_D(10, 9, 6), WFI };
    tc = t_timing(1);
    LOAD(prog);
    core->mem.atomic = t_amo;
    amo_calls = 0;
    amo_retries = 1;
    core->x[9] = 5;
    core->ram[0x8000] = 0x80; /* word 0x80 (positive) at x6 */
    ck_assert_int_eq(iss_run(core, 1000), ISS_STOP_SYNC);
    ck_assert_uint_eq(core->cycle, 0);
    ck_assert_int_eq(iss_run(core, 1000), ISS_STOP_WFI);
    ck_assert_uint_eq(amo_calls, 3);
    ck_assert_int_eq(amo_kinds[0], ISS_ATOMIC_LR);
    ck_assert_int_eq(amo_kinds[1], ISS_ATOMIC_SC);
    ck_assert_int_eq(amo_kinds[2], ISS_ATOMIC_AMO);
    ck_assert_uint_eq(amo_pa, TILE_DRAM_BASE + 0x8000);
    ck_assert_uint_eq(core->x[7], 0x80);
    ck_assert_uint_eq(core->x[8], 1);          /* the SC failed */
    ck_assert_uint_eq(core->x[10], 0x80);      /* and stored nothing */
    ck_assert_uint_eq(core->ram[0x8000], 0x85);
    ck_assert_uint_eq(core->stat_sc_failed, 1);
    ck_assert_uint_eq(core->stat_atomics, 3);
    /* lr 0..22, sc 22..24, amoadd 24..46, wfi issues at 46 */
    ck_assert_uint_eq(core->cycle, 47);
}
END_TEST

START_TEST(iss_fault_without_handler_halts)
{
    static const uint32_t prog[] = { ADDI(1, 0, 1), SD(1, 5, 24), WFI };
    dev.status = ISS_MEM_PAGE_FAULT;
    LOAD(prog);
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_TRAP);
    ck_assert_uint_eq(core->trap_cause, ISS_CAUSE_STORE_PAGE);
    ck_assert_uint_eq(core->trap_pc, TILE_DRAM_BASE + 4);
    ck_assert_uint_eq(core->trap_tval, T_MMIO + 24);
    ck_assert_uint_eq(core->trap_insn, SD(1, 5, 24));
    ck_assert_uint_eq(core->instret, 1);
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_HALTED);
    ck_assert_str_eq(iss_cause_name(core->trap_cause), "store page fault");
}
END_TEST

START_TEST(iss_fault_with_handler_traps)
{
    /* mtvec = handler at +0x100; a faulting load enters it in M-mode. */
    static uint32_t prog[0x44];
    memset(prog, 0, sizeof prog);
    prog[0] = LD(1, 5, 0);
    prog[0x40] = CSRRS(10, 0x342, 0);     /* csrr a0, mcause */
    prog[0x41] = CSRRS(11, 0x343, 0);     /* csrr a1, mtval */
    prog[0x42] = CSRRS(12, 0x341, 0);     /* csrr a2, mepc */
    prog[0x43] = WFI;
    dev.status = ISS_MEM_ACCESS_FAULT;
    LOAD(prog);
    core->mtvec = TILE_DRAM_BASE + 0x100;
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_WFI);
    ck_assert_uint_eq(core->x[10], ISS_CAUSE_LOAD_ACCESS);
    ck_assert_uint_eq(core->x[11], T_MMIO);
    ck_assert_uint_eq(core->x[12], TILE_DRAM_BASE);
}
END_TEST

/* nested_trap_limit (the bare-metal runner's): a handler whose own store
 * faults traps to itself; the 4th identical trap in a row halts the core.
 * Without the limit the loop goes on; a fault repeated with mret between
 * (the program's, not the handler's) never counts. */
START_TEST(iss_nested_trap_limit)
{
    static uint32_t prog[0x44];
    memset(prog, 0, sizeof prog);
    prog[0] = LD(1, 5, 0);                /* faults: enters the handler */
    prog[0x40] = SD(1, 5, 8);             /* the handler's store faults too */
    dev.status = ISS_MEM_ACCESS_FAULT;
    LOAD(prog);
    core->mtvec = TILE_DRAM_BASE + 0x100;
    ck_assert_int_eq(iss_run(core, 1000), ISS_STOP_BUDGET); /* limit 0: off */
    ck_assert_uint_eq(core->trap_nested, 0);
    t_core_free(core);
    LOAD(prog);
    core->mtvec = TILE_DRAM_BASE + 0x100;
    core->nested_trap_limit = 4;
    ck_assert_int_eq(iss_run(core, 1000), ISS_STOP_TRAP);
    ck_assert_uint_eq(core->trap_nested, 4);
    ck_assert_uint_eq(core->trap_pc, TILE_DRAM_BASE + 0x100);
    ck_assert_uint_eq(core->trap_cause, ISS_CAUSE_STORE_ACCESS);
    ck_assert_uint_eq(core->stat_traps, 5); /* the program's, then 4 of the handler's */
}
END_TEST

START_TEST(iss_nested_trap_limit_reset_by_mret)
{
    static uint32_t prog[0x44];
    memset(prog, 0, sizeof prog);
    prog[0] = LD(1, 5, 0);                /* faults, again and again */
    prog[1] = JAL(0, -4);
    prog[0x40] = CSRRS(10, 0x341, 0);     /* mepc += 4; mret */
    prog[0x41] = ADDI(10, 10, 4);
    prog[0x42] = CSRRW(0, 0x341, 10);
    prog[0x43] = MRET;
    dev.status = ISS_MEM_ACCESS_FAULT;
    LOAD(prog);
    core->mtvec = TILE_DRAM_BASE + 0x100;
    core->nested_trap_limit = 2;
    ck_assert_int_eq(iss_run(core, 1000), ISS_STOP_BUDGET);
    ck_assert_uint_eq(core->trap_nested, 0);
    ck_assert_uint_gt(core->stat_traps, 10);
}
END_TEST

START_TEST(iss_wfi_and_interrupts)
{
    static uint32_t prog[0x44];
    memset(prog, 0, sizeof prog);
    prog[0] = WFI;
    prog[1] = ADDI(1, 0, 1);
    prog[2] = WFI;
    prog[0x40] = CSRRS(10, 0x342, 0);     /* csrr a0, mcause */
    prog[0x41] = CSRRW(0, 0x304, 0);      /* csrw mie, x0: the line stays high */
    prog[0x42] = WFI;
    LOAD(prog);
    core->mtvec = TILE_DRAM_BASE + 0x100;
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_WFI);
    ck_assert_uint_eq(core->pc, TILE_DRAM_BASE + 4);
    /* Pending but disabled in mstatus: the interrupt is not taken, and a wfi
     * with a pending enabled-in-mie interrupt does not stop. */
    core->mie = 1ull << 11;
    iss_set_irq(core, 1ull << 11, 1);
    core->pc = TILE_DRAM_BASE + 4;
    ck_assert_int_eq(iss_run(core, 2), ISS_STOP_BUDGET);
    ck_assert_uint_eq(core->x[1], 1);
    ck_assert_uint_eq(core->pc, TILE_DRAM_BASE + 12);
    /* Enabled: taken at the start of the next run. */
    core->pc = TILE_DRAM_BASE + 8;
    core->mstatus |= 1ull << 3;
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_WFI);
    ck_assert_uint_eq(core->x[10], ISS_CAUSE_INTERRUPT | 11);
    ck_assert_uint_eq(core->mepc, TILE_DRAM_BASE + 8);
}
END_TEST

START_TEST(iss_unhandled_interrupt_halts)
{
    /* csrrsi mstatus, MIE with an external interrupt pending and mtvec 0. */
    static const uint32_t prog[] = { ADDI(1, 0, 1), t_i(0x73, 6, 0, 8, 0x300), ADDI(2, 0, 2), WFI };
    LOAD(prog);
    core->mie = 1ull << 11;
    iss_set_irq(core, 1ull << 11, 1);
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_TRAP);
    ck_assert_uint_eq(core->trap_cause, ISS_CAUSE_INTERRUPT | 11);
    ck_assert_uint_eq(core->trap_pc, TILE_DRAM_BASE + 8);
    ck_assert_uint_eq(core->pc, TILE_DRAM_BASE + 8);
    ck_assert_uint_eq(core->x[2], 0);
    ck_assert_str_eq(iss_cause_name(core->trap_cause), "machine external interrupt");
}
END_TEST

START_TEST(iss_vectored_interrupt_and_mstatus_stack)
{
    /* mtvec in vectored mode: the external interrupt (11) enters at
     * base + 44, exceptions at base. Entry moves MIE to MPIE and records U in
     * MPP; mret restores them, back in U-mode. */
    static uint32_t prog[0x60];
    memset(prog, 0, sizeof prog);
    prog[0] = ADDI(1, 0, 1);               /* user code */
    prog[1] = WFI;                         /* illegal in U-mode */
    prog[0x40] = CSRRW(0, 0x305, 0);       /* exception: csrw mtvec, x0 */
    prog[0x41] = 0;                        /* ... then an unhandled trap */
    prog[0x40 + 11] = CSRRS(10, 0x300, 0); /* interrupt: csrr a0, mstatus */
    prog[0x40 + 12] = CSRRW(0, 0x304, 0);  /* csrw mie, x0 */
    prog[0x40 + 13] = MRET;
    LOAD(prog);
    core->mtvec = (TILE_DRAM_BASE + 0x100) | 1;
    core->priv = ISS_PRIV_U;
    core->mstatus = 1ull << 3;             /* MIE */
    core->mie = 1ull << 11;
    iss_set_irq(core, 1ull << 11, 1);
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_TRAP);
    ck_assert_uint_eq(core->x[10] & (1ull << 3), 0);          /* MIE cleared */
    ck_assert_uint_eq(core->x[10] & (1ull << 7), 1ull << 7);  /* MPIE = old MIE */
    ck_assert_uint_eq(core->x[10] & (3ull << 11), 0);         /* MPP = U */
    ck_assert_uint_eq(core->x[1], 1);                         /* mret went back to U */
    ck_assert_uint_eq(core->mcause, ISS_CAUSE_ILLEGAL);       /* wfi in U-mode */
    ck_assert_uint_eq(core->mepc, TILE_DRAM_BASE + 4);
    ck_assert_uint_eq(core->mstatus & (1ull << 7), 1ull << 7); /* MIE was 1 again */
    ck_assert_uint_eq(core->trap_pc, TILE_DRAM_BASE + 0x104);
}
END_TEST

START_TEST(iss_budget_exact_functional)
{
    static const uint32_t spin[] = { ADDI(1, 1, 1), JAL(0, -4) };
    LOAD(spin);
    ck_assert_int_eq(iss_run(core, 1001), ISS_STOP_BUDGET);
    ck_assert_uint_eq(core->cycle, 1001);
    ck_assert_uint_eq(core->instret, 1001);
    ck_assert_uint_eq(core->x[1], 501);
}
END_TEST

START_TEST(iss_self_modifying_code)
{
    /* Runs `addi x1, x0, 1` at +8, patches it to `addi x1, x0, 2` with a
     * store (no fence.i) and runs it again: the decode cache is tagged with
     * the instruction word, so the new instruction executes. */
    static const uint32_t prog[] = {
        JAL(0, 8), WFI,
        ADDI(1, 0, 1),                  /* +8: the patched instruction */
        BNE(2, 0, 16),                  /* second time round: done */
        ADDI(2, 0, 1),
        SW(3, 4, 0),                    /* x4 = address of +8, x3 = new word */
        JAL(0, -16),
        WFI,                            /* +28 */
    };
    LOAD(prog);
    core->x[3] = ADDI(1, 0, 2);
    core->x[4] = TILE_DRAM_BASE + 8;
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_WFI);
    ck_assert_uint_eq(core->pc, TILE_DRAM_BASE + 32);
    ck_assert_uint_eq(core->x[1], 2);
}
END_TEST

START_TEST(iss_store_watch_window)
{
    /* Stores overlapping the window by one byte at either end go to the slow
     * path; the ones next to it do not. */
    static const uint32_t prog[] = { SD(1, 6, 0), SD(1, 6, 8), SD(1, 6, 16), SD(1, 6, 1),
                                     SD(1, 6, 15), SW(1, 6, 4), SW(1, 6, 16), WFI };
    LOAD(prog);
    core->x[1] = 77;
    iss_set_store_watch(core, TILE_DRAM_BASE + 0x8008, 8);
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_WFI);
    ck_assert_uint_eq(dev.stores, 3);
    ck_assert_uint_eq(dev.last_addr, TILE_DRAM_BASE + 0x800f);
    ck_assert_uint_eq(core->ram[0x8000], 77);
    ck_assert_uint_eq(core->ram[0x8010], 77);
}
END_TEST

START_TEST(iss_no_ram_everything_slow)
{
    iss_core *c = malloc(sizeof *c);
    iss_init(c, 0, 0x1000, &tc);
    ck_assert_int_eq(iss_run(c, 10), ISS_STOP_TRAP);   /* no fetch callback */
    ck_assert_uint_eq(c->trap_cause, ISS_CAUSE_FETCH_ACCESS);
    ck_assert_uint_eq(c->trap_tval, 0x1000);
    free(c);
}
END_TEST

/* The firmware's counter sets (TILE_SYS_STAT_SET): one store each, up to
 * TILE_STAT_SETS; a misaligned one or one more is refused and counted,
 * never a fault (the simulator reads the sets at the end: sim/). */
START_TEST(iss_tile_sys_firmware_counters)
{
    static tile_sys s;
    tile_sys_init(&s, 1, stdout);
    ck_assert_int_eq(tile_sys_store(&s, TILE_SYS_STAT_SET, 8, 0x1000), ISS_MEM_OK);
    ck_assert_int_eq(tile_sys_store(&s, TILE_SYS_STAT_SET, 8, 0x1004), ISS_MEM_OK);
    ck_assert_uint_eq(s.nstat_sets, 1);
    ck_assert_uint_eq(s.stat_set[0], 0x1000);
    ck_assert_uint_eq(s.stats_refused, 1);
    for (unsigned i = 1; i < TILE_STAT_SETS; i++)
        ck_assert_int_eq(tile_sys_store(&s, TILE_SYS_STAT_SET, 8, 0x2000 + 32 * i), ISS_MEM_OK);
    ck_assert_uint_eq(s.nstat_sets, TILE_STAT_SETS);
    ck_assert_int_eq(tile_sys_store(&s, TILE_SYS_STAT_SET, 8, 0x8000), ISS_MEM_OK);
    ck_assert_uint_eq(s.stats_refused, 2);
    ck_assert_int_eq(tile_sys_store(&s, TILE_SYS_STAT_SET, 4, 0x8000), ISS_MEM_ACCESS_FAULT);
}
END_TEST

START_TEST(iss_tile_sys_registers)
{
    tile_sys s;
    uint64_t v = 0;
    char buf[256] = { 0 };
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    tile_sys_init(&s, 5, f);
    ck_assert(tile_sys_owns(TILE_SYS_CONSOLE));
    ck_assert(!tile_sys_owns(TILE_UDN_BASE));
    ck_assert_int_eq(tile_sys_load(&s, TILE_SYS_TILE_ID, 8, 99, &v), ISS_MEM_OK);
    ck_assert_uint_eq(v, 5);
    ck_assert_int_eq(tile_sys_load(&s, TILE_SYS_CYCLE, 8, 99, &v), ISS_MEM_OK);
    ck_assert_uint_eq(v, 99);
    ck_assert_int_eq(tile_sys_load(&s, TILE_SYS_CYCLE, 4, 99, &v), ISS_MEM_ACCESS_FAULT);
    ck_assert_int_eq(tile_sys_load(&s, TILE_SYS_BASE + 0x800, 8, 99, &v), ISS_MEM_ACCESS_FAULT);
    for (const char *p = "hi\nyo"; *p; p++)
        ck_assert_int_eq(tile_sys_store(&s, TILE_SYS_CONSOLE, 1, (uint8_t)*p), ISS_MEM_OK);
    tile_sys_flush(&s);
    ck_assert_int_eq(tile_sys_store(&s, TILE_SYS_EXIT, 8, 3), ISS_MEM_STOP);
    ck_assert(s.exited);
    ck_assert_uint_eq(s.exit_code, 3);
    ck_assert_int_eq(tile_sys_store(&s, TILE_SYS_TILE_ID, 8, 3), ISS_MEM_ACCESS_FAULT);
    fclose(f);
    ck_assert_str_eq(buf, "[tile 5] hi\n[tile 5] yo\n");
}
END_TEST

Suite *iss_suite(void)
{
    Suite *s = suite_create("iss");
    TCase *tc_ = tcase_create("core");
    tcase_add_checked_fixture(tc_, setup, teardown);
    tcase_add_test(tc_, iss_decode_fields_and_illegal);
    tcase_add_test(tc_, iss_atomic_callback);
    tcase_add_test(tc_, iss_alu_edge_cases);
    tcase_add_test(tc_, iss_x0_stays_zero);
    tcase_add_test(tc_, iss_slow_path_load_store);
    tcase_add_test(tc_, iss_slow_path_retry_then_stop);
    tcase_add_test(tc_, iss_retry_keeps_timing_exact);
    tcase_add_test(tc_, iss_fault_without_handler_halts);
    tcase_add_test(tc_, iss_fault_with_handler_traps);
    tcase_add_test(tc_, iss_nested_trap_limit);
    tcase_add_test(tc_, iss_nested_trap_limit_reset_by_mret);
    tcase_add_test(tc_, iss_wfi_and_interrupts);
    tcase_add_test(tc_, iss_unhandled_interrupt_halts);
    tcase_add_test(tc_, iss_vectored_interrupt_and_mstatus_stack);
    tcase_add_test(tc_, iss_budget_exact_functional);
    tcase_add_test(tc_, iss_self_modifying_code);
    tcase_add_test(tc_, iss_store_watch_window);
    tcase_add_test(tc_, iss_no_ram_everything_slow);
    tcase_add_test(tc_, iss_tile_sys_registers);
    tcase_add_test(tc_, iss_tile_sys_firmware_counters);
    suite_add_tcase(s, tc_);
    return s;
}
