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
    unsigned tile;          /* this tile: its slice of the rings (serving when below E) */
    unsigned stack_tiles;   /* tiles running a stack: the hdr region is split among
                             * them, ARP notes go to the others (DLIBOS_Q_PEER) */
    unsigned width;         /* mesh width (UDN addresses) */
    unsigned napps;         /* the app tiles served, with their TX regions */
    const sock_stack_app_t *apps;
    uint32_t req_credits, evt_credits; /* sock_stack_cfg_t's */
    sock_transport_t tp;    /* how requests come and events go */
} dl_stack_cfg_t;

/* The stack tiles that get frames (E), with `stack_tiles` tiles running a
 * stack and this rings region: min(stack_tiles, 24 / ports, slices, rings);
 * 0 when there is no port or no slice. */
unsigned dl_stack_rings_for(unsigned stack_tiles, const boot_region *rings);

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
