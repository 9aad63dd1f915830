// chip_report.h - what a chip run reports: the "results" section of
// stats.json (tiles, ports, mPIPE, UDN) and the one-screen summary.
#ifndef DL_SIM_CHIP_REPORT_H
#define DL_SIM_CHIP_REPORT_H

#include <cJSON.h>
#include <cstdint>

#include "chip.h"

// The results of a run of `cycles` chip cycles; deterministic (no host data).
cJSON *chip_results(const Chip &chip, uint64_t cycles);

// The summary on stdout; wall is the run's host time in seconds.
void print_summary(const Chip &chip, uint64_t cycles, double wall, const char *outdir);

#endif
