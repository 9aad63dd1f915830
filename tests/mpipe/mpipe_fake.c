/* mpipe_fake.c - the host fake of the mPIPE behind the driver's HAL. */
#define MPIPE_DRV_HOST 1
#include "mpipe_fake.h"

#include <sched.h>
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
static uint32_t tags[FAKE_TAGS]; /* first 4 bytes of every frame sent */

void fake_mpipe_reset(void)
{
    if (!mem) mem = malloc(FAKE_MEM_BYTES);
    memset(mem, 0xa5, FAKE_MEM_BYTES);   /* not zero: the driver must clear rings */
    memset(stacks, 0, sizeof stacks);
    memset(rings, 0, sizeof rings);
    memset(erings, 0, sizeof erings);
    nsent = 0;
}

void mpipe_hal_relax(void) { sched_yield(); }

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
            mpipe_edesc *d = mpipe_hal_ptr(mpipe_edesc_addr(erings[e].base, i, erings[e].entries));
            if (!mpipe_edesc_gen_ok(d->w0, i, erings[e].entries)) abort();
            if (!(d->w0 & MPIPE_EDESC_NS)) {
                size_t n = mpipe_edesc_size(d->w0);
                memcpy(sent[nsent % 64] + len, mpipe_hal_ptr(mpipe_bdesc_addr(d->bdesc)), n);
                len += n;
            }
            if (d->bdesc & MPIPE_BDESC_HWB) push(mpipe_bdesc_stack(d->bdesc), mpipe_bdesc_buffer(d->bdesc));
            if (d->w0 & MPIPE_EDESC_EOP) break;
        }
        if (len) {
            uint32_t tag;
            memcpy(&tag, sent[nsent % 64], sizeof tag);
            tags[nsent % FAKE_TAGS] = tag;
            sent_len[nsent++ % 64] = len;
        }
        erings[e].done = i + 1;
    }
}

uint64_t mpipe_hal_read(uint64_t off)
{
    mpipe_reg r = mpipe_reg_decode(off);
    switch (r.block) {
    case MPIPE_BLOCK_GLOBAL:
        if (r.reg == MPIPE_REG_INFO) return MPIPE_INFO_VAL(1, 1);
        break;
    case MPIPE_BLOCK_STACK:
        if (r.reg == MPIPE_STACK_COUNT) return stacks[r.index].n;
        return stacks[r.index].n ? stacks[r.index].buf[--stacks[r.index].n] : 0;
    case MPIPE_BLOCK_RING: return rings[r.index].count;
    case MPIPE_BLOCK_ER: return erings[r.index].done;
    default: break;
    }
    abort();
}

void mpipe_hal_write(uint64_t off, uint64_t v)
{
    mpipe_reg r = mpipe_reg_decode(off);
    unsigned i = r.index;
    switch (r.block) {
    case MPIPE_BLOCK_GLOBAL:
        if (r.reg == MPIPE_REG_CREDIT) rings[mpipe_credit_ring(v)].credits += mpipe_credit_count(v);
        break;
    case MPIPE_BLOCK_STACK:
        if (r.reg == MPIPE_STACK_INIT) {
            stacks[i].cls = (int)mpipe_stack_init_class(v);
            stacks[i].cap = mpipe_stack_init_capacity(v) < 4096 ? mpipe_stack_init_capacity(v) : 4096;
            stacks[i].n = 0;
        } else {
            if (v % MPIPE_BUFFER_ALIGN) abort();   /* the model faults on an unaligned push */
            push(i, v);
        }
        break;
    case MPIPE_BLOCK_RING:
        if (r.reg == MPIPE_RING_BASE) rings[i].base = v;
        if (r.reg == MPIPE_RING_COUNT && rings[i].count <= v) abort();   /* would sleep forever */
        if (r.reg == MPIPE_RING_INIT) {
            rings[i].entries = rings[i].credits = v;
            rings[i].count = 0;
        }
        break;
    case MPIPE_BLOCK_ER:
        if (r.reg == MPIPE_ER_BASE) erings[i].base = v;
        if (r.reg == MPIPE_ER_INIT) {
            erings[i].entries = mpipe_er_init_entries(v);
            erings[i].tail = erings[i].done = 0;
        }
        if (r.reg == MPIPE_ER_DONE && erings[i].done <= v) abort();   /* would sleep forever */
        if (r.reg == MPIPE_ER_TAIL) {
            if (v < erings[i].tail || v - erings[i].done > erings[i].entries) abort(); /* the model faults */
            erings[i].tail = v;
            doorbell(i);
        }
        break;
    default: break;
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
    memcpy(mpipe_hal_ptr(mpipe_idesc_addr(rings[r].base, slot, rings[r].entries)), &d, sizeof d);
    return 0;
}

uint32_t fake_mpipe_tag(unsigned i) { return tags[i % FAKE_TAGS]; }

unsigned fake_mpipe_sent(void) { return nsent; }
const uint8_t *fake_mpipe_frame(unsigned i, size_t *len)
{
    *len = sent_len[i % 64];
    return sent[i % 64];
}
uint64_t fake_mpipe_credits(unsigned r) { return rings[r].credits; }
