/* mem_tlb.h - the modelled TLB of one tile (ITLB or DTLB): entries,
 * associativity and page sizes from the configuration; a miss is refilled in
 * software on the TILE-Gx (the hypervisor), so the caller charges the
 * configured refill cycles. Replacement is round robin per set (a victim
 * pointer, as a software-refilled TLB has; assumed), which needs no update
 * on a hit: the ISS's host TLB can then serve hits without telling us. */
#ifndef DL_MEM_MEM_TLB_H
#define DL_MEM_MEM_TLB_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mem_tlb_entry {
    uint64_t base, size;   /* virtual page; size 0 = invalid */
} mem_tlb_entry;

/* Page sizes we count misses for, in this order. */
#define MEM_TLB_PAGE_SIZES 4
extern const uint64_t mem_tlb_page_sizes[MEM_TLB_PAGE_SIZES]; /* 16 KiB, 64 KiB, 16 MiB, 4 GiB */

typedef struct mem_tlb {
    unsigned entries, assoc, sets;
    mem_tlb_entry *e;      /* sets x assoc */
    unsigned *victim;      /* per set: next way to replace */
    unsigned last;         /* entry of the last hit or insert: checked first
                              (a match there is the hit the search would find) */
    uint64_t hits, misses;
    uint64_t misses_by_size[MEM_TLB_PAGE_SIZES];
} mem_tlb;

/* Sets up a TLB of `entries` entries, `assoc` ways (entries a multiple of
 * assoc, the number of sets a power of two). Returns 0, or -1 with a
 * message in err. */
int mem_tlb_init(mem_tlb *t, unsigned entries, unsigned assoc, char *err, size_t errlen);
void mem_tlb_free(mem_tlb *t);

/* Looks up the page of va (page_size a power of two). Returns 1 on a hit;
 * on a miss inserts it, returns 0 and sets *evicted to the entry it
 * replaced (size 0 when the way was free). */
int mem_tlb_lookup(mem_tlb *t, uint64_t va, uint64_t page_size, mem_tlb_entry *evicted);

/* mem_tlb_lookup's first step, inline: a hit on the last entry (counted),
 * or 0 when the full look-up is needed. */
static inline int mem_tlb_hit_last(mem_tlb *t, uint64_t va, uint64_t page_size)
{
    const mem_tlb_entry *l = &t->e[t->last];
    if (l->size != page_size || l->base != (va & ~(page_size - 1))) return 0;
    t->hits++;
    return 1;
}

#ifdef __cplusplus
}
#endif
#endif
