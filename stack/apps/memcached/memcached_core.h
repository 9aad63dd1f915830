/* memcached_core.h - the memcached server over stack/sock's sock_app,
 * shared by both deployments (like stack/dlibos/echo_core; mc_app_core.c
 * makes it an app_core that stack/dlibos's app tile and baseline images
 * run). One instance per tile; the item store
 * is in the shared region, formatted by one tile and joined by the others
 * (README.md: keys over several tiles). */
#ifndef DL_APPS_MEMCACHED_CORE_H
#define DL_APPS_MEMCACHED_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "apps/memcached/mc_args.h"
#include "sock/sock_app.h"

/* Where the store lives: base (64-byte aligned) and size of the shared
 * region; format: this tile formats it (the others wait for it). */
typedef struct mc_core_store {
    void *base;
    uint64_t size;
    int format;
    int zeroed;   /* the region is all zero (the chip's shared memory at boot) */
} mc_core_store_t;

/* Makes the app's sock_app over tp (cfg without max_conns, tx_recs and
 * req_queue, which the server chooses), formats or joins the store and
 * listens on a->port at every stack tile of cfg. NULL, or
 * what is wrong (err: room for the message). */
const char *mc_core_start(const sock_app_cfg_t *cfg, const sock_transport_t *tp, const mc_args_t *a,
                          const mc_core_store_t *store, char *err, size_t errlen);

/* Handles the events waiting and resumes the connections waiting for room;
 * with none waiting, sleeps in the transport's wait when there was nothing.
 * Returns the work done. */
uint32_t mc_core_step(void);

#endif
