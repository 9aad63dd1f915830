// client_driver.cpp - the echo request/response driver (client_driver.h).
#include "client_driver.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "client_http.h"
#include "client_memcached.h"
#include "config.h"

namespace {

const size_t CHUNK = 65536;   // bytes moved per net_tcp_send / net_tcp_recv call

uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t splitmix(uint64_t &s)
{
    s += 0x9e3779b97f4a7c15ULL;
    return mix64(s);
}

// Bytes [off, off+n) of the stream keyed by key.
void pattern_fill(uint8_t *dst, uint64_t key, uint64_t off, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint64_t o = off + i, w = mix64(key + (o >> 3));
        unsigned b = (unsigned)(o & 7);
        size_t take = std::min<size_t>(8 - b, n - i);
        for (size_t k = 0; k < take; k++) dst[i + k] = (uint8_t)(w >> (8 * (b + k)));
        i += take;
    }
}

// True when bytes [off, off+n) of the stream keyed by key are src.
bool pattern_check(const uint8_t *src, uint64_t key, uint64_t off, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint64_t o = off + i, w = mix64(key + (o >> 3));
        unsigned b = (unsigned)(o & 7);
        size_t take = std::min<size_t>(8 - b, n - i);
        for (size_t k = 0; k < take; k++)
            if (src[i + k] != (uint8_t)(w >> (8 * (b + k)))) return false;
        i += take;
    }
    return true;
}

} // namespace

unsigned ClientTotals::type_index(const std::string &name)
{
    for (unsigned i = 0; i < types.size(); i++)
        if (types[i] == name) return i;
    types.push_back(name);
    type_latency_ns.emplace_back();
    return (unsigned)types.size() - 1;
}

void ClientTotals::answered(unsigned type, unsigned port_i, uint64_t t0, uint64_t now, uint64_t bytes)
{
    if (ended) return;
    if (now < warm_ns) {
        warmup_answered++;
        return;
    }
    completed++;
    bytes_answered += bytes;
    latency_ns.push_back(now - t0);
    type_latency_ns[type].push_back(now - t0);
    last_answer_ns = now;
    if (port.size() <= port_i) port.resize(port_i + 1);
    port[port_i].completed++;
    port[port_i].bytes_answered += bytes;
}

void ClientTotals::sent(unsigned port_i, uint64_t now, uint64_t bytes)
{
    if (!counting(now)) return;
    bytes_sent += bytes;
    if (port.size() <= port_i) port.resize(port_i + 1);
    port[port_i].bytes_sent += bytes;
}

uint64_t client_mix64(uint64_t z) { return mix64(z); }
uint64_t client_rand(uint64_t &state) { return splitmix(state); }

uint64_t client_exp_ns(uint64_t &state, double mean_ns)
{
    double u = (double)((splitmix(state) >> 11) + 1) * 0x1.0p-53;   // (0, 1]
    return (uint64_t)std::llround(-std::log(u) * mean_ns);
}

void ServerArp::begin(ClientHost &h, uint32_t server_ip)
{
    const net_counters_t *n = net_counters(h.net);
    learn0_ = n->arp_learn;
    fail0_ = n->arp_fail;
    waiting_ = true;
    net_udp_send(h.net, 9, server_ip, 9, nullptr, 0);   // asks ARP for the server
}

bool ServerArp::resolved(ClientHost &h)
{
    if (!waiting_) return false;
    const net_counters_t *n = net_counters(h.net);
    if (n->arp_learn == learn0_ && n->arp_fail == fail0_) return false;
    waiting_ = false;
    return true;
}

void client_echo_streams(uint64_t seed, uint64_t conn, uint64_t &rng, uint64_t &key)
{
    uint64_t s = seed ^ mix64(conn + 1);
    rng = mix64(s);
    key = mix64(s + 0x6a09e667f3bcc909ULL);
}

uint64_t client_http_stream(uint64_t seed, uint64_t conn) { return mix64(seed ^ mix64(conn + 1)); }

uint8_t client_pattern_byte(uint64_t key, uint64_t off)
{
    return (uint8_t)(mix64(key + (off >> 3)) >> (8 * (off & 7)));
}

