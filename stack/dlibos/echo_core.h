/* echo_core.h - the TCP echo application (echo_core.c), shared by the
 * dlibos app tile (echo_app.c) and the baseline tile (baseline_tile.c):
 * one instance per tile. */
#ifndef DL_DLIBOS_ECHO_CORE_H
#define DL_DLIBOS_ECHO_CORE_H

#include <stdint.h>

#include "dlibos/dlibos.h"
#include "sock/sock_app.h"

/* Makes the app's sock_app over tp (cfg without max_conns, tx_recs and
 * req_queue, which the echo chooses) and listens on TCP port `port` at
 * every stack tile of cfg. NULL, or what is wrong. */
const char *echo_start(const sock_app_cfg_t *cfg, const sock_transport_t *tp, uint16_t port);

/* Handles the events waiting and retries the echoes waiting for room;
 * with none waiting, sleeps in the transport's wait when there was nothing
 * (a transport without wait: returns). Returns the work done. */
uint32_t echo_step(void);

#endif
