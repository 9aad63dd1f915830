/* mem_cache.c - set-associative tag array with LRU replacement. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem/mem_cache.h"

int mem_cache_init(mem_cache *c, const char *what, uint64_t size, unsigned ways,
                   unsigned line_bytes, char *err, size_t errlen)
{
    uint64_t sets;
    memset(c, 0, sizeof *c);
    if (ways == 0 || line_bytes == 0 || size % ((uint64_t)ways * line_bytes)) {
        snprintf(err, errlen, "%s: %llu bytes is not a whole number of %u-way sets of %u-byte lines",
                 what, (unsigned long long)size, ways, line_bytes);
        return -1;
    }
    sets = size / ((uint64_t)ways * line_bytes);
    if (sets == 0 || (sets & (sets - 1))) {
        snprintf(err, errlen, "%s: %llu sets is not a power of two", what, (unsigned long long)sets);
        return -1;
    }
    c->line = malloc(sets * ways * sizeof *c->line);
    c->stamp = calloc(sets * ways, sizeof *c->stamp);
    c->mru = malloc(sets * sizeof *c->mru);
    if (!c->line || !c->stamp || !c->mru) {
        mem_cache_free(c);
        snprintf(err, errlen, "%s: out of memory", what);
        return -1;
    }
    memset(c->line, 0xff, sets * ways * sizeof *c->line);
    memset(c->mru, 0xff, sets * sizeof *c->mru);
    c->sets = (unsigned)sets;
    c->ways = ways;
    return 0;
}

void mem_cache_free(mem_cache *c)
{
    free(c->line);
    free(c->stamp);
    free(c->mru);
    c->line = NULL;
    c->stamp = NULL;
    c->mru = NULL;
}

static uint64_t *set_of(const mem_cache *c, uint64_t line)
{
    return c->line + (size_t)(line & (c->sets - 1)) * c->ways;
}

/* The one way search: the slot of the line's set holding it, or NULL. */
static inline uint64_t *slot_of(const mem_cache *c, uint64_t line)
{
    uint64_t *s = set_of(c, line);
    for (unsigned w = 0; w < c->ways; w++)
        if (s[w] == line) return &s[w];
    return NULL;
}

/* Makes the line in slot p the most recent. */
static inline void use(mem_cache *c, const uint64_t *p, uint64_t line)
{
    c->stamp[p - c->line] = ++c->clock;
    c->mru[line & (c->sets - 1)] = line;
}

int mem_cache_holds(const mem_cache *c, uint64_t line)
{
    return slot_of(c, line) != NULL;
}

/* Puts a line that is not present into the LRU (or an empty) way. */
static void put(mem_cache *c, uint64_t line)
{
    uint64_t *s = set_of(c, line);
    const uint64_t *stamp = c->stamp + (s - c->line);
    unsigned lru = 0;
    for (unsigned w = 0; w < c->ways; w++) {
        if (s[w] == MEM_CACHE_EMPTY) {
            lru = w;
            break;
        }
        if (stamp[w] < stamp[lru]) lru = w;
    }
    if (c->held) {
        if (s[lru] != MEM_CACHE_EMPTY) c->held[s[lru] & c->held_mask]--;
        c->held[line & c->held_mask]++;
    }
    s[lru] = line;
    use(c, &s[lru], line);
}

int mem_cache_access(mem_cache *c, uint64_t line, int fill)
{
    uint64_t *p = slot_of(c, line);
    if (p) {
        use(c, p, line);
        c->hits++;
        return 1;
    }
    c->misses++;
    if (fill) put(c, line);
    return 0;
}

int mem_cache_touch(mem_cache *c, uint64_t line)
{
    uint64_t *p = slot_of(c, line);
    if (!p) return 0;
    use(c, p, line);
    return 1;
}

void mem_cache_fill(mem_cache *c, uint64_t line)
{
    uint64_t *p = slot_of(c, line);
    if (p)
        use(c, p, line);
    else
        put(c, line);
}

int mem_cache_invalidate(mem_cache *c, uint64_t line)
{
    uint64_t *p = slot_of(c, line);
    if (!p) return 0;
    *p = MEM_CACHE_EMPTY;
    c->stamp[p - c->line] = 0;
    if (c->held) c->held[line & c->held_mask]--;
    if (c->mru[line & (c->sets - 1)] == line) c->mru[line & (c->sets - 1)] = MEM_CACHE_EMPTY;
    return 1;
}
