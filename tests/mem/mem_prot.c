/* mem_prot.c - protection test firmware: each tile does one thing by its
 * role and application (boot-information block), so that one run shows
 * every kind of fault next to tiles that keep running:
 *   stack tile        reads every application's TX region and RX pool
 *                     (allowed), runs on long after the others, exits 0
 *   app 0             writes its own TX region (allowed), then a read-only
 *                     word of its code region: store fault in "code"
 *   app 1             reads app 0's TX region: load fault in "tx[0]"
 *   app 2             reads app 0's RX pool: load fault in "rx_pool[0]"
 *   app 3             calls code in its data region: fetch fault in "data"
 *   other apps        read their own RX pool and TX region, exit 0
 * With mem.protection off every tile prints "survived" and exits 0. */
#include <stdint.h>
#include <stdio.h>

/* Stores v into a const object (the optimiser must not see through it). */
static void poke_code(const uint64_t *p, uint64_t v)
{
    uint64_t *q = (uint64_t *)(uintptr_t)p;
    __asm__ volatile("" : "+r"(q));
    *(volatile uint64_t *)q = v;
}

#include "boot/tile_rt.h"

static const uint64_t ro_word = 1;               /* .rodata: code region, r-x */
static volatile uint32_t data_code[2] = { 0x00008067, 0 }; /* "ret", in the data region */

static uint64_t region_base(const boot_info *b, uint32_t kind, uint32_t app)
{
    (void)b;
    return tile_region(kind, app)->base;
}

static uint64_t peek(uint64_t addr) { return *(volatile uint64_t *)(uintptr_t)addr; }

int main(void)
{
    const boot_info *b = tile_boot_info();
    uint64_t sum = 0;
    if (b->magic != BOOT_INFO_MAGIC || b->version != BOOT_INFO_VERSION) return 3;
    if (b->role == BOOT_ROLE_STACK) {
        for (uint32_t a = 0; a < b->apps; a++)
            sum += peek(region_base(b, BOOT_REGION_TX, a)) + peek(region_base(b, BOOT_REGION_RX_POOL, a));
        for (volatile uint32_t i = 0; i < 20000; i++)
            ;
        printf("stack tile %u done (%llu)\n", (unsigned)b->tile, (unsigned long long)sum);
        return 0;
    }
    switch (b->app) {
    case 0:
        *(volatile uint64_t *)(uintptr_t)region_base(b, BOOT_REGION_TX, 0) = 42;
        poke_code(&ro_word, 2);
        break;
    case 1: sum = peek(region_base(b, BOOT_REGION_TX, 0)); break;
    case 2: sum = peek(region_base(b, BOOT_REGION_RX_POOL, 0)); break;
    case 3: ((void (*)(void))(uintptr_t)data_code)(); break;
    default:
        sum = peek(region_base(b, BOOT_REGION_TX, b->app)) + peek(region_base(b, BOOT_REGION_RX_POOL, b->app));
        break;
    }
    printf("app %u survived (%llu)\n", (unsigned)b->app, (unsigned long long)sum);
    return 0;
}
