// client_host.cpp - the client hosts' scheduler, hosts, switch and the echo
// service (client_host.h).
#include "client_host.h"

#include <cstdlib>
#include <cstring>

#include "client_config.h"
#include "mpipe/eth_wire.h"
#include "stats.h"

using namespace sc_core;

// ---------------------------------------------------------------- scheduler

ClientScheduler::ClientScheduler(sc_module_name name) : sc_module(name)
{
    SC_METHOD(run);
    sensitive << wake_;
    dont_initialize();
}

void ClientScheduler::at(uint64_t t, ClientTask *task, uint64_t arg)
{
    uint64_t now = now_fs();
    if (t < now) t = now;
    heap_.push(Ev{ t, seq_++, task, arg });
    if (heap_.top().seq == seq_ - 1) wake_.notify(sc_time::from_value(t - now));
}

void ClientScheduler::run()
{
    HostClock clock(host_seconds);
    uint64_t now = now_fs();
    while (!heap_.empty() && heap_.top().t <= now) {
        Ev e = heap_.top();
        heap_.pop();
        tasks_run++;
        e.task->fire(e.arg);
    }
    if (!heap_.empty()) wake_.notify(sc_time::from_value(heap_.top().t - now));
}

HostClock::HostClock(double &acc) : acc_(acc), t0_(stats_host_seconds()) {}
HostClock::~HostClock() { acc_ += stats_host_seconds() - t0_; }

// ---------------------------------------------------------------- host

ClientHost::ClientHost(const HostSpec &s, FrameSink *link, std::string &err) : spec(s), link_(link)
{
    net_config_t c;
    net_config_default(&c);
    memcpy(c.mac, s.mac, 6);
    c.ip = s.ip;
    c.netmask = s.netmask;
    c.max_conns = s.conns + 1;
    c.arp_entries = s.arp_entries;
    c.hash_buckets = 1;
    while (c.hash_buckets < c.max_conns && c.hash_buckets < (1u << 22)) c.hash_buckets <<= 1;
    c.rcv_buf = c.snd_buf = s.window;
    c.secret = s.secret;
    c.rto_init_ns = c.rto_min_ns = s.rto_ns;
    if (c.rto_max_ns < s.rto_ns) c.rto_max_ns = s.rto_ns;
    c.delack_ns = s.delack_ns;
    c.arp_retry_ns = s.rto_ns;
    size_t fp = net_footprint(&c);
    if (!fp) {
        err = "client host " + client_ip_str(s.ip) + ": the TCP/IP stack refuses its configuration";
        return;
    }
    mem_ = aligned_alloc(net_align(), (fp + net_align() - 1) / net_align() * net_align());
    net_hal_t hal{};
    hal.ctx = this;
    hal.now_ns = hal_now;
    hal.tx = hal_tx;
    hal.tcp_event = hal_event;
    if (!mem_ || !(net = net_join(net_new(mem_, &c, &hal)))) {
        err = "client host " + client_ip_str(s.ip) + ": out of host memory for its TCP/IP stack";
        return;
    }
}

ClientHost::~ClientHost()
{
    if (net) net_delete(net_leave(net));
    free(mem_);
}

uint64_t ClientHost::hal_now(void *) { return ClientScheduler::now_ns(); }

int ClientHost::hal_tx(void *ctx, const uint8_t *frame, uint32_t len)
{
    ClientHost *h = static_cast<ClientHost *>(ctx);
    h->frames_out++;
    h->link_->send(*h, frame, len);
    return 0;
}

void ClientHost::hal_event(void *ctx, uint32_t conn, uint32_t events)
{
    ClientHost *h = static_cast<ClientHost *>(ctx);
    if (!h->app_) return;
    h->events_.emplace_back(conn, events);
    if (!h->dispatching_) h->dispatch();
}

void ClientHost::dispatch()
{
    dispatching_ = true;
    while (!events_.empty()) {
        std::pair<uint32_t, uint32_t> e = events_.front();
        events_.pop_front();
        app_->tcp_event(*this, e.first, e.second);
    }
    dispatching_ = false;
}

