// run_control.cpp - the run loop of a chip run (run_control.h): SystemC time
// advanced in slices that end on cycle boundaries (so they change no result),
// the end checked after each slice, progress reported between them.
#include "run_control.h"

#include <algorithm>
#include <cstdio>

#include "stats.h"

void Progress::operator()(uint64_t done, bool final) const
{
    if (!on) return;
    double now = stats_host_seconds(), wall = now - start;
    if (!final && now - last < (tty ? 0.1 : 2.0)) return;
    last = now;
    char pct[32] = "";
    if (total) snprintf(pct, sizeof pct, "%6.2f%%  ", 100.0 * (double)std::min(done, total) / (double)total);
    char req[48] = "";
    if (requests) snprintf(req, sizeof req, "%llu requests  ", (unsigned long long)requests());
    fprintf(stderr, "%s[dlsim] %s%.3f us simulated  %s%.1f Mcycles/s host%s", tty ? "\r" : "", pct,
            (double)done / clock_mhz, req, wall > 0 ? (double)done / wall / 1e6 : 0.0, tty && !final ? " " : "\n");
}

namespace {

// Frames that crossed a port or left the egress engine so far.
uint64_t port_activity(const Chip &chip)
{
    uint64_t n = 0;
    for (const EthPort *p : chip.ports) n += p->rx_frames + p->tx_frames;
    return n + chip.mpipe->egress_frames;
}

} // namespace

const char *run_to_end(Chip &chip, const std::vector<PcapReplay *> &replays, uint64_t bound,
                       uint64_t drain_cycles, const Progress &progress, uint64_t &cycles,
                       const std::function<bool()> &clients_done)
{
    const uint64_t cyc_fs = chip.cycle_time().value();
    const bool traces = !replays.empty() || clients_done;
    uint64_t slice = bound ? std::max<uint64_t>(bound / 100, 1) : RUN_DRAIN_CHECK_CYCLES;
    if (traces) slice = std::min(slice, RUN_DRAIN_CHECK_CYCLES);
    uint64_t done = chip.now_cycles(), replayed_at = 0, activity = 0;
    bool replayed = false, was_drained = false;
    const char *end = "bound";
    for (;;) {
        if (bound && done >= bound) break;
        uint64_t step = bound ? std::min(slice, bound - done) : slice;
        sc_core::sc_start(sc_core::sc_time::from_value(cyc_fs * step));
        done += step;
        progress(done, false);
        if (!traces) continue;
        if (!replayed) {
            replayed = std::all_of(replays.begin(), replays.end(), [](PcapReplay *r) { return r->finished(); }) &&
                       (!clients_done || clients_done());
            replayed_at = done;
        }
        if (!replayed) continue;
        uint64_t a = port_activity(chip);
        bool drained = chip.mpipe->drained();
        if (drained && was_drained && a == activity) {
            end = "drained";
            break;
        }
        was_drained = drained;
        activity = a;
        if (!bound && done - replayed_at >= drain_cycles) {
            end = "drain_limit";
            break;
        }
    }
    progress(done, true);
    cycles = done;
    return end;
}
