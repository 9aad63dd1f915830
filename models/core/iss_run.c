/* iss_run.c - iss_run(): takes a pending interrupt, then runs one of the two
 * interpreter loops of iss_loop.inc (functional or timed), chosen once per
 * batch. */
#include <string.h>
#include "core/iss_internal.h"
#include "core/iss_alu.h"

/* The hook on a load of the timed loop's fast path (ISS_LOAD_LATENCY). */
static inline uint64_t iss_load_latency_(iss_core *c, uint64_t (*hook)(void *, uint64_t, unsigned, iss_access),
                                         uint64_t pa, unsigned n, int misaligned)
{
    uint64_t line = pa >> c->line_shift, *m = &c->mru_d[line & c->mask_d];
    if (*m == line && !misaligned) {
        c->stat_filtered_d++;
        return 0;
    }
    *m = line;
    c->last_store = ISS_TLB_INVALID;
    return hook(c->mem.ctx, pa, n, ISS_ACCESS_LOAD);
}

/* The hook on a store of the timed loop's fast path (ISS_STORE_LATENCY). */
static inline uint64_t iss_store_latency_(iss_core *c, uint64_t (*hook)(void *, uint64_t, unsigned, iss_access),
                                          uint64_t pa, unsigned n, int misaligned)
{
    uint64_t line = pa >> c->line_shift;
    if (line == c->last_store && !misaligned)
        return 0;
    c->last_store = misaligned ? ISS_TLB_INVALID : line;
    return hook(c->mem.ctx, pa, n, ISS_ACCESS_STORE);
}

#define ISS_LOOP_NAME iss_loop_fast
#define ISS_TIMING 0
#include "core/iss_loop.inc"
#undef ISS_LOOP_NAME
#undef ISS_TIMING

#define ISS_LOOP_NAME iss_loop_timed
#define ISS_TIMING 1
#include "core/iss_loop.inc"
#undef ISS_LOOP_NAME
#undef ISS_TIMING

iss_stop iss_run(iss_core *c, uint64_t budget)
{
    uint64_t limit, irq;
    if (c->halted)
        return ISS_STOP_HALTED;
    limit = c->cycle + budget < c->cycle ? UINT64_MAX : c->cycle + budget;
    c->last_store = ISS_TLB_INVALID; /* other tiles and DMA may have run since */
    irq = iss_irq_pending(c);
    if (irq) {
        uint64_t handler = iss_trap_enter(c, irq, c->pc, 0, 0);
        if (c->halted)
            return ISS_STOP_TRAP;
        c->pc = handler;
    }
    return c->tcfg.timing ? iss_loop_timed(c, limit) : iss_loop_fast(c, limit);
}
