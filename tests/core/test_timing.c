/* test_timing.c - Check suite timing_suite: exact cycle counts of the
 * in-order multi-issue timing model (iss_loop.inc) on hand-written
 * sequences, with the TILE-Gx defaults: issue width 3, load-use 2, taken
 * branch 0, mispredict 2, mul 2, div 32, misaligned penalty 4. Each
 * sequence ends with wfi, which stops the run; the count includes the wfi's
 * own issue group. */
#include <check.h>

#include "../mem/mem_test_params.h"
#include "test_iss_util.h"
#include "mem/mem_sys.h"

static iss_core *core;
static t_dev dev;

/* Runs prog to its wfi; returns the cycles, checks the retired count. */
static uint64_t run_cycles(const iss_timing_cfg *t, const uint32_t *prog, size_t n,
                           uint64_t retired)
{
    core = t_core(t, &dev, prog, n);
    ck_assert_int_eq(iss_run(core, 100000), ISS_STOP_WFI);
    ck_assert_uint_eq(core->instret, retired);
    uint64_t cycles = core->cycle;
    t_core_free(core);
    return cycles;
}

#define CYCLES(prog, retired) run_cycles(&tc, prog, sizeof prog / sizeof prog[0], retired)

static iss_timing_cfg tc;

static void setup(void)
{
    tc = t_timing(1);
    memset(&dev, 0, sizeof dev);
}

START_TEST(timing_independent_fill_width)
{
    static const uint32_t three[] = { ADDI(1, 0, 1), ADDI(2, 0, 2), ADDI(3, 0, 3), WFI };
    static const uint32_t six[] = { ADDI(1, 0, 1), ADDI(2, 0, 2), ADDI(3, 0, 3),
                                    ADDI(4, 0, 1), ADDI(7, 0, 2), ADDI(8, 0, 3), WFI };
    ck_assert_uint_eq(CYCLES(three, 4), 2);   /* {3 addi} {wfi} */
    ck_assert_uint_eq(CYCLES(six, 7), 3);     /* {3} {3} {wfi} */
    tc.issue_width = 1;
    ck_assert_uint_eq(CYCLES(three, 4), 4);
    tc.issue_width = 2;
    ck_assert_uint_eq(CYCLES(six, 7), 4);     /* {2} {2} {2} {wfi} */
}
END_TEST

START_TEST(timing_dependences_serialise)
{
    static const uint32_t chain[] = { ADDI(1, 0, 1), ADDI(1, 1, 1), ADDI(1, 1, 1), WFI };
    static const uint32_t x0dst[] = { ADDI(0, 0, 1), ADDI(2, 0, 1), ADD(3, 0, 0), WFI };
    ck_assert_uint_eq(CYCLES(chain, 4), 3);   /* {a} {b} {c, wfi} */
    ck_assert_uint_eq(CYCLES(x0dst, 4), 2);   /* writes to x0 create no dependence */
}
END_TEST

START_TEST(timing_load_use_and_one_memory_pipe)
{
    static const uint32_t use[] = { LD(1, 6, 0), ADDI(3, 1, 1), WFI };
    static const uint32_t two[] = { LD(1, 6, 0), LD(3, 6, 8), WFI };
    static const uint32_t indep[] = { LD(1, 6, 0), ADDI(3, 0, 1), ADDI(4, 0, 1), WFI };
    ck_assert_uint_eq(CYCLES(use, 3), 3);     /* {ld} {} {addi, wfi} */
    ck_assert_uint_eq(CYCLES(two, 3), 2);     /* {ld} {ld, wfi} */
    ck_assert_uint_eq(CYCLES(indep, 4), 2);   /* {ld, addi, addi} {wfi} */
    tc.load_use = 5;
    ck_assert_uint_eq(CYCLES(use, 3), 6);
}
END_TEST

START_TEST(timing_mul_div_latency)
{
    static const uint32_t mul[] = { MUL(1, 2, 3), ADDI(4, 1, 1), WFI };
    static const uint32_t div[] = { DIV(1, 2, 3), ADDI(4, 1, 1), WFI };
    static const uint32_t divfree[] = { DIV(1, 2, 3), ADDI(4, 0, 1), WFI };
    ck_assert_uint_eq(CYCLES(mul, 3), 3);     /* result ready at cycle 2 */
    ck_assert_uint_eq(CYCLES(div, 3), 33);    /* result ready at cycle 32 */
    ck_assert_uint_eq(CYCLES(divfree, 3), 1); /* nothing waits for the quotient */
}
END_TEST

