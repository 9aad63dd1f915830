/* stack_tile.c - the DLibOS stack-tile firmware (deployment.stack_firmware):
 * the tile's stack (stack_core.c: the mPIPE driver, one stack/net instance
 * of its own, the stack side of the socket interface) serving every app
 * tile's requests from its request queues (dlibos.h: DLIBOS_REQ_QUEUES) and
 * sending them events over the UDN. The data path and the layout are
 * described in stack_core.c.
 *
 * The tile sleeps in UDN_WAIT when it has nothing to do, woken by a UDN
 * message, a descriptor or, while it has connections (the TCP timers must
 * run), its wake-up deadline set to the next timer tick (TILE_SYS_WAKE_AT). */
#include <stdio.h>

#include "abi/mpipe.h"
#include "boot/tile_rt.h"
#include "dlibos/dl_tiles.h"
#include "dlibos/dlibos.h"
#include "dlibos/stack_core.h"

static sock_stack_app_t apps[SOCK_STACK_APPS_MAX];
static uint32_t peers[MPIPE_RINGS];
static dl_udn_tp_t udn_tp;

static int fail(const char *what)
{
    printf("stack tile: %s\n", what);
    return 1;
}

int main(void)
{
    const boot_info *bi = tile_boot_info();
    if (bi->role != BOOT_ROLE_STACK) return fail("not a stack tile (deployment.stack_firmware is for dlibos stack tiles)");
    unsigned t = dl_stack_index(bi), nstacks = dl_stack_count(bi);
    if (nstacks == 0 || nstacks > MPIPE_RINGS) return fail("too many stack tiles");
    for (unsigned s = 0; s < nstacks; s++) peers[s] = dl_stack_tile(bi, s);

    /* the socket interface: every app tile, with its TX region; all run one
     * application (they may share a port), each reads its own RX pool */
    unsigned napps = dl_app_count(bi);
    if (napps == 0 || napps > SOCK_STACK_APPS_MAX) return fail("no app tile");
    for (unsigned a = 0; a < napps; a++) {
        const boot_region *tx = tile_region(BOOT_REGION_TX, a);
        if (!tx) return fail("an application has no TX region");
        apps[a].tile = dl_app_tile(bi, a);
        apps[a].tx_base = tx->base;
        apps[a].tx_size = tx->size;
        apps[a].app = 0;
    }
    dl_udn_tp_init(&udn_tp, bi);
    udn_tp.in_queues = DLIBOS_REQ_QUEUES;   /* requests from every app tile */
    udn_tp.out_queue = dl_evt_queue(t);     /* its events' queue at each app tile */
    dl_stack_cfg_t sc = { .tile = t, .self_tile = bi->tile, .stack_tiles = nstacks, .peers = peers,
                          .width = bi->width, .napps = napps, .apps = apps,
                          .req_credits = dl_req_credits(napps), .evt_credits = dl_evt_credits(nstacks),
                          .tp = dl_udn_transport(&udn_tp) };
    if (!sc.req_credits || !sc.evt_credits) return fail("too many tiles for the UDN queues' credits");
    const char *err = dl_stack_init(&sc);
    if (err) return fail(err);

    /* "stack tile N" is the stack index (tests/dlibos read these lines) */
    printf("stack tile %u: %s on tile %u after %lu cycles (%u app tiles, %u request credits each)\n", t,
           dl_stack_serving() ? "serving" : "ready (no rings: no frames)", (unsigned)bi->tile,
           (unsigned long)tile_cycles(), napps, (unsigned)sc.req_credits);

    for (;;) {
        uint32_t work = dl_stack_poll();
        if (!work) dl_stack_sleep();
    }
}
