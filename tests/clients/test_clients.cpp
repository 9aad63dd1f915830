// test_clients.cpp - the client hosts (sim/client_*) against a server host
// built from the same code, back to back (client_harness.h), under SystemC:
// many connections, transfers larger than the window, every byte verified,
// latency recorded; open and closed loop; verification failures, timeouts
// and resets counted; two runs identical; the [clients] checks.
#include <systemc>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "chip.h"
#include "client_harness.h"
#include "mem/phys_mem.h"
extern "C" {
#include "test_util.h"
}

#include <check.h> // last: it defines a macro named fail

namespace {

// A configuration with `sets` ("section.key=value" ...) applied over the defaults.
dl_config config(std::initializer_list<const char *> sets)
{
    dl_config c;
    char err[512];
    cfg_defaults(&c);
    for (const char *s : sets) ck_assert_msg(cfg_set_arg(&c, s, err, sizeof err) == 0, "%s: %s", s, err);
    return c;
}

// Builds and runs a harness; fails the test when it cannot be built.
struct Run {
    Harness *h;
    uint64_t ns;
    Run(const dl_config &c, ServerMode mode, uint64_t limit_us, uint64_t corrupt_at = UINT64_MAX)
    {
        chip_init_time();
        std::string err;
        h = new Harness(c, mode, 1000, err);
        ck_assert_msg(err.empty(), "harness: %s", err.c_str());
        h->corrupt_at = corrupt_at;
        ns = h->run(limit_us);
    }
    const ClientTotals &t() const { return h->clients->totals(); }
};

// Every client stack and the server's hold their invariants.
void check_stacks(const Harness &h)
{
    ck_assert_int_eq(net_check(h.server->net), 0);
    for (const ClientSwitch *s : h.clients->switches())
        for (const ClientHost *c : s->hosts()) ck_assert_int_eq(net_check(c->net), 0);
}

} // namespace

// 2 ports x 4 hosts x 8 connections, closed loop, 20 requests of 64 bytes
// each: every answer arrives, verified, with its latency.
START_TEST(closed_loop_many_connections)
{
    Run r(config({ "port.count=2", "clients.hosts_per_port=4", "clients.conns_per_host=8", "clients.requests=20",
                   "workload.echo_bytes=64" }),
          SERVER_ECHO, 20000);
    const ClientTotals &t = r.t();
    ck_assert_uint_eq(r.h->plan.connections(), 64);
    ck_assert_uint_eq(t.connected, 64);
    ck_assert_uint_eq(t.issued, 64 * 20);
    ck_assert_uint_eq(t.completed, 64 * 20);
    ck_assert_uint_eq(t.errors(), 0);
    ck_assert_uint_eq(t.bytes_answered, 64 * 20 * 64);
    ck_assert_uint_eq(t.latency_ns.size(), 64 * 20);
    ck_assert_uint_eq(r.h->echo->accepted, 64);
    ck_assert_uint_eq(r.h->echo->bytes, 64 * 20 * 64);
    ck_assert(r.h->clients->done());
    // A request crosses two 1 us delays and two frames on the wire at least.
    ck_assert_uint_ge(r.h->clients->latency_at(0.0), 2000);
    ck_assert_uint_le(r.h->clients->latency_at(0.5), r.h->clients->latency_at(0.99));
    ck_assert_uint_le(r.h->clients->latency_at(0.99), r.h->clients->latency_at(1.0));
    ck_assert(r.h->clients->requests_per_second() > 0);
    // Every connection closed: the server holds none once the FINs are through.
    ck_assert_uint_eq(net_conns_used(r.h->server->net), 0);
    check_stacks(*r.h);
}
END_TEST

