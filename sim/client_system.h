// client_system.h - all the client hosts of a run, built from the
// [clients] and [workload] plan: the scheduler, one switch per client port,
// the hosts behind it (each with its workload's driver), their timer ticks,
// the end of the duration, and what they report: results.clients in
// stats.json, a summary, latency_hist.dat, the host time they took.
#ifndef DL_SIM_CLIENT_SYSTEM_H
#define DL_SIM_CLIENT_SYSTEM_H

#include <cJSON.h>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "client_config.h"
#include "client_driver.h"
#include "client_host.h"
#include "client_replay.h"
#include "workload_dist.h"

class ClientSystem : public ClientTask {
public:
    // Builds everything (call during elaboration, before sc_start); err says
    // what failed (check it).
    ClientSystem(const ClientPlan &plan, std::string &err);
    ~ClientSystem();

    // The switch of plan.ports[i]: the PortBackend of that port.
    const std::vector<ClientSwitch *> &switches() const { return switches_; }
    ClientScheduler &scheduler() { return *sched_; }
    const ClientTotals &totals() const { return totals_; }

    // All requests answered (or failed), or the duration passed.
    bool done() const;
    // The measured window: first request issued to last answer (or to the
    // end of the duration), in ns; 0 when nothing was issued.
    uint64_t window_ns() const;
    double requests_per_second() const;
    // Latency at quantile q (0..1, nearest rank) of the answered requests.
    uint64_t latency_at(double q) const;

    // results.clients (deterministic).
    cJSON *results() const;
    // The latency histograms per request type as a gnuplot table (a block
    // per type, "type bucket_ns count"); false with err when path cannot
    // be written. (client_report.cpp)
    bool write_latency_hist(const std::string &path, std::string &err) const;
    // One line: "  clients     ...".
    void summary(FILE *out) const;
    // Host time spent in the client hosts.
    double host_seconds() const { return sched_->host_seconds; }

    void fire(uint64_t arg) override;

private:
    // The parts of results() in client_report.cpp: per type, throughput per
    // port, the hosts' TCP retransmissions and drops.
    void add_types(cJSON *r) const;
    void add_throughput(cJSON *r) const;
    void add_tcp(cJSON *r) const;

    enum { K_TICK = 1, K_END = 2 };
    ClientPlan plan_;
    ClientScheduler *sched_ = nullptr;
    std::vector<ClientSwitch *> switches_;
    std::vector<ClientHost *> hosts_;
    std::vector<ClientDriver *> drivers_;
    ClientTotals totals_;
    std::unique_ptr<ReplayReport> replay_;   // kind replay
    wl_zipf etc_zipf_{};             // kind etc: the keys' popularity
    mutable std::vector<uint64_t> sorted_;
    mutable bool sorted_ok_ = false;
};

// The sample at quantile q (0..1, nearest rank) of sorted; 0 when empty.
uint64_t client_quantile(const std::vector<uint64_t> &sorted, double q);

// The latency histogram's buckets: 8 per power of two above 16 ns (each
// within 12.5 %), one per ns below; the bucket of ns and its lower bound.
uint64_t client_hist_bucket(uint64_t ns);

#endif
