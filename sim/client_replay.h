// client_replay.h - the replay driver of the client hosts (workload.kind =
// replay): the client side of a capture (replay_trace.h) replayed against
// the chip, one client connection per captured connection, spread over the
// hosts (connection k on host k mod hosts), each sending its requests' bytes
// over the host's own TCP (its own sequence numbers, ports and timing).
// timed: a connection opens at its recorded time and each request is sent at
// its recorded time (from the capture's first frame, divided by
// workload.replay_speed, after clients.start_us), whatever the answers;
// closed: connections open at their recorded times, and each sends its next
// request once the previous answer is complete. A connection closes once
// every answer is in. Each answer is framed with the trace library
// (trace_response) and compared with the real server's (replay_compare.h);
// the outcomes go to a ReplayReport shared by the hosts' drivers:
// results.clients.replay in stats.json and a summary line. Matched answers
// also count in the totals (ClientTotals::answered) under their request
// type ("GET /1k.html", "get", ...), with their latency.
#ifndef DL_SIM_CLIENT_REPLAY_H
#define DL_SIM_CLIENT_REPLAY_H

#include <cJSON.h>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "client_driver.h"
#include "replay_trace.h"
extern "C" {
#include "apps/httpd/http_docs.h"
}

// What every request of the capture came to, all hosts together.
class ReplayReport {
public:
    enum Outcome { MATCHED, MISMATCHED, UNANSWERED, NO_REFERENCE, OUTCOMES };
    ReplayReport(const ReplayTrace &rt, bool timed, double speed);
    // Request r of connection c (index in the trace) came to o; why: what
    // differed, or why it was not answered.
    void outcome(unsigned c, unsigned r, Outcome o, const std::string &why);
    // A connection got bytes no request asked for.
    void extra(unsigned c, const std::string &bytes);
    uint64_t count(Outcome o) const { return n_[o]; }
    uint64_t sent = 0, extra_conns = 0;
    cJSON *to_json() const;
    void summary(FILE *out) const;

private:
    struct Example {
        std::string type, why;
        unsigned conn, req;
        uint64_t frame;
    };
    struct Counts {
        uint64_t n[OUTCOMES] = {};
    };
    const ReplayTrace &rt_;
    bool timed_;
    double speed_;
    uint64_t n_[OUTCOMES] = {};
    std::map<std::string, Counts> by_type_;
    std::vector<Example> mismatch_ex_, unanswered_ex_, extra_ex_;
};

class ReplayDriver : public ClientDriver {
public:
    // Runs the connections k of the trace with k % p.hosts == p.host_index.
    ReplayDriver(ClientScheduler &sched, ClientHost &host, const DriverParams &p, ClientTotals &totals);
    void tcp_event(ClientHost &h, uint32_t conn, uint32_t events) override;
    void after_input(ClientHost &h) override;
    void tick(ClientHost &h) override;
    void fire(uint64_t arg) override;
    bool finished() const override { return finished_ == conns_.size(); }

private:
    enum State { WAITING, CONNECTING, OPEN, FINISHED };
    struct Conn {
        unsigned k;                       // in the trace
        State state = WAITING;
        bool due_open = false;            // its time came while ARP was still asking
        uint32_t handle = 0;
        size_t due = 0;                   // requests whose time has come
        size_t sent = 0, next = 0;        // requests sent; the first not settled
        uint64_t since_ns = 0;            // connect time, or when next was sent
        std::vector<uint64_t> sent_ns;
        std::string tx, rx;               // bytes not yet taken by TCP; received, not yet framed
        bool peer_fin = false;
    };
    enum { K_START = 1, K_OPEN = 2, K_SEND = 3 };

    uint64_t at_fs(uint64_t capture_ns) const;
    void open(unsigned i);
    void send_due(unsigned i);
    void pump(Conn &c);
    void settle(unsigned i);
    void unverified(uint64_t now, uint64_t bytes);
    void give_up(unsigned i, const std::string &why, bool abort);
    void finish(Conn &c, bool close);
    const ReplayConn &tc(const Conn &c) const { return p_.replay->conns[c.k]; }

    ClientScheduler &sched_;
    ClientHost &host_;
    const DriverParams p_;
    ClientTotals &t_;
    http_docs_t docs_;
    bool have_docs_ = false;
    std::vector<Conn> conns_;
    std::unordered_map<uint32_t, unsigned> by_handle_;
    size_t finished_ = 0;
    bool resolved_ = false;
    ServerArp arp_;
    std::vector<uint8_t> buf_;
};

#endif
