// client_config.cpp - the [clients] and [workload] sections checked and
// turned into a plan (client_config.h).
#include "client_config.h"

#include "client_http.h"
#include "mem/phys_mem.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

std::string fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char *f, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return buf;
}

uint64_t us_to_ns(double us) { return (uint64_t)std::llround(us * 1000.0); }

// "all" or "0,2-3": a set of ports below count. traced ports are left out of
// "all" and refused in a list.
bool parse_ports(const char *s, int64_t count, const std::vector<int> &traced, std::vector<int> &out,
                 std::string &err)
{
    std::vector<bool> on((size_t)count, false);
    auto is_traced = [&](int p) {
        for (int t : traced)
            if (t == p) return true;
        return false;
    };
    if (!strcmp(s, "all")) {
        for (int p = 0; p < count; p++) on[(size_t)p] = !is_traced(p);
    } else {
        const char *q = s;
        for (;;) {
            char *end;
            long a = strtol(q, &end, 10), b;
            if (end == q || a < 0) break;
            q = end;
            b = a;
            if (*q == '-') {
                b = strtol(q + 1, &end, 10);
                if (end == q + 1 || b < a) break;
                q = end;
            }
            for (long p = a; p <= b; p++) {
                if (p >= count) {
                    err = fmt("clients.ports = '%s': port %ld does not exist (the chip has %lld port(s), "
                              "port.count, numbered from 0)", s, p, (long long)count);
                    return false;
                }
                if (is_traced((int)p)) {
                    err = fmt("clients.ports = '%s': port %ld already replays a --pcap-in trace (a port has "
                              "one backend: leave it out of clients.ports)", s, p);
                    return false;
                }
                if (on[(size_t)p]) {
                    err = fmt("clients.ports = '%s': port %ld is named twice", s, p);
                    return false;
                }
                on[(size_t)p] = true;
            }
            if (*q == 0) {
                for (int p = 0; p < count; p++)
                    if (on[(size_t)p]) out.push_back(p);
                return true;
            }
            if (*q != ',') break;
            q++;
        }
        err = fmt("clients.ports = '%s': expected all or a list of port numbers and ranges such as 0,2-3", s);
        return false;
    }
    for (int p = 0; p < count; p++)
        if (on[(size_t)p]) out.push_back(p);
    return true;
}

} // namespace

bool client_parse_ipv4(const char *s, uint32_t &ip)
{
    uint32_t v = 0;
    const char *q = s;
    for (int i = 0; i < 4; i++) {
        if (*q < '0' || *q > '9') return false;
        unsigned o = 0, digits = 0;
        while (*q >= '0' && *q <= '9') {
            o = o * 10 + (unsigned)(*q++ - '0');
            if (++digits > 3 || o > 255) return false;
        }
        v = v << 8 | o;
        if (i < 3 && *q++ != '.') return false;
    }
    if (*q) return false;
    ip = v;
    return true;
}

std::string client_ip_str(uint32_t ip)
{
    return fmt("%u.%u.%u.%u", ip >> 24, ip >> 16 & 255, ip >> 8 & 255, ip & 255);
}

// The hosts' subnet: the chip's (net.address, checked by cfg_net) and room
// in it for every host. Returns false with err naming the keys.
static bool plan_addresses(const dl_config &cfg, ClientPlan &p, std::string &err)
{
    uint64_t mac;
    char e[512];
    if (cfg_net(&cfg, &p.server_ip, &p.netmask, &mac, e, sizeof e) < 0) {
        err = e;
        return false;
    }
    uint64_t usable = (uint64_t)~p.netmask - 1 - 1;   // less network, broadcast and the server
    if (p.hosts() > usable) {
        err = fmt("clients.hosts_per_port = %u on %zu port(s) makes %u hosts, more than the %llu addresses the "
                  "subnet of net.address = %s has besides the chip's", p.hosts_per_port, p.ports.size(), p.hosts(),
                  (unsigned long long)usable, cfg.net.address);
        return false;
    }
    return true;
}

