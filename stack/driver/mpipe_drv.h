/* mpipe_drv.h - the firmware side of the mPIPE: buffer stacks, notification
 * rings (ingress queues), buckets and groups, egress queues. Uses only
 * models/abi/mpipe.h; the register page and shared memory are reached
 * through the three mpipe_hal_* functions, inline MMIO on a tile, and a fake
 * (tests/mpipe/mpipe_fake.c) when built on the host with MPIPE_DRV_HOST.
 *
 * Typical use on a stack tile:
 *   mpipe_stack_init(0, class, buffers, count);        once, one tile
 *   mpipe_iqueue_init(&iq, ring, ring_mem, 512, tile);
 *   mpipe_group_init(0, first_ring, rings); mpipe_buckets_init(...);
 *   mpipe_equeue_init(&eq, ering, ering_mem, 512, port, tile);
 *   for (;;) { d = mpipe_iqueue_wait(&iq); ...; mpipe_iqueue_consume(&iq, d);
 *              mpipe_equeue_put(&eq, descs, n); }
 */
#ifndef DL_DRIVER_MPIPE_DRV_H
#define DL_DRIVER_MPIPE_DRV_H

#include <stdint.h>

#include "abi/mpipe.h"

#ifdef MPIPE_DRV_HOST
uint64_t mpipe_hal_read(uint64_t off);
void mpipe_hal_write(uint64_t off, uint64_t v);
void *mpipe_hal_ptr(uint64_t addr);     /* shared-memory address -> pointer */
#else
static inline uint64_t mpipe_hal_read(uint64_t off)
{
    return *(volatile uint64_t *)(uintptr_t)(TILE_MPIPE_BASE + off);
}
static inline void mpipe_hal_write(uint64_t off, uint64_t v)
{
    *(volatile uint64_t *)(uintptr_t)(TILE_MPIPE_BASE + off) = v;
}
static inline void *mpipe_hal_ptr(uint64_t addr) { return (void *)(uintptr_t)addr; }
#endif
/* Called in each poll of a busy wait on another tile (shared rings): nothing
 * on a tile; the host fake yields (its "tiles" are threads sharing cores). */
#ifdef MPIPE_DRV_HOST
void mpipe_hal_relax(void);
#else
static inline void mpipe_hal_relax(void) {}
#endif

/* Ports the mPIPE has (its INFO register). */
static inline unsigned mpipe_port_count(void)
{
    return mpipe_info_ports(mpipe_hal_read(MPIPE_REG_INFO));
}

/* ---- buffer stacks ---- */

/* Enables stack s with buffers of size class cls and pushes the count
 * buffers laid out from addr (128-byte aligned) onto it. Returns 0, or -1
 * for a bad stack, class or alignment. */
int mpipe_stack_init(unsigned s, unsigned cls, uint64_t addr, uint64_t count);

static inline uint64_t mpipe_buffer_pop(unsigned s)
{
    return mpipe_hal_read(MPIPE_STACK_REG(s, MPIPE_STACK_POP));
}
/* Returns a buffer to its stack: bdesc names the stack and any address
 * inside the buffer (buffers are 128-byte aligned). */
static inline void mpipe_buffer_push(uint64_t bdesc)
{
    mpipe_hal_write(MPIPE_STACK_REG(mpipe_bdesc_stack(bdesc), MPIPE_STACK_PUSH), mpipe_bdesc_buffer(bdesc));
}
static inline uint64_t mpipe_stack_count(unsigned s)
{
    return mpipe_hal_read(MPIPE_STACK_REG(s, MPIPE_STACK_COUNT));
}

/* ---- ingress: notification rings ---- */

typedef struct mpipe_iqueue {
    unsigned ring;
    uint64_t base, entries, head;   /* head: descriptors consumed so far */
} mpipe_iqueue;

/* Sets ring up in the (zeroed here) memory at addr for entries descriptors
 * (128, 512, 2048 or 65536), woken tile `tile` (-1: none). 0, or -1. */
int mpipe_iqueue_init(mpipe_iqueue *q, unsigned ring, uint64_t addr, uint64_t entries, int tile);

/* The next descriptor, or NULL when the engine has written none. */
static inline volatile mpipe_idesc *mpipe_iqueue_peek(const mpipe_iqueue *q)
{
    volatile mpipe_idesc *d = (volatile mpipe_idesc *)mpipe_hal_ptr(mpipe_idesc_addr(q->base, q->head, q->entries));
    return mpipe_idesc_gen_ok(d->flags, q->head, q->entries) ? d : NULL;
}

/* The first byte of the frame of ingress descriptor d (in its first buffer,
 * past the chain header when the frame is chained). */
static inline volatile uint8_t *mpipe_frame_data(volatile const mpipe_idesc *d)
{
    return (volatile uint8_t *)mpipe_hal_ptr(mpipe_bdesc_data(d->bdesc));
}

/* Waits until a descriptor is there and returns it. The tile sleeps in the
 * ring's wait-for-event register (no wfi: it works in user mode too). */
static inline volatile mpipe_idesc *mpipe_iqueue_wait(const mpipe_iqueue *q)
{
    volatile mpipe_idesc *d;
    while (!(d = mpipe_iqueue_peek(q))) mpipe_hal_write(MPIPE_RING_REG(q->ring, MPIPE_RING_COUNT), q->head);
    return d;
}

