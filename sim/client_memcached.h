// client_memcached.h - the memcached driver of a client host
// (workload.kind = memcached or etc): the echo driver's connections, open and
// closed loops and timeouts (client_driver.h), with memcached requests: a
// mix of gets (workload.mc_multiget keys each) and sets (values of
// workload.mc_value_bytes) over workload.mc_keys keys, chosen from the
// connection's seeded stream. A set of key k writes its next version v
// (counted over all hosts): flags v and bytes that are a function of (k, v).
// Every answer is checked: a set must be STORED; a get's VALUEs must be of
// keys asked for, in order, each a version of its key that was issued, with
// its exact bytes, then END. A miss (a key not yet set, or evicted) is legal
// and counted. Errors by cause: a wrong or malformed answer (verify), an
// error line of the server (server), then the echo driver's. Request types:
// get_hit (every key found), get_miss, set.
// Kind etc (Atikoglu et al. 2012, as mutilate encodes it, workload_dist.h):
// keys of ETC's GEV sizes drawn by a Zipf popularity over workload.etc_keys,
// values of ETC's sizes, gets in the ratio etc_get_ratio, and in open loop
// ETC's Generalized Pareto inter-arrival times scaled to the rate.
#ifndef DL_SIM_CLIENT_MEMCACHED_H
#define DL_SIM_CLIENT_MEMCACHED_H

#include <deque>
#include <string>
#include <vector>

#include "client_driver.h"
#include "workload_dist.h"

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
        unsigned type = 0;          // its request type (get_hit, get_miss, set)
    };
    uint64_t next_gap_ns(Conn &c) override;
    void pump(Conn &c) override;
    void receive(unsigned i) override;
    void build(Conn &c, Mc &m);
    // Parses the oldest answer of connection i from m.rx: 1 done (m.rx
    // consumed), 0 more bytes needed, -1 malformed (the stream is lost).
    int parse(unsigned i, Mc &m);
    static void eat(Mc &m, size_t n);
    bool value_ok(uint64_t key, uint64_t flags, const char *data, size_t n) const;

    std::vector<Mc> mc_;
    unsigned type_hit_ = 0, type_miss_ = 0, type_set_ = 0;
};

// Key k's name: key:K, or with ETC a name of the key's own size (drawn
// once from ETC's GEV, from the seed and k): kK_ then letters.
std::string mc_key_name(const DriverParams &p, uint64_t k);
// The size of key k's values: mc_value_bytes, or with ETC drawn once from
// ETC's value sizes (from the seed and k), at most etc_value_max.
uint64_t mc_value_size(const DriverParams &p, uint64_t k);
// The next key from the stream rng: uniform over mc_keys, or with ETC by
// the keys' Zipf popularity.
uint64_t mc_next_key(const DriverParams &p, uint64_t &rng);

// The bytes of value version v of key k (n of them).
void mc_value_fill(std::string &out, uint64_t key, uint64_t version, size_t n);

#endif
