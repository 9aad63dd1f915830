// bench_clients.cpp - host cost of the client hosts (make bench-clients):
// 64 connections (4 hosts x 16 on one port, by default) doing 64-byte echo
// requests in closed loop against a server host back to back, for a
// simulated duration; prints the clients' host seconds per simulated
// millisecond (the server host runs on its own scheduler and is not
// counted), the requests answered and their latency.
//   build/client_bench [--set section.key=value ...] [DURATION_US]
#include <systemc>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "chip.h"
#include "client_harness.h"
#include "stats.h"

int sc_main(int argc, char **argv)
{
    dl_config c;
    char err[512];
    cfg_defaults(&c);
    const char *defaults[] = { "port.count=1", "clients.hosts_per_port=4", "clients.conns_per_host=16",
                               "workload.echo_bytes=64", "clients.duration_us=2000" };
    for (const char *s : defaults) cfg_set_arg(&c, s, err, sizeof err);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--set") && i + 1 < argc) {
            if (cfg_set_arg(&c, argv[++i], err, sizeof err) < 0) {
                fprintf(stderr, "client_bench: %s\n", err);
                return 2;
            }
        } else {
            c.clients.duration_us = atof(argv[i]);
        }
    }
    chip_init_time();
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    std::string e;
    Harness h(c, SERVER_ECHO, 1000, e);
    if (!e.empty()) {
        fprintf(stderr, "client_bench: %s\n", e.c_str());
        return 2;
    }
    double t0 = stats_host_seconds();
    uint64_t ns = h.run((uint64_t)(c.clients.start_us + c.clients.duration_us) + 100000);
    double wall = stats_host_seconds() - t0, ms = (double)ns / 1e6;
    const ClientTotals &t = h.clients->totals();
    printf("client_bench: %llu connections, %llu-byte requests, %s loop, %.3f ms simulated\n",
           (unsigned long long)h.plan.connections(), (unsigned long long)h.plan.echo_bytes,
           h.plan.open ? "open" : "closed", ms);
    printf("  answered    %llu requests, %llu errors, %.0f requests/s; latency p50 %.2f us, p99 %.2f us\n",
           (unsigned long long)t.completed, (unsigned long long)t.errors(), h.clients->requests_per_second(),
           (double)h.clients->latency_at(0.5) / 1e3, (double)h.clients->latency_at(0.99) / 1e3);
    printf("  host        clients %.4f s per simulated ms (%.2f us per request), server %.4f s/ms, "
           "whole run %.4f s/ms\n",
           h.clients->host_seconds() / ms, t.completed ? 1e6 * h.clients->host_seconds() / (double)t.completed : 0,
           h.server_sched->host_seconds / ms, wall / ms);
    if (getenv("CLIENT_BENCH_JSON")) {
        char *js = cJSON_Print(h.clients->results());
        printf("%s\n", js);
        free(js);
    }
    return t.errors() ? 1 : 0;
}

int main(int argc, char **argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}
