// chip_report.h - what a chip run reports: the "results" section of
// stats.json (how the run ended, the traces, tiles, ports, mPIPE, UDN), the
// one-screen summary, and which tiles failed (for the exit status).
#ifndef DL_SIM_CHIP_REPORT_H
#define DL_SIM_CHIP_REPORT_H

#include <cJSON.h>
#include <cstdint>
#include <string>
#include <vector>

#include "chip.h"

// One --pcap-in trace after the run.
struct TraceReport {
    int port;
    std::string file;
    uint64_t records;      // in the file
    uint64_t total;        // the replay's frames (records x passes); UINT64_MAX: loop=0, endless
    uint64_t offered;      // put on the wire before the run ended
    bool past_time_limit;  // the rest would start after the end of simulated time
};

// How a chip run went: its length, why it ended, its traces.
struct RunOutcome {
    uint64_t cycles = 0;       // simulated
    uint64_t bound = 0;        // run.cycles / run.time_us in cycles; 0: none
    const char *end = "";      // "bound", "drained", "drain_limit" or (live) "signal"
    std::string end_why;       // the summary's words for it when not the usual (live: "SIGTERM")
    std::vector<TraceReport> traces;
};

// The results of a run; deterministic (no host data).
cJSON *chip_results(const Chip &chip, const RunOutcome &run);

// The summary on stdout; wall is the run's host time in seconds.
void print_summary(const Chip &chip, const RunOutcome &run, double wall, const char *outdir);

// One line per tile that trapped, faulted or exited non-zero ("tile 3:
// exited with code 2"); empty when none did.
std::vector<std::string> chip_tile_failures(const Chip &chip);

#endif
