/* udn_stats.h - statistics of the UDN mesh: message latency histogram and
 * percentiles, per-link utilisation, demux queue occupancy, cycles each tile
 * spent blocked on send, faults. Updated by the engine (udn_mesh.cpp) and
 * returned as a cJSON object for stats.json (udn_stats.cpp). */
#ifndef DL_MESH_UDN_STATS_H
#define DL_MESH_UDN_STATS_H

#include <stdint.h>
#include <vector>

#include <cjson/cJSON.h>

/* An exact histogram of integer latencies (cycles) with percentiles. */
class udn_latency_hist {
public:
    udn_latency_hist() : n_(0), sum_(0), max_(0) {}
    void add(uint64_t v);
    void clear() { bins_.clear(); n_ = 0; sum_ = 0; max_ = 0; }
    uint64_t count() const { return n_; }
    double mean() const { return n_ ? (double)sum_ / (double)n_ : 0.0; }
    uint64_t max() const { return max_; }
    /* Smallest v such that at least p (0..1] of the samples are <= v; 0 if empty. */
    uint64_t percentile(double p) const;
    /* {"count","mean","p50","p90","p99","max","bins":[[latency,count],...]} */
    cJSON *to_json() const;
private:
    std::vector<uint64_t> bins_;
    uint64_t n_, sum_, max_;
};

class udn_mesh_stats {
public:
    udn_mesh_stats(int width, int height, int queues);

    /* Restarts every counter at cycle `from` (end of a warm-up). Faults are
     * kept: they are never forgotten. */
    void reset(uint64_t from);

    /* Engine hooks. The engine bumps link counters through this pointer
     * ([router][port 0..4], valid for the object's life). */
    uint64_t *link_counters() { return &link_words_[0]; }
    void link_word(int router, int port) { link_words_[(size_t)router * 5 + port]++; }
    void inject_word(int tile) { inject_words_[tile]++; }
    void queue_change(int tile, int q, uint32_t new_count, uint64_t cycle);
    void blocked(int tile, uint64_t cycles) { blocked_cycles_[tile] += cycles; }
    void delivered(uint64_t latency, int length);
    void fault(int tile, int code);

    /* The whole record as one object; cycle is the end of the measurement
     * (queue occupancy is averaged up to it). The caller owns the result;
     * NULL only if cJSON runs out of memory. Layout:
     *   {"cycles", "messages", "payload_words", "latency":{hist},
     *    "links":{"east","west","south","north","eject","inject"}: H x W
     *            matrices of words per cycle, "link_words_total",
     *    "queue_occupancy":{"mean","max"}: [tile][queue],
     *    "send_blocked_cycles":[tile], "faults":{"total", by code, "by_tile"}} */
    cJSON *to_json(uint64_t cycle) const;

    /* Words per cycle over [start, cycle) on output `port` of `router`. */
    double link_util(int router, int port, uint64_t cycle) const;
    double inject_util(int tile, uint64_t cycle) const;
    uint64_t start() const { return start_; }
    uint64_t messages() const { return messages_; }
    uint64_t payload_words() const { return payload_words_; }
    uint64_t faults_total() const { return faults_total_; }
    uint64_t faults_by_code(int code) const { return faults_by_code_[code]; }
    uint64_t blocked_cycles(int tile) const { return blocked_cycles_[tile]; }
    const udn_latency_hist &latency() const { return latency_; }

private:
    int width_, height_, queues_;
    uint64_t start_;
    std::vector<uint64_t> link_words_;     /* [router][port 0..4] */
    std::vector<uint64_t> inject_words_;   /* [tile] */
    std::vector<uint64_t> q_area_;         /* [tile][q] sum of count x cycles */
    std::vector<uint64_t> q_last_;         /* [tile][q] cycle of the last change */
    std::vector<uint32_t> q_now_;          /* [tile][q] current count */
    std::vector<uint32_t> q_max_;
    std::vector<uint64_t> blocked_cycles_;
    std::vector<uint64_t> faults_tile_;
    uint64_t faults_by_code_[8];
    uint64_t faults_total_;
    uint64_t messages_, payload_words_;
    udn_latency_hist latency_;
};

#endif
