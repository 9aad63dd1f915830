// client_host.h - simulated machines behind the chip's ports: each runs the
// host build of stack/net (its own net_t, MAC, IPv4 address, ARP) with a
// clock in simulated time; a switch fans many of them in on one port (the
// PortBackend the port pulls frames from and hands frames to); a scheduler
// runs every timed action of all of them from one SystemC method.
//
// Determinism: every action runs from the scheduler in (time, order of
// scheduling) order, frames to the chip leave the switch in the order the
// hosts sent them, frames from the chip reach their host at the end of
// their FCS on the wire. No host clock, no host randomness.
#ifndef DL_SIM_CLIENT_HOST_H
#define DL_SIM_CLIENT_HOST_H

#include <systemc>
#include <cstdint>
#include <deque>
#include <map>
#include <queue>
#include <string>
#include <vector>

#include "mpipe/port_backend.h"
extern "C" {
#include "net/net.h"
}

// Something the scheduler runs at a time; arg is the caller's.
class ClientTask {
public:
    virtual ~ClientTask() {}
    virtual void fire(uint64_t arg) = 0;
};

// Runs tasks at their simulated times, in (time, scheduling order); one
// SC_METHOD for all the client hosts, woken only for the earliest task.
// Also keeps the host time spent in the clients (host_seconds).
class ClientScheduler : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(ClientScheduler);
    explicit ClientScheduler(sc_core::sc_module_name name);
    // Runs task->fire(arg) at t_fs (not before now).
    void at(uint64_t t_fs, ClientTask *task, uint64_t arg);
    static uint64_t now_fs() { return sc_core::sc_time_stamp().value(); }
    static uint64_t now_ns() { return sc_core::sc_time_stamp().value() / 1000000; }
    double host_seconds = 0;      // host time spent in the client hosts (not deterministic)
    uint64_t tasks_run = 0;

private:
    struct Ev {
        uint64_t t, seq;
        ClientTask *task;
        uint64_t arg;
        bool operator>(const Ev &o) const { return t != o.t ? t > o.t : seq > o.seq; }
    };
    void run();
    std::priority_queue<Ev, std::vector<Ev>, std::greater<Ev>> heap_;
    sc_core::sc_event wake_;
    uint64_t seq_ = 0;
};

// Adds the host time of a scope to a counter.
class HostClock {
public:
    explicit HostClock(double &acc);
    ~HostClock();
private:
    double &acc_;
    double t0_;
};

class ClientHost;

// Where a host's frames go (the switch, or a test's wire).
class FrameSink {
public:
    virtual ~FrameSink() {}
    virtual void send(ClientHost &from, const uint8_t *frame, size_t len) = 0;
};

// What runs on a host above its TCP: told of the stack's events, of every
// frame the host received (after the stack has processed it) and of timer
// ticks.
class HostApp {
public:
    virtual ~HostApp() {}
    virtual void tcp_event(ClientHost &h, uint32_t conn, uint32_t events) = 0;
    virtual void after_input(ClientHost &h) { (void)h; }
    virtual void tick(ClientHost &h) { (void)h; }
};

// How one host's stack is set up.
struct HostSpec {
    uint8_t mac[6] = {};
    uint32_t ip = 0, netmask = 0;   // host byte order
    uint32_t conns = 1;             // connections it may hold at once
    uint32_t arp_entries = 16;      // ARP cache (a client talks to the server only)
    uint32_t window = 16384;        // receive and send buffer per connection, power of 2
    uint64_t rto_ns = 1000000, delack_ns = 200000;
    uint64_t secret = 1;            // keys the stack's ISNs and hash
};

// One simulated machine: stack/net over a HAL whose clock is SystemC time
// and whose link is a FrameSink.
class ClientHost {
public:
    // err says why the stack could not be built (check it).
    ClientHost(const HostSpec &spec, FrameSink *link, std::string &err);
    ~ClientHost();
    ClientHost(const ClientHost &) = delete;
    ClientHost &operator=(const ClientHost &) = delete;

    void set_app(HostApp *app) { app_ = app; }
    // A frame for this host (no FCS).
    void input(const uint8_t *frame, size_t len);
    // Runs the stack's timers, then the app's tick.
    void tick();

    net_t *net = nullptr;
    const HostSpec spec;
    uint64_t frames_in = 0, frames_out = 0;

private:
    static uint64_t hal_now(void *ctx);
    static int hal_tx(void *ctx, const uint8_t *frame, uint32_t len);
    static void hal_event(void *ctx, uint32_t conn, uint32_t events);
    void dispatch();

    void *mem_ = nullptr;
    FrameSink *link_;
    HostApp *app_ = nullptr;
    // Events the stack reports while the app is already handling one (an
    // app's net_* call may report more) wait here, in order.
    std::deque<std::pair<uint32_t, uint32_t>> events_;
    bool dispatching_ = false;
};

// A switch with the chip's port as uplink and many hosts: frames from the
// hosts queue for the port (at most `capacity`, else dropped and counted)
// and go out in the order sent, paced by the port (next()/more()); a frame
// from the chip reaches, at the end of its FCS, the host owning its
// destination MAC, or every host when broadcast or multicast (else it is
// counted as unknown). Hosts do not see each other's frames.
class ClientSwitch : public PortBackend, public FrameSink, public ClientTask {
public:
    ClientSwitch(ClientScheduler &sched, unsigned port, double rate_gbps, uint64_t capacity);
    void add_host(ClientHost *h) { hosts_.push_back(h); }
    const std::vector<ClientHost *> &hosts() const { return hosts_; }

    bool next(std::vector<uint8_t> &frame, uint64_t &earliest_fs) override;
    sc_core::sc_event *more() override { return &more_; }
    void transmitted(const uint8_t *frame, size_t len, uint64_t start_fs) override;
    void send(ClientHost &from, const uint8_t *frame, size_t len) override;
    void fire(uint64_t arg) override;

    const unsigned port;
    uint64_t to_chip = 0, from_chip = 0, dropped = 0, unknown = 0;
    uint64_t max_queue = 0;       // the longest the queue to the chip has been

private:
    ClientScheduler &sched_;
    const uint64_t bit_fs_, capacity_;
    std::vector<ClientHost *> hosts_;
    std::deque<std::vector<uint8_t>> up_;     // to the chip
    std::deque<std::vector<uint8_t>> down_;   // from the chip, waiting for their end on the wire
    sc_core::sc_event more_;
};

// An echo service on a host (port `port`): every byte received on every
// accepted connection is sent back; the connection is closed once the peer
// has closed and everything is sent. Tests use it as the server.
class HostEcho : public HostApp {
public:
    HostEcho(ClientHost &h, uint16_t port, std::string &err);
    void tcp_event(ClientHost &h, uint32_t conn, uint32_t events) override;
    uint64_t accepted = 0, bytes = 0, resets = 0;

private:
    struct Conn { std::vector<uint8_t> pending; size_t off = 0; bool fin = false; };
    // Sends what is pending, reads more while the send ring takes it all;
    // false once the connection is closed.
    bool pump(ClientHost &h, uint32_t conn, Conn &c);
    std::map<uint32_t, Conn> conns_;   // by handle (looked up, never iterated)
    uint16_t port_;
    std::vector<uint8_t> buf_;          // what was just received
};

#endif
