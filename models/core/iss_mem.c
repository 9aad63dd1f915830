/* iss_mem.c - the slow path of the core's memory accesses: a host-TLB miss
 * translates the address (the MMU callback, or the RAM window one to one),
 * refills the host TLB when the page may take the fast path, and otherwise
 * hands the access to the device callbacks. Accesses that cross a 4 KiB
 * page are split into bytes. */
#include <string.h>
#include "core/iss_host_access.h"
#include "core/iss_internal.h"

#define PAGE_MASK ((1ULL << ISS_PAGE_SHIFT) - 1)

/* The identity map of the RAM window, for cores without an MMU. A page
 * wholly inside the window gets read and execute tags, and the write tag
 * unless it overlaps the store watch window; a watched store goes to the
 * store callback. */
static void identity(const iss_core *c, uint64_t va, unsigned n, iss_access kind, iss_xlate *x)
{
    uint64_t page = va & ~PAGE_MASK, off = va - c->ram_base;
    int watched = c->watch_size && page <= c->watch_base + c->watch_size - 1 &&
                  page + PAGE_MASK >= c->watch_base;
    int hit = c->watch_size && va <= c->watch_base + c->watch_size - 1 &&
              va + n - 1 >= c->watch_base;
    x->pa = va;
    if (!c->ram || off >= c->ram_size || n > c->ram_size - off)
        return; /* not RAM: a device */
    x->cached = 1;
    if (kind == ISS_ACCESS_STORE && hit)
        return;
    x->host = c->ram + off - (va & PAGE_MASK);
    if (page - c->ram_base < c->ram_size && c->ram_size - (page - c->ram_base) > PAGE_MASK)
        x->fill = ISS_FILL_R | ISS_FILL_X | (watched ? 0 : ISS_FILL_W);
}

static iss_mem_status device(iss_core *c, uint64_t pa, unsigned n, iss_access kind,
                             uint64_t *val, uint64_t *lat)
{
    if (kind == ISS_ACCESS_LOAD)
        return c->mem.load ? c->mem.load(c->mem.ctx, pa, n, val, lat) : ISS_MEM_ACCESS_FAULT;
    if (kind == ISS_ACCESS_STORE)
        return c->mem.store ? c->mem.store(c->mem.ctx, pa, n, *val, lat) : ISS_MEM_ACCESS_FAULT;
    if (c->mem.fetch) {
        uint32_t w = 0;
        iss_mem_status ms = c->mem.fetch(c->mem.ctx, pa, &w, lat);
        *val = w;
        return ms;
    }
    return ISS_MEM_ACCESS_FAULT;
}

iss_mem_status iss_mem_translate(iss_core *c, uint64_t va, unsigned n, iss_access kind, iss_xlate *x)
{
    if (c->mem.translate)
        return c->mem.translate(c->mem.ctx, va, kind, c->priv, x);
    identity(c, va, n, kind, x);
    return ISS_MEM_OK;
}

/* One access inside one page. */
static iss_mem_status access_page(iss_core *c, uint64_t va, unsigned n, iss_access kind,
                                  uint64_t *val, uint64_t *lat)
{
    iss_xlate x = { 0, NULL, 0, 0, 0 };
    iss_mem_status ms;
    uint64_t dlat = 0;
    if (c->mem.translate) {
        ms = c->mem.translate(c->mem.ctx, va, kind, c->priv, &x);
        if (ms != ISS_MEM_OK)
            return ms;
    } else {
        identity(c, va, n, kind, &x);
    }
    if (x.host) {
        uint8_t *p = x.host + (va & PAGE_MASK);
        if (x.fill) {
            unsigned i = (unsigned)(va >> ISS_PAGE_SHIFT) & ((1u << ISS_TLB_BITS) - 1);
            uint64_t vpn = va >> ISS_PAGE_SHIFT, page = va & ~PAGE_MASK;
            /* The same page keeps the tags it has (a code page that is
             * also read keeps its execute tag); another page replaces all. */
            if (c->tlb.tag_r[i] != vpn && c->tlb.tag_w[i] != vpn && c->tlb.tag_x[i] != vpn) {
                c->tlb.tag_r[i] = c->tlb.tag_w[i] = c->tlb.tag_x[i] = ISS_TLB_INVALID;
                c->tlb.host[i] = (uint64_t)(uintptr_t)x.host - page;
                c->tlb.pa[i] = (x.pa & ~PAGE_MASK) - page;
            }
            if (x.fill & ISS_FILL_R) c->tlb.tag_r[i] = vpn;
            if (x.fill & ISS_FILL_W) c->tlb.tag_w[i] = vpn;
            if (x.fill & ISS_FILL_X) c->tlb.tag_x[i] = vpn;
        }
        iss_host_access(p, val, n, kind == ISS_ACCESS_STORE);
        ms = ISS_MEM_OK;
    } else {
        ms = device(c, x.pa, n, kind, val, &dlat);
        if (ms == ISS_MEM_RETRY) {
            c->lat_carry += x.lat;
            return ms;
        }
        if (ms != ISS_MEM_OK && ms != ISS_MEM_STOP)
            return ms;
    }
    *lat += dlat;
    c->xlat_stall += x.lat + c->lat_carry;
    c->lat_carry = 0;
    if (x.cached && c->tcfg.timing && c->mem.ram_latency) {
        uint64_t line = x.pa >> c->line_shift;
        *lat += c->mem.ram_latency(c->mem.ctx, x.pa, n, kind);
        c->last_store = ISS_TLB_INVALID; /* (a store's own line is not remembered here) */
        if (kind == ISS_ACCESS_LOAD)
            c->mru_d[line & c->mask_d] = line;
        else if (kind == ISS_ACCESS_FETCH)
            c->mru_i[line & c->mask_i] = line;
    }
    return ms;
}

/* An access that crosses a page: byte by byte, low address first. */
__attribute__((noinline)) static iss_mem_status cross_page(iss_core *c, uint64_t va, unsigned n, iss_access kind,
                                                         uint64_t *val, uint64_t *lat)
{
    iss_mem_status ms = ISS_MEM_OK, r;
    uint64_t v = 0, b;
    for (unsigned i = 0; i < n; i++) {
        b = kind == ISS_ACCESS_STORE ? (*val >> (8 * i)) & 0xff : 0;
        r = access_page(c, va + i, 1, kind, &b, lat);
        if (r != ISS_MEM_OK && r != ISS_MEM_STOP)
            return r;
        if (r == ISS_MEM_STOP)
            ms = r;
        v |= (b & 0xff) << (8 * i);
    }
    if (kind != ISS_ACCESS_STORE)
        *val = v;
    return ms;
}

iss_mem_status iss_mem_slow(iss_core *c, uint64_t va, unsigned n, iss_access kind,
                            uint64_t *val, uint64_t *lat)
{
    /* (The page-crossing case in its own function keeps this one a test
     * and a tail call.) */
    if ((va & PAGE_MASK) + n <= (1ULL << ISS_PAGE_SHIFT))
        return access_page(c, va, n, kind, val, lat);
    return cross_page(c, va, n, kind, val, lat);
}
