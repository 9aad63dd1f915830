// test_workload_clients.cpp - the [workload] generators through the client
// hosts' drivers, on the client harness's wire (tests/clients/client_harness.h)
// with a recording HTTP server of this file: the documents a web workload
// asks for follow its weights or its Zipf popularity (a long seeded sample's
// shares against the formulas, within four standard deviations), open-loop
// requests arrive as a Poisson process of the configured rate (mean and
// coefficient of variation of the gaps), and the echo driver's warm-up and
// measured window: answers in the warm-up not counted, the window from its
// end, per-type and per-port counts adding up; the ETC workload through the
// memcached driver against a recording memcached server (every get a miss,
// every set stored): the GET:SET ratio, the keys' Zipf popularity, ETC's
// key and value sizes, and its Generalized Pareto inter-arrival times.
#include <systemc>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "chip.h"
#include "client_harness.h"
#include "workload_dist.h"
extern "C" {
#include "apps/httpd/http_docs.h"
}

#include <check.h> // last: it defines a macro named fail

namespace {

// Answers every GET of the default documents as the httpd would, and
// records each request: when it arrived, its path, its connection.
class RecordingHttp : public HostApp {
public:
    struct Req {
        uint64_t t_ns;
        std::string path;
        uint32_t conn;
    };
    std::vector<Req> reqs;

    RecordingHttp()
    {
        char err[256];
        ck_assert_int_eq(http_docs_parse("", &docs_, err, sizeof err), 0);
    }
    void tcp_event(ClientHost &h, uint32_t conn, uint32_t ev) override
    {
        if (ev & NET_EV_READABLE) {
            char buf[4096];
            int64_t n;
            while ((n = net_tcp_recv(h.net, conn, buf, sizeof buf)) > 0) in_[conn].append(buf, (size_t)n);
            std::string &s = in_[conn];
            size_t end;
            while ((end = s.find("\r\n\r\n")) != std::string::npos) {
                std::string req = s.substr(0, end);
                s.erase(0, end + 4);
                size_t sp = req.find(' '), sp2 = req.find(' ', sp + 1);
                std::string path = req.substr(sp + 1, sp2 - sp - 1);
                reqs.push_back(Req{ ClientScheduler::now_ns(), path, conn });
                const http_doc_t *d = http_docs_find(&docs_, path.c_str(), (uint32_t)path.size());
                ck_assert_ptr_nonnull(d);
                std::string body(d->size, ' ');
                http_doc_fill(d, 0, (uint8_t *)&body[0], d->size);
                std::string a = "HTTP/1.1 200 OK\r\nContent-Type: " + std::string(d->type) +
                                "\r\nContent-Length: " + std::to_string(d->size) + "\r\n\r\n" + body;
                ck_assert_int_eq(net_tcp_send(h.net, conn, a.data(), (uint32_t)a.size()), (int64_t)a.size());
            }
        }
        if (ev & (NET_EV_PEER_FIN | NET_EV_RESET)) {
            net_tcp_close(h.net, conn);
            in_.erase(conn);
        }
    }

private:
    http_docs_t docs_;
    std::map<uint32_t, std::string> in_;
};

// A memcached server that stores nothing: a get is answered END (a miss),
// a set STORED; every request is recorded (op, key, value bytes, time).
class RecordingMc : public HostApp {
public:
    struct Req {
        bool get;
        std::string key;
        uint64_t bytes, t_ns;
        uint32_t conn;
    };
    std::vector<Req> reqs;
    void tcp_event(ClientHost &h, uint32_t conn, uint32_t ev) override
    {
        if (ev & NET_EV_READABLE) {
            char buf[65536];
            int64_t n;
            while ((n = net_tcp_recv(h.net, conn, buf, sizeof buf)) > 0) in_[conn].append(buf, (size_t)n);
            std::string &s = in_[conn], out;
            for (;;) {
                size_t nl = s.find("\r\n");
                if (nl == std::string::npos) break;
                std::string line = s.substr(0, nl);
                char key[300];
                unsigned long long flags, exp, bytes;
                if (line.compare(0, 4, "get ") == 0) {
                    reqs.push_back(Req{ true, line.substr(4), 0, ClientScheduler::now_ns(), conn });
                    s.erase(0, nl + 2);
                    out += "END\r\n";
                    continue;
                }
                ck_assert_msg(sscanf(line.c_str(), "set %299s %llu %llu %llu", key, &flags, &exp, &bytes) == 4,
                              "request '%s'", line.c_str());
                if (s.size() < nl + 2 + bytes + 2) break;
                reqs.push_back(Req{ false, key, bytes, ClientScheduler::now_ns(), conn });
                s.erase(0, nl + 2 + bytes + 2);
                out += "STORED\r\n";
            }
            if (!out.empty())
                ck_assert_int_eq(net_tcp_send(h.net, conn, out.data(), (uint32_t)out.size()), (int64_t)out.size());
        }
        if (ev & (NET_EV_PEER_FIN | NET_EV_RESET)) {
            net_tcp_close(h.net, conn);
            in_.erase(conn);
        }
    }

private:
    std::map<uint32_t, std::string> in_;
};

dl_config config(std::initializer_list<const char *> base, std::initializer_list<const char *> sets)
{
    dl_config c;
    char err[512];
    cfg_defaults(&c);
    for (auto list : { base, sets })
        for (const char *s : list) ck_assert_msg(cfg_set_arg(&c, s, err, sizeof err) == 0, "%s: %s", s, err);
    return c;
}

// A web workload against the recording server.
struct WebRun {
    Harness *h;
    RecordingHttp server;
    explicit WebRun(std::initializer_list<const char *> sets, uint64_t limit_us = 100000)
    {
        dl_config c = config({ "port.count=1", "workload.kind=web", "clients.server_port=80",
                               "clients.hosts_per_port=1", "clients.conns_per_host=4", "workload.seed=11",
                               "clients.window_kib=32" },
                             sets);
        chip_init_time();
        std::string e;
        h = new Harness(c, SERVER_SILENT, 1000, e);
        ck_assert_msg(e.empty(), "harness: %s", e.c_str());
        h->server->set_app(&server);
        h->run(limit_us);
    }
    const ClientTotals &t() const { return h->clients->totals(); }
    // Requests the server saw for path, and the driver's count of its type.
    uint64_t seen(const std::string &path) const
    {
        uint64_t n = 0;
        for (const auto &r : server.reqs) n += r.path == path;
        return n;
    }
    uint64_t counted(const std::string &type) const
    {
        const ClientTotals &x = t();
        for (size_t i = 0; i < x.types.size(); i++)
            if (x.types[i] == type) return x.type_latency_ns[i].size();
        return 0;
    }
};

// The share of n draws that fell on an entry of probability p is p within
// four standard deviations.
void check_share(uint64_t got, uint64_t n, double p, const char *what)
{
    double sd = std::sqrt(p * (1 - p) / (double)n), share = (double)got / (double)n;
    ck_assert_msg(std::fabs(share - p) <= 4 * sd, "%s: share %.4f of %llu, expected %.4f (sd %.4f)", what, share,
                  (unsigned long long)n, p, sd);
}

} // namespace

