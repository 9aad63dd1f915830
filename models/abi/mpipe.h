/* mpipe.h - the mPIPE packet engine as software sees it: the register page,
 * the buffer descriptor, the 64-byte ingress descriptor, the 16-byte egress
 * descriptor and the rings. One definition, both ways: the encoders the
 * firmware driver (stack/driver) uses to write registers and descriptors,
 * and the decoders the SystemC model (models/mpipe) uses to read them, all
 * static inline C usable from C, C++ and firmware. No number of this
 * interface is written anywhere else. The layouts are ours; they carry the
 * information of the TILE-Gx ones (mpipe_shm.h) at the same sizes.
 *
 * Register page (offsets from TILE_MPIPE_BASE; every register 64 bits,
 * aligned 64-bit accesses only; the same page on every tile)
 *
 *   0x0000 +------------------------------+
 *          | INFO  CREDIT  DROPS          |  global, 8 B apart
 *   0x1000 +------------------------------+
 *          | buffer stack 0 .. 31         |  0x20 apart: INIT PUSH POP COUNT
 *   0x1400 +------------------------------+
 *   0x2000 +------------------------------+
 *          | notification ring 0 .. 255   |  0x20 apart: BASE INIT TILE COUNT
 *   0x4000 +------------------------------+
 *          | notification group 0 .. 31   |  8 B apart, one register each
 *   0x4100 +------------------------------+
 *   0x5000 +------------------------------+
 *          | bucket 0 .. 4159             |  8 B apart, one register each
 *   0xD200 +------------------------------+
 *   0xE000 +------------------------------+
 *          | egress ring 0 .. 23          |  0x40 apart: BASE INIT TAIL DONE TILE
 *   0xE600 +------------------------------+  (the rest of the 64 KiB faults)
 *
 * Register values with fields (bit 63 on the left; other registers hold
 * one number: an address, a count, a tile, a buffer descriptor)
 *
 *   INFO         63          16 15          8 7           0
 *   (R)         +--------------+-------------+-------------+
 *               |      0       | classifiers |    ports    |
 *               +--------------+-------------+-------------+
 *   CREDIT       63          32 31         16 15          0
 *   (W)         +--------------+-------------+-------------+
 *               |     ring     |   bucket    |    count    |   bucket 0xFFFF: none
 *               +--------------+-------------+-------------+
 *   STACK_INIT   63                        16 15   3 2     0
 *   (W)         +----------------------------+------+-------+
 *               |          capacity          |  0   | class |   0: disable
 *               +----------------------------+------+-------+
 *   GROUP        63          32 31         16 15          0
 *   (W)         +--------------+-------------+-------------+
 *               |      0       |    rings    | first ring  |
 *               +--------------+-------------+-------------+
 *   BUCKET       63          32 31         16 15 12 11  8 7  0
 *   (W)         +--------------+-------------+-----+------+-----+
 *               |      0       |    ring     |  0  | mode |group|
 *               +--------------+-------------+-----+------+-----+
 *   ER_INIT      63        40 39          32 31             0
 *   (W)         +------------+--------------+----------------+
 *               |     0      |     port     |    entries     |
 *               +------------+--------------+----------------+
 *
 * Buffer descriptor (8 bytes, one 64-bit word)
 *
 *    63  62  61  60      56 55   51 50  48 47   40 39                  0
 *   +------+---+----------+-------+------+-------+---------------------+
 *   |chain |hwb| reserved | stack | class| rsvd  |  address (40 bits)  |
 *   +------+---+----------+-------+------+-------+---------------------+
 *
 * chain: UNCHAINED (the whole frame is in this buffer, from its first
 * byte), CHAINED (the buffer's first 8 bytes hold the descriptor of the next
 * buffer, the data follows them), INVALID (end of a chain: no next buffer).
 * hwb: egress only, return this buffer to its stack after transmission;
 * the buffer returned is the one holding the address (rounded down to 128
 * bytes), so a descriptor may point past a chain header.
 *
 * Ingress descriptor (64 bytes, eight words, written by the engine)
 *
 *   byte     7      6      5      4      3      2      1      0
 *         +------+------+------+------+------+------+------+------+
 *   w0    |   l2_size   |flags | chan |    bucket   |     ring    |
 *   w1    |         flow_hash         |     csum    |  csum_start |
 *   w2    |  ethertype  |     vlan    |parse |proto |l4_off|l3_off|
 *   w3    |              seq: frame number, chip-wide             |
 *   w4    |          time_ns          |          time_sec         |
 *   w5    |         buffer descriptor of the first buffer         |
 *   w6    |           ip_dst          |           ip_src          |
 *   w7    |          reserved         |   port_dst  |   port_src  |
 *         +------+------+------+------+------+------+------+------+
 *   (little-endian words, byte 0 the lowest; struct mpipe_idesc below
 *   lists the fields in memory order; w6 and w7 are the classifier's
 *   custom words, in host order)
 *
 * flags: GEN, the error bits ME (MAC error), TR (truncated: the frame did
 * not fit the buffers), CE (CRC error), and IPCK_OK, L4CK_OK (checksums
 * verified). The model never sets ME, TR or CE: backends deliver frames
 * without FCS or line errors, and a frame that does not fit one buffer is
 * chained, or dropped (no_buffer) when the stack runs short.
 * l2_size: bytes written (the frame without its FCS). csum: ones'-complement
 * 16-bit sum of the frame from csum_start (the L4 header) to its end, not
 * complemented and without pseudo-header (as the hardware gives it).
 * time_sec, time_ns: start of the frame on the wire.
 *
 * Egress descriptor (16 bytes, two words, written by software)
 *
 *        63  62   61  60    59  58    46 45      30 29     22 21      14 13     0
 *       +---+----+---+-----+---+--------+----------+---------+----------+--------+
 *   w0  |gen|csum|ns |notif|eop|reserved|csum_seed |csum_dest|csum_start|  size  |
 *       +---+----+---+-----+---+--------+----------+---------+----------+--------+
 *   w1  |                 buffer descriptor (hwb honoured)                       |
 *       +------------------------------------------------------------------------+
 *
 * csum: the engine sums the frame from csum_start to its end, adds
 * csum_seed (the pseudo-header sum), and stores the complement big-endian
 * at csum_dest (offsets within the frame; taken from the first descriptor of
 * a gather). ns: nothing to send, only return the buffer (with hwb). notif:
 * wake the ring's owner tile when the frame is done. eop: last descriptor of
 * a frame.
 *
 * Concepts
 * --------
 * A *buffer stack* is a LIFO of equal-size packet buffers in shared memory
 * (32 stacks; size classes 128 B .. 16 KiB). Software pushes a buffer with
 * an MMIO store and pops one with an MMIO load. Ingress pops buffers for
 * incoming frames; egress can push a transmitted buffer back.
 *
 * A *notification ring* (256 rings) is an array of 64-byte ingress
 * descriptors in shared memory that the engine fills and one tile consumes.
 * Slot i % entries holds descriptor i; its GEN flag is 1 on the first pass
 * over the ring, 0 on the second, and so on, so a zeroed ring holds no valid
 * descriptor and the consumer knows which pass it reads. A ring has `entries`
 * *credits*: each descriptor written takes one, and software gives them back
 * (MPIPE_REG_CREDIT) when it has consumed descriptors. A frame whose ring has
 * no credit is dropped ("ring full"): the engine never overwrites a slot.
 *
 * A *notification group* (32 groups) is a contiguous set of rings; a
 * *bucket* (4160) names a group, a current ring and a load-balancing mode.
 * The classifier picks the bucket as rule.first_bucket + flow_hash %
 * rule.buckets; the bucket's mode picks the ring.
 *
 * An *egress ring* (24 rings) is an array of 16-byte egress descriptors that
 * software fills and the engine reads, bound to one port. Software writes
 * descriptors (with the GEN flag of the pass, as above) and then rings the
 * doorbell: it stores the total number of descriptors posted so far to
 * MPIPE_ER_TAIL. The engine reads posted descriptors in order, gathers those
 * up to one with EOP into a frame, and after transmitting it adds their
 * number to the ring's completion counter (MPIPE_ER_DONE). Doorbell rather
 * than polling: an idle egress engine costs no host time.
 */