// kind replay: the capture read and checked (replay_trace.h); the hosts
// get its connections in turn (conns_per_host: the most one host runs).
static bool plan_replay(const dl_config &cfg, ClientPlan &p, std::string &err)
{
    const auto &w = cfg.workload;
    std::string where = w.trace_from[0] ? std::string(" (set at ") + w.trace_from + ")" : "";
    if (!w.trace[0]) {
        err = "workload.kind = replay needs workload.trace = FILE, a pcap of clients talking to a real server";
        return false;
    }
    auto rt = std::make_shared<ReplayTrace>();
    std::string e;
    if (!replay_trace_load(w.trace, *rt, e)) {
        err = "workload.trace" + where + ": " + e;
        return false;
    }
    p.replay = rt;
    p.replay_timed = w.replay_mode == CFG_REPLAY_TIMED;
    p.replay_speed = w.replay_speed;
    p.replay_port = (uint16_t)w.replay_port;
    p.conns_per_host = (unsigned)((rt->conns.size() + p.hosts() - 1) / p.hosts());
    if (p.conns_per_host == 0) p.conns_per_host = 1;
    if (rt->proto_used[1]) {   // PROTO_HTTP: the bodies are checked against the httpd's documents
        http_docs_t docs;
        char de[256];
        if (http_docs_parse(cfg.deployment.app_args, &docs, de, sizeof de)) {
            err = std::string(de) + " (the replay checks the httpd's answers against these documents)";
            return false;
        }
        p.app_args = cfg.deployment.app_args;
    }
    return true;
}

// What the clients offer and how long: the driver, timers and buffers.
// Returns false with err naming the keys.
static bool plan_load(const dl_config &cfg, ClientPlan &p, std::string &err)
{
    const auto &c = cfg.clients;
    const auto &w = cfg.workload;
    p.kind = w.kind;
    p.server_port = (uint16_t)c.server_port;
    p.echo_bytes = (uint64_t)w.echo_bytes;
    p.open = w.loop == CFG_LOOP_OPEN;
    p.rate = w.rate;
    if (p.open && !(w.rate > 0)) {
        err = "workload.loop = open needs workload.rate above 0 (requests per simulated second offered by all "
              "connections together)";
        return false;
    }
    p.think_ns = us_to_ns(w.think_us);
    p.warmup_ns = us_to_ns(w.warmup_us);
    p.requests = (uint64_t)c.requests;
    p.duration_ns = us_to_ns(c.duration_us);
    if (p.kind == CFG_WL_REPLAY && !plan_replay(cfg, p, err)) return false;
    if (p.kind != CFG_WL_REPLAY && w.trace[0]) {
        err = std::string("workload.trace = ") + w.trace + " is set but workload.kind is not replay (set "
              "workload.kind = replay to replay it, or leave workload.trace empty)";
        return false;
    }
    if (p.requests == 0 && p.duration_ns == 0 && p.kind != CFG_WL_REPLAY) {
        err = "clients: neither clients.requests (per connection) nor clients.duration_us is set: the clients "
              "would never be done (set one or both)";
        return false;
    }
    p.start_ns = us_to_ns(c.start_us);
    p.timeout_ns = us_to_ns(c.timeout_us);
    if (p.timeout_ns == 0 && cfg.run.cycles == 0 && cfg.run.time_us == 0) {
        err = "clients.timeout_us = 0 waits for ever for a server that does not answer: bound the run with "
              "run.cycles or run.time_us, or give the clients a timeout";
        return false;
    }
    p.seed = w.seed ? (uint64_t)w.seed : (uint64_t)cfg.run.seed;
    if (c.window_kib & (c.window_kib - 1)) {
        err = fmt("clients.window_kib = %lld: expected a power of 2 (4, 8, 16, ...)", (long long)c.window_kib);
        return false;
    }
    p.window = (uint32_t)c.window_kib * 1024;
    // Each host's stack holds a receive and a send buffer per connection,
    // all of it written when the stack is built.
    double need = (double)p.hosts() * (p.conns_per_host + 1) * 2.0 * p.window;
    int64_t avail = phys_host_available();
    if (avail >= 0 && need > (double)avail) {
        err = fmt("clients: %u hosts x %u connections x 2 buffers of %u KiB (clients.hosts_per_port, "
                  "clients.conns_per_host, clients.window_kib) need %.0f MiB of host memory, the host has "
                  "%lld MiB available", p.hosts(), p.conns_per_host, p.window / 1024, need / 1048576.0,
                  (long long)(avail >> 20));
        return false;
    }
    p.rto_ns = us_to_ns(c.rto_us);
    p.delack_ns = us_to_ns(c.delack_us);
    p.timer_ns = us_to_ns(c.timer_us);
    p.switch_frames = (uint64_t)c.switch_frames;
    if (p.kind == CFG_WL_MEMCACHED) {
        p.mc_keys = (uint64_t)w.mc_keys;
        p.mc_value_bytes = (uint64_t)w.mc_value_bytes;
        p.mc_multiget = (unsigned)w.mc_multiget;
        p.mc_get_ratio = w.mc_get_ratio;
    } else if (p.kind == CFG_WL_ETC) {   // the memcached driver with ETC's draws
        p.mc_keys = (uint64_t)w.etc_keys;
        p.mc_multiget = 1;
        p.mc_get_ratio = w.etc_get_ratio;
        p.etc_zipf_s = w.etc_zipf_s;
        p.etc_value_max = (uint64_t)w.etc_value_max;
        p.etc_gpareto = w.etc_arrivals == CFG_ARRIVALS_GPARETO;
    }
    p.port_rate_gbps = cfg.port.rate_gbps;
    if (p.kind == CFG_WL_WEB) {
        p.app_args = cfg.deployment.app_args;
        p.web_paths = w.web_paths;
        p.web_zipf = w.web_popularity == CFG_POP_ZIPF;
        p.web_zipf_s = w.web_zipf_s;
        p.web_keepalive = w.web_keepalive != 0;
        p.web_pipeline = (unsigned)w.web_pipeline;
        HttpMix mix;
        if (!client_http_mix(p.app_args, p.web_paths, p.web_zipf, p.web_keepalive, p.web_pipeline, mix, err))
            return false;
    }
    return true;
}

