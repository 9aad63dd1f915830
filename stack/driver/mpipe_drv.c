/* mpipe_drv.c - set-up and the multi-descriptor operations of the mPIPE
 * driver (see mpipe_drv.h). */
#include "driver/mpipe_drv.h"

/* Zeroes ring memory with 64-bit stores (len a multiple of 8). */
static void zero_words(uint64_t addr, uint64_t len)
{
    volatile uint64_t *p = (volatile uint64_t *)mpipe_hal_ptr(addr);
    for (uint64_t i = 0; i < len / 8; i++) p[i] = 0;
}

int mpipe_stack_init(unsigned s, unsigned cls, uint64_t addr, uint64_t count)
{
    uint32_t size = mpipe_size_class_bytes(cls);
    if (s >= MPIPE_STACKS || !size || addr % MPIPE_BUFFER_ALIGN || !count) return -1;
    mpipe_hal_write(MPIPE_STACK_REG(s, MPIPE_STACK_INIT), MPIPE_STACK_INIT_VAL(cls, count));
    for (uint64_t i = 0; i < count; i++)
        mpipe_hal_write(MPIPE_STACK_REG(s, MPIPE_STACK_PUSH), addr + i * size);
    return 0;
}

int mpipe_iqueue_init(mpipe_iqueue *q, unsigned ring, uint64_t addr, uint64_t entries, int tile)
{
    if (ring >= MPIPE_RINGS || !mpipe_ring_entries_ok(entries) || addr % MPIPE_IDESC_BYTES) return -1;
    zero_words(addr, entries * MPIPE_IDESC_BYTES);
    q->ring = ring;
    q->base = addr;
    q->entries = entries;
    q->head = 0;
    mpipe_hal_write(MPIPE_RING_REG(ring, MPIPE_RING_BASE), addr);
    mpipe_hal_write(MPIPE_RING_REG(ring, MPIPE_RING_TILE), (uint64_t)(int64_t)tile);
    mpipe_hal_write(MPIPE_RING_REG(ring, MPIPE_RING_INIT), entries);
    return 0;
}

void mpipe_group_init(unsigned g, unsigned first, unsigned n)
{
    mpipe_hal_write(MPIPE_GROUP_REG(g), MPIPE_GROUP_VAL(first, n));
}

void mpipe_buckets_init(unsigned b0, unsigned count, unsigned g, unsigned first, unsigned n, unsigned mode)
{
    unsigned r = b0 % n;   /* ring offset of bucket b, kept without dividing */
    for (unsigned b = b0; b < b0 + count; b++) {
        mpipe_hal_write(MPIPE_BUCKET_REG(b), MPIPE_BUCKET_VAL(g, mode, first + r));
        if (++r == n) r = 0;
    }
}

int mpipe_equeue_init(mpipe_equeue *q, unsigned ering, uint64_t addr, uint64_t entries, unsigned port, int tile)
{
    if (ering >= MPIPE_EGRESS_RINGS || !mpipe_eg_entries_ok(entries) || addr % MPIPE_EDESC_BYTES) return -1;
    zero_words(addr, entries * MPIPE_EDESC_BYTES);
    q->ering = ering;
    q->base = addr;
    q->entries = entries;
    q->tail = q->done = 0;
    mpipe_hal_write(MPIPE_ER_REG(ering, MPIPE_ER_BASE), addr);
    mpipe_hal_write(MPIPE_ER_REG(ering, MPIPE_ER_TILE), (uint64_t)(int64_t)tile);
    mpipe_hal_write(MPIPE_ER_REG(ering, MPIPE_ER_INIT), MPIPE_ER_INIT_VAL(entries, port));
    return 0;
}

int mpipe_equeue_put(mpipe_equeue *q, const mpipe_edesc *d, unsigned n)
{
    if (mpipe_equeue_space(q, n) < n) return -1;
    for (unsigned i = 0; i < n; i++) {
        uint64_t t = q->tail + i;
        volatile mpipe_edesc *e = (volatile mpipe_edesc *)mpipe_hal_ptr(mpipe_edesc_addr(q->base, t, q->entries));
        e->bdesc = d[i].bdesc;
        e->w0 = mpipe_edesc_w0_gen(d[i].w0, t, q->entries);
    }
    q->tail += n;
    mpipe_hal_write(MPIPE_ER_REG(q->ering, MPIPE_ER_TAIL), q->tail);
    return 0;
}

int mpipe_edescs_for_frame(volatile const mpipe_idesc *d, mpipe_edesc *out, unsigned max)
{
    uint64_t b = d->bdesc;
    unsigned left = d->l2_size, n = 0;
    if (mpipe_bdesc_c(b) == MPIPE_C_UNCHAINED) {
        if (max < 1) return -1;
        out[0].w0 = mpipe_edesc_w0(left, 1, 0);
        out[0].bdesc = mpipe_bdesc_set_c(b, MPIPE_C_UNCHAINED) | MPIPE_BDESC_HWB;
        return 1;
    }
    while (left) {
        if (n == max) return -1;
        uint64_t next = *(volatile const uint64_t *)mpipe_hal_ptr(mpipe_bdesc_addr(b));
        unsigned room = mpipe_chain_room(mpipe_bdesc_class(b));
        unsigned len = left < room ? left : room;
        left -= len;
        out[n].w0 = mpipe_edesc_w0(len, left == 0, 0);
        out[n].bdesc = mpipe_bdesc(mpipe_bdesc_addr(b) + MPIPE_CHAIN_HDR, mpipe_bdesc_stack(b),
                                   mpipe_bdesc_class(b), MPIPE_C_UNCHAINED) | MPIPE_BDESC_HWB;
        n++;
        if (left && mpipe_bdesc_c(next) != MPIPE_C_CHAINED) return -1;
        b = next;
    }
    return (int)n;
}

void mpipe_frame_free(volatile const mpipe_idesc *d)
{
    uint64_t b = d->bdesc;
    if (mpipe_bdesc_c(b) == MPIPE_C_UNCHAINED) {
        mpipe_buffer_push(b);
        return;
    }
    while (mpipe_bdesc_c(b) == MPIPE_C_CHAINED) {
        uint64_t next = *(volatile const uint64_t *)mpipe_hal_ptr(mpipe_bdesc_addr(b));
        mpipe_buffer_push(b);
        b = next;
    }
}