// Weights 3:1:... : 2000 GETs, the shares of the documents are the weights'.
START_TEST(web_weights_give_the_shares)
{
    WebRun r({ "clients.requests=500", "workload.web_paths=/64*6,/1k*3,/16k" });
    const uint64_t n = 2000;
    ck_assert_uint_eq(r.t().completed, n);
    ck_assert_uint_eq(r.t().errors(), 0);
    ck_assert_uint_eq(r.server.reqs.size(), n);
    check_share(r.seen("/64"), n, 0.6, "/64");
    check_share(r.seen("/1k"), n, 0.3, "/1k");
    check_share(r.seen("/16k"), n, 0.1, "/16k");
    // the driver counts each type as the server saw it
    ck_assert_uint_eq(r.counted("GET:/64"), r.seen("/64"));
    ck_assert_uint_eq(r.counted("GET:/1k"), r.seen("/1k"));
    ck_assert_uint_eq(r.counted("GET:/16k"), r.seen("/16k"));
}
END_TEST

// Zipf popularity of exponent s over the entries in order: the shares are
// (k+1)^-s / H(4, s). (One harness per process: a test per exponent.)
void check_zipf(double s)
{
    const char *paths[] = { "/index.html", "/64", "/16k", "/1k" };
    std::string zs = "workload.web_zipf_s=" + std::to_string(s);
    WebRun r({ "clients.requests=500", "workload.web_paths=/index.html,/64,/16k,/1k", "workload.web_popularity=zipf",
               zs.c_str() });
    const uint64_t n = 2000;
    ck_assert_uint_eq(r.t().completed, n);
    double h = 0;
    for (int k = 0; k < 4; k++) h += std::pow(k + 1, -s);
    for (int k = 0; k < 4; k++) {
        check_share(r.seen(paths[k]), n, std::pow(k + 1, -s) / h, paths[k]);
        ck_assert_uint_eq(r.counted(std::string("GET:") + paths[k]), r.seen(paths[k]));
    }
}

