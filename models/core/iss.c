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
}

void iss_set_ram(iss_core *c, uint8_t *ram, uint64_t base, uint64_t size)
{
    c->ram = ram;
    c->ram_base = base;
    c->ram_size = ram ? size : 0;
}

void iss_set_store_watch(iss_core *c, uint64_t base, uint64_t size)
{
    c->watch_base = base;
    c->watch_size = size;
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
