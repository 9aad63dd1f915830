/* mpipe_fake.c - the host fake of the mPIPE behind the driver's HAL. */
#define MPIPE_DRV_HOST 1
#include "mpipe_fake.h"

#include <stdlib.h>
#include <string.h>

#include "driver/mpipe_drv.h"

static uint8_t *mem;
static struct { int cls; uint64_t n, cap, buf[4096]; } stacks[MPIPE_STACKS];
static struct { uint64_t base, entries, count, credits; } rings[MPIPE_RINGS];
static struct { uint64_t base, entries, tail, done; } erings[MPIPE_EGRESS_RINGS];
static uint8_t sent[64][2048];
static size_t sent_len[64];
static unsigned nsent;

void fake_mpipe_reset(void)
{
    if (!mem) mem = malloc(FAKE_MEM_BYTES);
    memset(mem, 0xa5, FAKE_MEM_BYTES);   /* not zero: the driver must clear rings */
    memset(stacks, 0, sizeof stacks);
    memset(rings, 0, sizeof rings);
    memset(erings, 0, sizeof erings);
    nsent = 0;
}

void *mpipe_hal_ptr(uint64_t addr)
{
    if (addr < TILE_SHARED_BASE || addr >= TILE_SHARED_BASE + FAKE_MEM_BYTES) abort();
    return mem + (addr - TILE_SHARED_BASE);
}

static void push(unsigned s, uint64_t addr)
{
    if (stacks[s].n < stacks[s].cap)
        stacks[s].buf[stacks[s].n++] = mpipe_bdesc(addr, s, (unsigned)stacks[s].cls, MPIPE_C_UNCHAINED);
}

static void doorbell(unsigned e)
{
    while (erings[e].done < erings[e].tail) {
        size_t len = 0;
        uint64_t i = erings[e].done;
        for (;; i++) {
            mpipe_edesc *d = mpipe_hal_ptr(erings[e].base + (i % erings[e].entries) * 16);
            if (!(d->w0 & MPIPE_EDESC_GEN) != !mpipe_gen(i, erings[e].entries)) abort();
            if (!(d->w0 & MPIPE_EDESC_NS)) {
                size_t n = (size_t)(d->w0 & MPIPE_EDESC_SIZE_MASK);
                memcpy(sent[nsent % 64] + len, mpipe_hal_ptr(mpipe_bdesc_addr(d->bdesc)), n);
                len += n;
            }
            if (d->bdesc & MPIPE_BDESC_HWB)
                push(mpipe_bdesc_stack(d->bdesc), mpipe_bdesc_addr(d->bdesc) & ~127ULL);
            if (d->w0 & MPIPE_EDESC_EOP) break;
        }
        if (len) sent_len[nsent++ % 64] = len;
        erings[e].done = i + 1;
    }
}

uint64_t mpipe_hal_read(uint64_t off)
{
    if (off == MPIPE_REG_INFO) return 1;
    if (off >= MPIPE_STACK_REG(0, 0) && off < MPIPE_STACK_REG(MPIPE_STACKS, 0)) {
        unsigned s = (unsigned)((off - MPIPE_STACK_REG(0, 0)) / 0x20);
        if ((off & 0x1f) == MPIPE_STACK_COUNT) return stacks[s].n;
        return stacks[s].n ? stacks[s].buf[--stacks[s].n] : 0;
    }
    if (off >= MPIPE_RING_REG(0, 0) && off < MPIPE_RING_REG(MPIPE_RINGS, 0))
        return rings[(off - MPIPE_RING_REG(0, 0)) / 0x20].count;
    if (off >= MPIPE_ER_REG(0, 0) && off < MPIPE_ER_REG(MPIPE_EGRESS_RINGS, 0))
        return erings[(off - MPIPE_ER_REG(0, 0)) / 0x40].done;
    abort();
}

void mpipe_hal_write(uint64_t off, uint64_t v)
{
    if (off == MPIPE_REG_CREDIT) {
        rings[v >> 32].credits += v & 0xffff;
    } else if (off >= MPIPE_STACK_REG(0, 0) && off < MPIPE_STACK_REG(MPIPE_STACKS, 0)) {
        unsigned s = (unsigned)((off - MPIPE_STACK_REG(0, 0)) / 0x20);
        if ((off & 0x1f) == MPIPE_STACK_INIT) {
            stacks[s].cls = (int)(v & 7);
            stacks[s].cap = v >> 16 < 4096 ? v >> 16 : 4096;
            stacks[s].n = 0;
        } else {
            if (v & 127) abort();   /* the model faults on an unaligned push */
            push(s, v);
        }
    } else if (off >= MPIPE_RING_REG(0, 0) && off < MPIPE_RING_REG(MPIPE_RINGS, 0)) {
        unsigned r = (unsigned)((off - MPIPE_RING_REG(0, 0)) / 0x20);
        if ((off & 0x1f) == MPIPE_RING_BASE) rings[r].base = v;
        if ((off & 0x1f) == MPIPE_RING_COUNT && rings[r].count <= v) abort();   /* would sleep forever */
        if ((off & 0x1f) == MPIPE_RING_INIT) {
            rings[r].entries = rings[r].credits = v;
            rings[r].count = 0;
        }
    } else if (off >= MPIPE_ER_REG(0, 0) && off < MPIPE_ER_REG(MPIPE_EGRESS_RINGS, 0)) {
        unsigned e = (unsigned)((off - MPIPE_ER_REG(0, 0)) / 0x40);
        uint64_t r = (off - MPIPE_ER_REG(0, 0)) % 0x40;
        if (r == MPIPE_ER_BASE) erings[e].base = v;
        if (r == MPIPE_ER_INIT) {
            erings[e].entries = v & 0xffffffff;
            erings[e].tail = erings[e].done = 0;
        }
        if (r == MPIPE_ER_DONE && erings[e].done <= v) abort();   /* would sleep forever */
        if (r == MPIPE_ER_TAIL) {
            erings[e].tail = v;
            doorbell(e);
        }
    }
}

int fake_mpipe_deliver(unsigned r, unsigned s, const uint8_t *f, size_t len)
{
    if (!rings[r].credits || !stacks[s].n) return -1;
    uint64_t b = stacks[s].buf[--stacks[s].n];
    memcpy(mpipe_hal_ptr(mpipe_bdesc_addr(b)), f, len);
    mpipe_idesc d;
    memset(&d, 0, sizeof d);
    uint64_t slot = rings[r].count++;
    rings[r].credits--;
    d.ring = (uint16_t)r;
    d.flags = (uint8_t)(mpipe_gen(slot, rings[r].entries) ? MPIPE_IDESC_GEN : 0);
    d.l2_size = (uint16_t)len;
    d.seq = slot;
    d.bdesc = b;
    memcpy(mpipe_hal_ptr(rings[r].base + (slot % rings[r].entries) * 64), &d, sizeof d);
    return 0;
}

unsigned fake_mpipe_sent(void) { return nsent; }
const uint8_t *fake_mpipe_frame(unsigned i, size_t *len)
{
    *len = sent_len[i % 64];
    return sent[i % 64];
}
uint64_t fake_mpipe_credits(unsigned r) { return rings[r].credits; }
