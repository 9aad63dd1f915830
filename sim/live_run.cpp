// live_run.cpp - live mode's paced run loop (live_run.h). Each turn: wait in
// ppoll() on the TAP device and the signal descriptor (not at all while the
// chip has an event due before wall time; else until wall time reaches its
// next event, a frame or a signal arrives), run the chip towards the current
// wall time by one slice of about LIVE_SLICE_SECONDS of host time (or up to
// its next event, when that is further: nothing happens before it), then read
// the device, whose frames thus enter at the current simulated time.
#include "live_run.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace {

double mono_seconds()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

} // namespace

int live_signals_open(std::string &err)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &set, nullptr) < 0) {
        err = std::string("sigprocmask: ") + strerror(errno);
        return -1;
    }
    // A shell starts background jobs with SIGINT ignored; an ignored signal
    // is discarded even while blocked, so take it back.
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    int fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (fd < 0) err = std::string("signalfd: ") + strerror(errno);
    return fd;
}

const char *live_run(Chip &chip, TapBackend &tap, int sigfd, uint64_t bound, const Progress &progress,
                     uint64_t &cycles, LiveReport &rep)
{
    const uint64_t cyc_fs = chip.cycle_time().value();
    const double cyc_s = (double)cyc_fs * 1e-15;
    const double start = mono_seconds();
    const uint64_t sim0 = chip.now_cycles();
    uint64_t done = sim0, step_max = 1000;
    const uint64_t slice_cap = std::max<uint64_t>(1000, (uint64_t)(LIVE_SLICE_MAX_US * 1e-6 / cyc_s));
    const char *end = "bound";
    struct pollfd fds[2] = { { tap.fd(), POLLIN, 0 }, { sigfd, POLLIN, 0 } };
    // The cycle wall time has reached, and the cycle of the next pending event.
    auto wall_cycle = [&]() { return sim0 + (uint64_t)((mono_seconds() - start) / cyc_s); };
    auto next_event = [&]() {
        if (!sc_core::sc_pending_activity()) return UINT64_MAX;
        uint64_t at = (sc_core::sc_time_stamp() + sc_core::sc_time_to_pending_activity()).value();
        return (at + cyc_fs - 1) / cyc_fs;
    };
    // Advances simulated time towards cycle c by one slice (at least up to
    // the next event, as nothing happens before it).
    auto run_to = [&](uint64_t c) {
        uint64_t next_c = next_event();
        uint64_t step = std::min(c - done, std::max(step_max, next_c > done ? next_c - done : 0));
        double s0 = mono_seconds();
        sc_core::sc_start(sc_core::sc_time::from_value(cyc_fs * step));
        double took = mono_seconds() - s0;
        done += step;
        rep.slices++;
        // The next slice: about LIVE_SLICE_SECONDS of host time at this speed.
        if (took > 0)
            step_max = std::clamp<uint64_t>((uint64_t)((double)step * LIVE_SLICE_SECONDS / took), 1000, slice_cap);
        rep.behind_end = std::max(0.0, (mono_seconds() - start) - (double)(done - sim0) * cyc_s);
        rep.behind_max = std::max(rep.behind_max, rep.behind_end);
        progress(done, false);
    };
    for (;;) {
        if (bound && done >= bound) break;
        uint64_t wall_c = wall_cycle(), next_c = next_event();
        struct timespec ts = { 0, 0 };
        if (next_c > wall_c) {
            // Nothing to simulate before wall time: sleep until wall time
            // reaches the next event (or the bound), a frame or a signal comes.
            uint64_t until = bound ? std::min(next_c, bound) : next_c;
            double wait = std::min((double)(until - sim0) * cyc_s - (mono_seconds() - start), 0.5);
            if (wait > 0) {
                ts.tv_sec = (time_t)wait;
                ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
            }
        }
        double t0 = mono_seconds();
        int n = ppoll(fds, 2, &ts, nullptr);
        if (ts.tv_sec || ts.tv_nsec) {
            rep.slept += mono_seconds() - t0;
            rep.sleeps++;
        }
        if (n > 0 && (fds[1].revents & POLLIN)) {
            struct signalfd_siginfo si;
            if (read(sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
                rep.signal = (int)si.ssi_signo;
                end = "signal";
                // Simulated time joins wall time when nothing happens before it.
                wall_c = wall_cycle();
                if (bound) wall_c = std::min(wall_c, bound);
                if (done < wall_c && next_event() > wall_c) run_to(wall_c);
                break;
            }
        }
        wall_c = wall_cycle();
        if (bound) wall_c = std::min(wall_c, bound);
        if (done < wall_c) run_to(wall_c);
        tap.poll_in();   // frames enter at the end of the slice: the current simulated time
    }
    progress(done, true);
    cycles = done;
    return end;
}

const char *live_signal_name(const LiveReport &rep)
{
    return rep.signal == SIGINT ? "SIGINT" : rep.signal == SIGTERM ? "SIGTERM" : nullptr;
}

void live_to_json(const TapBackend &tap, const LiveReport &rep, cJSON *results, cJSON *host)
{
    cJSON *r = cJSON_AddObjectToObject(results, "live");
    cJSON_AddNumberToObject(r, "frames_from_linux", (double)tap.frames_in);
    cJSON_AddNumberToObject(r, "bytes_from_linux", (double)tap.bytes_in);
    cJSON_AddNumberToObject(r, "dropped_from_linux", (double)tap.dropped_in);
    cJSON_AddNumberToObject(r, "frames_to_linux", (double)tap.frames_out);
    cJSON_AddNumberToObject(r, "bytes_to_linux", (double)tap.bytes_out);
    cJSON_AddNumberToObject(r, "write_errors", (double)tap.write_errors);
    if (live_signal_name(rep)) cJSON_AddStringToObject(r, "signal", live_signal_name(rep));
    else cJSON_AddNullToObject(r, "signal");
    cJSON *h = cJSON_AddObjectToObject(host, "live");
    cJSON_AddNumberToObject(h, "behind_max_us", rep.behind_max * 1e6);
    cJSON_AddNumberToObject(h, "behind_end_us", rep.behind_end * 1e6);
    cJSON_AddNumberToObject(h, "slept_seconds", rep.slept);
    cJSON_AddNumberToObject(h, "slices", (double)rep.slices);
    cJSON_AddBoolToObject(h, "created_device", tap.created());
}

void live_summary(const TapBackend &tap, const LiveReport &rep, double wall)
{
    printf("  live        %s on port %d: %llu frames from Linux, %llu to Linux", tap.spec().ifname.c_str(),
           tap.spec().port, (unsigned long long)tap.frames_in, (unsigned long long)tap.frames_out);
    if (tap.dropped_in || tap.write_errors)
        printf(" (%llu dropped, queue full; %llu writes refused)", (unsigned long long)tap.dropped_in,
               (unsigned long long)tap.write_errors);
    printf("\n  live        behind wall time by %.3f ms at most, %.3f ms at the end; host asleep %.1f%% of the run\n",
           rep.behind_max * 1e3, rep.behind_end * 1e3, wall > 0 ? 100.0 * rep.slept / wall : 0.0);
}