void client_pattern_fill(uint8_t *dst, uint64_t key, uint64_t off, size_t n) { pattern_fill(dst, key, off, n); }
bool client_pattern_check(const uint8_t *src, uint64_t key, uint64_t off, size_t n)
{
    return pattern_check(src, key, off, n);
}

EchoDriver::EchoDriver(ClientScheduler &sched, ClientHost &host, const DriverParams &p, uint64_t first_conn,
                       ClientTotals &totals)
    : sched_(sched), host_(host), p_(p), t_(totals), conns_(p.conns), buf_(CHUNK)
{
    for (unsigned i = 0; i < p.conns; i++) client_echo_streams(p.seed, first_conn + i, conns_[i].rng, conns_[i].key);
    t_.connections += p.conns;
    host.set_app(this);
    sched.at(p.start_ns * 1000000, this, (uint64_t)K_START << 32);
}

void EchoDriver::fire(uint64_t arg)
{
    unsigned kind = (unsigned)(arg >> 32), i = (unsigned)arg;
    if (kind == K_START) {
        started_ = true;
        arp_.begin(host_, p_.server_ip);
        after_input(host_);   // already resolved: connect at once
        return;
    }
    Conn &c = conns_[i];
    if (c.state != OPEN || !may_issue(c)) return;
    issue(c, ClientScheduler::now_ns());
    if (p_.open) schedule_issue(i, next_gap_ns(c));
}

void EchoDriver::after_input(ClientHost &h)
{
    if (arp_.resolved(h)) connect_all();
}

void EchoDriver::tick(ClientHost &h)
{
    if (arp_.waiting()) after_input(h);
    if (!p_.timeout_ns || t_.ended) return;
    uint64_t now = ClientScheduler::now_ns();
    for (Conn &c : conns_) {
        if (c.state == CONNECTING && now - c.connect_ns >= p_.timeout_ns) {
            t_.err_connect++;
            net_tcp_abort(h.net, c.handle);
            finish(c, false);
        } else if (c.state == OPEN && !c.out.empty() && now - c.out.front() >= p_.timeout_ns) {
            t_.err_timeout++;
            net_tcp_abort(h.net, c.handle);
            finish(c, false);
        }
    }
}

void EchoDriver::connect_all()
{
    uint64_t now = ClientScheduler::now_ns();
    for (Conn &c : conns_) {
        int64_t h = net_tcp_connect(host_.net, p_.server_ip, p_.server_port);
        if (h <= 0) {
            t_.err_connect++;
            finish(c, false);
            continue;
        }
        c.handle = (uint32_t)h;
        c.state = CONNECTING;
        c.connect_ns = now;
        by_handle_[c.handle] = (unsigned)(&c - conns_.data());
    }
}

bool EchoDriver::may_issue(const Conn &c) const
{
    return c.state == OPEN && !t_.ended && (!p_.requests || c.issued < p_.requests) &&
           (!p_.end_ns || ClientScheduler::now_ns() < p_.end_ns);
}

uint64_t EchoDriver::next_gap_ns(Conn &c) { return client_exp_ns(c.rng, 1e9 / p_.conn_rate); }

void EchoDriver::schedule_issue(unsigned i, uint64_t delay_ns)
{
    sched_.at(ClientScheduler::now_fs() + delay_ns * 1000000, this, (uint64_t)K_ISSUE << 32 | i);
}

void EchoDriver::issue(Conn &c, uint64_t t_ns)
{
    c.out.push_back(t_ns);
    c.issued++;
    t_.issued++;
    if (t_.first_issue_ns == UINT64_MAX) t_.first_issue_ns = t_ns;
    pump(c);
}

void EchoDriver::pump(Conn &c)
{
    uint64_t target = c.issued * p_.echo_bytes;
    while (c.tx_off < target) {
        int64_t space = net_tcp_send_space(host_.net, c.handle);
        if (space <= 0) return;
        size_t n = (size_t)std::min<uint64_t>({ target - c.tx_off, (uint64_t)space, CHUNK });
        pattern_fill(buf_.data(), c.key, c.tx_off, n);
        int64_t sent = net_tcp_send(host_.net, c.handle, buf_.data(), (uint32_t)n);
        if (sent <= 0) return;
        c.tx_off += (uint64_t)sent;
        t_.sent(p_.port_i, ClientScheduler::now_ns(), (uint64_t)sent);
    }
}

