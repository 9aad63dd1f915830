/* tile_memmap.h - the address map every tile sees: DRAM and the per-tile
 * MMIO pages (system registers, UDN, mPIPE). Shared by the models and the
 * firmware; no address of this map is written anywhere else.
 *
 *   0x0000_0000 .. 0x0FFF_FFFF   unmapped (a null pointer faults)
 *   0x1000_0000 .. 0x1000_0FFF   SYS page: console, exit, cycle, tile id
 *   0x1000_1000 .. 0x1000_1FFF   UDN page (network registers, see udn.h)
 *   0x1001_0000 .. 0x1001_FFFF   mPIPE pages (see mpipe.h)
 *   0x4000_0000 .. 0x7FFF_FFFF   shared memory: the same physical bytes on
 *                                every tile and for the DMA engines (packet
 *                                buffers, rings); mem.dram_mib bounds it
 *   0x8000_0000 .. +image        the tile's private memory: its firmware
 *                                image, heap and stack (the RISC-V ISA
 *                                suites link here)
 *
 *   0x0FFF_0000 .. 0x0FFF_FFFF   boot-information block (boot_info.h), read-only
 *
 * These are the addresses a tile's program uses (virtual addresses when the
 * MMU of models/mem maps them). Physically, shared memory is identity-mapped
 * (its physical address is its tile address: DMA engines and tiles use the
 * same numbers); each tile's private memory (code, data, heap, stack, boot
 * block) lives at TILE_PRIVATE_PHYS_BASE + tile * TILE_PRIVATE_PHYS_STRIDE,
 * which the caches see (homing, distinct lines per tile).
 *
 * Every access to DMA-written shared memory is a synchronisation point
 * (docs/DESIGN.md, fixed decision 4): a DMA engine may write it at any cycle.
 *
 * TILE_SYS_WAKE_AT: an absolute cycle of this tile's counter (TILE_SYS_CYCLE,
 * rdcycle), 0 = none (the reset value). A tile that sleeps (UDN_WAIT, any
 * other blocking device access, wfi) while a deadline is armed is woken at
 * that cycle exactly, and at once if the cycle has already come. The
 * deadline is one-shot: when it wakes the tile it is disarmed (the register
 * reads 0 again); a wait that ends for another reason first (a UDN word, a
 * wake-up) leaves it armed. Writing the register re-arms or (0) disarms it.
 * UDN_WAIT then returns UDN_WAIT_DEADLINE (udn.h); wfi just returns; any
 * other blocked access is retried (and blocks again). A deadline that is
 * not reached while the tile sleeps does nothing: it is only a sleep bound.
 *
 * TILE_SYS_STAT_SET: the firmware's own counters, for stats.json
 * (results.tiles[t].firmware). The firmware registers each set of counters
 * once, with one store: the address of a tile_stat_set (below) in its own
 * memory, which must stay valid for the run. The simulator reads every
 * registered set when it writes stats.json, through the tile's own address
 * space: the counters cost the firmware nothing while it runs, and the
 * values are those at the end of the run. Names are [a-z0-9_.], at most
 * TILE_STAT_NAME_MAX characters with the prefix. A tile registers at most
 * TILE_STAT_SETS sets; a set beyond, or one whose descriptor, names or
 * values the tile cannot read (unmapped, no read right, misaligned), or a
 * bad name, is refused and counted (firmware_stats_refused), never a fault.
 *
 * All MMIO registers are 64 bits wide and must be accessed with aligned
 * 64-bit (or, for SYS_CONSOLE, 8-bit) loads and stores.
 */
#ifndef DL_ABI_TILE_MEMMAP_H
#define DL_ABI_TILE_MEMMAP_H

#define TILE_MMIO_BASE      0x10000000ULL
#define TILE_MMIO_SIZE      0x00100000ULL

/* SYS page: registers the firmware runtime needs. */
#define TILE_SYS_BASE       (TILE_MMIO_BASE + 0x0000ULL)
#define TILE_SYS_CONSOLE    (TILE_SYS_BASE + 0x00) /* W: low byte appended to the tile's console line */
#define TILE_SYS_EXIT       (TILE_SYS_BASE + 0x08) /* W: stop this tile's program with this exit code */
#define TILE_SYS_CYCLE      (TILE_SYS_BASE + 0x10) /* R: this tile's cycle counter */
#define TILE_SYS_TILE_ID    (TILE_SYS_BASE + 0x18) /* R: tile number, y * width + x */
#define TILE_SYS_WAKE_AT    (TILE_SYS_BASE + 0x20) /* RW: wake-up deadline (below) */
#define TILE_SYS_STAT_SET   (TILE_SYS_BASE + 0x28) /* W: address of a tile_stat_set (above) */
#define TILE_SYS_SIZE       0x1000ULL
#define TILE_STAT_NAME_MAX  47
#define TILE_STAT_SETS      16
#define TILE_STAT_COUNT_MAX 256   /* counters per set */

#ifndef __ASSEMBLER__
#include <stdint.h>
/* A set of firmware counters: values[i] is named prefix + names[i]. All
 * addresses are the tile's (64-bit words, little-endian). */
typedef struct tile_stat_set {
    uint64_t prefix;   /* const char *: NUL-terminated */
    uint64_t names;    /* const char *const *: count pointers to NUL-terminated names */
    uint64_t values;   /* const uint64_t *: count counters */
    uint64_t count;    /* 1 .. TILE_STAT_COUNT_MAX */
} tile_stat_set;
#endif

#define TILE_UDN_BASE       (TILE_MMIO_BASE + 0x1000ULL)
#define TILE_UDN_SIZE       0x1000ULL

#define TILE_MPIPE_BASE     (TILE_MMIO_BASE + 0x10000ULL)
#define TILE_MPIPE_SIZE     0x10000ULL

#define TILE_SHARED_BASE    0x40000000ULL
#define TILE_SHARED_MAX     0x40000000ULL   /* 1 GiB of address space */

#define TILE_DRAM_BASE      0x80000000ULL

/* Physical placement of private memory (see above); 40-bit physical space. */
#define TILE_PRIVATE_PHYS_BASE   0x100000000ULL
#define TILE_PRIVATE_PHYS_STRIDE 0x10000000ULL  /* 256 MiB per tile */

#endif
