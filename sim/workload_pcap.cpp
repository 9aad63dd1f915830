// workload_pcap.cpp - the workload's requests written as a pcap
// (workload_pcap.h). The draws follow the drivers (client_driver.cpp,
// client_http.cpp): echo open loop an arrival gap, then a gap per request;
// web open loop a gap, then per request an entry and a gap; closed loop the
// entries of the first requests (web_pipeline of them with keep-alive), then
// per answer a think time (when think_us > 0) and the next entry.
#include "workload_pcap.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "client_driver.h"
#include "client_http.h"
#include "client_memcached.h"

namespace {

const uint32_t MSS = 1460;
const uint64_t HANDSHAKE_STEP_NS = 1000;   // SYN, SYN-ACK, ACK this far apart
const uint16_t FIRST_PORT = 49152;         // the hosts' first ephemeral port

struct Rec {
    uint64_t t_ns, order;
    std::vector<uint8_t> frame;
};

void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }

uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
    for (size_t i = 0; i + 1 < n; i += 2) s += (uint32_t)p[i] << 8 | p[i + 1];
    if (n & 1) s += (uint32_t)p[n - 1] << 8;
    return s;
}

uint16_t fold(uint32_t s)
{
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

// One TCP connection of the file: addresses, sequence numbers, its frames.
class Conn {
public:
    Conn(const uint8_t src_mac[6], uint64_t chip_mac, uint32_t src_ip, uint32_t dst_ip, uint16_t sport,
         uint16_t dport, uint64_t isn_seed, std::vector<Rec> &out)
        : sip_(src_ip), dip_(dst_ip), sport_(sport), dport_(dport), out_(out)
    {
        memcpy(cmac_, src_mac, 6);
        for (int i = 0; i < 6; i++) smac_[i] = (uint8_t)(chip_mac >> (40 - 8 * i));
        cseq_ = (uint32_t)client_mix64(isn_seed);
        sseq_ = (uint32_t)client_mix64(isn_seed ^ 0x5bd1e995ULL);
    }
    // SYN at t, SYN-ACK, ACK; returns when the connection is open.
    uint64_t handshake(uint64_t t)
    {
        frame(t, true, 0x02, cseq_, 0, nullptr, 0);
        frame(t + HANDSHAKE_STEP_NS, false, 0x12, sseq_, cseq_ + 1, nullptr, 0);
        cseq_++;
        sseq_++;
        frame(t + 2 * HANDSHAKE_STEP_NS, true, 0x10, cseq_, sseq_, nullptr, 0);
        return t + 2 * HANDSHAKE_STEP_NS;
    }
    // The request's bytes at t, in segments of at most MSS.
    void send(uint64_t t, const uint8_t *p, size_t n)
    {
        for (size_t off = 0; off < n; off += MSS) {
            size_t k = std::min<size_t>(MSS, n - off);
            frame(t, true, off + k == n ? 0x18 : 0x10, cseq_, sseq_, p + off, k);
            cseq_ += (uint32_t)k;
        }
    }

private:
    void frame(uint64_t t, bool up, uint8_t flags, uint32_t seq, uint32_t ack, const uint8_t *p, size_t n)
    {
        size_t opt = flags & 0x02 ? 4 : 0, tcp = 20 + opt, len = 14 + 20 + tcp + n;
        std::vector<uint8_t> f(len, 0);
        memcpy(&f[0], up ? smac_ : cmac_, 6);
        memcpy(&f[6], up ? cmac_ : smac_, 6);
        put16(&f[12], 0x0800);
        uint8_t *ip = &f[14], *th = ip + 20;
        uint32_t src = up ? sip_ : dip_, dst = up ? dip_ : sip_;
        ip[0] = 0x45;
        put16(ip + 2, (uint32_t)(20 + tcp + n));
        put16(ip + 4, id_++);
        put16(ip + 6, 0x4000);
        ip[8] = 64;
        ip[9] = 6;
        put32(ip + 12, src);
        put32(ip + 16, dst);
        put16(ip + 10, fold(sum16(ip, 20, 0)));
        put16(th, up ? sport_ : dport_);
        put16(th + 2, up ? dport_ : sport_);
        put32(th + 4, seq);
        put32(th + 8, ack);
        th[12] = (uint8_t)(tcp / 4 << 4);
        th[13] = flags;
        put16(th + 14, 65535);
        if (opt) {   // MSS option
            th[20] = 2;
            th[21] = 4;
            put16(th + 22, MSS);
        }
        if (n) memcpy(th + tcp, p, n);
        uint8_t pseudo[12];
        put32(pseudo, src);
        put32(pseudo + 4, dst);
        pseudo[8] = 0;
        pseudo[9] = 6;
        put16(pseudo + 10, (uint32_t)(tcp + n));
        put16(th + 16, fold(sum16(th, tcp + n, sum16(pseudo, 12, 0))));
        out_.push_back(Rec{ t, out_.size(), std::move(f) });
    }

    uint8_t cmac_[6], smac_[6];
    uint32_t sip_, dip_, cseq_, sseq_;
    uint16_t sport_, dport_, id_ = 1;
    std::vector<Rec> &out_;
};

// The requests of one client connection (conn: its number among all).
class Gen {
public:
    Gen(const ClientPlan &p, const DriverParams &dp, const HttpMix &mix, const wl_zipf *zipf, uint64_t chip_mac,
        unsigned port_i, unsigned h, uint64_t conn, unsigned conn_in_host, std::vector<uint64_t> &versions,
        std::vector<Rec> &out)
        : p_(p), dp_(dp), mix_(mix), zipf_(zipf), chip_mac_(chip_mac), conn_(conn), versions_(versions), out_(out)
    {
        client_host_mac((unsigned)p.ports[port_i], h, mac_);
        ip_ = client_host_ip(p, port_i, h);
        sport_ = (uint16_t)(FIRST_PORT + conn_in_host);
        if (p.kind == CFG_WL_WEB) {
            rng_ = client_http_stream(p.seed, conn);
            host_ = client_http_host(p.server_ip, p.server_port);
        } else {
            client_echo_streams(p.seed, conn, rng_, key_);
        }
    }

    // Returns the requests written.
    uint64_t run()
    {
        const bool web = p_.kind == CFG_WL_WEB, per_request = web && !p_.web_keepalive;
        const uint64_t end = p_.end_ns();
        uint64_t t = p_.start_ns, n = 0;
        if (!per_request) t = open_conn(t);
        const double gap = p_.open ? 1e9 / (p_.rate / (double)p_.connections()) : 0;
        std::vector<unsigned> first;   // closed loop web: the pipelined first entries
        if (p_.open) {
            t += next_gap(gap);
        } else if (web) {
            unsigned depth = p_.web_keepalive ? p_.web_pipeline : 1;
            for (unsigned k = 0; k < depth && (!p_.requests || k < p_.requests); k++)
                first.push_back(client_http_pick(mix_, zipf_, rng_));
        }
        for (;;) {
            if (p_.requests && n == p_.requests) break;
            if (end && t >= end) break;
            unsigned item = 0;
            if (web) item = n < first.size() ? first[n] : client_http_pick(mix_, zipf_, rng_);
            if (per_request) {
                sport_ = (uint16_t)(sport_ + (n ? p_.conns_per_host : 0));
                open_conn(t);
            }
            request(t, item);
            n++;
            if (p_.open) t += next_gap(gap);
            else if (p_.think_ns && n >= first.size()) t += client_exp_ns(rng_, (double)p_.think_ns);
        }
        return n;
    }

private:
    uint64_t open_conn(uint64_t t)
    {
        conns_.emplace_back(mac_, chip_mac_, ip_, p_.server_ip, sport_, p_.server_port,
                            p_.seed ^ client_mix64(conn_ << 16 | conns_.size()), out_);
        return conns_.back().handshake(t);
    }

    // The open loop's next gap: Poisson, or ETC's (client_memcached.cpp).
    uint64_t next_gap(double mean_ns)
    {
        if (!dp_.etc || !dp_.etc_gpareto) return client_exp_ns(rng_, mean_ns);
        wl_rng r{ rng_ };
        double ns = wl_etc_interarrival_ns(&r, dp_.conn_rate);
        rng_ = r.s;
        return (uint64_t)std::llround(ns);
    }

    // A memcached request as the driver builds it (versions in file order).
    std::string mc_request()
    {
        uint64_t u = rng_ = client_mix64(rng_ + 0x9e3779b97f4a7c15ULL);
        bool get = (double)(u >> 11) * 0x1.0p-53 < dp_.mc_get_ratio;
        std::string r;
        if (get) {
            r = "get";
            for (unsigned k = 0; k < dp_.mc_multiget; k++) r += " " + mc_key_name(dp_, mc_next_key(dp_, rng_));
            return r + "\r\n";
        }
        uint64_t k = mc_next_key(dp_, rng_), v = ++versions_[k], size = mc_value_size(dp_, k);
        r = "set " + mc_key_name(dp_, k) + " " + std::to_string(v & 0xffffffffu) + " 0 " + std::to_string(size) +
            "\r\n";
        mc_value_fill(r, k, v, size);
        return r + "\r\n";
    }

    void request(uint64_t t, unsigned item)
    {
        if (p_.kind == CFG_WL_MEMCACHED || p_.kind == CFG_WL_ETC) {
            std::string r = mc_request();
            conns_.back().send(t, (const uint8_t *)r.data(), r.size());
            return;
        }
        if (p_.kind == CFG_WL_WEB) {
            std::string r = client_http_request(mix_.item[item], host_, p_.web_keepalive);
            conns_.back().send(t, (const uint8_t *)r.data(), r.size());
            return;
        }
        std::vector<uint8_t> b(p_.echo_bytes);
        for (uint64_t i = 0; i < p_.echo_bytes; i++) b[i] = client_pattern_byte(key_, off_ + i);
        off_ += p_.echo_bytes;
        conns_.back().send(t, b.data(), b.size());
    }

    const ClientPlan &p_;
    const DriverParams &dp_;
    const HttpMix &mix_;
    const wl_zipf *zipf_;
    uint64_t chip_mac_, conn_;
    std::vector<uint64_t> &versions_;
    std::vector<Rec> &out_;
    uint8_t mac_[6];
    uint32_t ip_;
    uint16_t sport_;
    uint64_t rng_ = 0, key_ = 0, off_ = 0;
    std::string host_;
    std::vector<Conn> conns_;
};

} // namespace

