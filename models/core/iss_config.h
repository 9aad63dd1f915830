/* iss_config.h - building the ISS timing parameters from dl_config. */
#ifndef DL_CORE_ISS_CONFIG_H
#define DL_CORE_ISS_CONFIG_H

#include "config.h"
#include "core/iss.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Copies cfg->core (already range-checked by the config table) into t. */
void iss_timing_from_config(const dl_config *cfg, iss_timing_cfg *t);

#ifdef __cplusplus
}
#endif
#endif
