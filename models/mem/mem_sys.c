/* mem_sys.c - caches, homing, latencies and DMA invalidation of the chip's
 * memory hierarchy (see mem_sys.h for the model). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/tile_memmap.h"
#include "mem/mem_range.h"
#include "mem/mem_sys.h"

int mem_sys_init(mem_sys *m, const mem_params *mp, char *err, size_t errlen)
{
    unsigned line = (unsigned)mp->line_bytes;
    memset(m, 0, sizeof *m);
    m->width = (unsigned)mp->width;
    m->height = (unsigned)mp->height;
    m->tiles = m->width * m->height;
    if (line < 8 || (line & (line - 1))) {
        snprintf(err, errlen, "mem.line_bytes = %u is not a power of two of at least 8", line);
        return -1;
    }
    m->line_shift = (unsigned)__builtin_ctz(line);
    m->l1 = (unsigned)mp->l1_latency;
    m->l2_latency = (unsigned)mp->l2_latency;
    m->remote_latency = (unsigned)mp->remote_latency;
    m->hop_cycles = (unsigned)mp->hop_cycles;
    m->dram_latency = (unsigned)mp->dram_latency;
    m->controllers = (unsigned)mp->controllers;
    m->interleave = (uint64_t)mp->controller_interleave;
    m->homing = (unsigned)mp->homing;
    m->t = calloc(m->tiles, sizeof *m->t);
    if (!m->t) {
        snprintf(err, errlen, "out of memory for the caches");
        return -1;
    }
    for (unsigned i = 0; i < m->tiles; i++) {
        mem_tile_caches *t = &m->t[i];
        t->x = i % m->width;
        t->y = i / m->width;
        if (mem_cache_init(&t->l1i, "mem.l1i", (uint64_t)mp->l1i_kib << 10,
                           (unsigned)mp->l1i_assoc, line, err, errlen) < 0 ||
            mem_cache_init(&t->l1d, "mem.l1d", (uint64_t)mp->l1d_kib << 10,
                           (unsigned)mp->l1d_assoc, line, err, errlen) < 0 ||
            mem_cache_init(&t->l2, "mem.l2", (uint64_t)mp->l2_kib << 10,
                           (unsigned)mp->l2_assoc, line, err, errlen) < 0) {
            mem_sys_free(m);
            return -1;
        }
        t->held_l1 = calloc(MEM_SYS_HELD, sizeof *t->held_l1);
        t->held_l2 = calloc(MEM_SYS_HELD, sizeof *t->held_l2);
        if (!t->held_l1 || !t->held_l2) {
            snprintf(err, errlen, "out of memory for the caches");
            mem_sys_free(m);
            return -1;
        }
        t->l1i.held = t->l1d.held = t->held_l1;
        t->l2.held = t->held_l2;
        t->l1i.held_mask = t->l1d.held_mask = t->l2.held_mask = MEM_SYS_HELD - 1;
    }
    return 0;
}

void mem_sys_free(mem_sys *m)
{
    if (!m->t) return;
    for (unsigned i = 0; i < m->tiles; i++) {
        mem_cache_free(&m->t[i].l1i);
        mem_cache_free(&m->t[i].l1d);
        mem_cache_free(&m->t[i].l2);
        free(m->t[i].held_l1);
        free(m->t[i].held_l2);
    }
    free(m->t);
    m->t = NULL;
    free(m->homes);
    m->homes = NULL;
    m->n_homes = 0;
}

/* A 64-bit mix (splitmix64's finaliser): spreads lines over the tiles. */
static uint64_t mix(uint64_t v)
{
    v ^= v >> 30;
    v *= 0xbf58476d1ce4e5b9ULL;
    v ^= v >> 27;
    v *= 0x94d049bb133111ebULL;
    return v ^ (v >> 31);
}

