/* mem_sys.h - the chip's memory hierarchy as time: per-tile L1I, L1D and
 * L2 tags, the distributed shared last level (each line has a home tile
 * whose L2 holds it for everyone: TILE-Gx's DDC), remote latency from the
 * mesh hop count, DRAM behind the memory controllers, and DMA writes that
 * invalidate every cached copy. The bytes are in physical memory; this
 * module only says what an access costs.
 *
 * Latency of a load or fetch (total cycles, the core's load_use for an L1
 * hit; what mem_sys_access returns is the excess over load_use):
 *   L1 hit                         load_use
 *   L2 hit (local)                 l2_latency
 *   home tile h != t, L2(h) hit    remote_latency + hop_cycles * hops(t, h)
 *   miss at the home               dram_latency + hop_cycles * (hops(t, h) + hops(h, mc))
 * where mc is the line's memory controller (lines interleaved across
 * controllers; controllers on the mesh's west and east edges). A load that
 * misses fills L1D, the local L2 and the home's L2. Stores do not stall
 * (store buffer); L1D is write-through without allocation, the home's L2
 * takes the line (write-back at the home), a local copy is kept, and a
 * store to shared memory invalidates every other tile's copy (the home's
 * coherence; private memory is only ever cached by its owner and home).
 *
 * Atomics (ISS_ACCESS_AMO: LR, SC and the AMOs) are performed at the line's
 * home tile, as the TILE-Gx performs its atomics in the home's L2; the
 * core waits for the result:
 *   home h == t, L2(h) hit         l2_latency
 *   home h != t, L2(h) hit         remote_latency + hop_cycles * hops(t, h)
 *   miss at the home               as a load's (DRAM through the home)
 * and every other copy of the line is dropped (the requester's own L1 and
 * L2 too, unless its L2 is the home): the home holds the only current copy.
 * Without the cache model a chip's atomic costs mem.remote_latency
 * (mem_sys_atomic_fixed). GCC's TILE-Gx scheduling model charges its
 * atomics 50 cycles ("X1_remote"); ours gives 32-41 over 1-10 hops for a
 * line the home holds, 11 when the requester is the home.
 *
 * LR/SC reservations, chip-wide (mem_sys_atomic): one per tile, on a line.
 * An SC succeeds only if the core still holds its reservation (the ISS: no
 * trap, mret or SC since its LR) and no other tile performed an SC or an
 * AMO to the line since, nor a store that was a sync point (a store to
 * DMA-written shared memory, mem_sys_resv_store), nor a DMA engine. Plain
 * stores that take the core's fast path (private memory, TX and header
 * regions) do not break reservations: they are performed in the core's
 * local time, ahead of the kernel, so there is no chip-wide order to test
 * them in. Firmware therefore writes a word other tiles update atomically
 * only with atomics (or releases a lock it holds, which nobody else writes
 * then). */
#ifndef DL_MEM_MEM_SYS_H
#define DL_MEM_MEM_SYS_H

#include <stdint.h>

#include "mem/mem_params.h"
#include "core/iss.h"
#include "mem/mem_cache.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { MEM_HOMING_HASH = 0, MEM_HOMING_PAGE = 1 };

/* Buckets of a tile's invalidation filter (a power of two). */
#define MEM_SYS_HELD 16384

/* Access classes, for statistics and tests. */
enum { MEM_CLASS_L1 = 0, MEM_CLASS_L2, MEM_CLASS_REMOTE, MEM_CLASS_DRAM, MEM_CLASSES };

typedef struct mem_tile_caches {
    mem_cache l1i, l1d, l2;
    uint32_t *held_l1, *held_l2;    /* lines L1I + L1D and L2 hold, by line &
                                       (MEM_SYS_HELD - 1): a zero skips those
                                       caches when invalidating (exact filter) */
    unsigned x, y;
    uint64_t loads[MEM_CLASSES];    /* loads by where they hit */
    uint64_t fetches[MEM_CLASSES];  /* instruction fetches by where they hit */
    uint64_t stores;
    uint64_t dma_invalidations;     /* lines of this tile dropped by DMA writes */
    uint64_t coherence_invalidations; /* dropped by other tiles' stores */
    uint64_t atomics[MEM_CLASSES];  /* atomics by where the home found the line
                                       (L2: the tile is the home) */
    uint64_t resv;                  /* LR reservation: line + 1, or 0 for none */
} mem_tile_caches;

/* Page homing of a physical range: its 64 KiB pages are dealt round robin
 * over `count` tiles: first .. first + count - 1 (mem_sys_home_range), or
 * the listed ones (mem_sys_home_tiles). */
#define MEM_HOME_TILES_MAX 256
typedef struct mem_home_range {
    uint64_t base, size;
    unsigned count;
    uint16_t tile[MEM_HOME_TILES_MAX];
} mem_home_range;

