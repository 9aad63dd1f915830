/* mem_range.h - the one binary search over a table of sorted, disjoint
 * ranges [start, start + size) (mem_space's regions, mem_sys's page-homing
 * ranges): each table element holds its start and size as uint64_t fields
 * at the offsets given (offsetof). Inline: both searches are on hot paths. */
#ifndef DL_MEM_MEM_RANGE_H
#define DL_MEM_MEM_RANGE_H

#include <stddef.h>
#include <stdint.h>

/* The index of the range of the n in `table` (elements of `stride` bytes)
 * that holds x, or n if none does. */
static inline unsigned mem_range_find(const void *table, unsigned n, size_t stride, size_t start_off,
                                      size_t size_off, uint64_t x)
{
    const char *t = (const char *)table;
#define MEM_RANGE_FIELD(i, off) (*(const uint64_t *)(const void *)(t + (size_t)(i) * stride + (off)))
    unsigned lo = 0, hi = n;
    while (lo < hi) { /* first range ending above x */
        unsigned mid = (lo + hi) / 2;
        if (MEM_RANGE_FIELD(mid, start_off) + MEM_RANGE_FIELD(mid, size_off) <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n && MEM_RANGE_FIELD(lo, start_off) <= x) return lo;
#undef MEM_RANGE_FIELD
    return n;
}

#endif
