/* baseline_tile.c - the unprotected baseline deployment's firmware
 * (deployment.mode = baseline, deployment.firmware): every tile runs the
 * mPIPE driver, its own stack and the application linked in (`app_core`,
 * app_core.h: the echo in build/fw/dlibos_baseline.elf, the httpd in
 * build/fw/baseline_httpd.elf; settings from deployment.app_args) together, in one
 * address space, run to completion: one loop takes the frames and requests
 * (stack_core.c), then the events, whose callbacks (the app core) write the
 * answers and make the next requests. The sources are the dlibos images';
 * only the transport differs: requests and events go through the tile's
 * own sock_direct rings (stack/sock/sock_direct.h), a function call each,
 * instead of UDN messages to another tile.
 *
 * Tiles: every tile gets frames (E = the notification rings that fit the
 * rings region: all 36 on the TILE-Gx36; the egress rings are shared as in
 * dlibos: stack_core.c); any beyond E print so and exit 0. The mPIPE's buffers are in application 0's RX pool, as in
 * dlibos, which every baseline tile may read (rx_pool_baseline = rw, or
 * mem.protection = off). ARP notes go between the serving tiles over UDN
 * queue DLIBOS_Q_PEER, as between dlibos stack tiles. */
#include <stdio.h>

#include "boot/tile_rt.h"
#include "abi/mpipe.h"
#include "dlibos/app_core.h"
#include "dlibos/stack_core.h"
#include "sock/sock_direct.h"

static sock_direct_t direct;
static sock_stack_app_t self;
static uint32_t stacks[1];
static uint32_t peers[MPIPE_RINGS];

static int fail(const char *what)
{
    printf("baseline tile %u: %s\n", (unsigned)tile_boot_info()->tile, what);
    return 1;
}

int main(void)
{
    const boot_info *bi = tile_boot_info();
    unsigned t = bi->tile, tiles = bi->width * bi->height;
    if (bi->role != BOOT_ROLE_BASELINE) return fail("not a baseline tile (this image is for deployment.mode = baseline)");
    unsigned e = dl_stack_rings_for(tiles, tile_region(BOOT_REGION_RINGS, BOOT_APP_NONE));
    if (e == 0) return fail("no port or no room in the rings region");
    if (t >= e) {
        printf("baseline tile %u: idle (no rings: no frames)\n", t);
        return 0;
    }
    const boot_region *tx = tile_region(BOOT_REGION_TX, bi->app);
    const boot_region *pool = tile_region(BOOT_REGION_RX_POOL, 0);
    if (!tx || !pool || !(tx->rights & BOOT_RIGHT_W) || !(pool->rights & BOOT_RIGHT_R))
        return fail("needs its TX region (rw) and the RX pool of application 0 (r)");

    const char *err = app_core.check_args(boot_info_args(bi)); /* a configuration error: before the long set-up */
    if (err) {
        fail(err);
        return 2;
    }

    /* one app (this tile) and one stack (this tile) over the direct rings */
    uint32_t credits = sock_initial_credits(SOCK_DIRECT_WORDS, 1);
    sock_direct_init(&direct, t, t);
    self.tile = t;
    self.tx_base = tx->base;
    self.tx_size = tx->size;
    for (unsigned i = 0; i < e; i++) peers[i] = i;
    dl_stack_cfg_t sc = { .tile = t, .self_tile = t, .stack_tiles = e, .peers = peers, .width = bi->width,
                          .napps = 1, .apps = &self,
                          .req_credits = credits, .evt_credits = credits, .tp = sock_direct_stack(&direct) };
    err = dl_stack_init(&sc);
    if (err) return fail(err);
    stacks[0] = t;
    sock_app_cfg_t ac = { .tile = t, .nstacks = 1, .stacks = stacks, .req_credits = credits,
                          .evt_credits = credits, .tx_base = (uint8_t *)(uintptr_t)tx->base, .tx_size = tx->size,
                          .rx_base = pool->base, .rx_size = pool->size };
    sock_transport_t atp = sock_direct_app(&direct);
    err = app_core.start(&ac, &atp, app_core.port, boot_info_args(bi));
    if (err) return fail(err);

    printf("baseline tile %u: serving after %lu cycles\n", t, (unsigned long)tile_cycles());

    for (;;) {
        uint32_t work = dl_stack_poll();
        work += app_core.step();
        if (!work) dl_stack_sleep();
        if (direct.dropped) return fail("a message beyond the direct rings (credits not respected)");
    }
}
