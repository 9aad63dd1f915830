/* baseline_mc.c - memcached in the unprotected baseline deployment
 * (deployment.mode = baseline, build/fw/baseline_memcached.elf): every tile
 * runs the mPIPE driver, its own stack and the memcached server together,
 * run to completion, as stack/dlibos/baseline_tile.c runs the echo: the
 * same sources as the dlibos images, requests and events through the
 * tile's own sock_direct rings. The serving tiles share one store in the
 * shared region (tile 0 formats it), so that a key set through one
 * connection is found through any other. */
#include <stdio.h>

#include "apps/memcached/memcached_core.h"
#include "boot/tile_rt.h"
#include "dlibos/stack_core.h"
#include "sock/sock_direct.h"

static sock_direct_t direct;
static sock_stack_app_t self;
static uint32_t stacks[1];
static char err[256];

static int fail(const char *what, int code)
{
    printf("baseline tile %u: %s\n", (unsigned)tile_boot_info()->tile, what);
    return code;
}

int main(void)
{
    const boot_info *bi = tile_boot_info();
    unsigned t = bi->tile, tiles = bi->width * bi->height;
    if (bi->role != BOOT_ROLE_BASELINE)
        return fail("not a baseline tile (this image is for deployment.mode = baseline)", 1);
    mc_args_t a;
    mc_args_default(&a);
    if (mc_args_parse(boot_info_args(bi), &a, err, sizeof err)) return fail(err, 2);
    unsigned e = dl_stack_rings_for(tiles, tile_region(BOOT_REGION_RINGS, BOOT_APP_NONE));
    if (e == 0) return fail("no port or no room in the rings region", 1);
    if (t >= e) {
        printf("baseline tile %u: idle (no rings: no frames)\n", t);
        return 0;
    }
    const boot_region *tx = tile_region(BOOT_REGION_TX, bi->app);
    const boot_region *pool = tile_region(BOOT_REGION_RX_POOL, 0);
    const boot_region *shared = tile_region(BOOT_REGION_SHARED, BOOT_APP_NONE);
    if (!tx || !pool || !(tx->rights & BOOT_RIGHT_W) || !(pool->rights & BOOT_RIGHT_R))
        return fail("needs its TX region (rw) and the RX pool of application 0 (r)", 1);
    if (!shared || (shared->rights & (BOOT_RIGHT_R | BOOT_RIGHT_W)) != (BOOT_RIGHT_R | BOOT_RIGHT_W))
        return fail("needs the shared region (rw) for the store", 1);

    uint32_t credits = sock_initial_credits(SOCK_DIRECT_WORDS, 1);
    sock_direct_init(&direct, t, t);
    self.tile = t;
    self.tx_base = tx->base;
    self.tx_size = tx->size;
    dl_stack_cfg_t sc = { .tile = t, .stack_tiles = e, .width = bi->width, .napps = 1, .apps = &self,
                          .req_credits = credits, .evt_credits = credits, .tp = sock_direct_stack(&direct) };
    const char *msg = dl_stack_init(&sc);
    if (msg) return fail(msg, 1);
    stacks[0] = t;
    sock_app_cfg_t ac = { .tile = t, .nstacks = 1, .stacks = stacks, .req_credits = credits,
                          .evt_credits = credits, .tx_base = (uint8_t *)(uintptr_t)tx->base, .tx_size = tx->size,
                          .rx_base = pool->base, .rx_size = pool->size };
    sock_transport_t atp = sock_direct_app(&direct);
    mc_core_store_t store = { (void *)(uintptr_t)shared->base, shared->size, t == 0, 1 };
    if (mc_core_start(&ac, &atp, &a, &store, 0, err, sizeof err)) return fail(err, 1);

    printf("baseline tile %u: serving after %lu cycles\n", t, (unsigned long)tile_cycles());

    for (;;) {
        uint32_t work = dl_stack_poll();
        work += mc_core_step();
        if (!work) dl_stack_sleep();
        if (direct.dropped) return fail("a message beyond the direct rings (credits not respected)", 1);
    }
}