START_TEST(web_zipf_1_gives_the_shares) { check_zipf(1.0); }
END_TEST

START_TEST(web_zipf_0_5_gives_the_shares) { check_zipf(0.5); }
END_TEST

START_TEST(web_zipf_2_gives_the_shares) { check_zipf(2.0); }
END_TEST

// Open loop at 200000 requests/s over 4 connections for 20 ms: about 4000
// requests; each connection's requests reach the server as a Poisson
// process of 50000/s: gaps of mean 20 us (within 5 %) and a coefficient of
// variation of 1 (within 10 %).
START_TEST(web_open_loop_is_poisson_at_the_rate)
{
    WebRun r({ "workload.loop=open", "workload.rate=2e5", "clients.duration_us=20000", "clients.start_us=10",
               "workload.web_pipeline=8", "workload.web_paths=/64" },
             30000);
    const ClientTotals &t = r.t();
    ck_assert_uint_eq(t.errors(), 0);
    double n = (double)t.issued;
    ck_assert_msg(std::fabs(n - 4000) <= 4 * std::sqrt(4000.0), "issued %g, expected about 4000", n);
    std::map<uint32_t, std::vector<uint64_t>> by_conn;
    for (const auto &q : r.server.reqs) by_conn[q.conn].push_back(q.t_ns);
    ck_assert_uint_eq(by_conn.size(), 4);
    double sum = 0, sum2 = 0, k = 0;
    for (const auto &c : by_conn)
        for (size_t i = 1; i < c.second.size(); i++) {
            double g = (double)(c.second[i] - c.second[i - 1]);
            sum += g;
            sum2 += g * g;
            k++;
        }
    double mean = sum / k, cv = std::sqrt(sum2 / k - mean * mean) / mean;
    ck_assert_msg(std::fabs(mean - 20000) < 0.05 * 20000, "mean gap %.0f ns, expected 20000", mean);
    ck_assert_msg(std::fabs(cv - 1) < 0.1, "coefficient of variation %.3f, expected 1", cv);
}
END_TEST

// Echo, closed loop with think times, a warm-up of 150 us: the answers in
// it are not counted (completed + warm-up = issued), the latencies counted
// are the completed ones, per type and per port; the window starts at the
// warm-up's end.
START_TEST(echo_warmup_not_counted)
{
    dl_config c = config({ "port.count=2", "clients.hosts_per_port=2", "clients.conns_per_host=2",
                           "clients.requests=40", "workload.think_us=5", "clients.start_us=10",
                           "workload.warmup_us=150" },
                         {});
    chip_init_time();
    std::string e;
    Harness h(c, SERVER_ECHO, 1000, e);
    ck_assert_msg(e.empty(), "harness: %s", e.c_str());
    h.run(20000);
    const ClientTotals &t = h.clients->totals();
    ck_assert_uint_eq(t.issued, 8 * 40);
    ck_assert_uint_eq(t.errors(), 0);
    ck_assert_uint_gt(t.warmup_answered, 8);
    ck_assert_uint_gt(t.completed, 8);
    ck_assert_uint_eq(t.completed + t.warmup_answered, t.issued);
    ck_assert_uint_eq(t.latency_ns.size(), t.completed);
    ck_assert_uint_eq(t.types.size(), 1);
    ck_assert_str_eq(t.types[0].c_str(), "echo");
    ck_assert_uint_eq(t.type_latency_ns[0].size(), t.completed);
    ck_assert_uint_eq(t.bytes_answered, t.completed * 64);
    ck_assert_uint_eq(t.port.size(), 2);
    ck_assert_uint_eq(t.port[0].completed + t.port[1].completed, t.completed);
    ck_assert_uint_eq(t.port[0].bytes_answered + t.port[1].bytes_answered, t.bytes_answered);
    ck_assert_uint_gt(t.port[0].completed, 0);
    ck_assert_uint_gt(t.port[1].completed, 0);
    ck_assert_uint_eq(h.clients->window_ns(), t.last_answer_ns - (10000 + 150000));
}
END_TEST

