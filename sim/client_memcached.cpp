// client_memcached.cpp - the memcached driver of a client host
// (client_memcached.h).
#include "client_memcached.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

uint64_t value_seed(uint64_t key, uint64_t version)
{
    return client_mix64(key * 0x9e3779b97f4a7c15ULL + version) ^ 0x6d656d6361636865ULL;
}

}  // namespace

std::string mc_key_name(const DriverParams &p, uint64_t k)
{
    std::string name = "key:" + std::to_string(k);
    if (!p.etc) return name;
    wl_rng r;
    wl_seed(&r, p.seed, k);
    uint32_t size = wl_etc_key_size(&r);
    name = "k" + std::to_string(k) + "_";
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    while (name.size() < size) name += letters[wl_next(&r) % 62];
    return name;
}

uint64_t mc_value_size(const DriverParams &p, uint64_t k)
{
    if (!p.etc) return p.mc_value_bytes;
    wl_rng r;
    wl_seed(&r, p.seed ^ client_mix64(k + 1), 1);
    return wl_etc_value_size(&r, (uint32_t)p.etc_value_max);
}

uint64_t mc_next_key(const DriverParams &p, uint64_t &rng)
{
    if (p.etc) {
        wl_rng r{ rng };
        uint64_t k = wl_zipf_draw(p.etc_zipf, &r);
        rng = r.s;
        return k;
    }
    rng = client_mix64(rng + 0x9e3779b97f4a7c15ULL);
    return rng % p.mc_keys;
}

// n bytes of the answer being parsed are done with.
void MemcachedDriver::eat(Mc &m, size_t n)
{
    m.rx.erase(0, n);
    m.answer_bytes += n;
}

void mc_value_fill(std::string &out, uint64_t key, uint64_t version, size_t n)
{
    size_t at = out.size();
    out.resize(at + n);
    client_pattern_fill(reinterpret_cast<uint8_t *>(&out[at]), value_seed(key, version), 0, n);
}

MemcachedDriver::MemcachedDriver(ClientScheduler &sched, ClientHost &host, const DriverParams &p,
                                 uint64_t first_conn, ClientTotals &totals)
    : EchoDriver(sched, host, p, first_conn, totals), mc_(p.conns)
{
    if (t_.mc_version.size() < p.mc_keys) t_.mc_version.resize(p.mc_keys, 0);
    type_hit_ = t_.type_index("get_hit");
    type_miss_ = t_.type_index("get_miss");
    type_set_ = t_.type_index("set");
}

uint64_t MemcachedDriver::next_gap_ns(Conn &c)
{
    if (!p_.etc || !p_.etc_gpareto) return EchoDriver::next_gap_ns(c);
    wl_rng r{ c.rng };
    double ns = wl_etc_interarrival_ns(&r, p_.conn_rate);
    c.rng = r.s;
    return (uint64_t)std::llround(ns);
}

// The requests issued and not yet built, from the connection's stream.
void MemcachedDriver::build(Conn &c, Mc &m)
{
    while (m.built < c.issued) {
        m.built++;
        Req r;
        uint64_t u = c.rng = client_mix64(c.rng + 0x9e3779b97f4a7c15ULL);
        r.get = (double)(u >> 11) * 0x1.0p-53 < p_.mc_get_ratio;
        unsigned n = r.get ? p_.mc_multiget : 1;
        for (unsigned k = 0; k < n; k++) r.keys.push_back(mc_next_key(p_, c.rng));
        bool counting = t_.counting(ClientScheduler::now_ns());
        if (r.get) {
            m.tx += "get";
            for (uint64_t k : r.keys) m.tx += " " + mc_key_name(p_, k);
            m.tx += "\r\n";
            if (counting) t_.mc_gets++;
        } else {
            uint64_t k = r.keys[0], size;
            r.version = ++t_.mc_version[k];
            size = mc_value_size(p_, k);
            char head[320];
            snprintf(head, sizeof head, "set %s %llu 0 %llu\r\n", mc_key_name(p_, k).c_str(),
                     (unsigned long long)(r.version & 0xffffffffu), (unsigned long long)size);
            m.tx += head;
            mc_value_fill(m.tx, k, r.version, size);
            m.tx += "\r\n";
            if (counting) t_.mc_sets++;
        }
        m.reqs.push_back(std::move(r));
    }
}

