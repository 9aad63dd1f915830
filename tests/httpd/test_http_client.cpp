// test_http_client.cpp - the client hosts' HTTP driver (sim/client_http.cpp)
// against a server host on the client harness's wire
// (tests/clients/client_harness.h) running a small HTTP server of this
// file that answers correctly, or spoils one answer in one way: every
// answer right is counted complete; each spoilt one is caught and counted
// under its cause (http_status, http_header, http_body, http_extra), its
// connection aborted. Keep-alive and not, pipelined.
#include <systemc>
#include <cstring>
#include <map>
#include <string>

#include "chip.h"
#include "client_harness.h"
extern "C" {
#include "apps/httpd/http_docs.h"
}

#include <check.h> // last: it defines a macro named fail

namespace {

enum Fault { F_NONE, F_STATUS, F_LENGTH, F_TYPE, F_TE, F_BODY, F_EXTRA, F_CLOSE };

// Answers each request (GET PATH ...) with the document of the default set,
// as the httpd would; answer number fault_at (counted over all connections)
// gets the fault.
class FaultyHttp : public HostApp {
public:
    FaultyHttp(Fault f, unsigned fault_at) : fault_(f), fault_at_(fault_at)
    {
        char err[256];
        ck_assert_int_eq(http_docs_parse("", &docs_, err, sizeof err), 0);
    }
    void tcp_event(ClientHost &h, uint32_t conn, uint32_t ev) override
    {
        if (ev & NET_EV_RESET) {
            net_tcp_close(h.net, conn);
            in_.erase(conn);
            return;
        }
        if (ev & NET_EV_READABLE) {
            char buf[4096];
            int64_t n;
            while ((n = net_tcp_recv(h.net, conn, buf, sizeof buf)) > 0) in_[conn].append(buf, (size_t)n);
            std::string &s = in_[conn];
            size_t end;
            while ((end = s.find("\r\n\r\n")) != std::string::npos) {
                std::string req = s.substr(0, end);
                s.erase(0, end + 4);
                if (answer(h, conn, req)) return;
            }
        }
        if (ev & NET_EV_PEER_FIN) {
            net_tcp_close(h.net, conn);
            in_.erase(conn);
        }
    }
    unsigned answers = 0;

private:
    // Sends the answer; true when it closed the connection.
    bool answer(ClientHost &h, uint32_t conn, const std::string &req)
    {
        size_t sp = req.find(' '), sp2 = req.find(' ', sp + 1);
        std::string path = req.substr(sp + 1, sp2 - sp - 1);
        bool close = req.find("Connection: close") != std::string::npos;
        const http_doc_t *d = http_docs_find(&docs_, path.c_str(), (uint32_t)path.size());
        ck_assert_ptr_nonnull(d);
        Fault f = answers++ == fault_at_ ? fault_ : F_NONE;
        std::string body(d->size, ' ');
        http_doc_fill(d, 0, (uint8_t *)&body[0], d->size);
        if (f == F_BODY) body[d->size / 2] ^= 1;
        std::string a = f == F_STATUS ? "HTTP/1.1 500 Internal Server Error\r\n" : "HTTP/1.1 200 OK\r\n";
        a += "Server: test\r\nContent-Type: ";
        a += f == F_TYPE ? "application/json" : d->type;
        a += "\r\nContent-Length: " + std::to_string(d->size + (f == F_LENGTH ? 1 : 0)) + "\r\n";
        if (f == F_TE) a += "Transfer-Encoding: identity\r\n";
        if (close && f != F_CLOSE) a += "Connection: close\r\n";
        if (!close && f == F_CLOSE) a += "Connection: close\r\n";
        a += "\r\n" + body + (f == F_LENGTH ? "x" : "") + (f == F_EXTRA ? "HTTP/1.1" : "");
        ck_assert_int_eq(net_tcp_send(h.net, conn, a.data(), (uint32_t)a.size()), (int64_t)a.size());
        if (close) {
            net_tcp_close(h.net, conn);
            in_.erase(conn);
        }
        return close;
    }
    http_docs_t docs_;
    std::map<uint32_t, std::string> in_;
    const Fault fault_;
    const unsigned fault_at_;
};

struct Run {
    Harness *h;
    FaultyHttp server;
    Run(std::initializer_list<const char *> sets, Fault f, unsigned fault_at) : server(f, fault_at)
    {
        dl_config c;
        char err[512];
        cfg_defaults(&c);
        for (const char *s : { "port.count=1", "workload.kind=web", "clients.server_port=80",
                               "clients.hosts_per_port=1", "clients.conns_per_host=1", "clients.requests=6",
                               "workload.web_paths=/64,/1k" })
            ck_assert_msg(cfg_set_arg(&c, s, err, sizeof err) == 0, "%s: %s", s, err);
        for (const char *s : sets) ck_assert_msg(cfg_set_arg(&c, s, err, sizeof err) == 0, "%s: %s", s, err);
        chip_init_time();
        std::string e;
        h = new Harness(c, SERVER_SILENT, 1000, e);
        ck_assert_msg(e.empty(), "harness: %s", e.c_str());
        h->server->set_app(&server);   // this file's server instead of the silent one
        h->run(20000);
    }
    const ClientTotals &t() const { return h->clients->totals(); }
    uint64_t cause(const char *name) const { return t().verify_causes.at(name); }
};

// Every answer right: all complete, no error, every cause listed at 0.
void check_clean(const Run &r, uint64_t requests)
{
    const ClientTotals &t = r.t();
    ck_assert(r.h->clients->done());
    ck_assert_uint_eq(t.issued, requests);
    ck_assert_uint_eq(t.completed, requests);
    ck_assert_uint_eq(t.errors(), 0);
    ck_assert_uint_eq(t.verify_causes.size(), 4);
    for (const auto &c : t.verify_causes) ck_assert_uint_eq(c.second, 0);
}

// One answer (the third) spoilt: caught under cause, the connection ended
// (bytes after an answer: that answer was right and counts).
void check_fault(std::initializer_list<const char *> sets, Fault f, const char *cause)
{
    Run r(sets, f, 2);
    const ClientTotals &t = r.t();
    ck_assert(r.h->clients->done());
    ck_assert_uint_eq(t.completed, f == F_EXTRA ? 3 : 2);
    ck_assert_uint_eq(t.err_verify, 1);
    ck_assert_uint_eq(t.errors(), 1);
    ck_assert_msg(r.cause(cause) == 1, "%s = %llu", cause, (unsigned long long)r.cause(cause));
}

} // namespace