// Open loop with a warm-up and a duration: the measured window is the
// duration exactly, after the warm-up; requests are issued until its end.
START_TEST(open_loop_window_follows_the_warmup)
{
    dl_config c = config({ "port.count=1", "clients.hosts_per_port=2", "clients.conns_per_host=2",
                           "workload.loop=open", "workload.rate=1e6", "clients.start_us=10",
                           "workload.warmup_us=100", "clients.duration_us=400" },
                         {});
    chip_init_time();
    std::string e;
    Harness h(c, SERVER_ECHO, 1000, e);
    ck_assert_msg(e.empty(), "harness: %s", e.c_str());
    h.run(5000);
    const ClientTotals &t = h.clients->totals();
    ck_assert(t.ended);
    ck_assert_uint_eq(h.clients->window_ns(), 400000);
    // about 100 requests in the warm-up, 400 in the window
    ck_assert_msg(t.warmup_answered > 50 && t.warmup_answered < 150, "%llu in the warm-up",
                  (unsigned long long)t.warmup_answered);
    ck_assert_msg(t.completed > 320 && t.completed < 480, "%llu counted", (unsigned long long)t.completed);
    double rps = h.clients->requests_per_second();
    ck_assert_msg(rps > 0.8e6 && rps < 1.2e6, "%g requests/s", rps);
}
END_TEST

namespace {

// An ETC workload against the recording memcached server.
struct EtcRun {
    Harness *h;
    RecordingMc server;
    explicit EtcRun(std::initializer_list<const char *> sets, uint64_t limit_us = 200000)
    {
        dl_config c = config({ "port.count=1", "workload.kind=etc", "clients.server_port=11211",
                               "clients.hosts_per_port=1", "clients.conns_per_host=4", "workload.seed=5",
                               "clients.window_kib=64" },
                             sets);
        chip_init_time();
        std::string e;
        h = new Harness(c, SERVER_SILENT, 1000, e);
        ck_assert_msg(e.empty(), "harness: %s", e.c_str());
        h->server->set_app(&server);
        h->run(limit_us);
    }
    const ClientTotals &t() const { return h->clients->totals(); }
};

// The number in an ETC key's name ("k123_...").
uint64_t etc_key_number(const std::string &name) { return strtoull(name.c_str() + 1, nullptr, 10); }

} // namespace

// 4000 requests over 1000 keys of Zipf popularity 0.9: gets in the ratio
// 30:1, key k drawn with probability (k+1)^-s / H(n, s) (the three most
// popular checked), every answer a miss or STORED as the server says.
START_TEST(etc_ratio_and_zipf_keys)
{
    EtcRun r({ "clients.requests=1000", "workload.etc_keys=1000", "workload.etc_zipf_s=0.9" });
    const ClientTotals &t = r.t();
    const uint64_t n = 4000;
    ck_assert_uint_eq(t.completed, n);
    ck_assert_uint_eq(t.errors(), 0);
    ck_assert_uint_eq(r.server.reqs.size(), n);
    uint64_t gets = 0, count[3] = { 0, 0, 0 };
    for (const auto &q : r.server.reqs) {
        gets += q.get;
        uint64_t k = etc_key_number(q.key);
        ck_assert_uint_lt(k, 1000);
        if (k < 3) count[k]++;
    }
    check_share(gets, n, 30.0 / 31.0, "gets");
    ck_assert_uint_eq(t.mc_gets, gets);
    ck_assert_uint_eq(t.mc_misses, gets);
    double h = 0;
    for (int k = 0; k < 1000; k++) h += std::pow(k + 1, -0.9);
    for (int k = 0; k < 3; k++) check_share(count[k], n, std::pow(k + 1, -0.9) / h, "key");
    // the request types: every get a miss here, the sets stored
    ck_assert_str_eq(t.types[1].c_str(), "get_miss");
    ck_assert_uint_eq(t.type_latency_ns[1].size(), gets);
    ck_assert_uint_eq(t.type_latency_ns[2].size(), n - gets);
}
END_TEST

