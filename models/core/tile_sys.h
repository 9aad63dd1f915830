/* tile_sys.h - the SYS page of one tile (models/abi/tile_memmap.h): console
 * line buffer, exit register, cycle counter, tile id and wake-up deadline
 * (kept here; the chip's tile wrapper acts on it, the bare-metal runner,
 * which never sleeps, only stores it). Shared by both. */
#ifndef DL_CORE_TILE_SYS_H
#define DL_CORE_TILE_SYS_H

#include <stdint.h>
#include <stdio.h>

#include "abi/tile_memmap.h"
#include "core/iss.h"

#define TILE_SYS_LINE_MAX 512

typedef struct tile_sys {
    unsigned tile;              /* tile number: console prefix and TILE_ID */
    FILE *out;                  /* where console lines go */
    char line[TILE_SYS_LINE_MAX];
    size_t len;
    int exited;                 /* the program wrote TILE_SYS_EXIT */
    uint64_t exit_code;
    uint64_t wake_at;           /* TILE_SYS_WAKE_AT: armed deadline, 0 = none */
    /* the firmware's counter sets (TILE_SYS_STAT_SET): their addresses */
    unsigned nstat_sets;
    uint64_t stat_set[TILE_STAT_SETS];
    uint64_t stats_refused;     /* sets refused: no room, misaligned */
} tile_sys;

void tile_sys_init(tile_sys *s, unsigned tile, FILE *out);

/* Does addr fall in the SYS page? */
int tile_sys_owns(uint64_t addr);

/* Register access; cycle is the tile's current cycle (for TILE_SYS_CYCLE).
 * Returns ISS_MEM_OK, ISS_MEM_STOP after a write to TILE_SYS_EXIT, or
 * ISS_MEM_ACCESS_FAULT for an unknown register or a bad size/alignment. */
iss_mem_status tile_sys_load(tile_sys *s, uint64_t addr, unsigned size,
                             uint64_t cycle, uint64_t *val);
iss_mem_status tile_sys_store(tile_sys *s, uint64_t addr, unsigned size,
                              uint64_t val);

/* Prints a pending partial console line (at the end of a run). */
void tile_sys_flush(tile_sys *s);

#endif
