// client_harness.cpp - client hosts wired back to back to a server host
// (client_harness.h).
#include "client_harness.h"

#include "mpipe/eth_wire.h"

using namespace sc_core;

namespace {
const uint8_t SERVER_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
const uint64_t FS_PER_NS = 1000000;
}

// ---------------------------------------------------------------- wire

HarnessWire::HarnessWire(sc_module_name name, Harness &h, ClientSwitch &s) : sc_module(name), sw(s), h_(h)
{
    SC_THREAD(up_thread);
}

// Like the chip's port: take a frame, put it on the wire when both it and
// the wire are ready, hand it over at the end of its FCS plus the delay.
void HarnessWire::up_thread()
{
    std::vector<uint8_t> f;
    uint64_t earliest, free_fs = 0;
    for (;;) {
        if (!sw.next(f, earliest)) {
            wait(*sw.more());
            continue;
        }
        uint64_t now = sc_time_stamp().value();
        uint64_t t0 = std::max(std::max(earliest, free_fs), now);
        if (t0 > now) wait(sc_time::from_value(t0 - now));
        h_.record(f.data(), f.size());
        free_fs = t0 + eth_slot_bytes(f.size(), 0) * 8 * h_.bit_fs;
        in_flight_.push_back(f);
        h_.server_sched->at(t0 + eth_frame_wire_bytes(f.size(), 0) * 8 * h_.bit_fs + h_.delay_fs, this, 0);
        f.clear();
    }
}

void HarnessWire::fire(uint64_t)
{
    std::vector<uint8_t> f;
    f.swap(in_flight_.front());
    in_flight_.pop_front();
    if (h_.mode != SERVER_ABSENT) h_.server->input(f.data(), f.size());
}

void HarnessWire::to_client(const uint8_t *f, size_t len)
{
    uint64_t now = sc_time_stamp().value();
    uint64_t t0 = std::max(now + h_.delay_fs, down_free_);
    down_free_ = t0 + eth_slot_bytes(len, 0) * 8 * h_.bit_fs;
    h_.record(f, len);
    sw.transmitted(f, len, t0);
}

// ---------------------------------------------------------------- harness

Harness::Harness(const dl_config &cfg, ServerMode m, uint64_t delay_ns, std::string &err)
    : mode(m), delay_fs(delay_ns * FS_PER_NS), bit_fs(eth_bit_fs(cfg.port.rate_gbps)), buf_(65536)
{
    if (!client_plan(cfg, {}, plan, err)) return;
    clients = new ClientSystem(plan, err);
    if (!err.empty()) return;
    server_sched = new ClientScheduler("server");
    HostSpec s;
    memcpy(s.mac, SERVER_MAC, 6);
    s.ip = plan.server_ip;
    s.netmask = plan.netmask;
    s.conns = (uint32_t)plan.connections() + 16;
    s.arp_entries = plan.hosts() + 16;
    s.window = plan.window;
    s.rto_ns = plan.rto_ns;
    s.delack_ns = plan.delack_ns;
    s.secret = 42;
    server = new ClientHost(s, this, err);
    if (!err.empty()) return;
    if (mode == SERVER_ECHO) {
        echo = new HostEcho(*server, plan.server_port, err);
    } else if (mode != SERVER_CLOSED) {
        server->set_app(this);
        if (net_tcp_listen(server->net, plan.server_port, 1024) < 0) err = "server: cannot listen";
    }
    char nm[32];
    for (size_t i = 0; i < clients->switches().size(); i++) {
        snprintf(nm, sizeof nm, "wire%zu", i);
        wires.push_back(new HarnessWire(nm, *this, *clients->switches()[i]));
    }
    server_sched->at(0, this, 0);
}

Harness::~Harness()
{
    delete echo;
    delete server;
    delete clients;
}

void Harness::record(const uint8_t *f, size_t len)
{
    frames++;
    uint64_t t = sc_time_stamp().value();
    for (int i = 0; i < 8; i++) digest = (digest ^ (uint8_t)(t >> (8 * i))) * 1099511628211ULL;
    for (size_t i = 0; i < len; i++) digest = (digest ^ f[i]) * 1099511628211ULL;
}

void Harness::send(ClientHost &, const uint8_t *f, size_t len)
{
    // The client's MAC names its port: 02:dc:00:PP:...; broadcasts go to every wire.
    for (HarnessWire *w : wires)
        if ((f[0] & 1) || f[3] == w->sw.port) w->to_client(f, len);
}

void Harness::fire(uint64_t)
{
    server->tick();
    server_sched->at(ClientScheduler::now_fs() + plan.timer_ns * FS_PER_NS, this, 0);
}

void Harness::tcp_event(ClientHost &h, uint32_t conn, uint32_t ev)
{
    if (ev & NET_EV_ACCEPT) {
        if (!first_conn_) first_conn_ = conn;
    }
    if (ev & NET_EV_RESET) {
        net_tcp_close(h.net, conn);
        return;
    }
    if (ev & NET_EV_READABLE) {
        int64_t n;
        while ((n = net_tcp_recv(h.net, conn, buf_.data(), (uint32_t)buf_.size())) > 0) {
            if (mode == SERVER_RESET) {
                net_tcp_abort(h.net, conn);
                return;
            }
            if (mode != SERVER_CORRUPT) continue;
            if (conn == first_conn_ && corrupt_at >= first_off_ && corrupt_at < first_off_ + (uint64_t)n)
                buf_[corrupt_at - first_off_] ^= 0x5a;
            if (conn == first_conn_) first_off_ += (uint64_t)n;
            // Small messages only: the send ring always takes them.
            if (net_tcp_send(h.net, conn, buf_.data(), (uint32_t)n) != n) fprintf(stderr, "harness: send ring full\n");
        }
    }
    if (ev & NET_EV_PEER_FIN) net_tcp_close(h.net, conn);
}

uint64_t Harness::run(uint64_t limit_us)
{
    uint64_t step = 100 * 1000 * FS_PER_NS, limit = limit_us * 1000 * FS_PER_NS, quiet = 0, last = 0;
    while (sc_time_stamp().value() < limit) {
        sc_start(sc_time::from_value(step));
        if (clients->done()) {
            quiet = frames == last ? quiet + 1 : 0;
            if (quiet >= 2) break;
        }
        last = frames;
    }
    return sc_time_stamp().value() / FS_PER_NS;
}
