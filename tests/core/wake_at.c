/* wake_at.c - wake-up deadline firmware (TILE_SYS_WAKE_AT, abi/udn.h
 * UDN_WAIT_DEADLINE) on the chip. Tile 0: (1) arms a deadline 5000 cycles
 * ahead and sleeps in UDN_WAIT: woken by the deadline, which is disarmed;
 * (2) a deadline already past: UDN_WAIT returns at once; (3) a deadline
 * 50000 cycles ahead, but tile 1 sends a word after ~20000: the word wins,
 * the deadline stays armed; (4) ten deadlines 1000 cycles apart (a timer
 * tick). (wfi is for machine mode: the firmware runs in user mode; the
 * core's unit tests cover a wfi woken by a deadline.)
 * It prints what each wait returned and how late it ended (cycles after
 * the deadline, or the wait's length); exit 0 when all are as expected. */
#include <stdint.h>
#include <stdio.h>

#include "abi/tile_memmap.h"
#include "abi/udn.h"
#include "boot/tile_rt.h"

static uint64_t udn_reg(unsigned off) { return *(volatile uint64_t *)(uintptr_t)(TILE_UDN_BASE + off); }
static uint64_t wake_at_reg(void) { return *(volatile uint64_t *)(uintptr_t)TILE_SYS_WAKE_AT; }

static int sleeper(void)
{
    int bad = 0;
    uint64_t at = tile_cycles() + 5000;
    tile_wake_at(at);
    uint64_t v = udn_reg(UDN_WAIT);
    uint64_t t = tile_cycles();
    printf("wake_at: deadline wait=0x%llx late=%llu armed=%llu\n", (unsigned long long)v,
           (unsigned long long)(t - at), (unsigned long long)wake_at_reg());
    bad += v != UDN_WAIT_DEADLINE || t < at || wake_at_reg() != 0;

    tile_wake_at(1);
    uint64_t t0 = tile_cycles();
    v = udn_reg(UDN_WAIT);
    t = tile_cycles();
    printf("wake_at: past wait=0x%llx took=%llu\n", (unsigned long long)v, (unsigned long long)(t - t0));
    bad += v != UDN_WAIT_DEADLINE || t - t0 > 100;

    at = tile_cycles() + 50000;
    tile_wake_at(at);
    v = udn_reg(UDN_WAIT);
    t = tile_cycles();
    uint64_t w = udn_reg(UDN_RECV(0));
    printf("wake_at: word wait=0x%llx word=%llu before=%d armed=%d\n", (unsigned long long)v,
           (unsigned long long)w, t < at, wake_at_reg() == at);
    bad += v != 1 || w != 42 || t >= at || wake_at_reg() != at;
    tile_wake_at(0);

    /* (4) periodic: ten deadlines 1000 cycles apart, as a timer tick */
    at = tile_cycles();
    unsigned ticks = 0;
    for (unsigned i = 0; i < 10; i++) {
        at += 1000;
        tile_wake_at(at);
        ticks += udn_reg(UDN_WAIT) == UDN_WAIT_DEADLINE && tile_cycles() - at < 200; /* cold caches: first pass */
    }
    printf("wake_at: ticks %u\n", ticks);
    bad += ticks != 10;
    printf("wake_at %s\n", bad ? "FAILED" : "ok");
    return bad != 0;
}

/* Tile 1: one word to tile 0's queue 0 once its clock passes 20000 cycles
 * after it started (tile 0 is then in its third wait). */
static int sender(void)
{
    uint64_t t0 = tile_cycles();
    while (tile_cycles() - t0 < 20000) {}
    *(volatile uint64_t *)(uintptr_t)(TILE_UDN_BASE + UDN_SEND) = udn_header(0, 0, 0, 1);
    *(volatile uint64_t *)(uintptr_t)(TILE_UDN_BASE + UDN_SEND) = 42;
    return 0;
}

int main(void)
{
    unsigned me = tile_id();
    if (me == 0) return sleeper();
    if (me == 1) return sender();
    return 0;
}