// ETC's sizes over 3000 uniform keys (Zipf exponent 0) and half sets: the
// key names' mean size is the GEV's (within 4 standard errors; rounding
// adds nothing on average), the values below 15 bytes are the table's
// share, and the median of the others the Generalized Pareto's (within 10 %).
START_TEST(etc_key_and_value_sizes)
{
    EtcRun r({ "clients.requests=1500", "workload.etc_keys=3000", "workload.etc_zipf_s=0",
               "workload.etc_get_ratio=0.5" });
    ck_assert_uint_eq(r.t().errors(), 0);
    std::map<uint64_t, uint64_t> key_size, value_size;
    for (const auto &q : r.server.reqs) {
        uint64_t k = etc_key_number(q.key);
        key_size[k] = q.key.size();
        if (!q.get) {
            auto it = value_size.find(k);
            ck_assert_msg(it == value_size.end() || it->second == q.bytes, "key %llu with two sizes",
                          (unsigned long long)k);
            value_size[k] = q.bytes;
        }
    }
    ck_assert_uint_gt(key_size.size(), 1500);
    double sum = 0;
    for (const auto &k : key_size) sum += (double)k.second;
    double mean = sum / (double)key_size.size(), sd = std::sqrt(wl_gev_var(WL_ETC_KEY_SCALE, WL_ETC_KEY_SHAPE));
    double want = wl_gev_mean(WL_ETC_KEY_LOC, WL_ETC_KEY_SCALE, WL_ETC_KEY_SHAPE);
    ck_assert_msg(std::fabs(mean - want) < 4 * sd / std::sqrt((double)key_size.size()) + 0.5,
                  "key size mean %.2f, expected %.2f", mean, want);
    std::vector<uint64_t> big;
    uint64_t small = 0;
    for (const auto &v : value_size) {
        if (v.second < 15) small++;
        else big.push_back(v.second);
    }
    double p_small = 0;
    for (double p : WL_ETC_VALUE_TABLE) p_small += p;
    check_share(small, value_size.size(), p_small, "values below 15 bytes");
    std::sort(big.begin(), big.end());
    double median = (double)big[big.size() / 2];
    double want_median = wl_gpareto_quantile(0.5, WL_ETC_VALUE_LOC, WL_ETC_VALUE_SCALE, WL_ETC_VALUE_SHAPE);
    ck_assert_msg(std::fabs(median - want_median) < 0.1 * want_median, "value median %.0f, expected %.0f", median,
                  want_median);
}
END_TEST

// Open loop at 100000 requests/s over 4 connections for 40 ms: each
// connection's gaps have ETC's Generalized Pareto shape: mean 40 us (within
// 6 %) and a coefficient of variation of 1/sqrt(1 - 2 x 0.155) = 1.20
// (within 0.1: not Poisson's 1); with etc_arrivals = poisson, 1.
void check_etc_gaps(const char *arrivals, double cv_want)
{
    EtcRun r({ "workload.loop=open", "workload.rate=1e5", "clients.duration_us=40000", "clients.start_us=10",
               "workload.etc_keys=100", arrivals },
             60000);
    ck_assert_uint_eq(r.t().errors(), 0);
    std::map<uint32_t, std::vector<uint64_t>> by_conn;
    for (const auto &q : r.server.reqs) by_conn[q.conn].push_back(q.t_ns);
    ck_assert_uint_eq(by_conn.size(), 4);
    double sum = 0, sum2 = 0, k = 0;
    for (const auto &c : by_conn)
        for (size_t i = 1; i < c.second.size(); i++) {
            double g = (double)(c.second[i] - c.second[i - 1]);
            sum += g;
            sum2 += g * g;
            k++;
        }
    double mean = sum / k, cv = std::sqrt(sum2 / k - mean * mean) / mean;
    ck_assert_msg(std::fabs(mean - 40000) < 0.06 * 40000, "mean gap %.0f ns, expected 40000", mean);
    ck_assert_msg(std::fabs(cv - cv_want) < 0.1, "coefficient of variation %.3f, expected %.3f", cv, cv_want);
}

START_TEST(etc_gpareto_arrivals) { check_etc_gaps("workload.etc_arrivals=gpareto", 1 / std::sqrt(1 - 2 * WL_ETC_IA_SHAPE)); }
END_TEST

START_TEST(etc_poisson_arrivals) { check_etc_gaps("workload.etc_arrivals=poisson", 1.0); }
END_TEST

extern "C" Suite *workload_clients_suite(void)
{
    Suite *s = suite_create("workload_clients");
    TCase *tc = tcase_create("drivers");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, web_weights_give_the_shares);
    tcase_add_test(tc, web_zipf_1_gives_the_shares);
    tcase_add_test(tc, web_zipf_0_5_gives_the_shares);
    tcase_add_test(tc, web_zipf_2_gives_the_shares);
    tcase_add_test(tc, web_open_loop_is_poisson_at_the_rate);
    tcase_add_test(tc, echo_warmup_not_counted);
    tcase_add_test(tc, open_loop_window_follows_the_warmup);
    tcase_add_test(tc, etc_ratio_and_zipf_keys);
    tcase_add_test(tc, etc_key_and_value_sizes);
    tcase_add_test(tc, etc_gpareto_arrivals);
    tcase_add_test(tc, etc_poisson_arrivals);
    suite_add_tcase(s, tc);
    return s;
}
