/* app_core.h - what an application gives the two tile images that run it:
 * the dlibos app tile (echo_app.c, over the UDN) and the baseline tile
 * (baseline_tile.c, beside the stack through sock_direct). Each application
 * (echo_core.c, stack/apps/httpd/httpd_core.c) defines `app_core`; an image
 * links exactly one (stack/dlibos/dlibos.mk). */
#ifndef DL_DLIBOS_APP_CORE_H
#define DL_DLIBOS_APP_CORE_H

#include <stdint.h>

#include "sock/sock_app.h"

typedef struct app_core {
    const char *name;   /* how its messages begin: "echo app", "httpd" */
    uint16_t port;      /* application a listens on port + a */
    /* Makes the app's sock_app over tp (cfg without max_conns, tx_recs and
     * req_queue, which the app chooses) and listens on `port` at every
     * stack tile of cfg; args: deployment.app_args, already checked. NULL,
     * or what is wrong. */
    const char *(*start)(const sock_app_cfg_t *cfg, const sock_transport_t *tp, uint16_t port, const char *args);
    /* Handles the events waiting and the work left; sleeps in the
     * transport's wait when there was nothing (a transport without wait:
     * returns). Returns the work done. */
    uint32_t (*step)(void);
    /* Checks deployment.app_args before start: NULL, or what is wrong (the
     * image prints it and exits 2, a configuration error). */
    const char *(*check_args)(const char *args);
} app_core_t;

extern const app_core_t app_core;

#endif