unsigned mem_sys_home(const mem_sys *m, uint64_t pa)
{
    if (m->homing == MEM_HOMING_HASH)
        return (unsigned)(mix(pa >> m->line_shift) % m->tiles);
    /* Per page: a tile's private memory is homed on it; ranges on their
     * tiles; other shared pages dealt round robin in 64 KiB pages. */
    if (pa >= TILE_PRIVATE_PHYS_BASE) {
        uint64_t t = (pa - TILE_PRIVATE_PHYS_BASE) / TILE_PRIVATE_PHYS_STRIDE;
        if (t < m->tiles) return (unsigned)t;
    }
    unsigned i = mem_range_find(m->homes, m->n_homes, sizeof *m->homes,
                                offsetof(mem_home_range, base), offsetof(mem_home_range, size), pa);
    if (i < m->n_homes) {
        const mem_home_range *r = &m->homes[i];
        return r->tile[((pa - r->base) >> 16) % r->count];
    }
    return (unsigned)((pa >> 16) % m->tiles);
}

int mem_sys_home_tiles(mem_sys *m, uint64_t base, uint64_t size, const unsigned *tiles, unsigned count)
{
    mem_home_range *h;
    if (count == 0 || count > MEM_HOME_TILES_MAX) return -1;
    for (unsigned i = 0; i < count; i++)
        if (tiles[i] >= m->tiles) return -1;
    if (m->n_homes && base < m->homes[m->n_homes - 1].base + m->homes[m->n_homes - 1].size) return -1;
    h = realloc(m->homes, (m->n_homes + 1) * sizeof *h);
    if (!h) return -1;
    m->homes = h;
    h = &m->homes[m->n_homes++];
    h->base = base;
    h->size = size;
    h->count = count;
    for (unsigned i = 0; i < count; i++) h->tile[i] = (uint16_t)tiles[i];
    return 0;
}

int mem_sys_home_range(mem_sys *m, uint64_t base, uint64_t size, unsigned first, unsigned count)
{
    unsigned tiles[MEM_HOME_TILES_MAX];
    if (count == 0 || count > MEM_HOME_TILES_MAX || first + count > m->tiles) return -1;
    for (unsigned i = 0; i < count; i++) tiles[i] = first + i;
    return mem_sys_home_tiles(m, base, size, tiles, count);
}

unsigned mem_sys_hops(const mem_sys *m, unsigned a, unsigned b)
{
    unsigned ax = a % m->width, ay = a / m->width, bx = b % m->width, by = b / m->width;
    return (ax > bx ? ax - bx : bx - ax) + (ay > by ? ay - by : by - ay);
}

unsigned mem_sys_controller_tile(const mem_sys *m, uint64_t pa)
{
    /* Controller i: even ones on the west edge, odd ones on the east edge,
     * spread evenly down it (assumed placement). */
    unsigned i = (unsigned)((pa / m->interleave) % m->controllers);
    unsigned per_edge = (m->controllers + 1) / 2;
    unsigned x = (i % 2) ? m->width - 1 : 0;
    unsigned y = (unsigned)(((2 * (i / 2) + 1) * m->height) / (2 * per_edge));
    return y * m->width + x;
}

/* Drops the line from a tile's L1s and (unless keep_l2: it is the line's
 * home) its L2, skipping a cache whose held count says it cannot hold it;
 * returns whether a copy was dropped. */
static int drop_line(mem_tile_caches *t, uint64_t line, int keep_l2)
{
    size_t b = line & (MEM_SYS_HELD - 1);
    int d = 0;
    if (t->held_l1[b]) {
        d |= mem_cache_invalidate(&t->l1d, line);
        d |= mem_cache_invalidate(&t->l1i, line);
    }
    if (!keep_l2 && t->held_l2[b]) d |= mem_cache_invalidate(&t->l2, line);
    return d;
}