// Requests of 100000 bytes, larger than the 16 KiB window on both sides:
// the echo streams them back while they are still being sent.
START_TEST(transfers_larger_than_the_window)
{
    Run r(config({ "port.count=1", "clients.hosts_per_port=2", "clients.conns_per_host=4", "clients.requests=3",
                   "workload.echo_bytes=100000", "clients.window_kib=16" }),
          SERVER_ECHO, 200000);
    const ClientTotals &t = r.t();
    ck_assert_uint_eq(t.completed, 8 * 3);
    ck_assert_uint_eq(t.errors(), 0);
    ck_assert_uint_eq(t.bytes_sent, 8 * 3 * 100000);
    ck_assert_uint_eq(t.bytes_answered, 8 * 3 * 100000);
    ck_assert_uint_eq(r.h->echo->bytes, 8 * 3 * 100000);
    // 300 kB per connection through a 16 KiB window takes many round trips.
    ck_assert_uint_ge(r.h->clients->latency_at(0.0), 100000 * 8 / 10);   // > the wire time at 10 Gb/s
    check_stacks(*r.h);
}
END_TEST

// Open loop at 2 M requests/s for 500 us over 16 connections: about a
// thousand Poisson arrivals, all answered; the run is done at the end of the
// duration, and the rate is what was offered.
START_TEST(open_loop_rate_and_duration)
{
    Run r(config({ "port.count=1", "clients.hosts_per_port=4", "clients.conns_per_host=4", "workload.loop=open",
                   "workload.rate=2e6", "clients.duration_us=500", "clients.start_us=10" }),
          SERVER_ECHO, 5000);
    const ClientTotals &t = r.t();
    ck_assert(t.ended);
    ck_assert_uint_eq(t.errors(), 0);
    // The first arrivals wait for ARP and the handshakes (a few us).
    ck_assert_msg(t.issued > 850 && t.issued < 1100, "issued %llu, expected about 1000",
                  (unsigned long long)t.issued);
    ck_assert_uint_ge(t.completed + 16, t.issued);   // at most what was in flight at the end
    double rps = r.h->clients->requests_per_second();
    ck_assert_msg(rps > 1.7e6 && rps < 2.3e6, "requests per second %g, expected about 2e6", rps);
    ck_assert_uint_eq(r.h->clients->window_ns(), 500000 + 10000 - t.first_issue_ns);
    check_stacks(*r.h);
}
END_TEST

// Closed loop with a think time: each connection's requests are spaced by
// about the mean think time.
START_TEST(closed_loop_think_time)
{
    Run r(config({ "port.count=1", "clients.hosts_per_port=1", "clients.conns_per_host=4", "clients.requests=50",
                   "workload.think_us=20" }),
          SERVER_ECHO, 20000);
    const ClientTotals &t = r.t();
    ck_assert_uint_eq(t.completed, 200);
    // 50 requests with 49 think times of 20 us on average: about 1 ms, never 50 round trips of ~3 us.
    ck_assert_msg(r.h->clients->window_ns() > 600000 && r.h->clients->window_ns() < 1600000, "window %llu ns",
                  (unsigned long long)r.h->clients->window_ns());
}
END_TEST

// One flipped byte in the echo of the first connection's 5th request: that
// request is a verification error, every other one completes.
START_TEST(verification_catches_a_wrong_byte)
{
    Run r(config({ "port.count=1", "clients.hosts_per_port=2", "clients.conns_per_host=2", "clients.requests=10",
                   "workload.echo_bytes=64" }),
          SERVER_CORRUPT, 20000, 4 * 64 + 17);
    const ClientTotals &t = r.t();
    ck_assert_uint_eq(t.err_verify, 1);
    ck_assert_uint_eq(t.errors(), 1);
    ck_assert_uint_eq(t.completed, 4 * 10 - 1);
}
END_TEST

// A server that never answers: every connection's first request times out.
START_TEST(silent_server_times_out)
{
    Run r(config({ "port.count=1", "clients.hosts_per_port=2", "clients.conns_per_host=3", "clients.requests=5",
                   "clients.timeout_us=300", "clients.timer_us=50" }),
          SERVER_SILENT, 20000);
    const ClientTotals &t = r.t();
    ck_assert_uint_eq(t.connected, 6);
    ck_assert_uint_eq(t.err_timeout, 6);
    ck_assert_uint_eq(t.completed, 0);
    ck_assert(r.h->clients->done());
    ck_assert_uint_lt(r.ns, 2000000);   // done after the timeout, not at the limit
}
END_TEST

