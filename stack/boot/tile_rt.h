/* tile_rt.h - what tile firmware may ask of its runtime beyond picolibc:
 * the cycle counter (the firmware's clock), the tile number, the wake-up
 * deadline, its own counters for stats.json and the boot information. */
#ifndef DL_BOOT_TILE_RT_H
#define DL_BOOT_TILE_RT_H

#include <stdint.h>

#include "abi/boot_info.h"
#include "abi/tile_memmap.h"

/* Cycles this tile has run (the user-readable cycle CSR). */
static inline uint64_t tile_cycles(void)
{
    uint64_t c;
    __asm__ volatile("rdcycle %0" : "=r"(c));
    return c;
}

/* Instructions this tile has retired. */
static inline uint64_t tile_instret(void)
{
    uint64_t n;
    __asm__ volatile("rdinstret %0" : "=r"(n));
    return n;
}

/* This tile's number, y * width + x. */
static inline unsigned tile_id(void)
{
    return (unsigned)*(volatile uint64_t *)(uintptr_t)TILE_SYS_TILE_ID;
}

/* Arms the wake-up deadline (TILE_SYS_WAKE_AT): the tile's next sleep
 * (UDN_WAIT, wfi, a blocking access) ends at that cycle of tile_cycles() at
 * the latest, at once if it has passed; 0 disarms it. One-shot. */
static inline void tile_wake_at(uint64_t cycle)
{
    *(volatile uint64_t *)(uintptr_t)TILE_SYS_WAKE_AT = cycle;
}

/* Registers a set of firmware counters for stats.json (results.tiles[t].
 * firmware; abi/tile_memmap.h, TILE_SYS_STAT_SET): values[i] is reported
 * as prefix + names[i], read by the simulator at the end of the run. set and
 * everything it points to must stay valid for the run. */
static inline void tile_stat_register(const tile_stat_set *set)
{
    *(volatile uint64_t *)(uintptr_t)TILE_SYS_STAT_SET = (uint64_t)(uintptr_t)set;
}

/* The boot-information block the simulator wrote for this tile: role,
 * application and regions (models/abi/boot_info.h). Only on chip tiles
 * (dlsim --elf maps no such page). */
static inline const boot_info *tile_boot_info(void)
{
    return (const boot_info *)(uintptr_t)TILE_BOOT_INFO_BASE;
}

/* The region of kind (BOOT_REGION_*) owned by app (BOOT_APP_NONE for
 * unowned ones), or NULL. Mapped for this tile iff its rights are not 0. */
static inline const boot_region *tile_region(uint32_t kind, uint32_t app)
{
    const boot_info *b = tile_boot_info();
    for (uint32_t i = 0; i < b->regions; i++)
        if (b->region[i].kind == kind && b->region[i].app == app) return &b->region[i];
    return 0;
}

#endif
