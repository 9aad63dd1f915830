/* mpipe_share.c - egress rings shared by several tiles (mpipe_drv.h): a
 * fetch-add reserves a poster's slots, the doorbell is rung in order. Apart
 * from mpipe_drv.c so that images posting to rings of their own (the echo
 * firmware) link none of it. */
#include "driver/mpipe_drv.h"

void mpipe_equeue_attach(mpipe_equeue *q, unsigned ering, uint64_t addr, uint64_t entries)
{
    q->ering = ering;
    q->base = addr;
    q->entries = entries;
    q->tail = q->done = 0;
}

uint64_t mpipe_equeue_put_shared(mpipe_equeue *q, mpipe_eshare *s, const mpipe_edesc *d, unsigned n,
                                 mpipe_eshare_stats *st)
{
    uint64_t spins = 0, waits = 0;
    if (n == 0 || n > q->entries) return 0;
    uint64_t start = __atomic_fetch_add(&s->reserved, (uint64_t)n, __ATOMIC_RELAXED);
    uint64_t end = start + n;
    /* room: the engine has completed what these slots held before */
    if (end - q->done > q->entries && end - mpipe_equeue_reap(q) > q->entries) {
        do {
            waits++;
            mpipe_equeue_wait(q, q->done);
        } while (end - q->done > q->entries);
    }
    for (unsigned i = 0; i < n; i++) {
        uint64_t t = start + i;
        volatile mpipe_edesc *e = (volatile mpipe_edesc *)mpipe_hal_ptr(mpipe_edesc_addr(q->base, t, q->entries));
        e->bdesc = d[i].bdesc;
        e->w0 = mpipe_edesc_w0_gen(d[i].w0, t, q->entries);
    }
    /* in order: after the earlier posters, the doorbell, then our turn ends */
    while (__atomic_load_n(&s->published, __ATOMIC_ACQUIRE) != start) {
        spins++;
        mpipe_hal_relax();
    }
    __atomic_thread_fence(__ATOMIC_RELEASE);
    mpipe_hal_write(MPIPE_ER_REG(q->ering, MPIPE_ER_TAIL), end);
    __atomic_store_n(&s->published, end, __ATOMIC_RELEASE);
    q->tail = end;
    if (st) {
        st->spins += spins;
        st->waits += waits;
    }
    return end;
}