/* Done with the peeked descriptor d: moves on and returns its credit (and
 * its bucket's, for flow affinity). Copy what you need from d first. */
static inline void mpipe_iqueue_consume(mpipe_iqueue *q, volatile const mpipe_idesc *d)
{
    unsigned bucket = d->bucket;
    q->head++;
    mpipe_hal_write(MPIPE_REG_CREDIT, MPIPE_CREDIT(q->ring, bucket, 1));
}

/* Group g = rings [first, first + n). Buckets [b0, b0 + count) go to group g
 * in mode; each starts at ring first + b % n. */
void mpipe_group_init(unsigned g, unsigned first, unsigned n);
void mpipe_buckets_init(unsigned b0, unsigned count, unsigned g, unsigned first, unsigned n, unsigned mode);

/* ---- egress ---- */

typedef struct mpipe_equeue {
    unsigned ering;
    uint64_t base, entries, tail, done;   /* done: last completion count read */
} mpipe_equeue;

/* Sets egress ring `ering` up in memory at addr, entries (512, 2048, 8192 or
 * 65536) descriptors, sending on port; tile woken on NOTIF (-1: none). */
int mpipe_equeue_init(mpipe_equeue *q, unsigned ering, uint64_t addr, uint64_t entries, unsigned port, int tile);

/* Descriptors the engine has completed so far (reads the counter). */
static inline uint64_t mpipe_equeue_reap(mpipe_equeue *q)
{
    q->done = mpipe_hal_read(MPIPE_ER_REG(q->ering, MPIPE_ER_DONE));
    return q->done;
}

/* Free slots; reads the completion counter only when the cached one says
 * fewer than want are free. */
static inline uint64_t mpipe_equeue_space(mpipe_equeue *q, uint64_t want)
{
    if (q->entries - (q->tail - q->done) < want) mpipe_equeue_reap(q);
    return q->entries - (q->tail - q->done);
}

/* Sleeps until the engine has completed more than `done` descriptors (the
 * ring's wait-for-event register), and returns the new count. */
static inline uint64_t mpipe_equeue_wait(mpipe_equeue *q, uint64_t done)
{
    mpipe_hal_write(MPIPE_ER_REG(q->ering, MPIPE_ER_DONE), done);
    return mpipe_equeue_reap(q);
}

/* Posts n descriptors (w0 without GEN; GEN is set here) and rings the
 * doorbell. Returns 0, or -1 (nothing posted) when fewer than n slots are
 * free. The last of a frame must carry MPIPE_EDESC_EOP. */
int mpipe_equeue_put(mpipe_equeue *q, const mpipe_edesc *d, unsigned n);

/* ---- egress rings shared by several tiles ----
 *
 * The ring's two counters live in shared memory, each on its own cache line,
 * and are changed only with the A extension's atomics:
 *   reserved   descriptors claimed so far: a poster takes [start, start + n)
 *              with one fetch-add (amoadd.d), so posters never block each
 *              other while they write their descriptors;
 *   published  descriptors handed to the engine so far: a poster whose
 *              start equals it rings the doorbell with start + n and stores
 *              start + n (release), so the doorbell only ever grows and
 *              covers written descriptors only (in-order publish).
 * A poster whose slots are still held by descriptors the engine has not
 * completed sleeps on the ring's completion counter first. One tile sets the
 * ring up (mpipe_equeue_init, counters zero); the others attach. */
typedef struct mpipe_eshare {
    uint64_t reserved;
    uint64_t pad0[7];
    uint64_t published;
    uint64_t pad1[7];
} mpipe_eshare;

/* q names egress ring `ering` (entries descriptors at addr) that another
 * tile has set up; no register is written. */
void mpipe_equeue_attach(mpipe_equeue *q, unsigned ering, uint64_t addr, uint64_t entries);

/* What a tile's shared posts waited for (optional): polls for an earlier
 * poster's publish, sleeps for room. */
typedef struct mpipe_eshare_stats {
    uint64_t spins, waits;
} mpipe_eshare_stats;

/* Posts n descriptors (w0 without GEN) on the shared ring of q whose
 * counters are *s, waiting for room and for the earlier posters (counted in
 * *st unless NULL). Returns the ring's completion count at which they are
 * all done (as q->tail is for mpipe_equeue_put), or 0 when n is 0 or more
 * than the ring holds. */
uint64_t mpipe_equeue_put_shared(mpipe_equeue *q, mpipe_eshare *s, const mpipe_edesc *d, unsigned n,
                                 mpipe_eshare_stats *st);

/* Builds the descriptors that send the frame of ingress descriptor d back
 * out (following a chain), returning each buffer to its stack; up to max
 * descriptors into out. Returns how many, or -1 if max is too small. */
int mpipe_edescs_for_frame(volatile const mpipe_idesc *d, mpipe_edesc *out, unsigned max);

/* Returns every buffer of the frame of ingress descriptor d to its stack
 * (for a frame the software drops). */
void mpipe_frame_free(volatile const mpipe_idesc *d);

#endif
