/* dl_tiles.h - which tiles run what in a DLibOS deployment, from the
 * boot-information block: the stack tiles by stack index, the app tiles by
 * application index (the owner of RX pool and TX region a), this tile's
 * stack index. The one place the firmware learns the placement. */
#ifndef DL_DLIBOS_DL_TILES_H
#define DL_DLIBOS_DL_TILES_H

#include <stdint.h>

#include "abi/boot_info.h"

/* Stack tiles and app tiles of the chip. */
static inline uint32_t dl_stack_count(const boot_info *bi) { return bi->stack_tiles; }
static inline uint32_t dl_app_count(const boot_info *bi) { return bi->width * bi->height - bi->stack_tiles; }

/* The tile of stack index i: tiles 0 .. stack_tiles - 1. */
static inline uint32_t dl_stack_tile(const boot_info *bi, uint32_t i)
{
    (void)bi;
    return i;
}
/* The tile running application a: the a-th tile that is not a stack tile. */
static inline uint32_t dl_app_tile(const boot_info *bi, uint32_t a) { return bi->stack_tiles + a; }
/* This stack tile's index. */
static inline uint32_t dl_stack_index(const boot_info *bi) { return bi->tile; }

#endif
