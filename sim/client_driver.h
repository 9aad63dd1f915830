// client_driver.h - the request/response driver of a client host: N TCP
// connections to an echo service, each sending requests of echo_bytes and
// checking that every byte of the answer is the byte it sent. Open loop:
// requests issued at Poisson times (a seeded stream per connection) whatever
// the answers; closed loop: one request in flight, the next after a think
// time (exponential, seeded). A request's latency runs from its issue (its
// first byte handed to TCP; in open loop its arrival time, even when the
// send buffer makes it wait) to the receipt of the last byte of its answer,
// in simulated nanoseconds.
//
// A host first resolves the server's MAC (an empty UDP datagram to the
// discard port makes its stack ask by ARP; the datagram is dropped while the
// address is unresolved), then opens all its connections at once (or when
// ARP gives up: TCP then retries on its own).
#ifndef DL_SIM_CLIENT_DRIVER_H
#define DL_SIM_CLIENT_DRIVER_H

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "client_host.h"

struct ReplayTrace;
class ReplayReport;

struct DriverParams {
    uint32_t server_ip = 0;
    uint16_t server_port = 7;
    uint64_t echo_bytes = 64;
    bool open = false;
    double conn_rate = 0;        // open: requests per second of one connection
    uint64_t think_ns = 0;       // closed: mean think time
    uint64_t requests = 0;       // per connection; 0: no limit
    uint64_t start_ns = 0;
    uint64_t warm_ns = 0;        // answers before this are not counted (the warm-up)
    uint64_t end_ns = 0;         // no request issued, no answer counted from here; 0: none
    uint64_t timeout_ns = 0;     // 0: none
    uint64_t seed = 1;
    unsigned conns = 1;
    unsigned port_i = 0;         // the host's port, index into the plan's ports
    // workload.kind = web (client_http.h)
    std::string app_args, web_paths;   // deployment.app_args: the documents
    bool web_zipf = false;
    double web_zipf_s = 1;
    bool web_keepalive = true;
    unsigned web_pipeline = 1;
    // workload.kind = replay (client_replay.h): the capture, the report
    // every host's driver adds to, and this host among all
    const ReplayTrace *replay = nullptr;
    ReplayReport *replay_report = nullptr;
    bool replay_timed = true;
    double replay_speed = 1;
    uint16_t replay_port = 0;    // 0: each connection's captured server port
    unsigned host_index = 0, hosts = 1;
    // workload.kind = memcached and etc (client_memcached.h)
    uint64_t mc_keys = 1000;         // key space
    double mc_get_ratio = 0.9;       // share of gets among requests
    uint64_t mc_value_bytes = 100;
    unsigned mc_multiget = 1;        // keys per get
    bool etc = false;                // ETC: key and value sizes, Zipf keys, arrivals
    const struct wl_zipf *etc_zipf = nullptr;   // the keys' popularity (owned by the client system)
    uint64_t etc_value_max = 65536;
    bool etc_gpareto = true;         // open loop: ETC's inter-arrival times, not Poisson
};

// What all the drivers of a run add up to (deterministic). Answers are
// counted from warm_ns (the end of the warm-up) until the duration ends;
// the drivers report them through answered() and sent().
struct ClientTotals {
    uint64_t issued = 0, completed = 0, bytes_sent = 0, bytes_answered = 0;
    uint64_t warmup_answered = 0;    // answered in the warm-up: not counted
    uint64_t err_verify = 0, err_reset = 0, err_timeout = 0, err_connect = 0, err_peer_closed = 0;
    uint64_t err_server = 0;         // the server answered an error (memcached: SERVER_ERROR ...)
    // memcached driver (client_memcached.h): requests and what the gets found;
    // mc_version[k]: the last version of key k a set was issued with
    uint64_t mc_gets = 0, mc_sets = 0, mc_hits = 0, mc_misses = 0;
    std::vector<uint64_t> mc_version;
    uint64_t connected = 0, finished = 0, connections = 0;
    uint64_t first_issue_ns = UINT64_MAX, last_answer_ns = 0;
    uint64_t warm_ns = 0;            // answers before this are not counted
    bool ended = false;              // the duration passed: nothing more is counted
    std::vector<uint64_t> latency_ns;
    std::map<std::string, uint64_t> verify_causes;   // what err_verify counts, by cause (drivers that say)
    // Request types (echo, GET:/64, get_hit, ...), in the order first named,
    // with their latencies; per port (index into the plan's ports) what was
    // answered and the bytes both ways.
    std::vector<std::string> types;
    std::vector<std::vector<uint64_t>> type_latency_ns;
    struct Port {
        uint64_t completed = 0, bytes_sent = 0, bytes_answered = 0;
    };
    std::vector<Port> port;