void ClientHost::input(const uint8_t *frame, size_t len)
{
    frames_in++;
    net_input(net, frame, (uint32_t)len);
    if (app_) app_->after_input(*this);
}

void ClientHost::tick()
{
    net_timer(net);
    if (app_) app_->tick(*this);
}

// ---------------------------------------------------------------- switch

ClientSwitch::ClientSwitch(ClientScheduler &sched, unsigned port_, double rate_gbps, uint64_t capacity)
    : port(port_), sched_(sched), bit_fs_(eth_bit_fs(rate_gbps)), capacity_(capacity)
{
}

bool ClientSwitch::next(std::vector<uint8_t> &frame, uint64_t &earliest_fs)
{
    if (up_.empty()) return false;
    HostClock clock(sched_.host_seconds);
    frame.swap(up_.front());
    up_.pop_front();
    earliest_fs = ClientScheduler::now_fs();
    to_chip++;
    return true;
}

void ClientSwitch::send(ClientHost &, const uint8_t *frame, size_t len)
{
    if (up_.size() >= capacity_) {
        dropped++;
        return;
    }
    up_.emplace_back(frame, frame + len);
    if (up_.size() > max_queue) max_queue = up_.size();
    more_.notify(SC_ZERO_TIME);
}

void ClientSwitch::transmitted(const uint8_t *frame, size_t len, uint64_t start_fs)
{
    HostClock clock(sched_.host_seconds);
    from_chip++;
    down_.emplace_back(frame, frame + len);
    sched_.at(start_fs + eth_frame_wire_bytes(len, 0) * 8 * bit_fs_, this, 0);
}

void ClientSwitch::fire(uint64_t)
{
    std::vector<uint8_t> f;
    f.swap(down_.front());
    down_.pop_front();
    if (f.size() >= 6 && (f[0] & 1)) {
        for (ClientHost *h : hosts_) h->input(f.data(), f.size());
        return;
    }
    int h = f.size() >= 6 ? client_mac_host(port, f.data(), (unsigned)hosts_.size()) : -1;
    if (h < 0) {
        unknown++;
        return;
    }
    hosts_[(size_t)h]->input(f.data(), f.size());
}

// ---------------------------------------------------------------- echo service

HostEcho::HostEcho(ClientHost &h, uint16_t port, std::string &err) : port_(port)
{
    if (net_tcp_listen(h.net, port, 1024) < 0) err = "echo service: cannot listen on port " + std::to_string(port);
    h.set_app(this);
}

bool HostEcho::pump(ClientHost &h, uint32_t conn, Conn &c)
{
    if (buf_.size() < h.spec.window) buf_.resize(h.spec.window);
    for (;;) {
        while (c.off < c.pending.size()) {
            int64_t n = net_tcp_send(h.net, conn, c.pending.data() + c.off, (uint32_t)(c.pending.size() - c.off));
            if (n <= 0) return true;   // wait for NET_EV_WRITABLE
            c.off += (size_t)n;
            bytes += (uint64_t)n;
        }
        c.pending.clear();
        c.off = 0;
        int64_t n = net_tcp_recv(h.net, conn, buf_.data(), (uint32_t)buf_.size());
        if (n <= 0) break;
        int64_t sent = net_tcp_send(h.net, conn, buf_.data(), (uint32_t)n);
        if (sent < 0) sent = 0;
        bytes += (uint64_t)sent;
        if (sent < n) c.pending.assign(buf_.data() + sent, buf_.data() + n);   // the rest waits
    }
    if (c.fin) {
        net_tcp_close(h.net, conn);
        return false;
    }
    return true;
}

void HostEcho::tcp_event(ClientHost &h, uint32_t conn, uint32_t ev)
{
    if (ev & NET_EV_ACCEPT) {
        accepted++;
        conns_[conn] = Conn();
    }
    auto it = conns_.find(conn);
    if (it == conns_.end()) return;
    if (ev & NET_EV_RESET) {
        resets++;
        net_tcp_close(h.net, conn);
        conns_.erase(it);
        return;
    }
    if (ev & NET_EV_PEER_FIN) it->second.fin = true;
    if (!pump(h, conn, it->second)) conns_.erase(it);
}
