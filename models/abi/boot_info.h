/* boot_info.h - the boot-information block: how tile firmware finds its
 * regions. The simulator builds each tile's address space from the region
 * table of the configuration (sim/config_keys.c, section mem) and writes this
 * block into a read-only page at TILE_BOOT_INFO_BASE of every tile running
 * firmware. Shared by the simulator and the firmware (stack/boot/tile_rt.h).
 *
 *   TILE_BOOT_INFO_BASE  (byte offsets; 64-bit words little-endian)
 *        +0 +-----------------------------------------+
 *           | magic "DLBOOTIN" (u64)                  |  boot_info header, 64 B
 *        +8 | version u32          | tile u32         |
 *       +16 | role u32             | app u32          |
 *       +24 | apps u32             | stack_tiles u32  |
 *       +32 | regions u32          | protection u32   |
 *       +40 | width u32            | height u32       |
 *       +48 | flags u32            | clock_mhz u32    |
 *       +56 | udn_queue_words u32  | stack_index u32  |
 *       +64 | ip u32               | netmask u32      |  net.address
 *       +72 | mac u64 (byte 0 in bits 47..40)         |  net.mac
 *       +80 | args_len u32         | reserved u32     |
 *       +88 | stack_set u64[4]: bit t = tile t        |  deployment.stack_set
 *      +120 | reserved u64                            |
 *      +128 +-----------------------------------------+
 *           | boot_region[0]:                         |  40 B each
 *           |   +0 base u64   +8 size u64             |
 *           |  +16 page_size u64                      |
 *           |  +24 kind u32   +28 app u32             |
 *           |  +32 rights u32 +36 pad u32             |
 *      +168 | boot_region[1] ...                      |
 *           +-----------------------------------------+
 *   +0xC000 | args: args_len bytes and a NUL          |  deployment.app_args
 *           +-----------------------------------------+
 *
 * flags: BOOT_FLAG_UDN_SENDER is set when the mesh records each message's
 * sender and length (mesh.sender_id = on: UDN_SENDER(q) of abi/udn.h, a
 * research option, NOT a TILE-Gx feature); firmware reads that register only
 * then (a load of it faults when the option is off). Other bits are 0.
 *
 * ip, netmask and mac are the chip's one network interface (every stack
 * tile and every port share it: net.address, net.mac). stack_set names the
 * stack tiles (dlibos; 0 in the baseline); stack_index is this tile's rank
 * among them (0 .. stack_tiles-1 in tile order), BOOT_APP_NONE elsewhere.
 * args: deployment.app_args (app and baseline tiles; empty elsewhere), the
 * application's own settings, e.g. httpd's document set.
 *
 * Regions are listed in address order. Every region of the chip's shared
 * memory is listed, with this tile's rights (0 = not mapped here), so that
 * a stack tile finds every application's RX pool and TX region and an app
 * tile finds its own. Rights are for user mode; with mem.protection off
 * every region is readable, writable and executable by every tile.
 */
#ifndef DL_ABI_BOOT_INFO_H
#define DL_ABI_BOOT_INFO_H

#include <stdint.h>

#define TILE_BOOT_INFO_BASE   0x0FFF0000ULL    /* one 64 KiB page, read-only */
#define TILE_BOOT_INFO_SIZE   0x10000ULL
#define BOOT_INFO_MAGIC       0x4e49544f4f424c44ULL /* "DLBOOTIN" little-endian */
#define BOOT_INFO_VERSION     2
#define BOOT_INFO_MAX_REGIONS 1024
#define BOOT_INFO_ARGS_OFF    0xC000ULL   /* the args string */
#define BOOT_INFO_ARGS_MAX    0x1000ULL   /* bytes, with its NUL */

/* Roles (deployment.mode dlibos: stack or app; baseline: baseline). */
enum { BOOT_ROLE_STACK = 0, BOOT_ROLE_APP = 1, BOOT_ROLE_BASELINE = 2 };

/* Region kinds, in the order of the address map. */
enum {
    BOOT_REGION_BOOT_INFO = 0, /* this block */
    BOOT_REGION_MMIO_SYS,      /* SYS page of tile_memmap.h */
    BOOT_REGION_MMIO_UDN,      /* UDN registers */
    BOOT_REGION_MMIO_MPIPE,    /* mPIPE registers */
    BOOT_REGION_RINGS,         /* mPIPE notification and egress rings (DMA-written) */
    BOOT_REGION_HDR,           /* stack header buffers (read by egress DMA) */
    BOOT_REGION_RX_POOL,       /* one application's RX buffers (DMA-written); app = owner */
    BOOT_REGION_TX,            /* one application's TX region; app = owner */
    BOOT_REGION_SHARED,        /* the rest of the shared memory, not partitioned */
    BOOT_REGION_CODE,          /* the firmware's code and read-only data (private) */
    BOOT_REGION_DATA,          /* the firmware's data, heap and stack (private) */
    BOOT_REGION_KINDS
};

