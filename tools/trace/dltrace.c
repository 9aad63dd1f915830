/* dltrace.c - lists and summarises a packet capture: frames, duration,
 * TCP connections (flows) with their protocol, requests by type with
 * counts, sizes, rates and latencies, retransmissions, out-of-order
 * segments, holes, and everything it could not parse (counted, with the
 * first frame numbers).
 *
 * usage: dltrace [--flows N] FILE
 * Exit status: 0, or 2 for a usage error or a file it cannot read (missing,
 * not a pcap, truncated: how far it got, an unsupported link type). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "trace_stats.h"

static void usage(FILE *o)
{
    fprintf(o, "usage: dltrace [--flows N] FILE\n"
               "  Summarises a pcap: flows, protocols, request types with counts, sizes, rates and\n"
               "  latencies, retransmissions and what could not be parsed.\n"
               "  --flows N   list at most N flows (default 20; 0 lists none)\n");
}

static void ip4(char *b, size_t n, uint32_t ip, uint16_t port)
{
    snprintf(b, n, "%u.%u.%u.%u:%u", ip >> 24, ip >> 16 & 255, ip >> 8 & 255, ip & 255, port);
}

static void flows(const struct trace *t, long max)
{
    printf("\nflows: %d TCP connections", t->nflows);
    if (t->nflows > max) printf(" (the first %ld listed; --flows N lists more)", max);
    printf("\n");
    if (max <= 0 || t->nflows == 0) return;
    printf("  %4s %-21s %-21s %-9s %8s %8s %10s %10s %6s %6s %7s %5s %5s\n", "#", "client", "server", "proto",
           "frm_c", "frm_s", "bytes_c", "bytes_s", "reqs", "resps", "retrans", "ooo", "holes");
    for (int i = 0; i < t->nflows && i < max; i++) {
        const struct trace_flow *f = &t->flows[i];
        char c[32], s[32];
        ip4(c, sizeof c, f->ip[0], f->port[0]);
        ip4(s, sizeof s, f->ip[1], f->port[1]);
        printf("  %4d %-21s %-21s %-9s %8llu %8llu %10llu %10llu %6llu %6llu %7llu %5llu %5llu\n", i + 1, c, s,
               trace_proto_name(f->proto), (unsigned long long)f->frames[0], (unsigned long long)f->frames[1],
               (unsigned long long)f->bytes[0], (unsigned long long)f->bytes[1], (unsigned long long)f->requests,
               (unsigned long long)f->responses, (unsigned long long)(f->retrans[0] + f->retrans[1]),
               (unsigned long long)(f->ooo[0] + f->ooo[1]), (unsigned long long)(f->holes[0] + f->holes[1]));
    }
}

static void types(const struct trace *t, double dur)
{
    size_t answered = 0, silent = 0;
    for (size_t i = 0; i < t->ntxns; i++) {
        answered += t->txns[i].resp_ns >= 0;
        silent += t->txns[i].resp_ns < 0 && !t->txns[i].error;   /* noreply, quiet, quit */
    }
    printf("\nrequests: %zu (%zu answered, %zu expecting no reply)\n", t->ntxns, answered, silent);
    if (!t->ntypes) return;
    printf("  %-28s %8s %7s %10s %11s %10s %10s %10s %10s\n", "type", "count", "errors", "req_B", "resp_B",
           "rate/s", "p50_us", "p99_us", "max_us");
    for (int ty = 0; ty < t->ntypes; ty++) {
        size_t err, n = trace_count(t, ty, &err), nl;
        uint64_t rq = 0, rs = 0;
        for (size_t i = 0; i < t->ntxns; i++)
            if (t->txns[i].type == ty) {
                rq += t->txns[i].req_bytes;
                rs += t->txns[i].resp_bytes;
            }
        int64_t *lat = trace_latencies(t, ty, &nl);
        printf("  %-28.28s %8zu %7zu %10.1f %11.1f %10.1f", t->types[ty], n, err, (double)rq / (double)n,
               (double)rs / (double)n, dur > 0 ? (double)n / dur : 0.0);
        if (lat)
            printf(" %10.3f %10.3f %10.3f\n", trace_quantile(lat, nl, 0.5) / 1e3, trace_quantile(lat, nl, 0.99) / 1e3,
                   lat[nl - 1] / 1e3);
        else
            printf(" %10s %10s %10s\n", "-", "-", "-");
        free(lat);
    }
    /* Statuses: how many of each (in order of first appearance). */
    enum { MAXST = 64 };
    const char *st[MAXST];
    size_t cnt[MAXST], other = 0;
    int nst = 0;
    for (size_t i = 0; i < t->ntxns; i++) {
        int k;
        for (k = 0; k < nst && strcmp(st[k], t->txns[i].status); k++) {}
        if (k == nst && nst == MAXST) {
            other++;
            continue;
        }
        if (k == nst) {
            st[nst] = t->txns[i].status;
            cnt[nst++] = 0;
        }
        cnt[k]++;
    }
    printf("  statuses:");
    for (int k = 0; k < nst; k++) printf(" %s %zu", st[k], cnt[k]);
    if (other) printf(" (others) %zu", other);
    printf("\n");
}

