/* mc_lock_fair.c - firmware: the memcached store's lock (mc_store.c) under
 * contention from every tile. Tile 0 formats a small store in the shared
 * region, the others join it; each tile then takes the lock N times, holds
 * it a little (a store statistic changed, a short pause) and takes it again
 * at once. Under the lock a shared count of acquisitions grows by one; a
 * tile reads it before asking for the lock and again once it holds it: the
 * difference is how many times other tiles took the lock meanwhile
 * (overtook it). Tile 0 waits for every tile and prints the count
 * (exact: tiles * N, else the lock let two in) and the most any tile was
 * overtaken: at most the other tiles once each, plus one, with a lock that
 * serves in order; a lock that favours the tiles near its line's home (or
 * the one that just released it) lets a tile wait for many. Exit 0 when
 * the count is exact, 1 otherwise, 3 on a bad layout. */
#include <stdint.h>
#include <stdio.h>

#include "apps/memcached/mc_store.h"
#include "boot/tile_rt.h"

#define N     100
#define HOLD  40    /* idle iterations with the lock held */
#define SLOTS 64    /* per-tile results, one line each */

static void pause_for(uint32_t n)
{
    for (uint32_t i = n; i; i--) __asm__ volatile("");
}

int main(void)
{
    const boot_info *b = tile_boot_info();
    const boot_region *sh = tile_region(BOOT_REGION_SHARED, BOOT_APP_NONE);
    unsigned tiles = b->width * b->height, t = b->tile;
    mc_settings_t s = { .mem_bytes = 1u << 20, .item_max = 1024, .hash_power = 4, .factor_pct = 125,
                        .chunk_min = 64, .epoch = 0 };
    size_t fp = (mc_store_footprint(&s) + 63) & ~(size_t)63;
    if (!sh || tiles > SLOTS || fp == 0 || fp + 64 * (SLOTS + 2) > sh->size) return 3;
    uint8_t *base = (uint8_t *)(uintptr_t)sh->base;
    volatile uint32_t *count = (volatile uint32_t *)(base + fp);   /* written under the lock only */
    volatile uint32_t *done = count + 16;                           /* the next line */
    volatile uint32_t *over = done + 16;                            /* a line per tile */
    mc_store_t *st;
    if (t == 0) st = mc_store_new(base, &s, 1);
    else
        while (!(st = mc_store_join(base))) {}
    if (!st) return 3;

    uint32_t most = 0;
    for (int i = 0; i < N; i++) {
        uint32_t before = __atomic_load_n(count, __ATOMIC_ACQUIRE);
        mc_store_lock(st, 0);
        uint32_t now = *count;
        if (now - before > most) most = now - before;
        *count = now + 1;
        mc_store_stats(st)->cmd_get++;
        pause_for(HOLD);
        mc_store_unlock(st);
    }
    over[16 * t] = most;
    __atomic_fetch_add(done, 1, __ATOMIC_SEQ_CST);
    if (t != 0) return 0;
    while (__atomic_load_n(done, __ATOMIC_ACQUIRE) < tiles) {}
    unsigned worst = 0;
    for (unsigned i = 1; i < tiles; i++)
        if (over[16 * i] > over[16 * worst]) worst = i;
    printf("store lock: %u acquisitions, expected %u; most overtaken %u times (tile %u), %u tiles\n",
           (unsigned)*count, (unsigned)(tiles * N), (unsigned)over[16 * worst], worst, tiles);
    return *count == tiles * N ? 0 : 1;
}
