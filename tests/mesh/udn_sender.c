/* udn_sender.c - UDN firmware test of UDN_SENDER (mesh.sender_id = on, a
 * research option, not a TILE-Gx feature): tiles 1 and 2 each send 8
 * messages of 1..5 words to queue 0 of tile 0, at the same time, every
 * payload word naming its sender, message and position. Before each read
 * tile 0 polls UDN_SENDER(0) until it is not empty and checks that it names
 * the word's sender, its message's length and the words left; it prints
 * how many messages it got from each tile. With the option off the load of
 * UDN_SENDER(0) faults and tile 0 stops there. */
#include <stdint.h>
#include <stdio.h>

#include "abi/tile_memmap.h"
#include "abi/udn.h"
#include "boot/tile_rt.h"

#define MSGS 8

static volatile uint64_t *udn(unsigned off) { return (volatile uint64_t *)(uintptr_t)(TILE_UDN_BASE + off); }
static unsigned msg_len(unsigned src, unsigned k) { return 1 + (k * 7 + src) % 5; }

static int sender(unsigned me)
{
    for (unsigned k = 0; k < MSGS; k++) {
        unsigned len = msg_len(me, k);
        *udn(UDN_SEND) = udn_header(0, 0, 0, len);
        for (unsigned j = 1; j <= len; j++)
            *udn(UDN_SEND) = ((uint64_t)me << 32) | ((uint64_t)k << 16) | j;
    }
    return 0;
}

static int receiver(void)
{
    unsigned got[4] = {0, 0, 0, 0}, bad = 0;
    for (unsigned n = 0; n < 2 * MSGS;) {
        uint64_t v;
        while ((v = *udn(UDN_SENDER(0))) == UDN_SENDER_EMPTY) {
        }
        uint64_t w = *udn(UDN_RECV(0));
        unsigned src = (unsigned)(w >> 32), k = (unsigned)((w >> 16) & 0xffff), j = (unsigned)(w & 0xffff);
        unsigned len = msg_len(src, k);
        if (src > 3 || udn_sender_tile(v) != src || udn_sender_length(v) != len ||
            udn_sender_left(v) != len - j + 1) {
            printf("word %u of message %u of tile %u: UDN_SENDER %lx\n", j, k, src, (unsigned long)v);
            bad++;
        }
        if (src <= 3 && j == len) {
            got[src]++;
            n++;
        }
    }
    printf("sender: tile 1 %u, tile 2 %u, %s\n", got[1], got[2], bad ? "FAILED" : "ok");
    return bad != 0;
}

int main(void)
{
    unsigned me = tile_id();
    if (me == 0) return receiver();
    if (me == 1 || me == 2) return sender(me);
    return 0;
}
