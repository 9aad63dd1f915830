/* tile_rt.h - what tile firmware may ask of its runtime beyond picolibc:
 * the cycle counter (the firmware's clock) and the tile number. */
#ifndef DL_BOOT_TILE_RT_H
#define DL_BOOT_TILE_RT_H

#include <stdint.h>

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

#endif
