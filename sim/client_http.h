// client_http.h - the HTTP driver of a client host (workload.kind = web):
// GETs of a document mix (workload.web_paths, weighted) from the chip's
// httpd, every answer checked: the status line, the headers (Content-Length
// the document's size, Content-Type its type, Connection: close exactly
// when the connection is not kept alive) and every body byte (the documents
// and their bytes come from deployment.app_args through the firmware's own
// parser, stack/apps/httpd/http_docs.h). Keep-alive (workload.web_keepalive):
// a connection carries all its requests, workload.web_pipeline of them
// written before their answers; without, every request opens a connection,
// which the server must close after the answer (latency from the connect).
// Open and closed loop, think times, durations and time-outs as the echo
// driver (client_driver.h); errors counted by cause.
#ifndef DL_SIM_CLIENT_HTTP_H
#define DL_SIM_CLIENT_HTTP_H

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "client_driver.h"
#include "workload_dist.h"
extern "C" {
#include "apps/httpd/http_docs.h"
}

// What one entry of the mix asks: GET or HEAD of a document, or GET of a
// path that is not one (answered 404).
struct HttpItem {
    std::string path;
    int doc = -1;                    // the document, or -1: expect 404
    bool head = false;
};

// The documents and the weighted mix the hosts fetch.
struct HttpMix {
    http_docs_t docs;
    std::vector<HttpItem> item;      // the entries of the mix
    std::vector<uint64_t> cum;       // cumulative weights
    bool zipf = false;               // drawn by a Zipf popularity over item, in order
    bool keepalive = true;
    unsigned pipeline = 1;
};

// Parses deployment.app_args and workload.web_paths into mix: entries
// "[HEAD:|404:]PATH[*WEIGHT]" separated by commas (HEAD: a HEAD request;
// 404: a path that must not be a document, answered 404; weight 1 by
// default); empty: a GET of every document, weight 1. Returns false with
// err naming the key and what was expected.
// zipf: the entries are drawn by a Zipf popularity in their order (the
// first the most popular), and may not carry weights.
bool client_http_mix(const std::string &app_args, const std::string &paths, bool zipf, bool keepalive,
                     unsigned pipeline, HttpMix &mix, std::string &err);

// The Host header for the server, and the request of an entry.
std::string client_http_host(uint32_t server_ip, uint16_t server_port);
std::string client_http_request(const HttpItem &it, const std::string &host, bool keepalive);

// The next entry of the mix drawn from the stream rng (zipf: the mix's
// Zipf table when mix.zipf).
unsigned client_http_pick(const HttpMix &mix, const wl_zipf *zipf, uint64_t &rng);

// Entry k's type name in the results: "GET:/64", "HEAD:/1k", "404:/none".
std::string client_http_type(const HttpItem &it);

class HttpDriver : public ClientDriver {
public:
    HttpDriver(ClientScheduler &sched, ClientHost &host, const DriverParams &p, uint64_t first_conn,
               ClientTotals &totals);
    ~HttpDriver();
    void tcp_event(ClientHost &h, uint32_t conn, uint32_t events) override;
    void after_input(ClientHost &h) override;
    void tick(ClientHost &h) override;
    void fire(uint64_t arg) override;
    bool finished() const override { return finished_ == conns_.size(); }

private:
    enum State { IDLE, CONNECTING, OPEN, DRAINING, FINISHED };
    enum Cause { E_STATUS, E_HEADER, E_BODY, E_EXTRA, E_CAUSES };
    struct Req {
        uint64_t t;
        unsigned item;   // of mix_.item
    };
    struct Conn {
        uint32_t handle = 0;
        State state = IDLE;
        unsigned written = 0;             // requests written on this connection
        uint64_t rng = 0, since_ns = 0;   // state entered at (connect, drain)
        uint64_t issued = 0, answered = 0;
        std::deque<Req> out;              // issued, not answered; the first on_wire written
        unsigned on_wire = 0;
        std::string tx;                   // request bytes not yet taken by TCP
        // the answer being read
        int part = 0;                     // 0 status line, 1 headers, 2 body
        std::string line;
        bool got_length = false, got_close = false;
        uint64_t body_off = 0, resp_bytes = 0;
    };
    enum { K_START = 1, K_ISSUE = 2 };

    void connect(unsigned i);
    bool may_issue(const Conn &c) const;
    void issue(unsigned i, uint64_t t_ns);
    void schedule_issue(unsigned i, uint64_t delay_ns);
    void write_requests(Conn &c);
    void pump(Conn &c);
    void receive(unsigned i);
    bool header_line(Conn &c, const std::string &line);
    void answered(unsigned i);
    void next(unsigned i);
    void fail(unsigned i, Cause cause);
    void finish(Conn &c, bool close);
    unsigned pick(Conn &c);
    // What the answer to an entry must be.
    uint64_t content_length(const HttpItem &it) const;
    bool body_ok(const HttpItem &it, uint64_t off, const uint8_t *b, size_t n) const;

    ClientScheduler &sched_;
    ClientHost &host_;
    const DriverParams p_;
    ClientTotals &t_;
    HttpMix mix_;
    wl_zipf zipf_{};                  // web_popularity = zipf
    std::vector<unsigned> type_;      // results type of each entry
    std::string host_hdr_;
    std::vector<Conn> conns_;
    std::unordered_map<uint32_t, unsigned> by_handle_;
    size_t finished_ = 0;
    ServerArp arp_;
    std::vector<uint8_t> buf_;
};

#endif
