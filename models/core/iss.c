/* iss.c - construction and the small setters of the tile core. */
#include <string.h>
#include "core/iss_internal.h"

void iss_init(iss_core *c, uint64_t hartid, uint64_t reset_pc,
              const iss_timing_cfg *t)
{
    memset(c, 0, sizeof *c);
    c->hartid = hartid;
    c->pc = reset_pc;
    c->priv = ISS_PRIV_M;
    c->tcfg = *t;
    if (c->tcfg.issue_width < 1)
        c->tcfg.issue_width = 1;
    c->slot = c->tcfg.issue_width; /* the first instruction opens a group */
    c->mem_cycle = UINT64_MAX;
    iss_set_l1_filters(c, ISS_LINE_SHIFT_DEFAULT, &c->own_mru[0], 0, &c->own_mru[1], 0);
    c->own_mru[0] = c->own_mru[1] = ISS_TLB_INVALID;
    c->last_store = ISS_TLB_INVALID;
    iss_tlb_flush(c);
}

void iss_set_l1_filters(iss_core *c, unsigned line_shift, uint64_t *mru_i, uint64_t mask_i,
                        uint64_t *mru_d, uint64_t mask_d)
{
    c->line_shift = line_shift;
    c->mru_i = mru_i;
    c->mask_i = mask_i;
    c->mru_d = mru_d;
    c->mask_d = mask_d;
}

void iss_tlb_flush(iss_core *c)
{
    memset(c->tlb.tag_r, 0xff, sizeof c->tlb.tag_r);
    memset(c->tlb.tag_w, 0xff, sizeof c->tlb.tag_w);
    memset(c->tlb.tag_x, 0xff, sizeof c->tlb.tag_x);
}

void iss_tlb_flush_range(iss_core *c, uint64_t va, uint64_t len, unsigned kinds)
{
    const unsigned n = 1u << ISS_TLB_BITS;
    uint64_t first = va >> ISS_PAGE_SHIFT, last = (va + len - 1) >> ISS_PAGE_SHIFT;
    if (len == 0)
        return;
    for (unsigned i = 0; i < n; i++) {
        /* Probe only the entries the range can occupy when it is small. */
        unsigned j = last - first < n ? (unsigned)((first + i) & (n - 1)) : i;
        if (last - first < n && i > last - first)
            break;
        if ((kinds & ISS_FILL_R) && c->tlb.tag_r[j] >= first && c->tlb.tag_r[j] <= last)
            c->tlb.tag_r[j] = ISS_TLB_INVALID;
        if ((kinds & ISS_FILL_W) && c->tlb.tag_w[j] >= first && c->tlb.tag_w[j] <= last)
            c->tlb.tag_w[j] = ISS_TLB_INVALID;
        if ((kinds & ISS_FILL_X) && c->tlb.tag_x[j] >= first && c->tlb.tag_x[j] <= last)
            c->tlb.tag_x[j] = ISS_TLB_INVALID;
    }
}

void iss_set_ram(iss_core *c, uint8_t *ram, uint64_t base, uint64_t size)
{
    c->ram = ram;
    c->ram_base = base;
    c->ram_size = ram ? size : 0;
    iss_tlb_flush(c);
}

void iss_set_store_watch(iss_core *c, uint64_t base, uint64_t size)
{
    c->watch_base = base;
    c->watch_size = size;
    iss_tlb_flush(c);
}

void iss_set_irq(iss_core *c, uint64_t mip_mask, int level)
{
    if (level)
        c->mip |= mip_mask & ISS_MIP_MASK;
    else
        c->mip &= ~mip_mask;
}

void iss_add_cycles(iss_core *c, uint64_t cycles)
{
    c->cycle += cycles;
    c->slot = c->tcfg.issue_width;
}
