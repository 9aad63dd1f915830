/* mc_args.h - memcached's settings from deployment.app_args (the boot
 * information's args string): comma-separated key=value pairs, e.g.
 * "mem_mb=64,item_max=1048576". Keys (defaults as memcached's):
 *   mem_mb      item memory in MiB (memcached -m)                 64
 *   item_max    largest item in bytes, header and key included (-I)  1048576
 *   factor      chunk size growth factor (-f), 1.01 .. 4             1.25
 *   chunk_min   smallest chunk in bytes (48-byte header + -n 48)     96
 *   hash_power  2^hash_power hash buckets (-o hashpower)             16
 *   epoch       unix time at simulated time 0 (absolute exptimes)    1700000000
 *   port        TCP port                                             11211
 * Freestanding C11. */
#ifndef DL_APPS_MC_ARGS_H
#define DL_APPS_MC_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "mc_store.h"

#define MC_PORT_DEFAULT 11211u

typedef struct mc_args {
    mc_settings_t s;
    uint32_t port;
} mc_args_t;

void mc_args_default(mc_args_t *a);
/* Parses args over the defaults; 0, or -1 with err naming the key and
 * what was expected. */
int mc_args_parse(const char *args, mc_args_t *a, char *err, size_t errlen);

#endif