#ifndef DL_ABI_MPIPE_H
#define DL_ABI_MPIPE_H

#include <stddef.h>
#include <stdint.h>

#include "abi/tile_memmap.h"

#ifdef __cplusplus
#define MPIPE_STATIC_ASSERT static_assert
#else
#define MPIPE_STATIC_ASSERT _Static_assert
#endif

/* Resource counts (TILE-Gx36). */
#define MPIPE_STACKS          32
#define MPIPE_RINGS           256
#define MPIPE_GROUPS          32
#define MPIPE_BUCKETS         4160
#define MPIPE_EGRESS_RINGS    24
#define MPIPE_CHANNELS        16
#define MPIPE_SIZE_CLASSES    8
#define MPIPE_IDESC_BYTES     64
#define MPIPE_EDESC_BYTES     16
#define MPIPE_BUFFER_ALIGN    128
#define MPIPE_CHAIN_HDR       8     /* next-descriptor bytes at the head of a chained buffer */

/* Buffer size classes, in bytes. */
#define MPIPE_SIZE_CLASS_BYTES { 128, 256, 512, 1024, 1664, 4096, 10368, 16384 }
static inline uint32_t mpipe_size_class_bytes(unsigned cls)
{
    static const uint32_t b[MPIPE_SIZE_CLASSES] = MPIPE_SIZE_CLASS_BYTES;
    return cls < MPIPE_SIZE_CLASSES ? b[cls] : 0;
}

