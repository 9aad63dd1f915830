/* stack_tile.c - the DLibOS stack-tile firmware (deployment.stack_firmware):
 * the tile's stack (stack_core.c: the mPIPE driver, one stack/net instance
 * of its own, the stack side of the socket interface) serving the app
 * tiles' requests from UDN queue SOCK_Q_REQ and sending them events over the
 * UDN. The data path and the layout are described in stack_core.c.
 *
 * The tile sleeps in UDN_WAIT when it has nothing to do, woken by a UDN
 * message, a descriptor or, while it has connections (the TCP timers must
 * run), its wake-up deadline set to the next timer tick (TILE_SYS_WAKE_AT). */
#include <stdio.h>

#include "boot/tile_rt.h"
#include "dlibos/dlibos.h"
#include "dlibos/stack_core.h"

static sock_stack_app_t apps[SOCK_STACK_APPS_MAX];
static dl_udn_tp_t udn_tp;

static int fail(const char *what)
{
    printf("stack tile: %s\n", what);
    return 1;
}

int main(void)
{
    const boot_info *bi = tile_boot_info();
    unsigned t = bi->tile, tiles = bi->width * bi->height;
    if (bi->role != BOOT_ROLE_STACK) return fail("not a stack tile (deployment.stack_firmware is for dlibos stack tiles)");

    /* the socket interface: the serving app tiles, with their TX regions */
    unsigned napps = dl_apps_serving(tiles, bi->stack_tiles);
    if (napps == 0 || napps > SOCK_STACK_APPS_MAX) return fail("no app tile");
    for (unsigned a = 0; a < napps; a++) {
        const boot_region *tx = tile_region(BOOT_REGION_TX, a);
        if (!tx) return fail("an application has no TX region");
        apps[a].tile = bi->stack_tiles + a;
        apps[a].tx_base = tx->base;
        apps[a].tx_size = tx->size;
        apps[a].app = a; /* tile stack_tiles + a runs application a (boot_info.h) */
    }
    dl_udn_tp_init(&udn_tp, bi);
    dl_stack_cfg_t sc = { .tile = t, .stack_tiles = bi->stack_tiles, .width = bi->width, .napps = napps,
                          .apps = apps, .req_credits = sock_initial_credits(DLIBOS_QUEUE_WORDS, napps),
                          .evt_credits = sock_initial_credits(DLIBOS_QUEUE_WORDS, bi->stack_tiles),
                          .tp = dl_udn_transport(&udn_tp) };
    if (!sc.req_credits || !sc.evt_credits) return fail("too many tiles for the UDN queues' credits");
    const char *err = dl_stack_init(&sc);
    if (err) return fail(err);

    printf("stack tile %u: %s after %lu cycles\n", t, dl_stack_serving() ? "serving" : "ready (no rings: no frames)",
           (unsigned long)tile_cycles());

    for (;;) {
        uint32_t work = dl_stack_poll();
        if (!work) dl_stack_sleep();
    }
}