void EchoDriver::receive(unsigned i)
{
    for (;;) {
        Conn &c = conns_[i];
        if (c.state != OPEN) return;
        int64_t n = net_tcp_recv(host_.net, c.handle, buf_.data(), (uint32_t)CHUNK);
        if (n <= 0) return;
        const uint8_t *b = buf_.data();
        size_t left = (size_t)n;
        while (left) {
            if (c.out.empty()) {   // bytes nobody asked for
                if (!t_.ended) t_.err_verify++;
                net_tcp_abort(host_.net, c.handle);
                finish(c, false);
                return;
            }
            uint64_t end = (c.answered + 1) * p_.echo_bytes;
            size_t take = (size_t)std::min<uint64_t>(left, end - c.rx_off);
            if (!pattern_check(b, c.key, c.rx_off, take)) c.bad = true;
            c.rx_off += take;
            b += take;
            left -= take;
            if (c.rx_off == end) {
                answered(i, p_.echo_bytes);
                if (conns_[i].state != OPEN) return;
            }
        }
    }
}

void EchoDriver::answered(unsigned i, uint64_t bytes, uint64_t *err, int type)
{
    Conn &c = conns_[i];
    uint64_t now = ClientScheduler::now_ns(), t0 = c.out.front();
    c.out.pop_front();
    c.answered++;
    if (c.bad) {
        if (!t_.ended) (*(err ? err : &t_.err_verify))++;
    } else {
        if (type < 0) {
            if (type_ < 0) type_ = (int)t_.type_index("echo");
            type = type_;
        }
        t_.answered((unsigned)type, p_.port_i, t0, now, bytes);
    }
    c.bad = false;
    if (p_.requests && c.answered == p_.requests) {
        finish(c, true);
        return;
    }
    if (!p_.open && may_issue(c)) {
        if (p_.think_ns) schedule_issue(i, client_exp_ns(c.rng, (double)p_.think_ns));
        else issue(c, now);
    }
}

void EchoDriver::finish(Conn &c, bool close)
{
    if (c.state == FINISHED) return;
    if (close) net_tcp_close(host_.net, c.handle);
    if (c.state == CONNECTING || c.state == OPEN) by_handle_.erase(c.handle);
    c.state = FINISHED;
    finished_++;
    t_.finished++;
}

void EchoDriver::tcp_event(ClientHost &h, uint32_t handle, uint32_t ev)
{
    auto it = by_handle_.find(handle);
    if (it == by_handle_.end()) return;
    unsigned i = it->second;
    Conn &c = conns_[i];
    if (ev & NET_EV_RESET) {
        if (!t_.ended) (c.state == CONNECTING ? t_.err_connect : t_.err_reset)++;
        net_tcp_close(h.net, handle);
        finish(c, false);
        return;
    }
    if ((ev & NET_EV_CONNECTED) && c.state == CONNECTING) {
        c.state = OPEN;
        t_.connected++;
        if (p_.open) schedule_issue(i, next_gap_ns(c));
        else if (may_issue(c)) issue(c, ClientScheduler::now_ns());
    }
    if (c.state != OPEN) return;
    if (ev & NET_EV_READABLE) receive(i);
    if (c.state == OPEN && (ev & NET_EV_WRITABLE)) pump(c);
    if (c.state == OPEN && (ev & NET_EV_PEER_FIN)) {
        if (!t_.ended) t_.err_peer_closed++;
        finish(c, true);
    }
}

ClientDriver *client_driver_new(int kind, ClientScheduler &sched, ClientHost &host, const DriverParams &p,
                                uint64_t first_conn, ClientTotals &totals)
{
    switch (kind) {
    case CFG_WL_ECHO: return new EchoDriver(sched, host, p, first_conn, totals);
    case CFG_WL_WEB: return new HttpDriver(sched, host, p, first_conn, totals);
    case CFG_WL_MEMCACHED:
    case CFG_WL_ETC: return new MemcachedDriver(sched, host, p, first_conn, totals);
    }
    return nullptr;
}
