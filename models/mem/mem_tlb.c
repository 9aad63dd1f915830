/* mem_tlb.c - set-associative TLB with round-robin replacement. */
#include <stdio.h>
#include <stdlib.h>

#include "mem/mem_tlb.h"

const uint64_t mem_tlb_page_sizes[MEM_TLB_PAGE_SIZES] = { 16ULL << 10, 64ULL << 10, 16ULL << 20,
                                                          4ULL << 30 };

int mem_tlb_init(mem_tlb *t, unsigned entries, unsigned assoc, char *err, size_t errlen)
{
    unsigned sets;
    *t = (mem_tlb){ 0 };
    if (entries == 0 || assoc == 0 || entries % assoc) {
        snprintf(err, errlen, "TLB of %u entries cannot be %u-way", entries, assoc);
        return -1;
    }
    sets = entries / assoc;
    if (sets & (sets - 1)) {
        snprintf(err, errlen, "TLB of %u entries, %u-way: %u sets is not a power of two", entries,
                 assoc, sets);
        return -1;
    }
    t->e = calloc(entries, sizeof *t->e);
    t->victim = calloc(sets, sizeof *t->victim);
    if (!t->e || !t->victim) {
        mem_tlb_free(t);
        snprintf(err, errlen, "out of memory for a TLB");
        return -1;
    }
    t->entries = entries;
    t->assoc = assoc;
    t->sets = sets;
    return 0;
}

void mem_tlb_free(mem_tlb *t)
{
    free(t->e);
    free(t->victim);
    t->e = NULL;
    t->victim = NULL;
}

int mem_tlb_lookup(mem_tlb *t, uint64_t va, uint64_t page_size, mem_tlb_entry *evicted)
{
    uint64_t base = va & ~(page_size - 1);
    if (mem_tlb_hit_last(t, va, page_size)) return 1;
    unsigned set = (unsigned)((va >> __builtin_ctzll(page_size)) & (t->sets - 1));
    mem_tlb_entry *e = t->e + (size_t)set * t->assoc;
    unsigned w, free_way = t->assoc;
    for (w = 0; w < t->assoc; w++) {
        if (e[w].base == base && e[w].size == page_size) {
            t->hits++;
            t->last = set * t->assoc + w;
            return 1;
        }
        if (!e[w].size && free_way == t->assoc) free_way = w;
    }
    t->misses++;
    for (unsigned i = 0; i < MEM_TLB_PAGE_SIZES; i++)
        if (mem_tlb_page_sizes[i] == page_size)
            t->misses_by_size[i]++;
    /* A free way first, else the victim pointer. */
    w = free_way;
    if (w == t->assoc) {
        w = t->victim[set];
        t->victim[set] = (w + 1) % t->assoc;
    }
    *evicted = e[w];
    e[w].base = base;
    e[w].size = page_size;
    t->last = set * t->assoc + w;
    return 0;
}
