/* dlcompare.c - holds a simulated run against a real capture: matches
 * requests to responses in both pcaps (HTTP, memcached, TCP echo; see
 * trace.h) and reports side by side: requests, errors, retransmissions,
 * throughput, and latency percentiles (p50 p90 p99 p99.9 max, nearest
 * rank) per request type with the difference sim - real. Into OUT:
 *   summary.txt     what is printed on stdout
 *   latency.dat     type stat real_us sim_us diff_us (spaces in a type
 *                   name written as _)
 *   throughput.dat  t_s real_req_s sim_req_s (responses completed per bin,
 *                   time from each capture's first request)
 *   cdf.dat         latency CDFs, one gnuplot index per capture and type
 *   plot.gp         the gnuplot script, run here; it draws
 *   latency_cdf.png/.svg and throughput.png/.svg
 *
 * usage: dlcompare [-o DIR] [--bin-us N] REAL.pcap SIM.pcap
 * Exit status: 0; 2 for a usage error or a capture it cannot read or in
 * which no request was answered; 1 when gnuplot fails. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "trace.h"
#include "trace_stats.h"

#define MAX_PLOTTED 4   /* request types with their own CDF curves */

static const double PCT[] = { 0.5, 0.9, 0.99, 0.999, 1.0 };
static const char *PCT_NAME[] = { "p50", "p90", "p99", "p99.9", "max" };
#define NPCT 5

static void usage(FILE *o)
{
    fprintf(o, "usage: dlcompare [-o DIR] [--bin-us N] REAL.pcap SIM.pcap\n"
               "  Matches requests to responses in both captures and compares throughput over time,\n"
               "  latency percentiles per request type, errors and retransmissions; tables and\n"
               "  gnuplot plots (PNG, SVG) go to DIR (default results/compare).\n"
               "  --bin-us N   throughput bin width in microseconds (default: 1/50 of the longer request span)\n");
}

static struct trace *load(const char *path)
{
    struct trace *t = trace_new();
    char err[512];
    if (!t) {
        fprintf(stderr, "dlcompare: out of memory\n");
        exit(1);
    }
    if (trace_read_pcap(t, path, err, sizeof err) != 0) {
        fprintf(stderr, "dlcompare: %s\n", err);
        exit(2);
    }
    trace_finish(t);
    size_t answered = 0;
    for (size_t i = 0; i < t->ntxns; i++) answered += t->txns[i].resp_ns >= 0;
    if (!answered) {
        fprintf(stderr, "dlcompare: %s: no request answered by a response (%zu requests, %d TCP connections); "
                        "`dltrace %s` says what it holds\n", path, t->ntxns, t->nflows, path);
        exit(2);
    }
    return t;
}

static void name_(char *b, size_t n, const char *s)
{
    snprintf(b, n, "%s", s);
    for (char *p = b; *p; p++)
        if (*p == ' ' || *p == '\t') *p = '_';
}

/* s with the characters that would end a gnuplot string replaced. */
static const char *gp_safe(char *b, size_t n, const char *s)
{
    snprintf(b, n, "%s", s);
    for (char *p = b; *p; p++)
        if (*p == '\'' || *p == '\\' || *p == '\n') *p = '_';
    return b;
}

/* Percentiles of one type (by name; NULL: all) in t, into v (ns); count. */
static size_t pcts(const struct trace *t, const char *type, int64_t v[NPCT])
{
    int ty = type ? trace_find_type(t, type) : -1;
    size_t n = 0;
    int64_t *lat = type && ty < 0 ? NULL : trace_latencies(t, ty, &n);
    for (int k = 0; k < NPCT; k++) v[k] = lat ? trace_quantile(lat, n, PCT[k]) : 0;
    free(lat);
    return n;
}

/* Type names of both captures with answered requests, most answered in
 * REAL first, then SIM's. */
