// client_report.cpp - the measurements of the client hosts beyond the
// totals (client_system.h): latency percentiles per request type, requests
// and Gb/s per port over the measured window, the hosts' TCP
// retransmissions and drops, and the latency histograms for gnuplot.
#include "client_system.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

namespace {

void add_percentiles(cJSON *o, const std::vector<uint64_t> &sorted)
{
    cJSON_AddNumberToObject(o, "p50", (double)client_quantile(sorted, 0.5));
    cJSON_AddNumberToObject(o, "p90", (double)client_quantile(sorted, 0.9));
    cJSON_AddNumberToObject(o, "p99", (double)client_quantile(sorted, 0.99));
    cJSON_AddNumberToObject(o, "p99_9", (double)client_quantile(sorted, 0.999));
    cJSON_AddNumberToObject(o, "max", (double)client_quantile(sorted, 1.0));
}

double gbps(uint64_t bytes, uint64_t ns) { return ns ? (double)bytes * 8.0 / (double)ns : 0.0; }

} // namespace

uint64_t client_hist_bucket(uint64_t ns)
{
    if (ns < 16) return ns;
    unsigned e = 63 - (unsigned)__builtin_clzll(ns);   // 2^e <= ns
    uint64_t step = 1ULL << (e - 3);
    return ns / step * step;
}

void ClientSystem::add_types(cJSON *r) const
{
    cJSON *types = cJSON_AddObjectToObject(r, "types");
    for (size_t i = 0; i < totals_.types.size(); i++) {
        std::vector<uint64_t> s = totals_.type_latency_ns[i];
        std::sort(s.begin(), s.end());
        cJSON *o = cJSON_AddObjectToObject(types, totals_.types[i].c_str());
        cJSON_AddNumberToObject(o, "requests_completed", (double)s.size());
        add_percentiles(cJSON_AddObjectToObject(o, "latency_ns"), s);
    }
}

void ClientSystem::add_throughput(cJSON *r) const
{
    uint64_t w = window_ns();
    cJSON *t = cJSON_AddObjectToObject(r, "throughput");
    cJSON_AddNumberToObject(t, "requests_per_second", requests_per_second());
    cJSON_AddNumberToObject(t, "gbps_sent", gbps(totals_.bytes_sent, w));
    cJSON_AddNumberToObject(t, "gbps_answered", gbps(totals_.bytes_answered, w));
    cJSON_AddNumberToObject(t, "gbps", gbps(totals_.bytes_sent + totals_.bytes_answered, w));
    cJSON *ports = cJSON_AddArrayToObject(t, "ports");
    for (size_t i = 0; i < plan_.ports.size(); i++) {
        ClientTotals::Port p = i < totals_.port.size() ? totals_.port[i] : ClientTotals::Port();
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "port", plan_.ports[i]);
        cJSON_AddNumberToObject(o, "requests_completed", (double)p.completed);
        cJSON_AddNumberToObject(o, "requests_per_second", w ? (double)p.completed * 1e9 / (double)w : 0.0);
        cJSON_AddNumberToObject(o, "gbps_sent", gbps(p.bytes_sent, w));
        cJSON_AddNumberToObject(o, "gbps_answered", gbps(p.bytes_answered, w));
        cJSON_AddNumberToObject(o, "gbps", gbps(p.bytes_sent + p.bytes_answered, w));
        cJSON_AddItemToArray(ports, o);
    }
}

void ClientSystem::add_tcp(cJSON *r) const
{
    uint64_t sum[NET_COUNTER_CNT] = {};
    for (const ClientHost *h : hosts_)
        for (unsigned i = 0; i < NET_COUNTER_CNT; i++) sum[i] += ((const uint64_t *)net_counters(h->net))[i];
    uint64_t drops = 0;
    for (unsigned i = 0; i < NET_COUNTER_CNT; i++)
        if (!strncmp(net_counter_text(i), "drop:", 5)) drops += sum[i];
    uint64_t sw = 0;
    for (const ClientSwitch *s : switches_) sw += s->dropped;
    cJSON *t = cJSON_AddObjectToObject(r, "tcp");
    auto counter = [&](const char *name) {
        for (unsigned i = 0; i < NET_COUNTER_CNT; i++)
            if (!strcmp(net_counter_name(i), name)) return sum[i];
        return (uint64_t)0;
    };
    cJSON_AddNumberToObject(t, "retransmissions", (double)counter("tcp_rexmit_seg"));
    cJSON_AddNumberToObject(t, "timeouts", (double)counter("tcp_rto"));
    cJSON_AddNumberToObject(t, "fast_retransmits", (double)counter("tcp_fast_rexmit"));
    cJSON_AddNumberToObject(t, "host_drops", (double)drops);
    cJSON_AddNumberToObject(t, "switch_drops", (double)sw);
}

bool ClientSystem::write_latency_hist(const std::string &path, std::string &err) const
{
    FILE *f = fopen(path.c_str(), "w");
    if (!f) {
        err = path + ": " + strerror(errno);
        return false;
    }
    fprintf(f, "# latency histograms of the client hosts' answered requests, one block per request type\n"
               "# (gnuplot: index N); bucket_ns is a bucket's lower bound (8 buckets per power of two\n"
               "# above 16 ns); only the buckets holding a request are listed\n"
               "# type bucket_ns count\n");
    for (size_t i = 0; i < totals_.types.size(); i++) {
        std::map<uint64_t, uint64_t> h;
        for (uint64_t ns : totals_.type_latency_ns[i]) h[client_hist_bucket(ns)]++;
        if (i) fprintf(f, "\n\n");
        for (const auto &b : h)
            fprintf(f, "%s %llu %llu\n", totals_.types[i].c_str(), (unsigned long long)b.first,
                    (unsigned long long)b.second);
    }
    bool ok = !ferror(f);
    if (fclose(f) || !ok) {
        err = path + ": write failed";
        return false;
    }
    return true;
}