/* Frame bytes a chained buffer of class cls holds (after its chain header),
 * and the buffers of that class a frame of len bytes takes as a chain. */
static inline uint32_t mpipe_chain_room(unsigned cls)
{
    return mpipe_size_class_bytes(cls) - MPIPE_CHAIN_HDR;
}
static inline uint64_t mpipe_chain_buffers(uint64_t len, unsigned cls)
{
    return (len + mpipe_chain_room(cls) - 1) / mpipe_chain_room(cls);
}

/* Ring sizes: notification rings 128/512/2048/65536, egress 512/2048/8192/65536. */
static inline int mpipe_ring_entries_ok(uint64_t n)
{
    return n == 128 || n == 512 || n == 2048 || n == 65536;
}
static inline int mpipe_eg_entries_ok(uint64_t n)
{
    return n == 512 || n == 2048 || n == 8192 || n == 65536;
}

/* ---- buffer descriptor ---- */
#define MPIPE_BDESC_ADDR_MASK    0xFFFFFFFFFFULL
#define MPIPE_BDESC_CLASS_SHIFT  48
#define MPIPE_BDESC_STACK_SHIFT  51
#define MPIPE_BDESC_HWB          (1ULL << 61)
#define MPIPE_BDESC_C_SHIFT      62
#define MPIPE_BDESC_C_MASK       (3ULL << MPIPE_BDESC_C_SHIFT)
#define MPIPE_C_UNCHAINED        0ULL
#define MPIPE_C_CHAINED          1ULL
#define MPIPE_C_INVALID          3ULL
/* The chain header of the last buffer of a chain: no next buffer. */
#define MPIPE_BDESC_CHAIN_END    (MPIPE_C_INVALID << MPIPE_BDESC_C_SHIFT)