START_TEST(timing_branches_static_prediction)
{
    /* x1 = 3; loop: x1 -= 1; bne x1, x0, loop (backward: predicted taken). */
    static const uint32_t loop[] = { ADDI(1, 0, 3), ADDI(1, 1, -1), BNE(1, 0, -4), WFI };
    static const uint32_t fwd_taken[] = { BEQ(0, 0, 8), ADDI(1, 0, 1), WFI };
    static const uint32_t fwd_not[] = { BNE(0, 0, 8), ADDI(1, 0, 1), WFI };
    static const uint32_t jal[] = { JAL(0, 8), ADDI(1, 0, 1), WFI };
    /* {li} then per iteration {addi} {bne}; the last bne falls through,
     * mispredicted (+2), then {wfi}. */
    ck_assert_uint_eq(CYCLES(loop, 8), 10);
    ck_assert_uint_eq(CYCLES(fwd_taken, 2), 4);  /* {beq} +2 {wfi} */
    ck_assert_uint_eq(CYCLES(fwd_not, 3), 2);    /* {bne} {addi, wfi} */
    ck_assert_uint_eq(CYCLES(jal, 2), 2);        /* {jal} {wfi} */
    tc.branch_taken = 1;
    ck_assert_uint_eq(CYCLES(jal, 2), 3);
    ck_assert_uint_eq(CYCLES(loop, 8), 12);
    tc.mispredict = 5;
    ck_assert_uint_eq(CYCLES(fwd_taken, 2), 7);
}
END_TEST

START_TEST(timing_misaligned_and_memory_latency)
{
    static const uint32_t mis[] = { LD(1, 6, 1), WFI };
    static const uint32_t mmio_ld[] = { LD(1, 5, 0), ADDI(3, 1, 1), WFI };
    static const uint32_t mmio_sd[] = { SD(0, 5, 0), WFI };
    ck_assert_uint_eq(CYCLES(mis, 2), 6);       /* {ld} +4 {wfi} */
    dev.latency = 10;
    ck_assert_uint_eq(CYCLES(mmio_ld, 3), 13);  /* value ready at 0 + 2 + 10 */
    ck_assert_uint_eq(CYCLES(mmio_sd, 2), 12);  /* {sd} +10 {wfi} */
}
END_TEST

/* Memory-system hook: loads cost 10 extra cycles, stores 3, fetches of the
 * second instruction word 5. */
static uint64_t hook_latency(void *ctx, uint64_t addr, unsigned size, iss_access kind)
{
    (void)ctx;
    (void)size;
    if (kind == ISS_ACCESS_LOAD) return 10;
    if (kind == ISS_ACCESS_STORE) return 3;
    return addr == TILE_DRAM_BASE + 4 ? 5 : 0;
}

static uint64_t run_hooked(const uint32_t *prog, size_t n, uint64_t retired)
{
    core = t_core(&tc, &dev, prog, n);
    core->mem.ram_latency = hook_latency;
    core->line_shift = 2; /* 4-byte lines: no fetch repeats its line, every fetch asks */
    ck_assert_int_eq(iss_run(core, 100000), ISS_STOP_WFI);
    ck_assert_uint_eq(core->instret, retired);
    uint64_t cycles = core->cycle;
    t_core_free(core);
    return cycles;
}

START_TEST(timing_ram_latency_hook)
{
    static const uint32_t use[] = { LD(1, 6, 0), ADDI(3, 1, 1), WFI };
    static const uint32_t st[] = { ADDI(3, 0, 1), SD(0, 6, 0), ADDI(4, 0, 1), WFI };
    /* {ld} ... the wfi fetch at +4 stalls 5 ... addi waits for 0 + 2 + 10 */
    ck_assert_uint_eq(run_hooked(use, 3, 3), 13);
    /* {addi} stall 5 on the fetch at +4, {sd} at 6 + stall 3, {addi, wfi} at 10 */
    ck_assert_uint_eq(run_hooked(st, 4, 4), 11);
    tc = t_timing(0);   /* timing off: the hook is not consulted */
    ck_assert_uint_eq(run_hooked(st, 4, 4), 4);
}
END_TEST

START_TEST(timing_off_one_cycle_per_instruction)
{
    static const uint32_t prog[] = { LD(1, 6, 1), DIV(2, 1, 1), MUL(3, 2, 2), BEQ(0, 0, 8),
                                     ADDI(1, 0, 1), LD(4, 5, 0), WFI };
    tc = t_timing(0);
    dev.latency = 50;
    ck_assert_uint_eq(CYCLES(prog, 6), 6);
}
END_TEST

