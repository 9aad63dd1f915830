/* stats.h - the run's outputs: stats.json (config echo, results, host) and
 * its output directory. The config and results sections are deterministic;
 * everything that depends on the host lives in the host section. */
#ifndef DL_SIM_STATS_H
#define DL_SIM_STATS_H

#include <cJSON.h>
#include "config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The full effective configuration, one object per section, typed values. */
cJSON *stats_config_json(const dl_config *c);

/* Creates dir and its parents if missing; an existing file that is not a
 * directory is an error. 0, or -1 with a message in err. */
int stats_make_dir(const char *dir, char *err, size_t errlen);

/* Writes dir/stats.json = { "config", "results", "host" }, the shape of
 * every run's output: config holds "mode" (chip, mesh-only), every section
 * of c, then the items of run_config (what else produced the run: the
 * --pcap-in traces, the mesh-only traffic; may be NULL). Takes ownership of
 * run_config, results and host. 0, or -1 with a message in err. */
int stats_write(const char *dir, const dl_config *c, const char *mode, cJSON *run_config,
                cJSON *results, cJSON *host, char *err, size_t errlen);

/* Wall-clock seconds from a monotonic clock; for the host section only. */
double stats_host_seconds(void);

#ifdef __cplusplus
}
#endif
#endif