static inline uint64_t mpipe_bdesc(uint64_t addr, unsigned stack, unsigned cls, uint64_t c)
{
    return (addr & MPIPE_BDESC_ADDR_MASK) | ((uint64_t)(cls & 7) << MPIPE_BDESC_CLASS_SHIFT) |
           ((uint64_t)(stack & 31) << MPIPE_BDESC_STACK_SHIFT) | (c << MPIPE_BDESC_C_SHIFT);
}
static inline uint64_t mpipe_bdesc_addr(uint64_t d) { return d & MPIPE_BDESC_ADDR_MASK; }
static inline unsigned mpipe_bdesc_class(uint64_t d) { return (unsigned)(d >> MPIPE_BDESC_CLASS_SHIFT) & 7; }
static inline unsigned mpipe_bdesc_stack(uint64_t d) { return (unsigned)(d >> MPIPE_BDESC_STACK_SHIFT) & 31; }
static inline uint64_t mpipe_bdesc_c(uint64_t d) { return d >> MPIPE_BDESC_C_SHIFT; }
/* d with its chain bits replaced by c (MPIPE_C_*). */
static inline uint64_t mpipe_bdesc_set_c(uint64_t d, uint64_t c)
{
    return (d & ~MPIPE_BDESC_C_MASK) | (c << MPIPE_BDESC_C_SHIFT);
}
/* The start of the buffer holding d's address (buffers are 128-byte aligned). */
static inline uint64_t mpipe_bdesc_buffer(uint64_t d)
{
    return mpipe_bdesc_addr(d) & ~(uint64_t)(MPIPE_BUFFER_ALIGN - 1);
}
/* Where the frame's bytes start in d's buffer: past the chain header when
 * d is chained. */
static inline uint64_t mpipe_bdesc_data(uint64_t d)
{
    return mpipe_bdesc_addr(d) + (mpipe_bdesc_c(d) == MPIPE_C_CHAINED ? MPIPE_CHAIN_HDR : 0);
}

/* ---- rings ---- */

/* GEN value of descriptor number n (counting from 0) in a ring of `entries`
 * (every ring size is a power of two, so no division: a tile divides slowly). */
static inline unsigned mpipe_gen(uint64_t n, uint64_t entries)
{
    return (n & entries) ? 0u : 1u;
}

/* Slot of descriptor number n in a ring of `entries` (a power of two). */
static inline uint64_t mpipe_slot(uint64_t n, uint64_t entries)
{
    return n & (entries - 1);
}

/* Address of descriptor number n of a notification ring / egress ring at base. */
static inline uint64_t mpipe_idesc_addr(uint64_t base, uint64_t n, uint64_t entries)
{
    return base + mpipe_slot(n, entries) * MPIPE_IDESC_BYTES;
}
static inline uint64_t mpipe_edesc_addr(uint64_t base, uint64_t n, uint64_t entries)
{
    return base + mpipe_slot(n, entries) * MPIPE_EDESC_BYTES;
}

/* ---- ingress descriptor ---- */
#define MPIPE_IDESC_GEN      0x01u
#define MPIPE_IDESC_ME       0x02u   /* MAC error */
#define MPIPE_IDESC_TR       0x04u   /* truncated: did not fit the buffers */
#define MPIPE_IDESC_CE       0x08u   /* CRC error */
#define MPIPE_IDESC_IPCK_OK  0x10u   /* IPv4 header checksum verified */
#define MPIPE_IDESC_L4CK_OK  0x20u   /* TCP/UDP checksum (with pseudo-header) verified */

/* parse bits */
#define MPIPE_PARSE_VLAN     0x01u
#define MPIPE_PARSE_IPV4     0x02u
#define MPIPE_PARSE_TCP      0x04u
#define MPIPE_PARSE_UDP      0x08u
#define MPIPE_PARSE_FRAG     0x10u   /* IPv4 fragment: no L4 header parsed */

