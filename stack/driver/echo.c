/* echo.c - echo firmware: every frame that arrives goes back out of the port
 * it came in on, with Ethernet, IPv4 and TCP/UDP source and destination
 * swapped in place (checksums stay valid: a ones'-complement sum does not
 * depend on the order of its words).
 *
 * It runs with memory protection on or off alike: every address comes from
 * the boot-information block (tile_boot_info(), tile_region()), never from
 * a fixed offset, and each tile touches only what its role may.
 *
 * Roles
 *   stack tiles (deployment.mode = dlibos: tiles 0 .. stack_tiles-1; with
 *   baseline every tile counts as one) are echo tiles 0 .. E-1, where
 *   E = min(stack tiles, MPIPE_EGRESS_RINGS / ports, rings region / slice,
 *   MPIPE_RINGS): each echo tile needs one egress ring per port (4 ports:
 *   E = 6, so 6 of the TILE-Gx36's 8 stack tiles echo). Stack tiles
 *   beyond E, and application tiles (by default no rights on the mPIPE
 *   pages or the rings), exit 0 at once without touching either.
 *
 * Layout (all in the regions of the configuration's region table)
 *   rings       echo tile t owns the slice at rings.base + t * slice, where
 *               slice = 32 KiB + ports * 8 KiB rounded up to whole pages of
 *               the rings region (its page_size in the boot block; with the
 *               default 64 KiB pages, one page for up to 4 ports):
 *                 +0       notification ring t, 512 x 64 B = 32 KiB
 *                 +32 KiB  egress ring t * ports + p for port p, 512 x 16 B
 *                          = 8 KiB each
 *   rx_pool[0]  the buffers of both buffer stacks, set up by echo tile 0:
 *                 stack 0: 256-byte buffers (class 1) in the first quarter
 *                 stack 1: 1664-byte buffers (class 4) in the rest
 *               The pool is 1 MiB by default: 1024 + 472 buffers. Stack tiles
 *               may read and write every RX pool; the frame is echoed in
 *               place, so neither the hdr region nor a TX region is used.
 *   buckets     all of them static, bucket b -> ring b % E (group 0 = rings
 *               0 .. E-1), set up by echo tile 0: flows spread over the echo
 *               tiles, and no two tiles share a ring, a slot or a counter.
 * With no usable RX pool (e.g. every tile a stack tile) or not one ring slice,
 * the stack tiles exit 1. */
#include <stdint.h>

#include "abi/tile_memmap.h"
#include "boot/tile_rt.h"
#include "driver/mpipe_drv.h"

#define RING_ENTRIES  512
#define ERING_ENTRIES 512
#define ERING_OFF     ((uint64_t)RING_ENTRIES * MPIPE_IDESC_BYTES) /* 32 KiB */
#define ERING_BYTES   ((uint64_t)ERING_ENTRIES * MPIPE_EDESC_BYTES) /* 8 KiB */
#define SMALL_CLASS   1   /* 256 B */
#define LARGE_CLASS   4   /* 1664 B */
#define MAX_GATHER    16

static void swap_bytes(volatile uint8_t *a, volatile uint8_t *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        uint8_t t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

/* Echo tile 0's chip-wide set-up: the two buffer stacks in the RX pool, the
 * group and the buckets. */
static void setup(const boot_region *pool, unsigned echo_tiles)
{
    uint64_t small = MPIPE_BUFFER_ALIGN * ((pool->size / 4) / MPIPE_BUFFER_ALIGN);
    mpipe_stack_init(0, SMALL_CLASS, pool->base, small / mpipe_size_class_bytes(SMALL_CLASS));
    mpipe_stack_init(1, LARGE_CLASS, pool->base + small,
                     (pool->size - small) / mpipe_size_class_bytes(LARGE_CLASS));
    mpipe_group_init(0, 0, echo_tiles);
    mpipe_buckets_init(0, MPIPE_BUCKETS, 0, 0, echo_tiles, MPIPE_MODE_STATIC);
}

int main(void)
{
    const boot_info *bi = tile_boot_info();
    unsigned t = bi->tile;
    unsigned stack_tiles = bi->role == BOOT_ROLE_BASELINE ? bi->width * bi->height : bi->stack_tiles;
    if (bi->role == BOOT_ROLE_APP || t >= stack_tiles) return 0;   /* no mPIPE work here */

    const boot_region *rings = tile_region(BOOT_REGION_RINGS, BOOT_APP_NONE);
    const boot_region *pool = tile_region(BOOT_REGION_RX_POOL, 0);
    const unsigned rw = BOOT_RIGHT_R | BOOT_RIGHT_W;
    if (!rings || !pool || (rings->rights & rw) != rw || (pool->rights & rw) != rw ||
        pool->size < 4 * mpipe_size_class_bytes(LARGE_CLASS))
        return 1;

    unsigned ports = mpipe_port_count();
    if (ports > MPIPE_CHANNELS) ports = MPIPE_CHANNELS;
    if (ports == 0) return 1;
    uint64_t slice_bytes = boot_region_round(rings, ERING_OFF + ports * ERING_BYTES);
    unsigned echo_tiles = stack_tiles;
    if (echo_tiles > MPIPE_EGRESS_RINGS / ports) echo_tiles = MPIPE_EGRESS_RINGS / ports;
    if (echo_tiles > MPIPE_RINGS) echo_tiles = MPIPE_RINGS;
    if (echo_tiles > rings->size / slice_bytes) echo_tiles = (unsigned)(rings->size / slice_bytes);
    if (echo_tiles == 0) return 1;   /* not even one slice of rings */
    if (t >= echo_tiles) return 0;   /* no ring left for this stack tile */

    uint64_t slice = rings->base + t * slice_bytes;
    mpipe_iqueue iq;
    static mpipe_equeue eq[MPIPE_CHANNELS];
    if (t == 0) setup(pool, echo_tiles);
    mpipe_iqueue_init(&iq, t, slice, RING_ENTRIES, (int)t);
    for (unsigned p = 0; p < ports; p++)
        mpipe_equeue_init(&eq[p], t * ports + p, slice + ERING_OFF + p * ERING_BYTES, ERING_ENTRIES, p,
                          (int)t);

    for (;;) {
        volatile mpipe_idesc *d = mpipe_iqueue_wait(&iq);
        mpipe_edesc e[MAX_GATHER];
        int n = mpipe_edescs_for_frame(d, e, MAX_GATHER);
        unsigned port = d->channel;
        volatile uint8_t *f = mpipe_frame_data(d);
        swap_bytes(f, f + 6, 6);
        if (d->parse & MPIPE_PARSE_IPV4) swap_bytes(f + d->l3_off + 12, f + d->l3_off + 16, 4);
        if (d->l4_off) swap_bytes(f + d->l4_off, f + d->l4_off + 2, 2);
        if (n < 0 || port >= ports) mpipe_frame_free(d);
        mpipe_iqueue_consume(&iq, d);
        if (n < 0 || port >= ports) continue;
        while (mpipe_equeue_put(&eq[port], e, (unsigned)n) < 0) mpipe_equeue_wait(&eq[port], eq[port].done);
    }
}
