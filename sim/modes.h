/* modes.h - the run modes of dlsim besides the full chip (sim/elf_run.c,
 * sim/mesh_only.cpp), dispatched from dlsim_main.cpp. Each returns the
 * process exit status: 0 success/pass, 1 simulation error/fail, 2 bad input. */
#ifndef DL_SIM_MODES_H
#define DL_SIM_MODES_H

#include <stdint.h>
#include "config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* dlsim --elf PROG [--max-cycles N] [--ram-mb M]: one ELF on one tile, no
 * chip around it; pass/fail through the tohost convention (sim/elf_run.c).
 * max_cycles == 0 means no bound; ram_mb == 0 the default RAM size.
 * outdir may be NULL (no stats.json written). */
#define ELF_RUN_RAM_MB_DEFAULT 256
#define ELF_RUN_RAM_MB_MAX 4096
int elf_run(const dl_config *cfg, const char *elf_path, uint64_t max_cycles, uint64_t ram_mb,
            const char *outdir);

/* dlsim --mesh-only --traffic P --rate R --size N --cycles C [--warmup W]:
 * synthetic traffic on the UDN mesh alone (sim/mesh_only.cpp; the traffic
 * generator and its options, mesh_traffic_opts, are the mesh model's:
 * models/mesh/mesh_traffic.h). */
struct mesh_traffic_opts;
int mesh_only_run(const dl_config *cfg, const struct mesh_traffic_opts *opts,
                  const char *outdir);

#ifdef __cplusplus
}
#endif
#endif
