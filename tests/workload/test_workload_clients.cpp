// test_workload_clients.cpp - the [workload] generators through the client
// hosts' drivers, on the client harness's wire (tests/clients/client_harness.h)
// with a recording HTTP server of this file: the documents a web workload
// asks for follow its weights or its Zipf popularity (a long seeded sample's
// shares against the formulas, within four standard deviations), open-loop
// requests arrive as a Poisson process of the configured rate (mean and
// coefficient of variation of the gaps), and the echo driver's warm-up and
// measured window: answers in the warm-up not counted, the window from its
// end, per-type and per-port counts adding up.
#include <systemc>
#include <cmath>
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
    suite_add_tcase(s, tc);
    return s;
}