typedef struct mpipe_idesc {
    uint16_t ring, bucket;
    uint8_t channel, flags;
    uint16_t l2_size;
    uint16_t csum_start, csum;
    uint32_t flow_hash;
    uint8_t l3_off, l4_off, protocol, parse;
    uint16_t vlan, ethertype;
    uint64_t seq;
    uint32_t time_sec, time_ns;
    uint64_t bdesc;
    uint32_t ip_src, ip_dst;
    uint16_t port_src, port_dst;
    uint32_t reserved;
} mpipe_idesc;

MPIPE_STATIC_ASSERT(sizeof(mpipe_idesc) == MPIPE_IDESC_BYTES, "ingress descriptor is 64 bytes");

/* Whether the flags of the descriptor in the slot of number n carry the GEN
 * of that pass (the engine has written descriptor n, not an older one). */
static inline int mpipe_idesc_gen_ok(unsigned flags, uint64_t n, uint64_t entries)
{
    return (flags & MPIPE_IDESC_GEN) == mpipe_gen(n, entries);
}

/* ---- egress descriptor ---- */
#define MPIPE_EDESC_GEN          (1ULL << 63)
#define MPIPE_EDESC_CSUM         (1ULL << 62)
#define MPIPE_EDESC_NS           (1ULL << 61)
#define MPIPE_EDESC_NOTIF        (1ULL << 60)
#define MPIPE_EDESC_EOP          (1ULL << 59)
#define MPIPE_EDESC_SEED_SHIFT   30
#define MPIPE_EDESC_DEST_SHIFT   22
#define MPIPE_EDESC_START_SHIFT  14
#define MPIPE_EDESC_SIZE_MASK    0x3FFFULL

typedef struct mpipe_edesc {
    uint64_t w0;     /* flags, checksum, size */
    uint64_t bdesc;  /* buffer descriptor, hwb honoured */
} mpipe_edesc;

MPIPE_STATIC_ASSERT(sizeof(mpipe_edesc) == MPIPE_EDESC_BYTES, "egress descriptor is 16 bytes");

static inline uint64_t mpipe_edesc_w0(unsigned size, int eop, unsigned gen)
{
    return ((uint64_t)size & MPIPE_EDESC_SIZE_MASK) | (eop ? MPIPE_EDESC_EOP : 0) |
           (gen ? MPIPE_EDESC_GEN : 0);
}
static inline uint64_t mpipe_edesc_csum(unsigned start, unsigned dest, unsigned seed)
{
    return MPIPE_EDESC_CSUM | ((uint64_t)(start & 0xff) << MPIPE_EDESC_START_SHIFT) |
           ((uint64_t)(dest & 0xff) << MPIPE_EDESC_DEST_SHIFT) |
           ((uint64_t)(seed & 0xffff) << MPIPE_EDESC_SEED_SHIFT);
}
/* w0 with the GEN flag of descriptor number n in a ring of `entries`. */
static inline uint64_t mpipe_edesc_w0_gen(uint64_t w0, uint64_t n, uint64_t entries)
{
    return (w0 & ~MPIPE_EDESC_GEN) | (mpipe_gen(n, entries) ? MPIPE_EDESC_GEN : 0);
}
static inline int mpipe_edesc_gen_ok(uint64_t w0, uint64_t n, uint64_t entries)
{
    return !(w0 & MPIPE_EDESC_GEN) == !mpipe_gen(n, entries);
}
static inline unsigned mpipe_edesc_size(uint64_t w0) { return (unsigned)(w0 & MPIPE_EDESC_SIZE_MASK); }
static inline unsigned mpipe_edesc_csum_start(uint64_t w0) { return (unsigned)(w0 >> MPIPE_EDESC_START_SHIFT) & 0xff; }
static inline unsigned mpipe_edesc_csum_dest(uint64_t w0) { return (unsigned)(w0 >> MPIPE_EDESC_DEST_SHIFT) & 0xff; }
static inline unsigned mpipe_edesc_csum_seed(uint64_t w0) { return (unsigned)(w0 >> MPIPE_EDESC_SEED_SHIFT) & 0xffff; }

