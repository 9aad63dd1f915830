/* model_params.h - each model's parameter struct filled in from the
 * configuration: the one place where dl_config meets the models, so that no
 * model includes sim/. The configuration's key table and cfg_check hold
 * the user-facing ranges (config_keys.c, config.c); a model's own check
 * (e.g. udn_mesh_params_check) only its invariants. */
#ifndef DL_SIM_MODEL_PARAMS_H
#define DL_SIM_MODEL_PARAMS_H

#include <stddef.h>

#include "config.h"
#include "core/iss.h"
#include "mem/mem_params.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The ISS's timing model from the core section. */
void iss_timing_from_config(const dl_config *cfg, iss_timing_cfg *t);

/* The memory system from the mem section, the chip's size, the deployment
 * (roles) and core.load_use (an L1 hit). */
void mem_params_from_config(const dl_config *cfg, mem_params *p);

#ifdef __cplusplus
}

#include "core/tile_core.h"
#include "mesh/udn_mesh.h"
#include "mpipe/mpipe_model.h"

/* The tile core (timing and quantum) from the core section. */
TileCoreParams tile_core_params_from_config(const dl_config &cfg);

/* The UDN from chip and mesh. Returns 0, or -1 with a message in err naming
 * the key when p breaks an invariant of udn_mesh_params_check. */
int udn_mesh_params_from_config(const dl_config *cfg, udn_mesh_params *p, char *err, size_t errlen);

/* The mPIPE and its ports from the mpipe and port sections (the rules are
 * parsed apart: mpipe_rules_parse). */
MpipeParams mpipe_params_from_config(const dl_config &cfg);
#endif

#endif
