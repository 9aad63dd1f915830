// client_system.cpp - all the client hosts of a run (client_system.h).
#include "client_system.h"

#include <algorithm>
#include <cmath>

ClientSystem::ClientSystem(const ClientPlan &plan, std::string &err) : plan_(plan)
{
    sched_ = new ClientScheduler("clients");
    DriverParams dp;
    dp.server_ip = plan.server_ip;
    dp.server_port = plan.server_port;
    dp.echo_bytes = plan.echo_bytes;
    dp.open = plan.open;
    dp.conn_rate = plan.open ? plan.rate / (double)plan.connections() : 0;
    dp.think_ns = plan.think_ns;
    dp.requests = plan.requests;
    dp.start_ns = plan.start_ns;
    dp.warm_ns = plan.warmup_ns ? plan.start_ns + plan.warmup_ns : 0;
    dp.end_ns = plan.end_ns();
    dp.timeout_ns = plan.timeout_ns;
    dp.seed = plan.seed;
    dp.conns = plan.conns_per_host;
    dp.app_args = plan.app_args;
    dp.web_paths = plan.web_paths;
    dp.web_zipf = plan.web_zipf;
    dp.web_zipf_s = plan.web_zipf_s;
    dp.web_keepalive = plan.web_keepalive;
    dp.web_pipeline = plan.web_pipeline;
    if (plan.replay) {
        replay_ = std::make_unique<ReplayReport>(*plan.replay, plan.replay_timed, plan.replay_speed);
        dp.replay = plan.replay.get();
        dp.replay_report = replay_.get();
        dp.replay_timed = plan.replay_timed;
        dp.replay_speed = plan.replay_speed;
        dp.replay_port = plan.replay_port;
        dp.hosts = plan.hosts();
    }
    dp.mc_keys = plan.mc_keys;
    dp.mc_get_ratio = plan.mc_get_ratio;
    dp.mc_value_bytes = plan.mc_value_bytes;
    dp.mc_multiget = plan.mc_multiget;
    dp.etc = plan.kind == CFG_WL_ETC;
    dp.etc_value_max = plan.etc_value_max;
    dp.etc_gpareto = plan.etc_gpareto;
    if (dp.etc) {
        if (wl_zipf_init(&etc_zipf_, plan.mc_keys, plan.etc_zipf_s)) {
            err = "workload.etc_keys = " + std::to_string(plan.mc_keys) + ": no memory for the keys' Zipf table";
            return;
        }
        dp.etc_zipf = &etc_zipf_;
    }
    totals_.warm_ns = dp.warm_ns;
    totals_.port.resize(plan.ports.size());
    uint64_t first_conn = 0;
    for (size_t pi = 0; pi < plan.ports.size(); pi++) {
        unsigned port = (unsigned)plan.ports[pi];
        ClientSwitch *sw = new ClientSwitch(*sched_, port, plan.port_rate_gbps, plan.switch_frames);
        switches_.push_back(sw);
        for (unsigned h = 0; h < plan.hosts_per_port; h++) {
            HostSpec s;
            client_host_mac(port, h, s.mac);
            s.ip = client_host_ip(plan, (unsigned)pi, h);
            s.netmask = plan.netmask;
            s.conns = plan.conns_per_host;
            // without keep-alive a connection's successor opens while it
            // finishes its close
            if (plan.kind == CFG_WL_WEB && !plan.web_keepalive) s.conns *= 2;
            dp.host_index = (unsigned)hosts_.size();
            s.window = plan.window;
            s.rto_ns = plan.rto_ns;
            s.delack_ns = plan.delack_ns;
            s.secret = plan.seed * 0x9e3779b97f4a7c15ULL + s.ip;
            ClientHost *host = new ClientHost(s, sw, err);
            hosts_.push_back(host);
            if (!err.empty()) return;
            sw->add_host(host);
            dp.port_i = (unsigned)pi;
            if (plan.replay) drivers_.push_back(new ReplayDriver(*sched_, *host, dp, totals_));
            else drivers_.push_back(client_driver_new(plan.kind, *sched_, *host, dp, first_conn, totals_));
            first_conn += plan.conns_per_host;
        }
    }
    sched_->at(plan.start_ns * 1000000, this, K_TICK);
    if (dp.end_ns) sched_->at(dp.end_ns * 1000000, this, K_END);
}