bool workload_pcap_write(const ClientPlan &plan, uint64_t chip_mac, const std::string &path, uint64_t &requests,
                         std::string &err)
{
    if (!plan.enabled) {
        err = "--workload-pcap: clients.hosts_per_port = 0: there is no client to write the traffic of";
        return false;
    }
    if (plan.kind == CFG_WL_REPLAY) {
        err = "--workload-pcap: workload.kind = replay: its requests are those of workload.trace, already a pcap";
        return false;
    }
    if (!plan.open && !plan.think_ns && !plan.requests) {
        err = "--workload-pcap: a closed loop without think times (workload.think_us = 0) and without "
              "clients.requests has no end without a server: set clients.requests or workload.think_us";
        return false;
    }
    HttpMix mix;
    wl_zipf zipf{};
    if (plan.kind == CFG_WL_WEB) {
        if (!client_http_mix(plan.app_args, plan.web_paths, plan.web_zipf, plan.web_keepalive, plan.web_pipeline,
                             mix, err))
            return false;
        if (mix.zipf && wl_zipf_init(&zipf, mix.item.size(), plan.web_zipf_s)) {
            err = "workload.web_zipf_s: no Zipf table";
            return false;
        }
    }
    // the memcached kinds' parameters as the driver has them
    DriverParams dp;
    wl_zipf keys{};
    dp.seed = plan.seed;
    dp.conn_rate = plan.open ? plan.rate / (double)plan.connections() : 0;
    dp.mc_keys = plan.mc_keys;
    dp.mc_get_ratio = plan.mc_get_ratio;
    dp.mc_value_bytes = plan.mc_value_bytes;
    dp.mc_multiget = plan.mc_multiget;
    dp.etc = plan.kind == CFG_WL_ETC;
    dp.etc_value_max = plan.etc_value_max;
    dp.etc_gpareto = plan.etc_gpareto;
    if (dp.etc) {
        if (wl_zipf_init(&keys, plan.mc_keys, plan.etc_zipf_s)) {
            err = "workload.etc_keys: no memory for the keys' Zipf table";
            wl_zipf_free(&zipf);
            return false;
        }
        dp.etc_zipf = &keys;
    }
    std::vector<uint64_t> versions(plan.mc_keys, 0);
    std::vector<Rec> recs;
    requests = 0;
    uint64_t conn = 0;
    for (unsigned pi = 0; pi < plan.ports.size() && requests <= WORKLOAD_PCAP_MAX_REQUESTS; pi++)
        for (unsigned h = 0; h < plan.hosts_per_port && requests <= WORKLOAD_PCAP_MAX_REQUESTS; h++)
            for (unsigned c = 0; c < plan.conns_per_host; c++, conn++)
                requests += Gen(plan, dp, mix, &zipf, chip_mac, pi, h, conn, c, versions, recs).run();
    wl_zipf_free(&zipf);
    wl_zipf_free(&keys);
    if (requests > WORKLOAD_PCAP_MAX_REQUESTS) {
        err = "--workload-pcap: more than " + std::to_string(WORKLOAD_PCAP_MAX_REQUESTS) +
              " requests: bound them with clients.requests or clients.duration_us";
        return false;
    }
    std::sort(recs.begin(), recs.end(),
              [](const Rec &a, const Rec &b) { return a.t_ns != b.t_ns ? a.t_ns < b.t_ns : a.order < b.order; });
    pcap_t *pc = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
    pcap_dumper_t *d = pc ? pcap_dump_open(pc, path.c_str()) : nullptr;
    if (!d) {
        err = "--workload-pcap " + path + ": cannot write: " + (pc ? pcap_geterr(pc) : "pcap_open_dead failed");
        if (pc) pcap_close(pc);
        return false;
    }
    for (const Rec &r : recs) {
        struct pcap_pkthdr h;
        h.ts.tv_sec = (time_t)(r.t_ns / 1000000000ULL);
        h.ts.tv_usec = (suseconds_t)(r.t_ns % 1000000000ULL);   // nanoseconds in a nanosecond file
        h.caplen = h.len = (bpf_u_int32)r.frame.size();
        pcap_dump((u_char *)d, &h, r.frame.data());
    }
    bool ok = pcap_dump_flush(d) == 0;
    pcap_dump_close(d);
    pcap_close(pc);
    if (!ok) {
        err = "--workload-pcap " + path + ": write failed";
        return false;
    }
    return true;
}
