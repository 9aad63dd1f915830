/* dlibos_mc.c - the DLibOS memcached application (deployment.app_firmware,
 * build/fw/dlibos_memcached.elf): the server (memcached_core.c) over
 * stack/sock's sock_app over the UDN, as stack/dlibos/echo_app.c runs the
 * echo; application a listens on port (app_args port, 11211) + a at every
 * stack tile. Settings from deployment.app_args (mc_args.h; a bad one: the
 * tile prints it and exits 2). The store is in the shared region:
 * application 0 formats it, the others join it. */
#include <stdio.h>

#include "apps/memcached/memcached_core.h"
#include "boot/tile_rt.h"
#include "dlibos/dlibos.h"

static uint32_t stacks[SOCK_APP_STACKS_MAX];
static dl_udn_tp_t udn_tp;
static char err[256];

int main(void)
{
    const boot_info *bi = tile_boot_info();
    unsigned tiles = bi->width * bi->height;
    if (bi->role != BOOT_ROLE_APP) {
        printf("memcached app: not an app tile (deployment.app_firmware is for dlibos app tiles)\n");
        return 1;
    }
    if (bi->app >= dl_apps_serving(tiles, bi->stack_tiles)) {
        printf("memcached app: application %u is not served (the stack tiles serve %u: DLIBOS_APPS_SERVING)\n",
               (unsigned)bi->app, (unsigned)dl_apps_serving(tiles, bi->stack_tiles));
        return 0;
    }
    mc_args_t a;
    mc_args_default(&a);
    if (mc_args_parse(boot_info_args(bi), &a, err, sizeof err)) {
        printf("memcached app: %s\n", err);
        return 2;
    }
    const boot_region *tx = tile_region(BOOT_REGION_TX, bi->app);
    const boot_region *pool = tile_region(BOOT_REGION_RX_POOL, bi->app);
    const boot_region *shared = tile_region(BOOT_REGION_SHARED, BOOT_APP_NONE);
    if (!tx || !pool || !(tx->rights & BOOT_RIGHT_W) || !(pool->rights & BOOT_RIGHT_R)) {
        printf("memcached app: needs its TX region (rw) and RX pool (r)\n");
        return 1;
    }
    if (!shared || (shared->rights & (BOOT_RIGHT_R | BOOT_RIGHT_W)) != (BOOT_RIGHT_R | BOOT_RIGHT_W)) {
        printf("memcached app: needs the shared region (rw: mem.shared_app) for the store\n");
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
    mc_core_store_t store = { (void *)(uintptr_t)shared->base, shared->size, bi->app == 0, 1 };
    if (mc_core_start(&cfg, &tp, &a, &store, (uint16_t)bi->app, err, sizeof err)) {
        printf("memcached app: %s\n", err);
        return 1;
    }
    printf("memcached app %u: serving on port %u after %lu cycles\n", (unsigned)bi->app,
           (unsigned)(a.port + bi->app), (unsigned long)tile_cycles());
    for (;;) mc_core_step();
}
