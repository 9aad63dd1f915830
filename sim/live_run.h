// live_run.h - the run loop of live mode: simulated time paced to wall time
// (it never runs ahead of it; when the chip is slower than real time it falls
// behind, and how far is measured), the TAP device read between slices, the
// host asleep in poll() while the chip has nothing due before wall time, the
// run ended by SIGINT / SIGTERM (or the bound); and what a live run reports.
// Not deterministic: frames enter when Linux sends them.
#ifndef DL_SIM_LIVE_RUN_H
#define DL_SIM_LIVE_RUN_H

#include <cJSON.h>
#include <cstdint>

#include "chip.h"
#include "live_tap.h"
#include "run_control.h"

// Host time one slice of simulated time should take at most (the TAP and the
// signals are looked at between slices), in seconds.
const double LIVE_SLICE_SECONDS = 0.001;
// And the simulated time one slice covers at most, in us (more only to jump
// to the next event, as nothing happens before it): an estimate of the host
// speed made while the chip idled must not make the next busy slice long.
const double LIVE_SLICE_MAX_US = 20;

// What a live run measured of its pacing (wall time minus simulated time,
// "behind", in seconds; never negative) and of its sleeping.
struct LiveReport {
    double behind_max = 0, behind_end = 0;
    double slept = 0;        // host seconds spent waiting in poll()
    uint64_t slices = 0, sleeps = 0;
    int signal = 0;          // SIGINT or SIGTERM when one ended the run
};

// Blocks SIGINT and SIGTERM and opens a descriptor that reports them (the
// run then ends cleanly on either); before anything else of the run. Returns
// the descriptor, or -1 with a message in err.
int live_signals_open(std::string &err);

// Runs the chip, paced to wall time from now, until bound cycles (0: no
// bound) or a signal on sigfd. Returns why it ended ("bound", "signal");
// cycles = the cycles simulated.
const char *live_run(Chip &chip, TapBackend &tap, int sigfd, uint64_t bound, const Progress &progress,
                     uint64_t &cycles, LiveReport &rep);

// "SIGINT" or "SIGTERM" when a signal ended the run, else nullptr.
const char *live_signal_name(const LiveReport &rep);

// results.live (frames each way through the device, the signal) and
// host.live (how far behind wall time, host time asleep, device created).
void live_to_json(const TapBackend &tap, const LiveReport &rep, cJSON *results, cJSON *host);

// The summary's live lines; wall is the run's host time in seconds.
void live_summary(const TapBackend &tap, const LiveReport &rep, double wall);

#endif