int main(int argc, char **argv)
{
    long max = 20;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--flows")) {
            char *end;
            if (i + 1 >= argc || (max = strtol(argv[i + 1], &end, 10)) < 0 || *end || end == argv[i + 1]) {
                fprintf(stderr, "dltrace: --flows needs a count (0 or more)\n");
                usage(stderr);
                return 2;
            }
            i++;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "dltrace: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (file) {
            fprintf(stderr, "dltrace: one file at a time ('%s' and '%s')\n", file, argv[i]);
            usage(stderr);
            return 2;
        } else file = argv[i];
    }
    if (!file) {
        usage(stderr);
        return 2;
    }
    struct trace *t = trace_new();
    char err[512];
    if (!t) return 1;
    if (trace_read_pcap(t, file, err, sizeof err) != 0) {
        fprintf(stderr, "dltrace: %s\n", err);
        trace_free(t);
        return 2;
    }
    trace_finish(t);
    double dur = t->frames > 1 ? (double)(t->last_ns - t->first_ns) / 1e9 : 0.0;
    printf("%s: %llu frames, %llu bytes captured, %.6f s (%.1f frames/s, %.3f Mb/s), %llu TCP frames\n", file,
           (unsigned long long)t->frames, (unsigned long long)t->bytes, dur, dur > 0 ? (double)t->frames / dur : 0.0,
           dur > 0 ? (double)t->bytes * 8 / dur / 1e6 : 0.0, (unsigned long long)t->tcp_frames);
    printf("protocols:");
    for (int p = 0; p < PROTO_COUNT; p++) {
        int n = 0;
        for (int i = 0; i < t->nflows; i++) n += t->flows[i].proto == (enum trace_proto)p;
        if (n) printf(" %s %d", trace_proto_name((enum trace_proto)p), n);
    }
    printf("%s\n", t->nflows ? " connections" : " none (no TCP connection)");
    flows(t, max);
    types(t, dur);
    uint64_t rt[2] = { 0, 0 }, oo = 0, holes = 0, hb = 0, un = 0;
    for (int i = 0; i < t->nflows; i++)
        for (int d = 0; d < 2; d++) {
            rt[d] += t->flows[i].retrans[d];
            oo += t->flows[i].ooo[d];
            holes += t->flows[i].holes[d];
            hb += t->flows[i].hole_bytes[d];
            un += t->flows[i].unparsed_bytes[d];
        }
    printf("\nretransmissions: %llu (client %llu, server %llu); out of order: %llu; holes: %llu (%llu bytes "
           "missing); unparsed stream bytes: %llu\n",
           (unsigned long long)(rt[0] + rt[1]), (unsigned long long)rt[0], (unsigned long long)rt[1],
           (unsigned long long)oo, (unsigned long long)holes, (unsigned long long)hb, (unsigned long long)un);
    printf("not parsed: %s\n", t->nissues ? "" : "nothing");
    for (int i = 0; i < t->nissues; i++) {
        printf("  %-48s %8llu  first frames:", t->issues[i].what, (unsigned long long)t->issues[i].count);
        for (int k = 0; k < t->issues[i].nfirst; k++) printf(" %llu", (unsigned long long)t->issues[i].first[k]);
        printf("\n");
    }
    trace_free(t);
    return 0;
}