static int type_list(struct trace *t[2], const char ***out)
{
    const char **names = malloc(((size_t)t[0]->ntypes + (size_t)t[1]->ntypes + 1) * sizeof *names);
    size_t *cnt = malloc(((size_t)t[0]->ntypes + (size_t)t[1]->ntypes + 1) * sizeof *cnt);
    int n = 0;
    if (!names || !cnt) exit(1);
    for (int c = 0; c < 2; c++)
        for (int i = 0; i < t[c]->ntypes; i++) {
            int j;
            for (j = 0; j < n && strcmp(names[j], t[c]->types[i]); j++) {}
            if (j == n) {
                names[n] = t[c]->types[i];
                cnt[n++] = 0;
            }
            size_t nl = 0;
            free(trace_latencies(t[c], i, &nl));
            cnt[j] += nl * (c == 0 ? 1000000u : 1u);
        }
    /* Types no capture has an answer for (quit, noreply) have no latency. */
    int k = 0;
    for (int i = 0; i < n; i++)
        if (cnt[i]) {
            names[k] = names[i];
            cnt[k++] = cnt[i];
        }
    n = k;
    for (int i = 1; i < n; i++)   /* insertion sort, stable */
        for (int j = i; j > 0 && cnt[j] > cnt[j - 1]; j--) {
            const char *a = names[j];
            names[j] = names[j - 1];
            names[j - 1] = a;
            size_t b = cnt[j];
            cnt[j] = cnt[j - 1];
            cnt[j - 1] = b;
        }
    free(cnt);
    *out = names;
    return n;
}

static void cdf_block(FILE *f, const struct trace *t, const char *type, const char *label)
{
    int ty = type ? trace_find_type(t, type) : -1;
    size_t n = 0;
    int64_t *lat = type && ty < 0 ? NULL : trace_latencies(t, ty, &n);
    fprintf(f, "# %s\n", label);
    size_t step = n > 2000 ? n / 2000 : 1;
    for (size_t i = 0; i < n; i += step) fprintf(f, "%.3f %.6f\n", lat[i] / 1e3, (double)(i + 1) / (double)n);
    if (n && (n - 1) % step) fprintf(f, "%.3f %.6f\n", lat[n - 1] / 1e3, 1.0);
    if (!n) fprintf(f, "NaN NaN\n");
    fprintf(f, "\n\n");
    free(lat);
}

/* Both captures and what the report needs of them. */
struct cmp {
    const char *dir, *file[2];
    struct trace *t[2];
    double dur[2], span[2];    /* first to last frame; first request to last response (s) */
    int64_t t0[2];             /* first request */
    size_t answered[2];
    const char **names;        /* request types (type_list) */
    int ntypes;
    long long bin_us;
};

/* Opens DIR/name for writing (exit 2 when it cannot). */
static FILE *out_file(const struct cmp *m, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", m->dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "dlcompare: cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
    return f;
}

/* Each capture's span: its first request to its last response (idle
 * frames before and after, such as closing connections, left out). */
static void spans(struct cmp *m)
{
    for (int c = 0; c < 2; c++) {
        const struct trace *t = m->t[c];
        m->dur[c] = (double)(t->last_ns - t->first_ns) / 1e9;
        int64_t a = INT64_MAX, b = INT64_MIN;
        m->answered[c] = 0;
        for (size_t i = 0; i < t->ntxns; i++) {
            if (t->txns[i].req_ns < a) a = t->txns[i].req_ns;
            if (t->txns[i].resp_ns > b) b = t->txns[i].resp_ns;
            m->answered[c] += t->txns[i].resp_ns >= 0;
        }
        m->t0[c] = a;
        m->span[c] = (double)(b - a) / 1e9;
    }
}

static void summary(const struct cmp *m, FILE *f)
{
    struct trace *const *t = m->t;
    size_t err[2];
    for (int c = 0; c < 2; c++) trace_count(t[c], -1, &err[c]);
    fprintf(f, "dlcompare: real %s, sim %s\n", m->file[0], m->file[1]);
    fprintf(f, "%-26s %14s %14s\n", "", "real", "sim");
    fprintf(f, "%-26s %14llu %14llu\n", "frames", (unsigned long long)t[0]->frames, (unsigned long long)t[1]->frames);
    fprintf(f, "%-26s %14.6f %14.6f\n", "duration_s", m->dur[0], m->dur[1]);
    fprintf(f, "%-26s %14.6f %14.6f\n", "request_span_s", m->span[0], m->span[1]);
    fprintf(f, "%-26s %14d %14d\n", "connections", t[0]->nflows, t[1]->nflows);
    fprintf(f, "%-26s %14zu %14zu\n", "requests", t[0]->ntxns, t[1]->ntxns);
    fprintf(f, "%-26s %14zu %14zu\n", "answered", m->answered[0], m->answered[1]);
    fprintf(f, "%-26s %14zu %14zu\n", "errors", err[0], err[1]);
    fprintf(f, "%-26s %14llu %14llu\n", "retransmissions", (unsigned long long)trace_retrans(t[0]),
            (unsigned long long)trace_retrans(t[1]));
    fprintf(f, "%-26s %14.1f %14.1f\n", "throughput_req_s", m->span[0] > 0 ? m->answered[0] / m->span[0] : 0.0,
            m->span[1] > 0 ? m->answered[1] / m->span[1] : 0.0);
    fprintf(f, "%-26s %14d %14d\n", "kinds_not_parsed", t[0]->nissues, t[1]->nissues);
    fprintf(f, "\nlatency (us)\n%-28s %-6s %8s %8s %14s %14s %14s\n", "type", "stat", "n_real", "n_sim", "real_us",
            "sim_us", "diff_us");
}