// A server that resets every connection: counted as resets, the run ends.
START_TEST(resets_are_counted)
{
    Run r(config({ "port.count=1", "clients.hosts_per_port=1", "clients.conns_per_host=4", "clients.requests=5" }),
          SERVER_RESET, 20000);
    const ClientTotals &t = r.t();
    ck_assert_uint_eq(t.err_reset, 4);
    ck_assert_uint_eq(t.completed, 0);
    ck_assert(r.h->clients->done());
}
END_TEST

// Nothing listens on the server's port: every connection is refused.
START_TEST(refused_connections)
{
    Run r(config({ "port.count=1", "clients.hosts_per_port=2", "clients.conns_per_host=2", "clients.requests=5" }),
          SERVER_CLOSED, 50000);
    const ClientTotals &t = r.t();
    ck_assert_uint_eq(t.connected, 0);
    ck_assert_uint_eq(t.err_connect, 4);
    ck_assert_uint_eq(t.errors(), 4);
    ck_assert(r.h->clients->done());
    ck_assert_uint_lt(r.ns, 1000000);   // refused at once, not after the timeout
}
END_TEST

// Nobody on the wire (ARP and SYNs lost): the hosts give up on ARP, try to
// connect, and fail after clients.timeout_us; the clients are done.
START_TEST(no_server_times_out_connecting)
{
    Run r(config({ "port.count=1", "clients.hosts_per_port=2", "clients.conns_per_host=2", "clients.requests=5",
                   "clients.timeout_us=5000" }),
          SERVER_ABSENT, 50000);
    const ClientTotals &t = r.t();
    ck_assert_uint_eq(t.connected, 0);
    ck_assert_uint_eq(t.err_connect, 4);
    ck_assert(r.h->clients->done());
    // ARP gives up after 3 tries 1 ms apart, then 5 ms of connecting.
    ck_assert_msg(r.ns > 8000000 && r.ns < 9000000, "done at %llu ns", (unsigned long long)r.ns);
}
END_TEST

namespace {

// Runs the 64-connection closed-loop case and an open-loop case in a child
// process; returns results.clients and the wire digest as text.
std::string run_in_child(const char *mode)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fd[0]);
        dl_config c = !strcmp(mode, "open")
                          ? config({ "port.count=2", "clients.hosts_per_port=4", "clients.conns_per_host=8",
                                     "workload.loop=open", "workload.rate=3e6", "clients.duration_us=300",
                                     "workload.seed=7" })
                          : config({ "port.count=2", "clients.hosts_per_port=4", "clients.conns_per_host=8",
                                     "clients.requests=10", "workload.think_us=1" });
        chip_init_time();
        std::string err;
        Harness h(c, SERVER_ECHO, 1000, err);
        if (!err.empty()) _exit(3);
        uint64_t ns = h.run(20000);
        cJSON *j = h.clients->results();
        char *s = cJSON_PrintUnformatted(j);
        std::string out = std::string(s) + " frames=" + std::to_string(h.frames) + " digest=" +
                          std::to_string(h.digest) + " ns=" + std::to_string(ns);
        if (write(fd[1], out.data(), out.size()) != (ssize_t)out.size()) _exit(4);
        _exit(0);
    }
    close(fd[1]);
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd[0], buf, sizeof buf)) > 0) out.append(buf, (size_t)n);
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child failed");
    return out;
}

} // namespace

// The same configuration twice: the same results, frames, times and bytes.
START_TEST(two_runs_identical)
{
    for (const char *mode : { "closed", "open" }) {
        std::string a = run_in_child(mode), b = run_in_child(mode);
        ck_assert_msg(a.find("\"requests_completed\":0,") == std::string::npos, "%s: nothing completed", mode);
        ck_assert_msg(a == b, "%s: two runs differ:\n%s\n%s", mode, a.c_str(), b.c_str());
    }
}
END_TEST

