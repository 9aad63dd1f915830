// run_control.h - how long a chip run lasts and its progress line: bounded
// by run.cycles / run.time_us when set; otherwise a run with --pcap-in
// traces lasts until they are replayed and the chip has drained, and one
// without lasts RUN_DEFAULT_CYCLES.
#ifndef DL_SIM_RUN_CONTROL_H
#define DL_SIM_RUN_CONTROL_H

#include <cstdint>
#include <functional>
#include <vector>

#include "chip.h"
#include "mpipe/port_backend.h"

// The length of a run with neither a bound nor a trace (1 ms at 1.2 GHz).
const uint64_t RUN_DEFAULT_CYCLES = 1200000;

// How often the end is checked in a run with traces, and how long the chip
// must stay drained (no frame held by the mPIPE, every ring empty, no frame
// crossing a port) to end it: a tile may hold a frame between taking its
// descriptor and posting the answer.
const uint64_t RUN_DRAIN_CHECK_CYCLES = 1000;

// Progress on stderr: simulated time, percent (when the length is known),
// requests answered so far (with client hosts), host speed. On a terminal the line is redrawn; elsewhere (--progress into
// a file) a line every 2 s.
struct Progress {
    bool on, tty;
    uint64_t total;   // expected length in cycles; 0: unknown
    double clock_mhz, start;
    std::function<uint64_t()> requests = nullptr;   // the clients' answered requests
    mutable double last = 0;
    void operator()(uint64_t done, bool final) const;
};

// Runs the chip to its end: bound cycles (0: no bound), or with traces until
// they are replayed and the chip has drained, or drain_cycles after the
// traces ended without draining (when unbounded). clients_done, when given
// (client hosts on some ports), must also say true before the chip may end
// by draining: it counts as one more trace. Returns why it ended ("bound",
// "drained", "drain_limit"); cycles = the cycles simulated.
const char *run_to_end(Chip &chip, const std::vector<PcapReplay *> &replays, uint64_t bound,
                       uint64_t drain_cycles, const Progress &progress, uint64_t &cycles,
                       const std::function<bool()> &clients_done = nullptr);

#endif