/* ---- registers (offsets from TILE_MPIPE_BASE) ---- */

/* Global block. */
#define MPIPE_REG_INFO        0x0000  /* R: ports (bits 7..0), classifiers (15..8) */
#define MPIPE_REG_CREDIT      0x0008  /* W: count (15..0) | bucket (31..16, 0xFFFF: none) | ring (63..32) */
#define MPIPE_REG_DROPS       0x0010  /* R: frames dropped, all causes */
#define MPIPE_GLOBAL_BYTES    0x0018
#define MPIPE_NO_BUCKET       0xFFFF
#define MPIPE_INFO_VAL(ports, classifiers) \
    ((((uint64_t)(classifiers) & 0xFF) << 8) | ((uint64_t)(ports) & 0xFF))
#define MPIPE_CREDIT(ring, bucket, count) \
    (((uint64_t)(ring) << 32) | ((uint64_t)((bucket) & 0xFFFF) << 16) | ((count) & 0xFFFF))
static inline unsigned mpipe_info_ports(uint64_t v) { return (unsigned)(v & 0xFF); }
static inline unsigned mpipe_info_classifiers(uint64_t v) { return (unsigned)(v >> 8) & 0xFF; }
static inline uint64_t mpipe_credit_ring(uint64_t v) { return v >> 32; }
static inline unsigned mpipe_credit_bucket(uint64_t v) { return (unsigned)(v >> 16) & 0xFFFF; }
static inline uint64_t mpipe_credit_count(uint64_t v) { return v & 0xFFFF; }

/* Buffer stack s: 0x1000 + 32 s. */
#define MPIPE_STACK_BLOCK     0x1000
#define MPIPE_STACK_STRIDE    0x20
#define MPIPE_STACK_REG(s, r) (MPIPE_STACK_BLOCK + (s) * MPIPE_STACK_STRIDE + (r))
#define MPIPE_STACK_INIT      0x00  /* W: size class (2..0) | capacity (63..16); 0 disables */
#define MPIPE_STACK_PUSH      0x08  /* W: buffer descriptor (address; class/stack filled in) */
#define MPIPE_STACK_POP       0x10  /* R: buffer descriptor popped, 0 when empty */
#define MPIPE_STACK_COUNT     0x18  /* R: buffers on the stack */
#define MPIPE_STACK_INIT_VAL(cls, capacity) (((uint64_t)(capacity) << 16) | ((cls) & 7))
static inline unsigned mpipe_stack_init_class(uint64_t v) { return (unsigned)(v & 7); }
static inline uint64_t mpipe_stack_init_capacity(uint64_t v) { return v >> 16; }

/* Notification ring r: 0x2000 + 32 r. */
#define MPIPE_RING_BLOCK      0x2000
#define MPIPE_RING_STRIDE     0x20
#define MPIPE_RING_REG(r, x)  (MPIPE_RING_BLOCK + (r) * MPIPE_RING_STRIDE + (x))
#define MPIPE_RING_BASE       0x00  /* W: ring address in shared memory (64-byte aligned) */
#define MPIPE_RING_INIT       0x08  /* W: entries (must be valid); enables; resets counts */
#define MPIPE_RING_TILE       0x10  /* W: tile woken when a descriptor lands (-1: none) */
#define MPIPE_RING_COUNT      0x18  /* R: descriptors decided so far (credits taken);
                                       W: wait-for-event: the store completes once more
                                       than the value stored have landed in memory (the
                                       tile sleeps meanwhile, in user mode as well) */