// Another seed changes the arrivals and payloads (the seed is used).
START_TEST(seed_changes_the_run)
{
    dl_config a = config({ "port.count=1", "clients.hosts_per_port=1", "clients.conns_per_host=2",
                           "workload.loop=open", "workload.rate=1e6", "clients.duration_us=100", "workload.seed=1" });
    dl_config b = a;
    b.workload.seed = 2;
    ClientPlan pa, pb;
    std::string err;
    ck_assert(client_plan(a, {}, pa, err));
    ck_assert(client_plan(b, {}, pb, err));
    ck_assert_uint_ne(pa.seed, pb.seed);
    // run.seed is used when workload.seed is 0.
    a.workload.seed = 0;
    a.run.seed = 99;
    ck_assert(client_plan(a, {}, pa, err));
    ck_assert_uint_eq(pa.seed, 99);
}
END_TEST

// Each payload byte depends on the connection and the offset.
START_TEST(pattern_differs_by_connection_and_offset)
{
    unsigned same_conn = 0, same_off = 0;
    for (uint64_t o = 0; o < 4096; o++) {
        same_conn += client_pattern_byte(1, o) == client_pattern_byte(2, o);
        same_off += client_pattern_byte(1, o) == client_pattern_byte(1, o + 1);
    }
    ck_assert_uint_lt(same_conn, 64);   // 16 expected by chance
    ck_assert_uint_lt(same_off, 64);
}
END_TEST

namespace {

// client_plan's error for the configuration with sets applied (traced ports).
std::string plan_error(std::initializer_list<const char *> sets, std::vector<int> traced = {})
{
    dl_config c = config(sets);
    ClientPlan p;
    std::string err;
    bool ok = client_plan(c, traced, p, err);
    ck_assert_msg(!ok, "accepted");
    return err;
}

#define ck_assert_has(s, sub) ck_assert_msg((s).find(sub) != std::string::npos, "'%s' lacks '%s'", (s).c_str(), sub)

} // namespace

START_TEST(bad_values_are_clear_errors)
{
    const char *on = "clients.hosts_per_port=2", *req = "clients.requests=1";
    ck_assert_has(plan_error({ on, req, "net.address=10.0.0.300/24" }), "net.address = '10.0.0.300/24'");
    ck_assert_has(plan_error({ on, req, "net.address=10.0.0/24" }), "expected a dotted IPv4 address and a prefix");
    ck_assert_has(plan_error({ on, req, "net.address=10.0.0.1" }), "expected a dotted IPv4 address and a prefix");
    ck_assert_has(plan_error({ on, req, "net.address=10.0.0.1/31" }), "prefix length /31: expected /8 to /30");
    ck_assert_has(plan_error({ on, req, "net.address=10.0.0.1/7" }), "prefix length /7");
    ck_assert_has(plan_error({ on, req, "net.address=10.0.0.0/24" }), "not a usable host address");
    ck_assert_has(plan_error({ on, req, "net.address=10.0.0.255/24" }), "not a usable host address");
    ck_assert_has(plan_error({ on, req, "net.address=127.0.0.1/8" }), "not a usable host address");
    ck_assert_has(plan_error({ on, req, "clients.ports=4" }), "port 4 does not exist");
    ck_assert_has(plan_error({ on, req, "clients.ports=0,x" }), "expected all or a list");
    ck_assert_has(plan_error({ on, req, "clients.ports=1,1" }), "port 1 is named twice");
    ck_assert_has(plan_error({ on, req, "clients.ports=0-1" }, { 1 }), "port 1 already replays a --pcap-in");
    ck_assert_has(plan_error({ on, req, "port.count=1" }, { 0 }), "no port is left");
    ck_assert_has(plan_error({ on, req, "workload.loop=open" }), "workload.loop = open needs workload.rate");
    ck_assert_has(plan_error({ on }), "neither clients.requests");
    ck_assert_has(plan_error({ on, req, "clients.timeout_us=0" }), "clients.timeout_us = 0 waits for ever");
    ck_assert_has(plan_error({ on, req, "clients.window_kib=12" }), "clients.window_kib = 12: expected a power of 2");
    ck_assert_has(plan_error({ "clients.hosts_per_port=1", req, "net.address=10.0.0.1/30" }),
                  "more than the 1 addresses");
    if (phys_host_available() >= 0)   // 65536 hosts x 16385 x 2 x 64 MiB: more than any host has
        ck_assert_has(plan_error({ "clients.hosts_per_port=4096", "port.count=16", "net.address=10.0.0.1/8",
                               "clients.conns_per_host=16384", "clients.window_kib=65536", req }),
                  "of host memory");
    // Ranges come from the key table.
    dl_config c;
    char err[512];
    cfg_defaults(&c);
    ck_assert_int_eq(cfg_set_arg(&c, "workload.echo_bytes=0", err, sizeof err), -1);
    ck_assert_msg(strstr(err, "workload.echo_bytes") && strstr(err, "out of range"), "%s", err);
    ck_assert_int_eq(cfg_set_arg(&c, "workload.loop=half", err, sizeof err), -1);
    ck_assert_int_eq(cfg_set_arg(&c, "clients.server_port=70000", err, sizeof err), -1);
    // No clients: nothing else is checked.
    ClientPlan p;
    std::string e;
    ck_assert(client_plan(config({ "clients.server_port=80" }), {}, p, e));
    ck_assert(!p.enabled);
}
END_TEST