// One run per test: SystemC elaborates once per process (Check forks each).
START_TEST(right_answers_complete)
{
    check_clean(Run({}, F_NONE, 0), 6);
}
END_TEST
START_TEST(right_answers_complete_without_keepalive)
{
    check_clean(Run({ "workload.web_keepalive=off" }, F_NONE, 0), 6);
}
END_TEST
START_TEST(right_answers_complete_pipelined)
{
    check_clean(Run({ "workload.web_pipeline=4", "clients.conns_per_host=3" }, F_NONE, 0), 18);
}
END_TEST

#define FAULT_TEST(name, fault, cause, ...) \
    START_TEST(name) { check_fault({ __VA_ARGS__ }, fault, cause); } END_TEST
FAULT_TEST(wrong_status_line, F_STATUS, "http_status")
FAULT_TEST(wrong_content_length, F_LENGTH, "http_header")
FAULT_TEST(wrong_content_type, F_TYPE, "http_header")
FAULT_TEST(a_transfer_encoding, F_TE, "http_header")
FAULT_TEST(close_announced_on_a_kept_connection, F_CLOSE, "http_header")
FAULT_TEST(close_not_announced, F_CLOSE, "http_header", "workload.web_keepalive=off")
FAULT_TEST(wrong_body_byte, F_BODY, "http_body")
FAULT_TEST(wrong_body_byte_without_keepalive, F_BODY, "http_body", "workload.web_keepalive=off")
// kept alive, the next request is already out: the extra bytes read as the
// start of its answer, whose status line is then wrong
FAULT_TEST(bytes_after_the_answer, F_EXTRA, "http_status")
FAULT_TEST(bytes_after_the_answer_before_the_close, F_EXTRA, "http_extra", "workload.web_keepalive=off")
FAULT_TEST(wrong_body_byte_pipelined, F_BODY, "http_body", "workload.web_pipeline=3")

extern "C" Suite *http_client_suite(void)
{
    Suite *s = suite_create("http_client");
    TCase *t = tcase_create("faults");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, right_answers_complete);
    tcase_add_test(t, right_answers_complete_without_keepalive);
    tcase_add_test(t, right_answers_complete_pipelined);
    tcase_add_test(t, wrong_status_line);
    tcase_add_test(t, wrong_content_length);
    tcase_add_test(t, wrong_content_type);
    tcase_add_test(t, a_transfer_encoding);
    tcase_add_test(t, close_announced_on_a_kept_connection);
    tcase_add_test(t, close_not_announced);
    tcase_add_test(t, wrong_body_byte);
    tcase_add_test(t, wrong_body_byte_without_keepalive);
    tcase_add_test(t, bytes_after_the_answer);
    tcase_add_test(t, bytes_after_the_answer_before_the_close);
    tcase_add_test(t, wrong_body_byte_pipelined);
    suite_add_tcase(s, t);
    return s;
}