/* Notification group g: 0x4000 + 8 g. W: first ring (15..0) | rings (31..16). */
#define MPIPE_GROUP_BLOCK     0x4000
#define MPIPE_GROUP_STRIDE    8
#define MPIPE_GROUP_REG(g)    (MPIPE_GROUP_BLOCK + (g) * MPIPE_GROUP_STRIDE)
#define MPIPE_GROUP_VAL(first, n) (((uint64_t)(n) << 16) | (first))
static inline unsigned mpipe_group_first(uint64_t v) { return (unsigned)(v & 0xFFFF); }
static inline unsigned mpipe_group_rings(uint64_t v) { return (unsigned)(v >> 16) & 0xFFFF; }

/* Bucket b: 0x5000 + 8 b. W: group (7..0) | mode (11..8) | ring (31..16). */
#define MPIPE_BUCKET_BLOCK    0x5000
#define MPIPE_BUCKET_STRIDE   8
#define MPIPE_BUCKET_REG(b)   (MPIPE_BUCKET_BLOCK + (b) * MPIPE_BUCKET_STRIDE)
#define MPIPE_BUCKET_VAL(group, mode, ring) \
    (((uint64_t)(ring) << 16) | ((uint64_t)(mode) << 8) | (group))
static inline unsigned mpipe_bucket_group(uint64_t v) { return (unsigned)(v & 0xFF); }
static inline unsigned mpipe_bucket_mode(uint64_t v) { return (unsigned)(v >> 8) & 0xF; }
static inline unsigned mpipe_bucket_ring(uint64_t v) { return (unsigned)(v >> 16) & 0xFFFF; }
enum {
    MPIPE_MODE_STATIC = 0,       /* always the bucket's ring */
    MPIPE_MODE_AFFINITY = 1,     /* same ring while the bucket has descriptors
                                    outstanding, else least-full; drop if full */
    MPIPE_MODE_ROUND_ROBIN = 2,  /* least-full ring of the group, ties in
                                    rotating order */
    MPIPE_MODE_STICKY = 3,       /* same ring until full, then least-full */
};

/* Egress ring e: 0xE000 + 64 e. */
#define MPIPE_ER_BLOCK        0xE000
#define MPIPE_ER_STRIDE       0x40
#define MPIPE_ER_REG(e, x)    (MPIPE_ER_BLOCK + (e) * MPIPE_ER_STRIDE + (x))
#define MPIPE_ER_BASE         0x00  /* W: ring address (16-byte aligned) */
#define MPIPE_ER_INIT         0x08  /* W: entries (31..0: 512, 2048, 8192, 65536) | port (39..32); resets counts */
#define MPIPE_ER_TAIL         0x10  /* W: doorbell, descriptors posted so far */
#define MPIPE_ER_DONE         0x18  /* R: descriptors completed so far; W: wait-for-event:
                                       the store completes once more than the value stored
                                       are complete (the tile sleeps meanwhile) */
#define MPIPE_ER_TILE         0x20  /* W: tile woken on a NOTIF descriptor (-1: none) */
#define MPIPE_ER_INIT_VAL(entries, port) (((uint64_t)(port) << 32) | (uint64_t)(entries))
static inline uint64_t mpipe_er_init_entries(uint64_t v) { return v & 0xFFFFFFFFULL; }
static inline unsigned mpipe_er_init_port(uint64_t v) { return (unsigned)(v >> 32) & 0xFF; }

MPIPE_STATIC_ASSERT(MPIPE_STACK_REG(MPIPE_STACKS, 0) <= MPIPE_RING_BLOCK, "stack registers fit");
MPIPE_STATIC_ASSERT(MPIPE_RING_REG(MPIPE_RINGS, 0) <= MPIPE_GROUP_BLOCK, "ring registers fit");
MPIPE_STATIC_ASSERT(MPIPE_GROUP_REG(MPIPE_GROUPS) <= MPIPE_BUCKET_BLOCK, "group registers fit");
MPIPE_STATIC_ASSERT(MPIPE_BUCKET_REG(MPIPE_BUCKETS) <= MPIPE_ER_BLOCK, "bucket registers fit");
MPIPE_STATIC_ASSERT(MPIPE_ER_REG(MPIPE_EGRESS_RINGS, 0) <= TILE_MPIPE_SIZE, "egress registers fit");

