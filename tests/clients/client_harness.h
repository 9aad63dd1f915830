// client_harness.h - the client hosts without a chip: every client port is
// wired back to back to one SERVER host built from the same code (stack/net
// with an echo service, or a misbehaving variant for the error tests). The
// wire stands in for the chip's port: frames from the switch are paced at a
// line rate and reach the server a fixed delay after their end; the
// server's frames go back to the right switch after the same delay. The
// server runs on its own scheduler, so the clients' host time is theirs.
#ifndef DL_TESTS_CLIENT_HARNESS_H
#define DL_TESTS_CLIENT_HARNESS_H

#include <systemc>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "client_system.h"

// How the server treats what it receives.
enum ServerMode {
    SERVER_ECHO,      // echo every byte
    SERVER_CORRUPT,   // echo, but flip the byte at stream offset corrupt_at of the first connection
    SERVER_SILENT,    // accept and read, never answer
    SERVER_RESET,     // abort every connection once its first bytes arrive
    SERVER_CLOSED,    // no service on the port: SYNs are answered by RST
    SERVER_ABSENT,    // nothing on the wire: every frame is lost
};

class Harness;

// One back-to-back wire: the port side of one switch.
class HarnessWire : public sc_core::sc_module, public ClientTask {
public:
    SC_HAS_PROCESS(HarnessWire);
    HarnessWire(sc_core::sc_module_name name, Harness &h, ClientSwitch &sw);
    void fire(uint64_t arg) override;   // a frame reaches the server
    void to_client(const uint8_t *f, size_t len);
    ClientSwitch &sw;

private:
    void up_thread();
    Harness &h_;
    std::deque<std::vector<uint8_t>> in_flight_;
    uint64_t down_free_ = 0;
};

class Harness : public FrameSink, public HostApp, public ClientTask {
public:
    // cfg: a configuration with [clients] set (port.count ports); rate_gbps
    // and delay_ns: the wires. err: why it could not be built.
    Harness(const dl_config &cfg, ServerMode mode, uint64_t delay_ns, std::string &err);
    ~Harness();
    // Runs until the clients are done and nothing moved for 200 us, or
    // limit_us of simulated time; returns the simulated time in ns.
    uint64_t run(uint64_t limit_us);

    ClientPlan plan;
    ClientSystem *clients = nullptr;
    ClientScheduler *server_sched = nullptr;
    ClientHost *server = nullptr;
    HostEcho *echo = nullptr;
    std::vector<HarnessWire *> wires;
    const ServerMode mode;
    const uint64_t delay_fs, bit_fs;
    uint64_t corrupt_at = 0;
    uint64_t frames = 0, digest = 1469598103934665603ULL;   // every frame on every wire, FNV-1a with its time

    void record(const uint8_t *f, size_t len);
    void send(ClientHost &from, const uint8_t *frame, size_t len) override;   // the server's frames
    void tcp_event(ClientHost &h, uint32_t conn, uint32_t events) override;  // non-echo modes
    void fire(uint64_t arg) override;                                        // server ticks

private:
    uint32_t first_conn_ = 0;
    uint64_t first_off_ = 0;
    std::vector<uint8_t> buf_;
};

#endif