/* One line: returns the total latency of a load or fetch. */
static unsigned load_line(mem_sys *m, unsigned tile, uint64_t line, mem_cache *l1, unsigned *cls)
{
    mem_tile_caches *t = &m->t[tile];
    uint64_t pa = line << m->line_shift;
    unsigned h, lat;
    if (mem_cache_access(l1, line, 1)) {
        *cls = MEM_CLASS_L1;
        return m->l1;
    }
    if (mem_cache_access(&t->l2, line, 1)) {
        *cls = MEM_CLASS_L2;
        return m->l2_latency;
    }
    h = mem_sys_home(m, pa);
    if (h != tile && mem_cache_access(&m->t[h].l2, line, 1)) {
        *cls = MEM_CLASS_REMOTE;
        return m->remote_latency + m->hop_cycles * mem_sys_hops(m, tile, h);
    }
    /* Missed at the home (filled there above when remote; t's own L2 is
     * the home otherwise). */
    lat = m->dram_latency +
          m->hop_cycles * (mem_sys_hops(m, tile, h) + mem_sys_hops(m, h, mem_sys_controller_tile(m, pa)));
    *cls = MEM_CLASS_DRAM;
    return lat;
}

/* An atomic of tile on line, performed at the home (mem_sys.h): returns
 * its total latency; every copy but the home's goes. */
static unsigned atomic_line(mem_sys *m, unsigned tile, uint64_t line, unsigned *cls)
{
    uint64_t pa = line << m->line_shift;
    unsigned h = mem_sys_home(m, pa), hops = mem_sys_hops(m, tile, h), lat;
    size_t b = line & (MEM_SYS_HELD - 1);
    if (mem_cache_access(&m->t[h].l2, line, 1)) {
        *cls = h == tile ? MEM_CLASS_L2 : MEM_CLASS_REMOTE;
        lat = h == tile ? m->l2_latency : m->remote_latency + m->hop_cycles * hops;
    } else {
        *cls = MEM_CLASS_DRAM;
        lat = m->dram_latency + m->hop_cycles * (hops + mem_sys_hops(m, h, mem_sys_controller_tile(m, pa)));
    }
    for (unsigned i = 0; i < m->tiles; i++) {
        mem_tile_caches *o = &m->t[i];
        int d = 0;
        if (o->held_l1[b]) {
            d |= mem_cache_invalidate(&o->l1d, line);
            d |= mem_cache_invalidate(&o->l1i, line);
        }
        if (i != h && o->held_l2[b]) d |= mem_cache_invalidate(&o->l2, line);
        if (d && i != tile) o->coherence_invalidations++;
    }
    return lat;
}

uint64_t mem_sys_access(mem_sys *m, unsigned tile, uint64_t pa, unsigned size, iss_access kind)
{
    mem_tile_caches *t = &m->t[tile];
    uint64_t first = pa >> m->line_shift, last = (pa + size - 1) >> m->line_shift;
    unsigned worst = 0, cls = MEM_CLASS_L1;
    if (kind == ISS_ACCESS_AMO) { /* aligned: one line */
        unsigned lat = atomic_line(m, tile, first, &cls);
        t->atomics[cls]++;
        return lat > m->l1 ? lat - m->l1 : 0;
    }
    for (uint64_t line = first; line <= last; line++) {
        if (kind == ISS_ACCESS_STORE) {
            unsigned h = mem_sys_home(m, line << m->line_shift);
            mem_cache_touch(&t->l1d, line);
            if (h == tile)
                mem_cache_fill(&t->l2, line);
            else
                mem_cache_touch(&t->l2, line);
            if (h != tile) mem_cache_fill(&m->t[h].l2, line);
            /* Shared memory: the home invalidates the other tiles' copies
             * (private memory is cached by its owner and its home only). */
            if ((line << m->line_shift) - TILE_SHARED_BASE < TILE_SHARED_MAX)
                for (unsigned i = 0; i < m->tiles; i++)
                    if (i != tile && drop_line(&m->t[i], line, i == h))
                        m->t[i].coherence_invalidations++;
            continue;
        }
        unsigned c, lat = load_line(m, tile, line, kind == ISS_ACCESS_FETCH ? &t->l1i : &t->l1d, &c);
        if (lat >= worst) { /* a line-crossing access costs its slower line */
            worst = lat;
            cls = c;
        }
    }
    if (kind == ISS_ACCESS_STORE) {
        t->stores++;
        return 0;
    }
    if (kind == ISS_ACCESS_FETCH)
        t->fetches[cls]++;
    else
        t->loads[cls]++;
    m->last_class = cls;
    return worst > m->l1 ? worst - m->l1 : 0;
}