// Addresses: hosts numbered in the server's subnet, skipping the server;
// MACs name port and host, and map back.
START_TEST(addresses)
{
    ClientPlan p;
    std::string err;
    ck_assert(client_plan(config({ "port.count=2", "clients.hosts_per_port=3", "clients.requests=1",
                                   "net.address=192.168.1.3/24" }),
                          {}, p, err));
    ck_assert_str_eq(client_ip_str(client_host_ip(p, 0, 0)).c_str(), "192.168.1.1");
    ck_assert_str_eq(client_ip_str(client_host_ip(p, 0, 1)).c_str(), "192.168.1.2");
    ck_assert_str_eq(client_ip_str(client_host_ip(p, 0, 2)).c_str(), "192.168.1.4");
    ck_assert_str_eq(client_ip_str(client_host_ip(p, 1, 2)).c_str(), "192.168.1.7");
    uint8_t mac[6];
    client_host_mac(1, 2, mac);
    ck_assert_int_eq(client_mac_host(1, mac, 3), 2);
    ck_assert_int_eq(client_mac_host(0, mac, 3), -1);
    ck_assert_int_eq(client_mac_host(1, mac, 2), -1);
}
END_TEST

extern "C" Suite *clients_suite(void)
{
    Suite *s = suite_create("clients");
    TCase *t = tcase_create("hosts");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, closed_loop_many_connections);
    tcase_add_test(t, transfers_larger_than_the_window);
    tcase_add_test(t, open_loop_rate_and_duration);
    tcase_add_test(t, closed_loop_think_time);
    tcase_add_test(t, verification_catches_a_wrong_byte);
    tcase_add_test(t, silent_server_times_out);
    tcase_add_test(t, resets_are_counted);
    tcase_add_test(t, refused_connections);
    tcase_add_test(t, no_server_times_out_connecting);
    tcase_add_test(t, two_runs_identical);
    tcase_add_test(t, seed_changes_the_run);
    tcase_add_test(t, pattern_differs_by_connection_and_offset);
    suite_add_tcase(s, t);
    TCase *c = tcase_create("config");
    tcase_add_test(c, bad_values_are_clear_errors);
    tcase_add_test(c, addresses);
    suite_add_tcase(s, c);
    return s;
}
