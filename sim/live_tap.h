// live_tap.h - live mode's port backend: a port attached to a Linux TAP
// device (`--tap IFNAME[,port=P]`). Frames Linux sends on the device enter
// the port at the current simulated time; frames the chip transmits are
// written to the device. The run loop (live_run.h) reads the device between
// slices of simulated time (poll_in) and paces the run to wall time.
#ifndef DL_SIM_LIVE_TAP_H
#define DL_SIM_LIVE_TAP_H

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "mpipe/port_backend.h"

// What `--tap IFNAME[,port=P]` asked for.
struct TapSpec {
    std::string ifname;
    int port = 0;
};

// Parses "IFNAME[,port=P]": IFNAME a valid Linux interface name (1..15
// characters, not . or .., no '/', ':', ',' or blank), P a port number (checked
// against port.count by the caller). Returns true, or false with a message in err.
bool tap_parse(const char *arg, TapSpec &spec, std::string &err);

// Frames from Linux waiting for the port at most; beyond, frames are dropped
// (counted) as a NIC whose ring is full would.
const size_t TAP_QUEUE_FRAMES = 4096;

class TapBackend : public PortBackend {
public:
    // Opens the TAP device: attaches to an existing one (made with `ip tuntap
    // add dev IFNAME mode tap`, configured or not), or creates it when absent
    // (it then lives as long as dlsim runs, and is brought up; its address is
    // Linux's side to set). error() says why it could not.
    explicit TapBackend(const TapSpec &spec);
    ~TapBackend() override;
    TapBackend(const TapBackend &) = delete;
    TapBackend &operator=(const TapBackend &) = delete;
    const std::string &error() const { return error_; }
    const TapSpec &spec() const { return spec_; }
    bool created() const { return created_; }
    int fd() const { return fd_; }

    // Reads every frame waiting on the device (without blocking) into the
    // queue to the port, and wakes the port when there are any. Between
    // slices of simulated time. Returns how many frames were read.
    size_t poll_in();

    bool next(std::vector<uint8_t> &frame, uint64_t &earliest_fs) override;
    sc_core::sc_event *more() override { return &more_; }
    void transmitted(const uint8_t *frame, size_t len, uint64_t start_fs) override;

    // Counters: frames from Linux (read), those the queue could not take,
    // frames to Linux (written) and writes the device refused (e.g. down).
    uint64_t frames_in = 0, bytes_in = 0, dropped_in = 0;
    uint64_t frames_out = 0, bytes_out = 0, write_errors = 0;

private:
    TapSpec spec_;
    std::string error_;
    int fd_ = -1;
    bool created_ = false;
    std::deque<std::vector<uint8_t>> queue_;
    std::vector<uint8_t> buf_;
    sc_core::sc_event more_;
};

#endif
