/* echo_app.c - a DLibOS application tile (deployment.app_firmware): the
 * application linked in (`app_core`, app_core.h: the echo of echo_core.c in
 * build/fw/dlibos_echo.elf, the httpd of stack/apps/httpd in
 * build/fw/dlibos_httpd.elf) over stack/sock's sock_app over the UDN, with
 * deployment.app_args as settings (a bad one: printed, exit 2). Every app
 * tile running it listens on port app_core.port (echo 7, httpd 80) at every
 * stack tile: one application on many tiles. A stack tile gives a new
 * connection to the app tile whose RX pool its frames land in (the mPIPE
 * rules pick the pool by port or by bucket: stack/dlibos/README.md), so each
 * tile reads only its own connections' bytes. Its requests go to the stack
 * tiles' request queue dl_req_queue(application index), it reads events on
 * all four queues (dlibos.h). */
#include <stdio.h>

#include "boot/tile_rt.h"
#include "dlibos/dl_tiles.h"
#include "dlibos/dlibos.h"
#include "dlibos/app_core.h"

static uint32_t stacks[SOCK_APP_STACKS_MAX];
static dl_udn_tp_t udn_tp;

int main(void)
{
    const boot_info *bi = tile_boot_info();
    if (bi->role != BOOT_ROLE_APP) {
        printf("%s: not an app tile (deployment.app_firmware is for dlibos app tiles)\n", app_core.name);
        return 1;
    }
    const boot_region *tx = tile_region(BOOT_REGION_TX, bi->app);
    const boot_region *pool = tile_region(BOOT_REGION_RX_POOL, bi->app);
    if (!tx || !pool || !(tx->rights & BOOT_RIGHT_W) || !(pool->rights & BOOT_RIGHT_R)) {
        printf("%s: needs its TX region (rw) and RX pool (r)\n", app_core.name);
        return 1;
    }
    unsigned nstacks = dl_stack_count(bi);
    if (nstacks == 0 || nstacks > SOCK_APP_STACKS_MAX) return 1;
    for (unsigned s = 0; s < nstacks; s++) stacks[s] = dl_stack_tile(bi, s);
    sock_app_cfg_t cfg = { .tile = bi->tile, .nstacks = nstacks, .stacks = stacks,
                           .req_credits = dl_req_credits(dl_app_count(bi)), .evt_credits = dl_evt_credits(nstacks),
                           .tx_base = (uint8_t *)(uintptr_t)tx->base, .tx_size = tx->size,
                           .rx_base = pool->base, .rx_size = pool->size };
    if (!cfg.req_credits || !cfg.evt_credits) {
        printf("%s: too many tiles for the UDN queues' credits\n", app_core.name);
        return 1;
    }
    dl_udn_tp_init(&udn_tp, bi);
    udn_tp.out_queue = dl_req_queue(bi->app); /* its requests' queue at each stack tile */
    udn_tp.in_queues = DLIBOS_EVT_QUEUES;     /* events from every stack tile */
    sock_transport_t tp = dl_udn_transport(&udn_tp);
    const char *err = app_core.check_args(boot_info_args(bi));
    if (err) {
        printf("%s: %s\n", app_core.name, err);
        return 2;
    }
    err = app_core.start(&cfg, &tp, app_core.port, boot_info_args(bi));
    if (err) {
        printf("%s: %s\n", app_core.name, err);
        return 1;
    }
    printf("%s %u: serving after %lu cycles\n", app_core.name, (unsigned)bi->app, (unsigned long)tile_cycles());
    for (;;) app_core.step();
}
