/* stack_core.h - the stack of a DLibOS tile (stack_core.c), shared by the
 * dlibos stack tiles (stack_tile.c: requests and events over the UDN) and
 * the baseline tiles (baseline_tile.c: the same messages through the
 * in-process sock_direct transport, beside the echo app): the mPIPE driver,
 * one stack/net instance and sock_stack. One instance per tile (its state
 * is static). */
#ifndef DL_DLIBOS_STACK_CORE_H
#define DL_DLIBOS_STACK_CORE_H

#include <stdint.h>

#include "abi/boot_info.h"
#include "dlibos/dlibos.h"
#include "net/net.h"
#include "sock/sock_stack.h"

typedef struct dl_stack_cfg {
    unsigned tile;          /* this tile's stack index: its notification ring
                             * (serving when below E), its share of hdr */
    unsigned self_tile;     /* this tile's number (woken by its ring) */
    unsigned stack_tiles;   /* tiles running a stack: the hdr region is split among
                             * them, ARP notes go to the others (DLIBOS_Q_PEER) */
    const uint32_t *peers;  /* their tile numbers, by stack index */
    unsigned width;         /* mesh width (UDN addresses) */
    unsigned napps;         /* the app tiles served, with their TX regions;
                             * app slot i reads RX pool i */
    const sock_stack_app_t *apps;
    uint32_t req_credits, evt_credits; /* sock_stack_cfg_t's */
    sock_transport_t tp;    /* how requests come and events go */
} dl_stack_cfg_t;

/* The stack tiles that get frames (E), with `stack_tiles` tiles running a
 * stack and this rings region: min(stack_tiles, notification rings that fit
 * beside the shared egress rings, 256); 0 when there is no port or no room. */
unsigned dl_stack_rings_for(unsigned stack_tiles, const boot_region *rings);

/* Buffer stacks of each app tile when `napps` are served: 2 (256 B and
 * 1664 B) while 2 x napps <= 32, else 1 (1664 B). App slot a's are 2a, 2a+1
 * or a: what mpipe.rules must name (stack/dlibos/README.md). */
unsigned dl_stacks_per_app(unsigned napps);

/* Sets the tile's stack up (tile 0 sets the chip's buffer stacks and
 * buckets up first). NULL, or what is wrong. */
const char *dl_stack_init(const dl_stack_cfg_t *c);

int dl_stack_serving(void); /* this tile gets frames */
int dl_stack_idle(void);    /* no TCP connection: the timers need not run */
/* Sleeps in UDN_WAIT until a UDN message, a descriptor or, while there are
 * connections, the next timer tick (TILE_SYS_WAKE_AT): call it when a poll
 * found no work. */
void dl_stack_sleep(void);

/* One round, never blocking: up to a budget of frames from the mPIPE, the
 * other stack tiles' ARP notes, the requests waiting, the TCP timers when
 * due, the events the credits allow. Returns the work done (0: nothing). */
uint32_t dl_stack_poll(void);

#endif