/* The percentile table to stdout, summary.txt and latency.dat. */
static void latency_table(const struct cmp *m, FILE *outs[2], FILE *lat)
{
    fprintf(lat, "# type stat real_us sim_us diff_us (nearest-rank percentiles of %s and %s)\n", m->file[0], m->file[1]);
    for (int ty = -1; ty < m->ntypes; ty++) {
        const char *tn = ty < 0 ? NULL : m->names[ty];
        int64_t v[2][NPCT];
        size_t n[2] = { pcts(m->t[0], tn, v[0]), pcts(m->t[1], tn, v[1]) };
        char nm[128];
        name_(nm, sizeof nm, tn ? tn : "all");
        for (int k = 0; k < NPCT; k++) {
            char r[32], s[32], d[32];
            snprintf(r, sizeof r, n[0] ? "%.3f" : "-", v[0][k] / 1e3);
            snprintf(s, sizeof s, n[1] ? "%.3f" : "-", v[1][k] / 1e3);
            snprintf(d, sizeof d, n[0] && n[1] ? "%.3f" : "-", (v[1][k] - v[0][k]) / 1e3);
            for (int o = 0; o < 2; o++)
                fprintf(outs[o], "%-28.28s %-6s %8zu %8zu %14s %14s %14s\n", nm, PCT_NAME[k], n[0], n[1], r, s, d);
            fprintf(lat, "%s %s %s %s %s\n", nm, PCT_NAME[k], n[0] ? r : "NaN", n[1] ? s : "NaN",
                    n[0] && n[1] ? d : "NaN");
        }
    }
}

/* throughput.dat: responses completed per bin from each first request. */
static void throughput(struct cmp *m)
{
    double longest = m->span[0] > m->span[1] ? m->span[0] : m->span[1];
    if (!m->bin_us) m->bin_us = (long long)ceil(longest * 1e6 / 50);
    if (m->bin_us < 1) m->bin_us = 1;
    size_t nbins = (size_t)(longest * 1e6 / (double)m->bin_us) + 1;
    if (nbins > 100000) {
        fprintf(stderr, "dlcompare: --bin-us %lld gives %zu bins over %.3f s; at most 100000\n", m->bin_us, nbins,
                longest);
        exit(2);
    }
    double *bins = calloc(2 * nbins, sizeof *bins);
    if (!bins) exit(1);
    for (int c = 0; c < 2; c++)
        for (size_t i = 0; i < m->t[c]->ntxns; i++) {
            const struct trace_txn *x = &m->t[c]->txns[i];
            if (x->resp_ns < 0) continue;
            size_t b = (size_t)((x->resp_ns - m->t0[c]) / 1000 / m->bin_us);
            if (b < nbins) bins[2 * b + (size_t)c] += 1;
        }
    FILE *f = out_file(m, "throughput.dat");
    fprintf(f, "# t_s real_req_s sim_req_s (responses completed per %lld us bin)\n", m->bin_us);
    double w = (double)m->bin_us;
    for (size_t b = 0; b < nbins; b++)
        fprintf(f, "%.6f %.1f %.1f\n", (double)b * w / 1e6, bins[2 * b] * 1e6 / w, bins[2 * b + 1] * 1e6 / w);
    fclose(f);
    free(bins);
}