START_TEST(timing_budget_stops_at_group_boundary)
{
    /* An endless loop of an addi and a backward jal, which does not depend
     * on it: one turn per cycle, and the budget check falls between them. */
    static const uint32_t spin[] = { ADDI(1, 1, 1), JAL(0, -4) };
    core = t_core(&tc, &dev, spin, 2);
    ck_assert_int_eq(iss_run(core, 100), ISS_STOP_BUDGET);
    ck_assert_uint_eq(core->cycle, 100);
    ck_assert_uint_eq(core->instret, 199);
    iss_add_cycles(core, 50);                   /* e.g. a sleep on wfi */
    ck_assert_int_eq(iss_run(core, 10), ISS_STOP_BUDGET);
    ck_assert_uint_eq(core->cycle, 160);
    ck_assert_uint_eq(core->instret, 217);      /* {jal} {addi, jal} x 8 {addi} */
    t_core_free(core);
}
END_TEST

/* The cache model behind the hook, as tile 0 (the core's ctx is the test
 * device). */
static mem_sys *cache_sys;
static uint64_t cache_hook(void *ctx, uint64_t pa, unsigned size, iss_access kind)
{
    (void)ctx;
    return mem_sys_access(cache_sys, 0, pa, size, kind);
}

/* Every fetch and load counts in the cache statistics, the L1 hits the
 * core's filters serve without calling the model included: a loop of known
 * length on one code line and one data line. */
START_TEST(timing_cache_stats_count_every_access)
{
    static const uint32_t prog[] = { ADDI(7, 0, 100), LD(1, 6, 0), LD(2, 6, 8), ADDI(7, 7, -1),
                                     BNE(7, 0, -12), WFI };
    mem_params cfg = mem_test_params();
    mem_sys sys;
    mem_cache_stats st[MEM_STATS_CACHES];
    char err[256];
    ck_assert_int_eq(mem_sys_init(&sys, &cfg, err, sizeof err), 0);
    cache_sys = &sys;
    core = t_core(&tc, &dev, prog, sizeof prog / sizeof prog[0]);
    core->mem.ram_latency = cache_hook;
    mem_sys_l1_filters(&sys, 0, core);
    ck_assert_int_eq(iss_run(core, 1000000), ISS_STOP_WFI);
    ck_assert_uint_eq(core->instret, 1 + 100 * 4 + 1);
    mem_sys_cache_stats(&sys, 0, core, st);
    /* one fetch per instruction (the 24 bytes of code are one line) */
    ck_assert_uint_eq(st[MEM_STATS_L1I].accesses, 402);
    ck_assert_uint_eq(st[MEM_STATS_L1I].misses, 1);
    ck_assert_uint_eq(st[MEM_STATS_L1I].hits, 401);
    /* two loads a turn, both in one line */
    ck_assert_uint_eq(st[MEM_STATS_L1D].accesses, 200);
    ck_assert_uint_eq(st[MEM_STATS_L1D].misses, 1);
    ck_assert_uint_eq(st[MEM_STATS_L1D].hits, 199);
    /* the L2 sees the two L1 misses, and misses both */
    ck_assert_uint_eq(st[MEM_STATS_L2].accesses, 2);
    ck_assert_uint_eq(st[MEM_STATS_L2].misses, 2);
    ck_assert_uint_eq(st[MEM_STATS_L2].hits, 0);
    t_core_free(core);
    mem_sys_free(&sys);
}
END_TEST

Suite *timing_suite(void)
{
    Suite *s = suite_create("timing");
    TCase *tc_ = tcase_create("exact");
    tcase_add_checked_fixture(tc_, setup, NULL);
    tcase_add_test(tc_, timing_independent_fill_width);
    tcase_add_test(tc_, timing_dependences_serialise);
    tcase_add_test(tc_, timing_load_use_and_one_memory_pipe);
    tcase_add_test(tc_, timing_mul_div_latency);
    tcase_add_test(tc_, timing_branches_static_prediction);
    tcase_add_test(tc_, timing_misaligned_and_memory_latency);
    tcase_add_test(tc_, timing_ram_latency_hook);
    tcase_add_test(tc_, timing_off_one_cycle_per_instruction);
    tcase_add_test(tc_, timing_budget_stops_at_group_boundary);
    tcase_add_test(tc_, timing_cache_stats_count_every_access);
    suite_add_tcase(s, tc_);
    return s;
}
