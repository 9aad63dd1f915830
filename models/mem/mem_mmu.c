/* mem_mmu.c - translation, the modelled TLBs and fault records. */
#include <stdio.h>
#include <string.h>

#include "abi/tile_memmap.h"
#include "mem/mem_mmu.h"

int mem_mmu_init(mem_mmu *m, const mem_params *mp, unsigned tile, iss_core *core, mem_sys *sys,
                 char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->tile = tile;
    m->core = core;
    m->sys = sys;
    m->refill = (uint64_t)mp->tlb_refill;
    mem_layout_role(mp, tile, &m->role, &m->app);
    if (mem_tlb_init(&m->itlb, (unsigned)mp->itlb_entries, (unsigned)mp->itlb_assoc, err, errlen) < 0)
        return -1;
    if (mem_tlb_init(&m->dtlb, (unsigned)mp->dtlb_entries, (unsigned)mp->dtlb_assoc, err, errlen) < 0) {
        mem_tlb_free(&m->itlb);
        return -1;
    }
    return 0;
}

int mem_mmu_build(mem_mmu *m, const mem_params *mp, unsigned tile, iss_core *core, mem_sys *sys,
                  uint8_t *shared_host, uint64_t shared_size, const mem_segment *seg, unsigned nseg,
                  uint64_t win_va, uint64_t win_size, uint8_t *ram, uint8_t *boot_page,
                  char *err, size_t errlen)
{
    uint64_t pa = TILE_PRIVATE_PHYS_BASE + (uint64_t)tile * TILE_PRIVATE_PHYS_STRIDE;
    if (mem_mmu_init(m, mp, tile, core, sys, err, errlen) < 0 ||
        mem_layout_shared(&m->space, mp, m->role, m->app, shared_host, shared_size, err, errlen) < 0 ||
        mem_layout_private(&m->space, mp, seg, nseg, win_va, win_size, ram, pa, boot_page,
                           pa + TILE_PRIVATE_PHYS_STRIDE - TILE_BOOT_INFO_SIZE, err, errlen) < 0)
        return -1;
    if (!mp->protection) mem_space_unprotect(&m->space);
    mem_layout_boot_info(&m->space, mp, tile, m->role, m->app, boot_page);
    return 0;
}

void mem_mmu_free(mem_mmu *m)
{
    mem_tlb_free(&m->itlb);
    mem_tlb_free(&m->dtlb);
    mem_space_free(&m->space);
}

static iss_mem_status fault(mem_mmu *m, uint64_t va, iss_access kind, int priv, const mem_region *r)
{
    m->fault.valid = 1;
    m->fault.va = va;
    m->fault.kind = kind;
    m->fault.priv = priv;
    m->fault.mapped = r != NULL;
    if (r) m->fault.region = *r;
    return priv == ISS_PRIV_M ? ISS_MEM_ACCESS_FAULT : ISS_MEM_PAGE_FAULT;
}

/* The region holding va: the one this kind of access found last (sync-point
 * pages come back here on every access), else the search. */
static const mem_region *find(mem_mmu *m, uint64_t va, iss_access kind)
{
    unsigned *h = &m->hint[kind];
    const mem_region *r;
    if (*h < m->space.n) {
        r = &m->space.r[*h];
        if (va - r->va < r->size) return r;
    }
    r = mem_space_find(&m->space, va);
    if (r) *h = (unsigned)(r - m->space.r);
    return r;
}

iss_mem_status mem_mmu_translate(mem_mmu *m, uint64_t va, iss_access kind, int priv, iss_xlate *x)
{
    const mem_region *r = find(m, va, kind);
    unsigned need = kind == ISS_ACCESS_FETCH ? BOOT_RIGHT_X
                    : kind == ISS_ACCESS_LOAD ? BOOT_RIGHT_R : BOOT_RIGHT_W;
    unsigned fill;
    uint64_t off;
    if (!r) return fault(m, va, kind, priv, NULL);
    x->lat = 0;
    if (priv == ISS_PRIV_M) {
        fill = BOOT_RIGHT_R | BOOT_RIGHT_W | BOOT_RIGHT_X;
    } else if (!r->host) {
        /* Device registers (the UDN, SYS and mPIPE pages) stand for the
         * TILE-Gx's network and special registers: no TLB, no memory-system
         * cost (docs/DESIGN.md, fixed decision 6); rights still apply. */
        if (!(r->rights & need)) return fault(m, va, kind, priv, r);
        fill = 0;
    } else {
        mem_tlb *t = kind == ISS_ACCESS_FETCH ? &m->itlb : &m->dtlb;
        unsigned kinds = kind == ISS_ACCESS_FETCH ? ISS_FILL_X : ISS_FILL_R | ISS_FILL_W;
        mem_tlb_entry ev;
        if (!mem_tlb_hit_last(t, va, r->page_size) && !mem_tlb_lookup(t, va, r->page_size, &ev)) {
            x->lat = m->refill;
            if (ev.size && m->core) iss_tlb_flush_range(m->core, ev.base, ev.size, kinds);
        }
        if (!(r->rights & need)) return fault(m, va, kind, priv, r);
        /* Only the kinds this TLB serves: a fetch fills the execute tag, a
         * load or store the read and write tags. */
        fill = r->rights & kinds;
    }
    off = va - r->va;
    x->pa = r->pa + off;
    x->cached = r->host != NULL;
    if (r->host && !r->sync) {
        x->host = r->host + (off & ~((1ULL << ISS_PAGE_SHIFT) - 1));
        /* A 4 KiB host page never straddles two regions: they are aligned
         * to their (larger) TLB pages. */
        x->fill = fill;
    } else {
        x->host = NULL;
        x->fill = 0;
    }
    return ISS_MEM_OK;
}

const char *mem_access_name(iss_access kind)
{
    return kind == ISS_ACCESS_FETCH ? "fetch" : kind == ISS_ACCESS_LOAD ? "load" : "store";
}

const char *mem_rights_text(unsigned rights, char buf[4])
{
    buf[0] = (rights & BOOT_RIGHT_R) ? 'r' : '-';
    buf[1] = (rights & BOOT_RIGHT_W) ? 'w' : '-';
    buf[2] = (rights & BOOT_RIGHT_X) ? 'x' : '-';
    buf[3] = 0;
    return buf;
}

const char *mem_role_name(unsigned role)
{
    return role == BOOT_ROLE_STACK ? "stack" : role == BOOT_ROLE_APP ? "app" : "baseline";
}

void mem_mmu_fault_text(const mem_mmu *m, uint64_t pc, char *buf, size_t len)
{
    char name[32], rights[4], who[32];
    if (m->role == BOOT_ROLE_STACK)
        snprintf(who, sizeof who, "stack");
    else
        snprintf(who, sizeof who, "%s %u", m->role == BOOT_ROLE_APP ? "app" : "baseline", m->app);
    snprintf(buf, len, "tile %u (%s): %s fault at pc %#llx, address %#llx, region %s (rights %s)", m->tile,
             who, mem_access_name(m->fault.kind), (unsigned long long)pc, (unsigned long long)m->fault.va,
             mem_region_name(m->fault.mapped ? &m->fault.region : NULL, name, sizeof name),
             mem_rights_text(m->fault.mapped ? m->fault.region.rights : 0, rights));
}
