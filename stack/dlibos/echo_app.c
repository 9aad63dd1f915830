/* echo_app.c - a DLibOS application tile (deployment.app_firmware): the
 * application linked in (`app_core`, app_core.h: the echo of echo_core.c in
 * build/fw/dlibos_echo.elf, the httpd of stack/apps/httpd in
 * build/fw/dlibos_httpd.elf) over stack/sock's sock_app over the UDN;
 * application a listens on port app_core.port + a (echo: 7, 8, ...; httpd:
 * 80, 81, ...) at every stack tile, with deployment.app_args as settings (a
 * bad one: printed, exit 2).
 *
 * Application a's buffer stacks live in its own RX pool (stack tile 0 sets
 * them up there: stack_core.c), chosen by the mPIPE rules by destination
 * port. The stack tiles serve DLIBOS_APPS_SERVING applications: the app
 * tiles of the others print that and exit 0. */
#include <stdio.h>

#include "boot/tile_rt.h"
#include "dlibos/dlibos.h"
#include "dlibos/app_core.h"

static uint32_t stacks[SOCK_APP_STACKS_MAX];
static dl_udn_tp_t udn_tp;

int main(void)
{
    const boot_info *bi = tile_boot_info();
    unsigned tiles = bi->width * bi->height;
    if (bi->role != BOOT_ROLE_APP) {
        printf("%s: not an app tile (deployment.app_firmware is for dlibos app tiles)\n", app_core.name);
        return 1;
    }
    if (bi->app >= dl_apps_serving(tiles, bi->stack_tiles)) {
        printf("%s: application %u is not served (the stack tiles serve %u: DLIBOS_APPS_SERVING)\n",
               app_core.name, (unsigned)bi->app, (unsigned)dl_apps_serving(tiles, bi->stack_tiles));
        return 0;
    }
    const boot_region *tx = tile_region(BOOT_REGION_TX, bi->app);
    const boot_region *pool = tile_region(BOOT_REGION_RX_POOL, bi->app);
    if (!tx || !pool || !(tx->rights & BOOT_RIGHT_W) || !(pool->rights & BOOT_RIGHT_R)) {
        printf("%s: needs its TX region (rw) and RX pool (r)\n", app_core.name);
        return 1;
    }
    unsigned nstacks = bi->stack_tiles;
    if (nstacks == 0 || nstacks > SOCK_APP_STACKS_MAX) return 1;
    for (unsigned s = 0; s < nstacks; s++) stacks[s] = s;
    sock_app_cfg_t cfg = { .tile = bi->tile, .nstacks = nstacks, .stacks = stacks,
                           .req_credits = sock_initial_credits(DLIBOS_QUEUE_WORDS, dl_apps_serving(tiles, nstacks)),
                           .evt_credits = sock_initial_credits(DLIBOS_QUEUE_WORDS, nstacks),
                           .tx_base = (uint8_t *)(uintptr_t)tx->base, .tx_size = tx->size,
                           .rx_base = pool->base, .rx_size = pool->size };
    dl_udn_tp_init(&udn_tp, bi);
    sock_transport_t tp = dl_udn_transport(&udn_tp);
    const char *err = app_core.check_args(boot_info_args(bi));
    if (err) {
        printf("%s: %s\n", app_core.name, err);
        return 2;
    }
    err = app_core.start(&cfg, &tp, (uint16_t)(app_core.port + bi->app), boot_info_args(bi));
    if (err) {
        printf("%s: %s\n", app_core.name, err);
        return 1;
    }
    for (;;) app_core.step();
}