/* cdf.dat (all requests, then the most frequent types) and plot.gp. */
static void plots(const struct cmp *m)
{
    FILE *cdf = out_file(m, "cdf.dat");
    int nplot = m->ntypes > 1 ? (m->ntypes < MAX_PLOTTED ? m->ntypes : MAX_PLOTTED) : 0;
    char labels[2 * (MAX_PLOTTED + 1)][160];
    int nl = 0;
    for (int ty = -1; ty < nplot; ty++)
        for (int c = 0; c < 2; c++) {
            char raw[160];
            snprintf(raw, sizeof raw, "%s: %s", c ? "sim" : "real", ty < 0 ? "all" : m->names[ty]);
            gp_safe(labels[nl], sizeof labels[nl], raw);
            cdf_block(cdf, m->t[c], ty < 0 ? NULL : m->names[ty], labels[nl]);
            nl++;
        }
    fclose(cdf);

    FILE *gp = out_file(m, "plot.gp");
    char f0[512], f1[512];
    fprintf(gp, "# plot.gp - written by dlcompare: latency CDFs and throughput over time, real vs sim.\n");
    for (int fmt = 0; fmt < 2; fmt++) {
        const char *term = fmt ? "svg size 900,560 noenhanced" : "pngcairo size 900,560 noenhanced";
        const char *ext = fmt ? "svg" : "png";
        fprintf(gp, "set terminal %s\nset output 'latency_cdf.%s'\nreset\n", term, ext);
        fprintf(gp, "set title 'latency CDF: real %s vs sim %s'\nset xlabel 'latency (us)'\n"
                    "set ylabel 'fraction of requests'\nset logscale x\nset grid\nset key bottom right\nset yrange [0:1.02]\n",
                gp_safe(f0, sizeof f0, m->file[0]), gp_safe(f1, sizeof f1, m->file[1]));
        fprintf(gp, "plot ");
        for (int i = 0; i < nl; i++)
            fprintf(gp, "%s'cdf.dat' index %d using 1:2 with steps lw 2 dt %d lc %d title '%s'", i ? ", \\\n     " : "", i,
                    i % 2 ? 2 : 1, i / 2 + 1, labels[i]);
        fprintf(gp, "\nset terminal %s\nset output 'throughput.%s'\nreset\n", term, ext);
        fprintf(gp, "set title 'throughput: responses completed per %lld us'\nset xlabel 'time from the first request (s)'\n"
                    "set ylabel 'requests/s'\nset grid\nset key top right\nset yrange [0:*]\n", m->bin_us);
        fprintf(gp, "plot 'throughput.dat' using 1:2 with steps lw 2 lc 1 title 'real', \\\n"
                    "     'throughput.dat' using 1:3 with steps lw 2 dt 2 lc 2 title 'sim'\n");
    }
    fclose(gp);
}

/* Parses the command line into m; returns -1 when done (help), else 0. */
static int args(int argc, char **argv, struct cmp *m)
{
    int nf = 0;
    m->dir = "results/compare";
    for (int i = 1; i < argc; i++) {
        char *end;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return -1;
        } else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            m->dir = argv[++i];
        } else if (!strcmp(argv[i], "--bin-us") && i + 1 < argc) {
            m->bin_us = strtoll(argv[++i], &end, 10);
            if (*end || m->bin_us <= 0) {
                fprintf(stderr, "dlcompare: --bin-us needs a positive number of microseconds, not '%s'\n", argv[i]);
                exit(2);
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "dlcompare: unknown option or missing value: '%s'\n", argv[i]);
            usage(stderr);
            exit(2);
        } else if (nf < 2) {
            m->file[nf++] = argv[i];
        } else {
            fprintf(stderr, "dlcompare: two captures expected, a third given: '%s'\n", argv[i]);
            usage(stderr);
            exit(2);
        }
    }
    if (nf != 2) {
        fprintf(stderr, "dlcompare: two captures expected (REAL.pcap SIM.pcap), %d given\n", nf);
        usage(stderr);
        exit(2);
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct cmp m = { 0 };
    if (args(argc, argv, &m) < 0) return 0;
    m.t[0] = load(m.file[0]);
    m.t[1] = load(m.file[1]);
    struct stat st;
    if (mkdir(m.dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "dlcompare: -o %s: cannot create: %s\n", m.dir, strerror(errno));
        return 2;
    }
    if (stat(m.dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "dlcompare: -o %s: not a directory\n", m.dir);
        return 2;
    }
    spans(&m);
    m.ntypes = type_list(m.t, &m.names);
    FILE *sum = out_file(&m, "summary.txt"), *lat = out_file(&m, "latency.dat");
    FILE *outs[2] = { stdout, sum };
    summary(&m, stdout);
    summary(&m, sum);
    latency_table(&m, outs, lat);
    fclose(lat);
    fclose(sum);
    throughput(&m);
    plots(&m);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "cd '%s' && gnuplot plot.gp", m.dir);
    if (strchr(m.dir, '\'') || system(cmd) != 0) {
        fprintf(stderr, "dlcompare: gnuplot failed on %s/plot.gp (tables are written; is gnuplot installed?)\n", m.dir);
        return 1;
    }
    printf("dlcompare: tables and plots in %s\n", m.dir);
    free(m.names);
    trace_free(m.t[0]);
    trace_free(m.t[1]);
    return 0;
}