void MemcachedDriver::pump(Conn &c)
{
    Mc &m = mc_[&c - conns_.data()];
    build(c, m);
    while (m.tx_off < m.tx.size()) {
        int64_t space = net_tcp_send_space(host_.net, c.handle);
        if (space <= 0) break;
        size_t n = std::min<size_t>({ m.tx.size() - m.tx_off, (size_t)space, (size_t)65536 });
        int64_t sent = net_tcp_send(host_.net, c.handle, reinterpret_cast<const uint8_t *>(m.tx.data() + m.tx_off),
                                    (uint32_t)n);
        if (sent <= 0) break;
        m.tx_off += (size_t)sent;
        t_.sent(p_.port_i, ClientScheduler::now_ns(), (uint64_t)sent);
    }
    if (m.tx_off == m.tx.size()) {
        m.tx.clear();
        m.tx_off = 0;
    } else if (m.tx_off > 65536) {
        m.tx.erase(0, m.tx_off);
        m.tx_off = 0;
    }
}

// A version v of key k that was issued, with exactly its bytes.
bool MemcachedDriver::value_ok(uint64_t key, uint64_t flags, const char *data, size_t n) const
{
    uint64_t last = t_.mc_version[key];
    if (flags == 0) return false;
    // flags are the version's low 32 bits: the highest issued version with them
    uint64_t v = (last & ~0xffffffffULL) | flags;
    if (v > last) v -= 0x100000000ULL;
    if (v == 0 || v > last || n != mc_value_size(p_, key)) return false;
    return client_pattern_check(reinterpret_cast<const uint8_t *>(data), value_seed(key, v), 0, n);
}

int MemcachedDriver::parse(unsigned i, Mc &m)
{
    Conn &c = conns_[i];
    Req &r = m.reqs.front();
    size_t pos = 0;
    for (;;) {
        size_t nl = m.rx.find("\r\n", pos);
        if (nl == std::string::npos) return m.rx.size() - pos > 4096 ? -1 : 0;
        std::string line = m.rx.substr(pos, nl - pos);
        size_t after = nl + 2;
        if (!r.get) {
            eat(m, after);
            m.type = type_set_;
            if (line == "STORED") return 1;
            if (line.compare(0, 13, "SERVER_ERROR ") == 0) return 2;
            c.bad = true;
            return 1;
        }
        if (line == "END") {
            if (t_.counting(ClientScheduler::now_ns())) {
                t_.mc_hits += m.hits;
                t_.mc_misses += r.keys.size() - m.hits;
            }
            m.type = m.hits == r.keys.size() ? type_hit_ : type_miss_;
            eat(m, after);
            m.next = m.hits = 0;
            return 1;
        }
        if (line.compare(0, 13, "SERVER_ERROR ") == 0) {
            eat(m, after);
            m.next = m.hits = 0;
            return 2;
        }
        // VALUE <key> <flags> <bytes>
        char key[300];
        unsigned long long flags, bytes;
        int used = 0;
        if (line.size() > 290 || sscanf(line.c_str(), "VALUE %299s %llu %llu%n", key, &flags, &bytes, &used) != 3 ||
            (size_t)used != line.size() || bytes > (1u << 20))
            return -1;
        if (m.rx.size() < after + bytes + 2) return 0;
        const char *data = m.rx.data() + after;
        // the keys asked for come back in order, misses left out
        bool ok = false;
        while (m.next < r.keys.size() && !ok) {
            if (mc_key_name(p_, r.keys[m.next]) == key) ok = true;
            else m.next++;   // skipped: a miss
        }
        if (!ok || data[bytes] != '\r' || data[bytes + 1] != '\n' || !value_ok(r.keys[m.next], flags, data, bytes))
            c.bad = true;
        if (ok) {
            m.next++;
            m.hits++;
        }
        eat(m, after + bytes + 2);
        pos = 0;
    }
}

void MemcachedDriver::receive(unsigned i)
{
    Mc &m = mc_[i];
    char buf[65536];
    for (;;) {
        Conn &c = conns_[i];
        if (c.state != OPEN) return;
        int64_t n = net_tcp_recv(host_.net, c.handle, reinterpret_cast<uint8_t *>(buf), (uint32_t)sizeof buf);
        if (n <= 0) return;
        m.rx.append(buf, (size_t)n);
        while (conns_[i].state == OPEN) {
            if (m.reqs.empty()) {
                if (m.rx.empty()) break;
                if (!t_.ended) t_.err_verify++;   // bytes nobody asked for
                net_tcp_abort(host_.net, c.handle);
                finish(c, false);
                return;
            }
            int rc = parse(i, m);
            if (rc == 0) break;
            if (rc < 0) {
                if (!t_.ended) t_.err_verify++;
                net_tcp_abort(host_.net, c.handle);
                finish(c, false);
                return;
            }
            m.reqs.pop_front();
            if (rc == 2) conns_[i].bad = true;   // counted as the server's error
            uint64_t bytes = m.answer_bytes;
            m.answer_bytes = 0;
            answered(i, bytes, rc == 2 ? &t_.err_server : nullptr, (int)m.type);
        }
    }
}