ClientSystem::~ClientSystem()
{
    for (ClientDriver *d : drivers_) delete d;
    for (ClientHost *h : hosts_) delete h;
    for (ClientSwitch *s : switches_) delete s;
    wl_zipf_free(&etc_zipf_);
    // sched_ is a SystemC module: the kernel owns it until the end.
}

void ClientSystem::fire(uint64_t arg)
{
    if (arg == K_END) {
        totals_.ended = true;
        return;
    }
    for (ClientHost *h : hosts_) h->tick();
    sched_->at(ClientScheduler::now_fs() + plan_.timer_ns * 1000000, this, K_TICK);
}

bool ClientSystem::done() const
{
    return totals_.ended || totals_.finished == totals_.connections;
}

uint64_t ClientSystem::window_ns() const
{
    if (totals_.first_issue_ns == UINT64_MAX) return 0;
    uint64_t begin = std::max(totals_.first_issue_ns, totals_.warm_ns);
    uint64_t end = totals_.ended ? plan_.end_ns() : totals_.last_answer_ns;
    return end > begin ? end - begin : 0;
}

double ClientSystem::requests_per_second() const
{
    uint64_t w = window_ns();
    return w ? (double)totals_.completed * 1e9 / (double)w : 0.0;
}

uint64_t client_quantile(const std::vector<uint64_t> &sorted, double q)
{
    if (sorted.empty()) return 0;
    size_t n = sorted.size();
    size_t rank = (size_t)std::ceil(q * (double)n);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

uint64_t ClientSystem::latency_at(double q) const
{
    if (!sorted_ok_) {
        sorted_ = totals_.latency_ns;
        std::sort(sorted_.begin(), sorted_.end());
        sorted_ok_ = true;
    }
    return client_quantile(sorted_, q);
}

cJSON *ClientSystem::results() const
{
    const ClientTotals &t = totals_;
    cJSON *r = cJSON_CreateObject();
    cJSON_AddNumberToObject(r, "hosts", plan_.hosts());
    cJSON_AddNumberToObject(r, "connections", (double)plan_.connections());
    cJSON *ports = cJSON_AddArrayToObject(r, "ports");
    for (int p : plan_.ports) cJSON_AddItemToArray(ports, cJSON_CreateNumber(p));
    static const char *const kinds[] = { "echo", "web", "memcached", "etc", "replay" };
    cJSON_AddStringToObject(r, "kind", kinds[plan_.kind]);
    cJSON_AddStringToObject(r, "mode", plan_.replay ? (plan_.replay_timed ? "timed" : "closed")
                                       : plan_.open ? "open" : "closed");
    cJSON_AddBoolToObject(r, "done", done());
    cJSON_AddNumberToObject(r, "connected", (double)t.connected);
    cJSON_AddNumberToObject(r, "requests_issued", (double)t.issued);
    cJSON_AddNumberToObject(r, "requests_completed", (double)t.completed);
    cJSON_AddNumberToObject(r, "warmup_ns", (double)plan_.warmup_ns);
    cJSON_AddNumberToObject(r, "requests_warmup", (double)t.warmup_answered);
    cJSON_AddNumberToObject(r, "bytes_sent", (double)t.bytes_sent);
    cJSON_AddNumberToObject(r, "bytes_answered", (double)t.bytes_answered);
    cJSON *e = cJSON_AddObjectToObject(r, "errors");
    cJSON_AddNumberToObject(e, "total", (double)t.errors());
    cJSON_AddNumberToObject(e, "verify", (double)t.err_verify);
    cJSON_AddNumberToObject(e, "reset", (double)t.err_reset);
    cJSON_AddNumberToObject(e, "timeout", (double)t.err_timeout);
    cJSON_AddNumberToObject(e, "connect", (double)t.err_connect);
    cJSON_AddNumberToObject(e, "peer_closed", (double)t.err_peer_closed);
    for (const auto &v : t.verify_causes) cJSON_AddNumberToObject(e, v.first.c_str(), (double)v.second);
    if (replay_) cJSON_AddItemToObject(r, "replay", replay_->to_json());
    cJSON_AddNumberToObject(e, "server", (double)t.err_server);
    if (plan_.kind == CFG_WL_MEMCACHED || plan_.kind == CFG_WL_ETC) {
        cJSON *m = cJSON_AddObjectToObject(r, "memcached");
        cJSON_AddNumberToObject(m, "gets", (double)t.mc_gets);
        cJSON_AddNumberToObject(m, "sets", (double)t.mc_sets);
        cJSON_AddNumberToObject(m, "hits", (double)t.mc_hits);
        cJSON_AddNumberToObject(m, "misses", (double)t.mc_misses);
    }
    cJSON_AddNumberToObject(r, "window_ns", (double)window_ns());
    cJSON_AddNumberToObject(r, "requests_per_second", requests_per_second());
    cJSON *l = cJSON_AddObjectToObject(r, "latency_ns");
    cJSON_AddNumberToObject(l, "p50", (double)latency_at(0.5));
    cJSON_AddNumberToObject(l, "p90", (double)latency_at(0.9));
    cJSON_AddNumberToObject(l, "p99", (double)latency_at(0.99));
    cJSON_AddNumberToObject(l, "p99_9", (double)latency_at(0.999));
    cJSON_AddNumberToObject(l, "max", (double)latency_at(1.0));
    add_types(r);
    add_throughput(r);
    add_tcp(r);
    cJSON *f = cJSON_AddObjectToObject(r, "frames");
    uint64_t up = 0, down = 0, drop = 0, unknown = 0, maxq = 0;
    for (const ClientSwitch *s : switches_) {
        up += s->to_chip;
        down += s->from_chip;
        drop += s->dropped;
        unknown += s->unknown;
        maxq = std::max(maxq, s->max_queue);
    }
    cJSON_AddNumberToObject(f, "to_chip", (double)up);
    cJSON_AddNumberToObject(f, "from_chip", (double)down);
    cJSON_AddNumberToObject(f, "switch_drops", (double)drop);
    cJSON_AddNumberToObject(f, "unknown_destination", (double)unknown);
    cJSON_AddNumberToObject(f, "switch_queue_max", (double)maxq);
    // The hosts' stack counters, summed (the ones that are not zero).
    cJSON *n = cJSON_AddObjectToObject(r, "net");
    for (unsigned i = 0; i < NET_COUNTER_CNT; i++) {
        uint64_t sum = 0;
        for (const ClientHost *h : hosts_) sum += ((const uint64_t *)net_counters(h->net))[i];
        if (sum) cJSON_AddNumberToObject(n, net_counter_name(i), (double)sum);
    }
    return r;
}

void ClientSystem::summary(FILE *out) const
{
    const ClientTotals &t = totals_;
    uint64_t w = window_ns();
    fprintf(out, "  clients     %u hosts, %llu connections: %llu of %llu requests answered, %llu errors, "
            "%.0f requests/s, %.3f Gb/s; latency p50 %.2f us, p99 %.2f us, max %.2f us\n",
            plan_.hosts(), (unsigned long long)plan_.connections(), (unsigned long long)t.completed,
            (unsigned long long)t.issued, (unsigned long long)t.errors(), requests_per_second(),
            w ? (double)(t.bytes_sent + t.bytes_answered) * 8.0 / (double)w : 0.0,
            (double)latency_at(0.5) / 1e3, (double)latency_at(0.99) / 1e3, (double)latency_at(1.0) / 1e3);
    if (replay_) replay_->summary(out);
    if (plan_.warmup_ns)
        fprintf(out, "  clients     warm-up %.3f us: %llu answers in it not counted\n", (double)plan_.warmup_ns / 1e3,
                (unsigned long long)t.warmup_answered);
    if (t.types.size() < 2) return;
    for (size_t i = 0; i < t.types.size(); i++) {
        std::vector<uint64_t> s = t.type_latency_ns[i];
        std::sort(s.begin(), s.end());
        fprintf(out, "  clients     %-16s %llu answered; latency p50 %.2f us, p99 %.2f us, max %.2f us\n",
                t.types[i].c_str(), (unsigned long long)s.size(), (double)client_quantile(s, 0.5) / 1e3,
                (double)client_quantile(s, 0.99) / 1e3, (double)client_quantile(s, 1.0) / 1e3);
    }
}