/* Rights bits (user mode). */
enum { BOOT_RIGHT_R = 1, BOOT_RIGHT_W = 2, BOOT_RIGHT_X = 4 };

#define BOOT_APP_NONE 0xffffffffu

/* boot_info.flags */
#define BOOT_FLAG_UDN_SENDER 0x1u /* mesh.sender_id = on: UDN_SENDER(q) exists */

typedef struct boot_region {
    uint64_t base;        /* virtual address */
    uint64_t size;        /* bytes */
    uint64_t page_size;   /* TLB page size of the region, a power of two */
    uint32_t kind;        /* BOOT_REGION_* */
    uint32_t app;         /* owning application, or BOOT_APP_NONE */
    uint32_t rights;      /* BOOT_RIGHT_* of this tile, 0 = not mapped */
    uint32_t pad;
} boot_region;

typedef struct boot_info {
    uint64_t magic;       /* BOOT_INFO_MAGIC */
    uint32_t version;     /* BOOT_INFO_VERSION */
    uint32_t tile;        /* this tile, y * width + x */
    uint32_t role;        /* BOOT_ROLE_* */
    uint32_t app;         /* this tile's application, or BOOT_APP_NONE (stack tiles) */
    uint32_t apps;        /* number of applications (RX pools, TX regions) */
    uint32_t stack_tiles; /* tiles running the stack (dlibos): those of stack_set */
    uint32_t regions;     /* entries in region[] */
    uint32_t protection;  /* 1: rights enforced, 0: flat unprotected space */
    uint32_t width, height;
    uint32_t flags;       /* BOOT_FLAG_* */
    uint32_t clock_mhz;   /* chip.clock_mhz: tile cycles per microsecond */
    uint32_t udn_queue_words; /* mesh.queue_words: words each UDN demux queue holds */
    uint32_t stack_index; /* this tile's rank among the stack tiles, or BOOT_APP_NONE */
    uint32_t ip, netmask; /* net.address, host byte order */
    uint64_t mac;         /* net.mac: byte 0 in bits 47..40 */
    uint32_t args_len;    /* bytes of the args string (without its NUL) */
    uint32_t reserved0;   /* 0 */
    uint64_t stack_set[4]; /* bit t (word t / 64): tile t runs the stack */
    uint64_t reserved1;   /* 0 */
    boot_region region[]; /* `regions` entries, address order */
} boot_info;

/* The args string of the block at b (NUL-terminated). */
static inline const char *boot_info_args(const boot_info *b)
{
    return (const char *)b + BOOT_INFO_ARGS_OFF;
}

/* Whether tile t runs the stack. */
static inline int boot_info_is_stack(const boot_info *b, uint32_t t)
{
    return t < 256 && (b->stack_set[t / 64] >> (t % 64) & 1);
}

/* bytes rounded up to whole pages of region r (its TLB page size, a power
 * of two: no division, a tile divides slowly), e.g. so that what one tile
 * owns in a shared region is pages of its own. */
static inline uint64_t boot_region_round(const boot_region *r, uint64_t bytes)
{
    return (bytes + r->page_size - 1) & ~(r->page_size - 1);
}

#ifdef __cplusplus
#define BOOT_INFO_STATIC_ASSERT static_assert
#else
#define BOOT_INFO_STATIC_ASSERT _Static_assert
#endif
BOOT_INFO_STATIC_ASSERT(sizeof(boot_region) == 40, "boot_region is 40 bytes");
BOOT_INFO_STATIC_ASSERT(sizeof(boot_info) == 128, "boot_info header is 128 bytes");
BOOT_INFO_STATIC_ASSERT(sizeof(boot_info) + BOOT_INFO_MAX_REGIONS * sizeof(boot_region) <= BOOT_INFO_ARGS_OFF,
               "the region table ends before the args");
BOOT_INFO_STATIC_ASSERT(BOOT_INFO_ARGS_OFF + BOOT_INFO_ARGS_MAX <= TILE_BOOT_INFO_SIZE, "the args fit the page");

#endif