/* ---- decoding an offset ---- */

/* The register blocks of the page, in address order. */
typedef enum mpipe_block {
    MPIPE_BLOCK_GLOBAL, MPIPE_BLOCK_STACK, MPIPE_BLOCK_RING, MPIPE_BLOCK_GROUP,
    MPIPE_BLOCK_BUCKET, MPIPE_BLOCK_ER, MPIPE_BLOCK_NONE
} mpipe_block;

/* An offset decoded: its block, the instance (stack, ring, group, bucket or
 * egress ring number; 0 in the global block) and the register within the
 * instance (MPIPE_STACK_*, MPIPE_RING_*, MPIPE_ER_*, MPIPE_REG_*; 0 for
 * groups and buckets). */
typedef struct mpipe_reg {
    mpipe_block block;
    unsigned index, reg;
} mpipe_reg;

static inline mpipe_reg mpipe_reg_in(mpipe_block block, uint64_t rel, unsigned stride)
{
    mpipe_reg r;
    r.block = block;
    r.index = (unsigned)(rel / stride);
    r.reg = (unsigned)(rel % stride);
    return r;
}

/* Which register an offset names; MPIPE_BLOCK_NONE for a hole between the
 * blocks or past the last. Whether the register exists within its instance
 * (e.g. reg 0x20 of a stack) is the block's to say. */
static inline mpipe_reg mpipe_reg_decode(uint64_t off)
{
    if (off >= MPIPE_ER_BLOCK)
        return off < MPIPE_ER_REG(MPIPE_EGRESS_RINGS, 0)
                   ? mpipe_reg_in(MPIPE_BLOCK_ER, off - MPIPE_ER_BLOCK, MPIPE_ER_STRIDE)
                   : mpipe_reg_in(MPIPE_BLOCK_NONE, 0, 1);
    if (off >= MPIPE_BUCKET_BLOCK)
        return off < MPIPE_BUCKET_REG(MPIPE_BUCKETS)
                   ? mpipe_reg_in(MPIPE_BLOCK_BUCKET, off - MPIPE_BUCKET_BLOCK, MPIPE_BUCKET_STRIDE)
                   : mpipe_reg_in(MPIPE_BLOCK_NONE, 0, 1);
    if (off >= MPIPE_GROUP_BLOCK)
        return off < MPIPE_GROUP_REG(MPIPE_GROUPS)
                   ? mpipe_reg_in(MPIPE_BLOCK_GROUP, off - MPIPE_GROUP_BLOCK, MPIPE_GROUP_STRIDE)
                   : mpipe_reg_in(MPIPE_BLOCK_NONE, 0, 1);
    if (off >= MPIPE_RING_BLOCK)
        return off < MPIPE_RING_REG(MPIPE_RINGS, 0)
                   ? mpipe_reg_in(MPIPE_BLOCK_RING, off - MPIPE_RING_BLOCK, MPIPE_RING_STRIDE)
                   : mpipe_reg_in(MPIPE_BLOCK_NONE, 0, 1);
    if (off >= MPIPE_STACK_BLOCK)
        return off < MPIPE_STACK_REG(MPIPE_STACKS, 0)
                   ? mpipe_reg_in(MPIPE_BLOCK_STACK, off - MPIPE_STACK_BLOCK, MPIPE_STACK_STRIDE)
                   : mpipe_reg_in(MPIPE_BLOCK_NONE, 0, 1);
    return mpipe_reg_in(off < MPIPE_GLOBAL_BYTES ? MPIPE_BLOCK_GLOBAL : MPIPE_BLOCK_NONE, off, 1 << 16);
}

#endif