void mem_sys_l1_filters(mem_sys *m, unsigned tile, iss_core *core)
{
    mem_tile_caches *t = &m->t[tile];
    iss_set_l1_filters(core, m->line_shift, t->l1i.mru, t->l1i.sets - 1, t->l1d.mru, t->l1d.sets - 1);
}

/* Hits = accesses - misses, with accesses = the model's + `extra`. */
static mem_cache_stats cache_stats(const mem_cache *c, uint64_t extra)
{
    mem_cache_stats s;
    s.misses = c->misses;
    s.accesses = c->hits + c->misses + extra;
    s.hits = s.accesses - s.misses;
    return s;
}

void mem_sys_cache_stats(const mem_sys *m, unsigned tile, const iss_core *core,
                         mem_cache_stats out[MEM_STATS_CACHES])
{
    const mem_tile_caches *t = &m->t[tile];
    out[MEM_STATS_L1I] = cache_stats(&t->l1i, 0);
    out[MEM_STATS_L1D] = cache_stats(&t->l1d, 0);
    out[MEM_STATS_L2] = cache_stats(&t->l2, 0);
    if (!core || !core->tcfg.timing || !core->mem.ram_latency) return; /* no filters in use */
    /* L1I: every instruction fetched is one access (a redone one is not
     * fetched again by the modelled core); the model saw only the misses
     * and the filter's misses. */
    uint64_t fetched = core->instret + core->stat_fetched_traps;
    if (fetched > out[MEM_STATS_L1I].accesses) {
        out[MEM_STATS_L1I].accesses = fetched;
        out[MEM_STATS_L1I].hits = fetched - out[MEM_STATS_L1I].misses;
    }
    out[MEM_STATS_L1D] = cache_stats(&t->l1d, core->stat_filtered_d);
}

void mem_sys_dma_written(void *ctx, uint64_t pa, uint64_t len)
{
    mem_sys *m = ctx;
    if (len == 0) return;
    mem_sys_resv_store(m, m->tiles, pa, len); /* a DMA write breaks reservations */
    uint64_t first = pa >> m->line_shift, last = (pa + len - 1) >> m->line_shift;
    for (unsigned i = 0; i < m->tiles; i++) {
        mem_tile_caches *t = &m->t[i];
        for (uint64_t line = first; line <= last; line++)
            if (drop_line(t, line, 0)) t->dma_invalidations++;
    }
}

/* Ends every reservation of line but tile's. */
static void break_resv(mem_sys *m, unsigned tile, uint64_t line)
{
    for (unsigned i = 0; i < m->tiles && m->resv_live; i++)
        if (i != tile && m->t[i].resv == line + 1) {
            m->t[i].resv = 0;
            m->resv_live--;
        }
}

int mem_sys_atomic(mem_sys *m, unsigned tile, uint64_t pa, iss_atomic_kind kind, int sc_ok)
{
    mem_tile_caches *t = &m->t[tile];
    uint64_t line = pa >> m->line_shift;
    switch (kind) {
    case ISS_ATOMIC_LR:
        if (!t->resv) m->resv_live++;
        t->resv = line + 1;
        return 1;
    case ISS_ATOMIC_SC:
        sc_ok = sc_ok && t->resv == line + 1;
        if (t->resv) {
            t->resv = 0;
            m->resv_live--;
        }
        if (sc_ok) break_resv(m, tile, line);
        return sc_ok;
    case ISS_ATOMIC_AMO:
        break_resv(m, tile, line);
        return 1;
    }
    return 1;
}

void mem_sys_resv_store(mem_sys *m, unsigned tile, uint64_t pa, uint64_t len)
{
    if (!m->resv_live || len == 0) return;
    for (uint64_t line = pa >> m->line_shift; line <= (pa + len - 1) >> m->line_shift; line++)
        break_resv(m, tile, line);
}

uint64_t mem_sys_atomic_fixed(const mem_sys *m)
{
    return m->remote_latency > m->l1 ? m->remote_latency - m->l1 : 0;
}
