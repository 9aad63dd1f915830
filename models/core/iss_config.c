/* iss_config.c - the core section of the simulator configuration turned
 * into the ISS timing parameters. */
#include "config.h"
#include "core/iss_config.h"

void iss_timing_from_config(const dl_config *cfg, iss_timing_cfg *t)
{
    t->timing = cfg->core.timing != 0;
    t->issue_width = (unsigned)cfg->core.issue_width;
    t->load_use = (unsigned)cfg->core.load_use;
    t->branch_taken = (unsigned)cfg->core.branch_taken;
    t->mispredict = (unsigned)cfg->core.mispredict;
    t->mul_latency = (unsigned)cfg->core.mul_latency;
    t->div_latency = (unsigned)cfg->core.div_latency;
    t->misaligned_penalty = (unsigned)cfg->core.misaligned_penalty;
}