    uint64_t errors() const
    {
        return err_verify + err_reset + err_timeout + err_connect + err_peer_closed + err_server;
    }
    unsigned type_index(const std::string &name);
    // True while sends and answers count (after the warm-up, before the end).
    bool counting(uint64_t now_ns) const { return !ended && now_ns >= warm_ns; }
    // A request of type `type` issued at t0 answered right at now, with
    // bytes of answer, on the host behind port index port_i.
    void answered(unsigned type, unsigned port_i, uint64_t t0, uint64_t now, uint64_t bytes);
    void sent(unsigned port_i, uint64_t now, uint64_t bytes);
};

// The byte at offset off of the request stream keyed by key (what a
// connection sends, and what the echo must return).
uint8_t client_pattern_byte(uint64_t key, uint64_t off);
// The echo driver's seeded streams of connection number conn (among all):
// its random stream and its payload key.
void client_echo_streams(uint64_t seed, uint64_t conn, uint64_t &rng, uint64_t &key);
// The HTTP driver's random stream of connection number conn.
uint64_t client_http_stream(uint64_t seed, uint64_t conn);
// Bytes [off, off+n) of the stream keyed by key: written, or compared
// (true: equal).
void client_pattern_fill(uint8_t *dst, uint64_t key, uint64_t off, size_t n);
bool client_pattern_check(const uint8_t *src, uint64_t key, uint64_t off, size_t n);

// The drivers' seeded streams (splitmix64): a mix of z, the next value of
// the stream at state, and an exponential variate of mean mean_ns from it.
uint64_t client_mix64(uint64_t z);
uint64_t client_rand(uint64_t &state);
uint64_t client_exp_ns(uint64_t &state, double mean_ns);

// A driver's first step on its host: resolve the server's MAC (an empty UDP
// datagram to the discard port makes the stack ask by ARP; it is dropped
// while the address is unresolved), then go on once ARP has learnt it or
// given up (TCP then retries on its own).
class ServerArp {
public:
    void begin(ClientHost &h, uint32_t server_ip);
    bool waiting() const { return waiting_; }
    // True once: when the answer (or ARP's giving up) is in.
    bool resolved(ClientHost &h);

private:
    bool waiting_ = false;
    uint64_t learn0_ = 0, fail0_ = 0;
};

// What every driver of a host is to the client system: a host's app, a
// scheduled task, and done when every connection finished.
class ClientDriver : public HostApp, public ClientTask {
public:
    virtual bool finished() const = 0;
};

// The driver of workload.kind (CFG_WL_*), for one host.
ClientDriver *client_driver_new(int kind, ClientScheduler &sched, ClientHost &host, const DriverParams &p,
                                uint64_t first_conn, ClientTotals &totals);

class EchoDriver : public ClientDriver {
public:
    // first_conn: number of this host's first connection among all (seeds).
    EchoDriver(ClientScheduler &sched, ClientHost &host, const DriverParams &p, uint64_t first_conn,
               ClientTotals &totals);
    void tcp_event(ClientHost &h, uint32_t conn, uint32_t events) override;
    void after_input(ClientHost &h) override;
    void tick(ClientHost &h) override;
    void fire(uint64_t arg) override;
    // Every connection finished (all its requests answered, or failed).
    bool finished() const override { return finished_ == conns_.size(); }

protected:
    // Drivers of other protocols (client_memcached.h) reuse the connections,
    // the open and closed loops and the timeouts, and replace what a request
    // is: pump sends the bytes of the requests issued, receive checks the
    // answers and calls answered for each.
    enum State { WAITING, CONNECTING, OPEN, FINISHED };
    struct Conn {
        uint32_t handle = 0;
        State state = WAITING;
        uint64_t key = 0, rng = 0;
        uint64_t connect_ns = 0;
        uint64_t issued = 0, answered = 0;   // requests
        uint64_t tx_off = 0, rx_off = 0;     // bytes of the stream sent, received
        std::deque<uint64_t> out;            // issue times of the requests not yet answered
        bool bad = false;                    // the oldest of them had a wrong byte
    };
    enum { K_START = 1, K_ISSUE = 2 };

    void connect_all();
    bool may_issue(const Conn &c) const;
    void issue(Conn &c, uint64_t t_ns);
    void schedule_issue(unsigned i, uint64_t delay_ns);
    virtual void pump(Conn &c);
    virtual void receive(unsigned i);
    // The oldest request of connection i is answered (bytes long), of
    // request type `type` (-1: echo); when c.bad, counted as an error in
    // *err (err_verify when null).
    void answered(unsigned i, uint64_t bytes, uint64_t *err = nullptr, int type = -1);
    // Open loop: the gap to connection c's next arrival (Poisson; the
    // memcached driver's ETC draws its own).
    virtual uint64_t next_gap_ns(Conn &c);
    void finish(Conn &c, bool close);

    ClientScheduler &sched_;
    ClientHost &host_;
    const DriverParams p_;
    ClientTotals &t_;
    std::vector<Conn> conns_;
    std::unordered_map<uint32_t, unsigned> by_handle_;
    size_t finished_ = 0;
    bool started_ = false;
    ServerArp arp_;
    std::vector<uint8_t> buf_;
    int type_ = -1;                  // "echo", named at its first answer
};

#endif
