/* mc_app_core.c - memcached as an application core (stack/dlibos/
 * app_core.h): what the dlibos app tile image (echo_app.c) and the baseline
 * image (baseline_tile.c) run, from deployment.app_args (mc_args.h). The
 * store lives in the shared region (rw for app and baseline tiles):
 * application 0 (dlibos) or tile 0 (baseline) formats it, the others join
 * it (README.md: keys over several tiles). */
#include <stdio.h>

#include "apps/memcached/memcached_core.h"
#include "boot/tile_rt.h"
#include "dlibos/app_core.h"

static mc_args_t args;
static char err[256];

static const char *mc_check_args(const char *s)
{
    mc_args_default(&args);
    return mc_args_parse(s, &args, err, sizeof err) ? err : NULL;
}

static const char *mc_start(const sock_app_cfg_t *cfg, const sock_transport_t *tp, uint16_t port, const char *s)
{
    (void)port; /* memcached's port is its own setting (app_args port, default 11211) */
    (void)s;    /* parsed by mc_check_args */
    const boot_info *bi = tile_boot_info();
    const boot_region *shared = tile_region(BOOT_REGION_SHARED, BOOT_APP_NONE);
    if (!shared || (shared->rights & (BOOT_RIGHT_R | BOOT_RIGHT_W)) != (BOOT_RIGHT_R | BOOT_RIGHT_W))
        return "needs the shared region (rw: mem.shared_app, mem.shared_baseline) for the store";
    mc_core_store_t store = { (void *)(uintptr_t)shared->base, shared->size, bi->app == 0, 1 };
    if (mc_core_start(cfg, tp, &args, &store, err, sizeof err)) return err;
    return NULL;
}

const app_core_t app_core = { "memcached app", 11211, mc_start, mc_core_step, mc_check_args };
