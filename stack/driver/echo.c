/* echo.c - echo firmware: every frame that arrives goes back out of the port
 * it came in on, with Ethernet, IPv4 and TCP/UDP source and destination
 * swapped (checksums stay valid: a ones'-complement sum does not depend on
 * the order of its words). Tiles 0 .. ECHO_TILES-1 each own notification
 * ring t and one egress ring per port, and sets them up; tile 0 also sets
 * up the buffer stacks, the group and the buckets; other tiles exit at
 * once. Buckets are static, bucket b -> ring b % ECHO_TILES.
 *
 * Shared memory (from TILE_SHARED_BASE): ingress rings
 * at +64 KiB (32 KiB each), egress rings at +1 MiB (8 KiB each), buffer
 * stack 0 (256-byte buffers) at +2 MiB, stack 1 (1664-byte) at +4 MiB. */
#include <stdint.h>

#include "abi/tile_memmap.h"
#include "boot/tile_rt.h"
#include "driver/mpipe_drv.h"

#ifndef ECHO_TILES
#define ECHO_TILES 4
#endif
#define RING_ENTRIES  512
#define ERING_ENTRIES 512
#define BUFFERS       1024
#define MAX_GATHER    16

#define SHARED(off)   (TILE_SHARED_BASE + (off))
#define IRING(t)      SHARED(0x10000 + (uint64_t)(t) * 0x8000)
#define ERING(e)      SHARED(0x100000 + (uint64_t)(e) * 0x2000)

static void swap_bytes(volatile uint8_t *a, volatile uint8_t *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        uint8_t t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

static void setup(unsigned ports)
{
    mpipe_stack_init(0, 1, SHARED(0x200000), BUFFERS);
    mpipe_stack_init(1, 4, SHARED(0x400000), BUFFERS);
    mpipe_group_init(0, 0, ECHO_TILES);
    mpipe_buckets_init(0, MPIPE_BUCKETS, 0, 0, ECHO_TILES, MPIPE_MODE_STATIC);
    (void)ports;
}

int main(void)
{
    unsigned t = tile_id();
    if (t >= ECHO_TILES) return 0;
    unsigned ports = (unsigned)(mpipe_hal_read(MPIPE_REG_INFO) & 0xff);
    mpipe_iqueue iq;
    static mpipe_equeue eq[MPIPE_CHANNELS];
    if (t == 0) setup(ports);
    mpipe_iqueue_init(&iq, t, IRING(t), RING_ENTRIES, (int)t);
    for (unsigned p = 0; p < ports; p++)
        mpipe_equeue_init(&eq[p], t * ports + p, ERING(t * ports + p), ERING_ENTRIES, p, (int)t);

    for (;;) {
        volatile mpipe_idesc *d = mpipe_iqueue_wait(&iq);
        mpipe_edesc e[MAX_GATHER];
        int n = mpipe_edescs_for_frame(d, e, MAX_GATHER);
        unsigned port = d->channel;
        uint64_t b = d->bdesc;
        volatile uint8_t *f = (volatile uint8_t *)(uintptr_t)(mpipe_bdesc_addr(b) +
                              (mpipe_bdesc_c(b) == MPIPE_C_CHAINED ? MPIPE_CHAIN_HDR : 0));
        swap_bytes(f, f + 6, 6);
        if (d->parse & MPIPE_PARSE_IPV4) swap_bytes(f + d->l3_off + 12, f + d->l3_off + 16, 4);
        if (d->l4_off) swap_bytes(f + d->l4_off, f + d->l4_off + 2, 2);
        if (n < 0 || port >= ports) mpipe_frame_free(d);
        mpipe_iqueue_consume(&iq, d);
        if (n < 0 || port >= ports) continue;
        while (mpipe_equeue_put(&eq[port], e, (unsigned)n) < 0) mpipe_equeue_wait(&eq[port], eq[port].done);
    }
}
