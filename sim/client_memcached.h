// client_memcached.h - the memcached driver of a client host
// (clients.driver = memcached): the echo driver's connections, open and
// closed loops and timeouts (client_driver.h), with memcached requests: a
// mix of gets (clients.mc_multiget keys each) and sets (values of
// clients.mc_value_bytes) over clients.mc_keys keys, chosen from the
// connection's seeded stream. A set of key k writes its next version v
// (counted over all hosts): flags v and bytes that are a function of (k, v).
// Every answer is checked: a set must be STORED; a get's VALUEs must be of
// keys asked for, in order, each a version of its key that was issued, with
// its exact bytes, then END. A miss (a key not yet set, or evicted) is legal
// and counted. Errors by cause: a wrong or malformed answer (verify), an
// error line of the server (server), then the echo driver's.
#ifndef DL_SIM_CLIENT_MEMCACHED_H
#define DL_SIM_CLIENT_MEMCACHED_H

#include <deque>
#include <string>
#include <vector>

#include "client_driver.h"

class MemcachedDriver : public EchoDriver {
public:
    MemcachedDriver(ClientScheduler &sched, ClientHost &host, const DriverParams &p, uint64_t first_conn,
                    ClientTotals &totals);

private:
    struct Req {
        bool get = false;
        std::vector<uint64_t> keys;
        uint64_t version = 0;       // set
    };
    struct Mc {
        std::deque<Req> reqs;       // built, not yet answered
        uint64_t built = 0;         // requests built (of c.issued)
        std::string tx;             // bytes built, not yet sent (from tx_off)
        size_t tx_off = 0;
        std::string rx;             // bytes received, not yet parsed
        size_t next = 0, hits = 0;  // the current get: next key expected, VALUEs found
        uint64_t answer_bytes = 0;  // of the answer being parsed
    };
    void pump(Conn &c) override;
    void receive(unsigned i) override;
    void build(Conn &c, Mc &m);
    // Parses the oldest answer of connection i from m.rx: 1 done (m.rx
    // consumed), 0 more bytes needed, -1 malformed (the stream is lost).
    int parse(unsigned i, Mc &m);
    static void eat(Mc &m, size_t n);
    bool value_ok(uint64_t key, uint64_t flags, const char *data, size_t n) const;

    std::vector<Mc> mc_;
};

// The bytes of value version v of key k (n of them).
void mc_value_fill(std::string &out, uint64_t key, uint64_t version, size_t n);

#endif
