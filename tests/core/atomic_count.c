/* atomic_count.c - multi-tile atomics firmware: every tile adds 1 to two
 * counters in the shared region N times, one with AMOADD.W, one with an
 * LR.W/SC.W loop (counting its failed SCs), then signs off with an AMO;
 * tile 0 waits for all, prints both counts (exact: tiles * N) and the
 * chip's failed SCs, and measures the cycles of one AMOADD.D (rdcycle
 * before and after, the line warmed first) on a line homed on itself and
 * on one homed on the last tile (mem.homing = page: the shared region's
 * 64 KiB pages are dealt round robin over the tiles). Exit 0 when the
 * counts are exact, 1 otherwise. */
#include <stdint.h>
#include <stdio.h>

#include "boot/tile_rt.h"

#define N 200

/* One LR/SC increment; returns the failed SCs before the one that stored. */
static uint32_t lrsc_add(volatile uint32_t *p, uint32_t v)
{
    uint32_t old, fail, fails = 0;
    do {
        __asm__ volatile("lr.w %0, (%2)\n\t"
                         "add %1, %0, %3\n\t"
                         "sc.w %1, %1, (%2)"
                         : "=&r"(old), "=&r"(fail)
                         : "r"(p), "r"(v)
                         : "memory");
        fails += fail != 0;
    } while (fail);
    return fails;
}

/* Cycles from a rdcycle before an AMOADD.D at p to a rdcycle after it. The
 * AMO's address depends on the first rdcycle through two ALU operations,
 * so it issues 3 cycles after it, in a group of its own; the second
 * rdcycle issues when the AMO's result is back: 3 + the AMO's latency. */
static uint64_t amo_cycles(volatile uint64_t *p)
{
    uint64_t a, b, old, q;
    __asm__ volatile("rdcycle %0\n\t"
                     "and %3, %0, zero\n\t"
                     "add %3, %3, %4\n\t"
                     "amoadd.d %2, zero, (%3)\n\t"
                     "rdcycle %1"
                     : "=&r"(a), "=&r"(b), "=&r"(old), "=&r"(q)
                     : "r"(p)
                     : "memory");
    return b - a;
}

/* The first 8-byte word of the shared region's first page homed on tile h
 * (page homing: page number modulo the tiles), or NULL. */
static volatile uint64_t *homed_on(const boot_region *r, unsigned h, unsigned tiles)
{
    for (uint64_t pa = (r->base + 0xffff) & ~0xffffULL; pa + 0x10000 <= r->base + r->size; pa += 0x10000)
        if ((pa >> 16) % tiles == h) return (volatile uint64_t *)(uintptr_t)(pa + 0x1000);
    return 0;
}

int main(void)
{
    const boot_info *b = tile_boot_info();
    const boot_region *sh = tile_region(BOOT_REGION_SHARED, BOOT_APP_NONE);
    unsigned tiles = b->width * b->height;
    if (!sh || sh->size < 4 * 0x10000 * tiles) return 3;
    volatile uint32_t *amo_count = (volatile uint32_t *)(uintptr_t)sh->base;
    volatile uint32_t *lrsc_count = amo_count + 16; /* the next line */
    volatile uint32_t *fails = amo_count + 32;
    volatile uint32_t *done = amo_count + 48;
    uint32_t f = 0;
    for (int i = 0; i < N; i++) {
        __atomic_fetch_add(amo_count, 1, __ATOMIC_SEQ_CST);
        f += lrsc_add(lrsc_count, 1);
    }
    __atomic_fetch_add(fails, f, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(done, 1, __ATOMIC_SEQ_CST);
    if (b->tile != 0) return 0;
    while (__atomic_load_n(done, __ATOMIC_ACQUIRE) < tiles)
        ;
    uint32_t a = *amo_count, l = *lrsc_count;
    printf("atomics: amoadd %u lrsc %u expected %u sc_failed %u\n", (unsigned)a, (unsigned)l,
           (unsigned)(tiles * N), (unsigned)*fails);
    volatile uint64_t *local = homed_on(sh, 0, tiles), *remote = homed_on(sh, tiles - 1, tiles);
    if (!local || !remote) return 4;
    amo_cycles(local); /* warm: the first one misses at the home */
    amo_cycles(remote);
    uint64_t cl = amo_cycles(local), cr = amo_cycles(remote);
    printf("atomics: amo cycles local-home %llu remote-home %llu\n", (unsigned long long)cl,
           (unsigned long long)cr);
    return a == tiles * N && l == tiles * N ? 0 : 1;
}
