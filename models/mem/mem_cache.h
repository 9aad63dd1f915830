/* mem_cache.h - one set-associative cache's tags (no data: the bytes live in
 * physical memory, so a cached copy can never be stale; the caches model
 * only time). True LRU by access stamps. */
#ifndef DL_MEM_MEM_CACHE_H
#define DL_MEM_MEM_CACHE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MEM_CACHE_EMPTY UINT64_MAX

typedef struct mem_cache {
    unsigned sets, ways;
    uint64_t *line;        /* sets x ways line numbers (address >> line shift) */
    uint64_t *stamp;       /* last use, for LRU */
    uint64_t *mru;         /* per set: the line used last (MEM_CACHE_EMPTY if gone);
                              the core's L1 filter (iss_set_l1_filters) */
    uint64_t clock;
    uint64_t hits, misses;
    uint32_t *held;        /* optional (NULL): counts of the lines held, by
                              line & held_mask, kept on fills, evictions and
                              invalidations; shared by a tile's caches
                              (mem_sys's invalidation filter) */
    uint64_t held_mask;
} mem_cache;

/* A cache of size bytes, `ways` ways, lines of line_bytes; the number of
 * sets must be a power of two. Returns 0, or -1 with a message in err
 * naming `what`. */
int mem_cache_init(mem_cache *c, const char *what, uint64_t size, unsigned ways,
                   unsigned line_bytes, char *err, size_t errlen);
void mem_cache_free(mem_cache *c);

/* Is the line present? Counts a hit or a miss; on a miss with `fill` the
 * line replaces the LRU way. A hit makes the line most recent. */
int mem_cache_access(mem_cache *c, uint64_t line, int fill);

/* Is the line present? (No statistics, no LRU change.) */
int mem_cache_holds(const mem_cache *c, uint64_t line);

/* If the line is present, makes it most recent (mem_cache_fill) without
 * counting an access; returns whether it was. */
int mem_cache_touch(mem_cache *c, uint64_t line);

/* Puts the line in (most recent) without counting an access. */
void mem_cache_fill(mem_cache *c, uint64_t line);

/* Drops the line if present; returns whether it was. */
int mem_cache_invalidate(mem_cache *c, uint64_t line);

#ifdef __cplusplus
}
#endif
#endif
