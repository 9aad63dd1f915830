/* mem_space.h - one tile's address space: a table of regions (virtual base,
 * size, physical base, host bytes, TLB page size, user rights, kind), kept
 * in address order, and the builder that makes it from the configuration's
 * region table (mem_params.h, filled from the mem section of the
 * configuration; layout in
 * models/abi/boot_info.h and configs/README.md).
 *
 * Shared memory (TILE_SHARED_BASE ..) is carved, in this order, into the
 * rings, the header buffers, one RX pool per application, one TX region per
 * application, and the rest ("shared"), each aligned to its page size; it
 * is identity-mapped (virtual = physical) on every tile. Private regions
 * (code and data of the firmware, the boot-information page) are placed at
 * the tile's private physical window (tile_memmap.h). Rights depend on the
 * tile's role: stack tiles get the *_stack rights on every application's
 * regions, an app tile the *_app rights on its own RX pool and TX region
 * and nothing on the others', baseline tiles the *_baseline rights. With
 * mem.protection off every region is readable, writable and executable. */
#ifndef DL_MEM_MEM_SPACE_H
#define DL_MEM_MEM_SPACE_H

#include <stddef.h>
#include <stdint.h>

#include "abi/boot_info.h"
#include "mem/mem_params.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mem_sys;

typedef struct mem_region {
    uint64_t va, size, pa;
    uint8_t *host;         /* host bytes at va, or NULL (device registers) */
    uint64_t page_size;    /* TLB page size */
    unsigned rights;       /* user-mode BOOT_RIGHT_* (= ISS_FILL_*) */
    unsigned kind, app;    /* BOOT_REGION_*, owning application or BOOT_APP_NONE */
    int sync;              /* DMA-written: every access is a sync point */
} mem_region;

typedef struct mem_space {
    mem_region *r;         /* address order, no overlaps */
    unsigned n, cap;
} mem_space;

/* A loadable segment of the firmware: [va, va + size) with BOOT_RIGHT_*. */
typedef struct mem_segment {
    uint64_t va, size;
    unsigned rights;
} mem_segment;

void mem_space_free(mem_space *s);

/* Adds a region. Returns 0, or -1 with a message when it overlaps one. */
int mem_space_add(mem_space *s, const mem_region *r, char *err, size_t errlen);

/* The region holding va, or NULL. */
const mem_region *mem_space_find(const mem_space *s, uint64_t va);

/* "code", "rx_pool[3]", ...; "unmapped" for NULL. */
const char *mem_region_name(const mem_region *r, char *buf, size_t len);

/* Roles: the number of applications (one RX pool and TX region each) and a
 * tile's role and application (BOOT_APP_NONE for stack tiles). dlibos: the
 * tiles of stack_set (or 0 .. stack_tiles-1) are stack tiles, the others
 * apps 0, 1, ... in tile order; baseline: every tile runs stack and app for
 * application = its tile number. tile_of: the tile of the index-th stack
 * tile (role BOOT_ROLE_STACK) or of application index (else); the tile
 * count when there is none. */
unsigned mem_layout_apps(const mem_params *mp);
int mem_layout_is_stack(const mem_params *mp, unsigned tile);
void mem_layout_role(const mem_params *mp, unsigned tile, unsigned *role, unsigned *app);
unsigned mem_layout_tile_of(const mem_params *mp, unsigned role, unsigned index);

/* Adds the MMIO pages and the shared-memory regions for a tile of `role`
 * and `app`; shared_host is the host view of the shared memory (phys_mem's
 * bytes at TILE_SHARED_BASE), shared_size its size. Returns 0, or -1 with
 * a message when the regions do not fit the shared memory. */
int mem_layout_shared(mem_space *s, const mem_params *mp, unsigned role, unsigned app,
                      uint8_t *shared_host, uint64_t shared_size, char *err, size_t errlen);

/* Adds the firmware's private regions: one per segment (code if it is
 * executable, data otherwise), each rounded out to its page size, segments
 * in address order; segments sharing a page share a region, which with
 * mem.protection on they may only when their rights are the same (else the
 * error names both segments and the page), inside the private window
 * [win_va, win_va + win_size) whose bytes are host[] and whose physical
 * base is pa; and, unless boot_host is NULL, the boot-information page at
 * TILE_BOOT_INFO_BASE, bytes boot_host, physical boot_pa. Returns 0, or -1
 * with a message. */
int mem_layout_private(mem_space *s, const mem_params *mp, const mem_segment *seg, unsigned nseg,
                       uint64_t win_va, uint64_t win_size, uint8_t *host, uint64_t pa,
                       uint8_t *boot_host, uint64_t boot_pa, char *err, size_t errlen);

/* The private window a firmware needs: its segments rounded out to the
 * largest private page size. */
void mem_layout_window(const mem_params *mp, const mem_segment *seg, unsigned nseg,
                       uint64_t *win_va, uint64_t *win_size);

/* Page homing of the shared regions (used with mem.homing = page): each
 * application's RX pool and TX region on the application's tile, rings and
 * header buffers over the stack tiles (every tile in baseline mode); the
 * rest round robin. Returns 0, or -1 with a message. */
int mem_layout_homes(struct mem_sys *sys, const mem_params *mp, uint8_t *shared_host, uint64_t shared_size,
                     char *err, size_t errlen);

/* With protection off: every region readable, writable, executable. */
void mem_space_unprotect(mem_space *s);

/* Writes the boot-information block (boot_info.h) for the space into page
 * (TILE_BOOT_INFO_SIZE bytes). */
void mem_layout_boot_info(const mem_space *s, const mem_params *mp, unsigned tile, unsigned role,
                          unsigned app, uint8_t *page);

#ifdef __cplusplus
}
#endif
#endif
