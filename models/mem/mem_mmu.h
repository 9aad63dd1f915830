/* mem_mmu.h - one tile's MMU: its address space (mem_space), the modelled
 * ITLB and DTLB, and the translate callback the ISS's slow path calls on a
 * host-TLB miss. User-mode accesses go through the TLB of their kind (a
 * miss costs mem.tlb_refill cycles and, when it evicts an entry, empties
 * the matching host-TLB pages, so that a host-TLB hit is always a modelled
 * hit) and are checked against the region's rights; a violation or an
 * unmapped address is a page fault, recorded here for the report. Machine
 * mode sees the same regions with every right and no TLB (the hypervisor's
 * view). DMA-written regions and device pages never enter the host TLB, so
 * each access to them reaches the caller's device callbacks (sync points).
 * Device pages (MMIO) are registers on the TILE-Gx: they bypass the modelled
 * TLB and cost nothing beyond the instruction; only their rights apply. */
#ifndef DL_MEM_MEM_MMU_H
#define DL_MEM_MEM_MMU_H

#include <stdint.h>

#include "mem/mem_params.h"
#include "core/iss.h"
#include "mem/mem_space.h"
#include "mem/mem_sys.h"
#include "mem/mem_tlb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The last translation fault. */
typedef struct mem_fault {
    int valid;
    uint64_t va;
    iss_access kind;
    int priv;
    mem_region region;     /* copy of the region (valid when mapped) */
    int mapped;            /* 0: no region holds va */
} mem_fault;

typedef struct mem_mmu {
    mem_space space;
    mem_tlb itlb, dtlb;
    uint64_t refill;
    iss_core *core;        /* whose host TLB the evictions flush */
    mem_sys *sys;          /* cache timing, or NULL */
    unsigned tile, role, app;
    unsigned hint[3];      /* per access kind: index of the region found last,
                              tried before the search (regions never overlap) */
    mem_fault fault;
} mem_mmu;

/* An MMU with an empty space and TLBs from mp. Returns 0, or -1. */
int mem_mmu_init(mem_mmu *m, const mem_params *mp, unsigned tile, iss_core *core, mem_sys *sys,
                 char *err, size_t errlen);
void mem_mmu_free(mem_mmu *m);

/* The whole address space of tile `tile` running firmware (mp's region
 * table for the tile's role): the MMIO pages and the shared regions
 * (shared_host, shared_size: the shared memory's host bytes and size), the
 * firmware's private regions (segments seg[0..nseg), inside the private
 * window [win_va, win_va + win_size) whose bytes are ram, at the tile's
 * private physical window of tile_memmap.h), the boot-information page
 * (boot_page, TILE_BOOT_INFO_SIZE bytes, written here), every region rwx
 * when mp->protection is off. Returns 0, or -1 with a message. */
int mem_mmu_build(mem_mmu *m, const mem_params *mp, unsigned tile, iss_core *core, mem_sys *sys,
                  uint8_t *shared_host, uint64_t shared_size, const mem_segment *seg, unsigned nseg,
                  uint64_t win_va, uint64_t win_size, uint8_t *ram, uint8_t *boot_page,
                  char *err, size_t errlen);

/* The translate callback's work (iss_mem_ops.translate). */
iss_mem_status mem_mmu_translate(mem_mmu *m, uint64_t va, iss_access kind, int priv, iss_xlate *x);

/* The ram_latency hook's work: the cache model's cost of the access. */
static inline uint64_t mem_mmu_latency(mem_mmu *m, uint64_t pa, unsigned size, iss_access kind)
{
    return m->sys ? mem_sys_access(m->sys, m->tile, pa, size, kind) : 0;
}

/* "load", "store", "fetch". */
const char *mem_access_name(iss_access kind);

/* One line describing the last fault: "tile 9 (app 1): store at pc 0x...
 * to 0x... in region code (rights r-x)". */
void mem_mmu_fault_text(const mem_mmu *m, uint64_t pc, char *buf, size_t len);

/* Rights as "rwx" with dashes. */
const char *mem_rights_text(unsigned rights, char buf[4]);

/* "stack", "app", "baseline". */
const char *mem_role_name(unsigned role);

#ifdef __cplusplus
}
#endif
#endif
