/* udn_pingpong.c - UDN firmware test: tile 0 sends 4-word messages to tile
 * (1,1), which returns every word plus 1000 on queue 1; tile 0 checks the
 * words and prints each round trip in cycles. Other tiles exit at once. */
#include <stdint.h>
#include <stdio.h>

#include "abi/tile_memmap.h"
#include "abi/udn.h"
#include "boot/tile_rt.h"

#define ROUNDS 8
#define WORDS 4
#define STOP 0xdeadULL

static void udn_put(uint64_t w) { *(volatile uint64_t *)(uintptr_t)(TILE_UDN_BASE + UDN_SEND) = w; }
static uint64_t udn_get(unsigned q) { return *(volatile uint64_t *)(uintptr_t)(TILE_UDN_BASE + UDN_RECV(q)); }

static int pinger(void)
{
    int bad = 0;
    for (uint64_t r = 0; r < ROUNDS; r++) {
        uint64_t t0 = tile_cycles();
        udn_put(udn_header(1, 1, 0, WORDS));
        for (uint64_t i = 0; i < WORDS; i++) udn_put(r * WORDS + i);
        for (uint64_t i = 0; i < WORDS; i++) {
            uint64_t w = udn_get(1);
            if (w != r * WORDS + i + 1000) bad++;
        }
        uint64_t t1 = tile_cycles();
        printf("round %u: %u cycles\n", (unsigned)r, (unsigned)(t1 - t0));
    }
    udn_put(udn_header(1, 1, 0, 1));
    udn_put(STOP);
    printf("pingpong %s\n", bad ? "FAILED" : "ok");
    return bad != 0;
}

static int ponger(void)
{
    for (;;) {
        uint64_t w[WORDS];
        w[0] = udn_get(0);
        if (w[0] == STOP) return 0;
        for (unsigned i = 1; i < WORDS; i++) w[i] = udn_get(0);
        udn_put(udn_header(0, 0, 1, WORDS));
        for (unsigned i = 0; i < WORDS; i++) udn_put(w[i] + 1000);
    }
}

int main(void)
{
    unsigned me = tile_id();
    if (me == 0) return pinger();
    if (me == 3) return ponger();
    return 0;
}