bool client_plan(const dl_config &cfg, const std::vector<int> &traced, ClientPlan &p, std::string &err)
{
    const auto &c = cfg.clients;
    p = ClientPlan();
    if (c.hosts_per_port == 0) return true;
    p.enabled = true;
    p.hosts_per_port = (unsigned)c.hosts_per_port;
    p.conns_per_host = (unsigned)c.conns_per_host;
    if (!parse_ports(c.ports, cfg.port.count, traced, p.ports, err)) return false;
    if (p.ports.empty()) {
        err = fmt("clients.hosts_per_port = %lld but no port is left for client hosts (clients.ports = '%s', "
                  "port.count = %lld, %zu port(s) replaying --pcap-in traces)", (long long)c.hosts_per_port,
                  c.ports, (long long)cfg.port.count, traced.size());
        return false;
    }
    return plan_addresses(cfg, p, err) && plan_load(cfg, p, err);
}

uint32_t client_host_ip(const ClientPlan &p, unsigned port_i, unsigned h)
{
    uint32_t net = p.server_ip & p.netmask;
    uint32_t n = 1 + port_i * p.hosts_per_port + h;
    if (net + n >= p.server_ip) n++;
    return net + n;
}

void client_host_mac(unsigned port, unsigned h, uint8_t mac[6])
{
    mac[0] = 0x02;
    mac[1] = 0xdc;
    mac[2] = 0x00;
    mac[3] = (uint8_t)port;
    mac[4] = (uint8_t)((h + 1) >> 8);
    mac[5] = (uint8_t)(h + 1);
}

int client_mac_host(unsigned port, const uint8_t mac[6], unsigned hosts_per_port)
{
    if (mac[0] != 0x02 || mac[1] != 0xdc || mac[2] != 0 || mac[3] != port) return -1;
    unsigned h = ((unsigned)mac[4] << 8 | mac[5]) - 1;
    return h < hosts_per_port ? (int)h : -1;
}