typedef struct mem_sys {
    unsigned tiles, width, height, line_shift;
    unsigned l1, l2_latency, remote_latency, hop_cycles, dram_latency;
    unsigned controllers, homing;
    uint64_t interleave;            /* bytes per controller stripe */
    mem_tile_caches *t;
    mem_home_range *homes;          /* address order */
    unsigned n_homes;
    uint64_t last_class;            /* class of the last load or fetch (tests) */
    unsigned resv_live;             /* tiles holding a reservation */
} mem_sys;

/* Builds the hierarchy for mp's chip. Returns 0, or -1 with a message. */
int mem_sys_init(mem_sys *m, const mem_params *mp, char *err, size_t errlen);
void mem_sys_free(mem_sys *m);

/* With homing = page: homes [base, base + size) on tiles first .. first +
 * count - 1, a 64 KiB page each in turn (the tiles that use the region: an
 * application's RX pool and TX region on its tile, the rings on the stack
 * tiles). Ranges are added in address order. Returns 0, or -1 when out of
 * memory or out of order. */
int mem_sys_home_range(mem_sys *m, uint64_t base, uint64_t size, unsigned first, unsigned count);
/* The same over the listed tiles (the stack tiles of a stack set). */
int mem_sys_home_tiles(mem_sys *m, uint64_t base, uint64_t size, const unsigned *tiles, unsigned count);

/* Home tile of a physical address under the configured homing: hash: a mix
 * of the line number over all tiles; page: a tile's private memory on the
 * tile, a range given to mem_sys_home_range on its tiles, any other page
 * round robin over all tiles. */
unsigned mem_sys_home(const mem_sys *m, uint64_t pa);

/* Memory controller of a physical address and the tile it is attached to. */
unsigned mem_sys_controller_tile(const mem_sys *m, uint64_t pa);

/* Mesh hops between two tiles (dimension-ordered route length). */
unsigned mem_sys_hops(const mem_sys *m, unsigned a, unsigned b);

/* One access by tile at physical pa: updates the caches and returns the
 * cycles beyond an L1 hit (0 for stores). */
uint64_t mem_sys_access(mem_sys *m, unsigned tile, uint64_t pa, unsigned size, iss_access kind);

/* The chip's part of tile's atomic at pa (iss_mem_ops.atomic): an LR
 * reserves the line; an SC returns whether it succeeds (sc_ok: the core's
 * own verdict, and-ed with the line still reserved for tile) and ends the
 * reservation; a successful SC and an AMO break the other tiles'
 * reservations of the line. Returns sc_ok for an SC, 1 otherwise. */
int mem_sys_atomic(mem_sys *m, unsigned tile, uint64_t pa, iss_atomic_kind kind, int sc_ok);

/* A store by tile that was a sync point (or, with tile >= tiles, a DMA
 * write) to [pa, pa + len): breaks the other tiles' reservations there. */
void mem_sys_resv_store(mem_sys *m, unsigned tile, uint64_t pa, uint64_t len);

/* Cycles beyond an L1 hit of an atomic without the cache model:
 * mem.remote_latency (the home is another tile, hops unknown). */
uint64_t mem_sys_atomic_fixed(const mem_sys *m);

/* Gives core the L1 filters of tile's caches (iss_set_l1_filters). */
void mem_sys_l1_filters(mem_sys *m, unsigned tile, iss_core *core);

/* Accesses, hits (accesses - misses) and misses of one cache. */
typedef struct mem_cache_stats {
    uint64_t accesses, hits, misses;
} mem_cache_stats;
enum { MEM_STATS_L1I = 0, MEM_STATS_L1D, MEM_STATS_L2, MEM_STATS_CACHES };

/* The counts of tile's L1I, L1D and L2 (MEM_STATS_*). Every access is
 * counted, the L1 hits the core's filters serve without asking the model
 * included (core may be NULL: the model's counts only). L1I: instruction
 * fetches, one per instruction retired or trapped (core->instret +
 * stat_fetched_traps, so the core's fetch loop counts nothing; an
 * instruction redone after a sync point is one fetch); L1D: loads, per line
 * touched (the filter's hits: core->stat_filtered_d; stores write through
 * and are counted as `stores`); L2: L1 misses of the tile plus other tiles'
 * requests to lines homed on it. */
void mem_sys_cache_stats(const mem_sys *m, unsigned tile, const iss_core *core,
                         mem_cache_stats out[MEM_STATS_CACHES]);

/* DMA wrote [pa, pa + len): drops every cached copy (phys_mem observer). */
void mem_sys_dma_written(void *m, uint64_t pa, uint64_t len);

#ifdef __cplusplus
}
#endif
#endif
