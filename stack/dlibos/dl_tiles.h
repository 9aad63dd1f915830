/* dl_tiles.h - which tiles run what in a DLibOS deployment, from the
 * boot-information block (deployment.stack_set: the stack tiles may be any
 * set of tiles): the stack tiles by stack index (their rank in tile order),
 * the app tiles by application index (the owner of RX pool and TX region a:
 * the a-th tile, in tile order, that is not a stack tile), this tile's stack
 * index. The one place the firmware learns the placement. */
#ifndef DL_DLIBOS_DL_TILES_H
#define DL_DLIBOS_DL_TILES_H

#include <stdint.h>

#include "abi/boot_info.h"

static inline uint32_t dl_tile_count(const boot_info *bi) { return bi->width * bi->height; }

/* Stack tiles and app tiles of the chip. */
static inline uint32_t dl_stack_count(const boot_info *bi) { return bi->stack_tiles; }
static inline uint32_t dl_app_count(const boot_info *bi) { return dl_tile_count(bi) - bi->stack_tiles; }

/* The i-th tile (in tile order) that is (stack = 1) or is not a stack tile;
 * the tile count when there is none. */
static inline uint32_t dl_nth_tile(const boot_info *bi, int stack, uint32_t i)
{
    for (uint32_t t = 0; t < dl_tile_count(bi); t++)
        if ((boot_info_is_stack(bi, t) != 0) == (stack != 0) && i-- == 0) return t;
    return dl_tile_count(bi);
}
/* The tile of stack index i, and the tile running application a. */
static inline uint32_t dl_stack_tile(const boot_info *bi, uint32_t i) { return dl_nth_tile(bi, 1, i); }
static inline uint32_t dl_app_tile(const boot_info *bi, uint32_t a) { return dl_nth_tile(bi, 0, a); }
/* This stack tile's index (BOOT_APP_NONE on other tiles). */
static inline uint32_t dl_stack_index(const boot_info *bi) { return bi->stack_index; }

#endif
