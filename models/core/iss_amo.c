/* iss_amo.c - the A extension's memory side: LR, SC and the AMOs, out of
 * the interpreter loop (they are rare, and each is a sync point on shared
 * memory): alignment, translation, the chip's part
 * (iss_mem_ops.atomic: sync point and chip-wide reservations), the
 * read-modify-write on the page's host bytes (or through the device
 * callbacks for DMA-written memory, which has no host mapping on the fast
 * path), and the cost: the memory system's hook with ISS_ACCESS_AMO (the
 * line's home performs the atomic), or the wrapper's fixed cost.
 *
 * Order: every atomic completes before the next instruction issues (the
 * loop stalls for its whole latency), so aq and rl need nothing more. */
#include <string.h>

#include "core/iss_alu.h"
#include "core/iss_internal.h"

/* Reads n (4 or 8) bytes at the translated address, zero-extended. */
static iss_mem_status read_n(iss_core *c, const iss_xlate *x, uint8_t *p, unsigned n, uint64_t *v)
{
    uint64_t lat = 0;
    *v = 0;
    if (p) {
        memcpy(v, p, n == 4 ? 4 : 8);
        return ISS_MEM_OK;
    }
    return c->mem.load ? c->mem.load(c->mem.ctx, x->pa, n, v, &lat) : ISS_MEM_ACCESS_FAULT;
}

static iss_mem_status write_n(iss_core *c, const iss_xlate *x, uint8_t *p, unsigned n, uint64_t v)
{
    uint64_t lat = 0;
    if (n == 4) v &= 0xffffffffULL;
    if (p) {
        memcpy(p, &v, n == 4 ? 4 : 8); /* little-endian host, as the guest */
        return ISS_MEM_OK;
    }
    return c->mem.store ? c->mem.store(c->mem.ctx, x->pa, n, v, &lat) : ISS_MEM_ACCESS_FAULT;
}

/* The exception of a failed atomic: LR raises the load kind, SC and the
 * AMOs the store/AMO kind. */
static iss_mem_status fault(iss_atomic_kind kind, iss_mem_status ms, uint64_t *cause)
{
    int lr = kind == ISS_ATOMIC_LR;
    *cause = ms == ISS_MEM_PAGE_FAULT ? (lr ? ISS_CAUSE_LOAD_PAGE : ISS_CAUSE_STORE_PAGE)
                                      : (lr ? ISS_CAUSE_LOAD_ACCESS : ISS_CAUSE_STORE_ACCESS);
    return ms;
}

iss_mem_status iss_atomic(iss_core *c, int op, uint64_t va, uint64_t src, uint64_t *rd, uint64_t *lat,
                          uint64_t *cause)
{
    iss_xlate x = { 0, NULL, 0, 0, 0 };
    iss_mem_status ms, st = ISS_MEM_OK;
    unsigned n = op >= ISS_OP_LR_D ? 8 : 4;
    int sub = (op - ISS_OP_LR_W) % (ISS_OP_LR_D - ISS_OP_LR_W);
    iss_atomic_kind kind = sub == 0 ? ISS_ATOMIC_LR : sub == 1 ? ISS_ATOMIC_SC : ISS_ATOMIC_AMO;
    uint8_t *p;
    uint64_t old = 0, line;
    int ok = 0;

    if (va & (n - 1)) {
        *cause = kind == ISS_ATOMIC_LR ? ISS_CAUSE_MISALIGNED_LOAD : ISS_CAUSE_MISALIGNED_STORE;
        return ISS_MEM_ACCESS_FAULT;
    }
    ms = iss_mem_translate(c, va, n, kind == ISS_ATOMIC_LR ? ISS_ACCESS_LOAD : ISS_ACCESS_STORE, &x);
    if (ms != ISS_MEM_OK)
        return fault(kind, ms, cause);
    if (!x.cached)
        return fault(kind, ISS_MEM_ACCESS_FAULT, cause); /* device registers have no atomics */
    p = x.host ? x.host + (va & ((1ULL << ISS_PAGE_SHIFT) - 1)) : NULL;
    line = x.pa >> c->line_shift;
    if (kind == ISS_ATOMIC_SC)
        ok = c->resv_valid && c->resv_line == line;
    if (c->mem.atomic) {
        ms = c->mem.atomic(c->mem.ctx, x.pa, n, kind, &ok, lat);
        if (ms == ISS_MEM_RETRY) {
            c->lat_carry += x.lat;
            return ms;
        }
        if (ms != ISS_MEM_OK)
            return fault(kind, ms, cause);
    }

    if (kind != ISS_ATOMIC_SC || ok) {
        st = read_n(c, &x, p, n, &old);
        if (st == ISS_MEM_RETRY)
            return st;
        if (st != ISS_MEM_OK && st != ISS_MEM_STOP)
            return fault(kind, st, cause);
    }
    switch (kind) {
    case ISS_ATOMIC_LR:
        c->resv_valid = 1;
        c->resv_line = line;
        *rd = n == 4 ? iss_sext32(old) : old;
        break;
    case ISS_ATOMIC_SC:
        c->resv_valid = 0; /* an SC always ends the reservation */
        if (ok) {
            ms = write_n(c, &x, p, n, src);
            if (ms == ISS_MEM_RETRY)
                return ms;
            if (ms != ISS_MEM_OK && ms != ISS_MEM_STOP)
                return fault(kind, ms, cause);
            if (ms == ISS_MEM_STOP) st = ms;
        } else {
            c->stat_sc_failed++;
        }
        *rd = !ok;
        break;
    case ISS_ATOMIC_AMO:
        if (n == 4) {
            old = iss_sext32(old);
            src = iss_sext32(src);
        }
        ms = write_n(c, &x, p, n, iss_amo_value(op, old, src));
        if (ms == ISS_MEM_RETRY)
            return ms;
        if (ms != ISS_MEM_OK && ms != ISS_MEM_STOP)
            return fault(kind, ms, cause);
        if (ms == ISS_MEM_STOP) st = ms;
        *rd = old;
        break;
    }
    c->stat_atomics++;
    c->xlat_stall += x.lat + c->lat_carry;
    c->lat_carry = 0;
    if (c->tcfg.timing && c->mem.ram_latency) {
        *lat = c->mem.ram_latency(c->mem.ctx, x.pa, n, ISS_ACCESS_AMO);
        c->last_store = ISS_TLB_INVALID; /* the memory system was called */
    }
    return st;
}
