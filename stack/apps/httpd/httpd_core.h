/* httpd_core.h - the HTTP/1.1 server over stack/sock's sock_app, shared by
 * both deployments: the dlibos app tile (stack/dlibos/echo_app.c) and the
 * baseline tile (stack/dlibos/baseline_tile.c) run it as their `app_core`
 * (stack/dlibos/app_core.h). One instance per tile. */
#ifndef DL_APPS_HTTPD_CORE_H
#define DL_APPS_HTTPD_CORE_H

#include <stdint.h>

#include "dlibos/app_core.h"

#define HTTPD_PORT 80u  /* application a listens on 80 + a */

/* deployment.app_args checked (http_docs.h): NULL or what is wrong. */
const char *httpd_check_args(const char *args);
/* Builds the documents of args, makes the sock_app and listens on port at
 * every stack tile: NULL or what is wrong. */
const char *httpd_start(const sock_app_cfg_t *cfg, const sock_transport_t *tp, uint16_t port, const char *args);
/* Handles the events waiting and the connections with work; sleeps in the
 * transport's wait when there was nothing. Returns the work done. */
uint32_t httpd_step(void);

#endif
