/* test_trace_tools.c - dltrace and dlcompare as programs: the shipped
 * captures summarised (every request answered, the expected protocols and
 * types), bad input (missing file, not a pcap, truncated, unsupported link
 * type, usage) exits 2 with a clear message, dlcompare of a capture against
 * its copy with every server frame delayed by a known time reports exactly
 * that latency shift, and a short bounded fuzz run of the library. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "trace.h"
#include "trace_craft.h"

static char out[1 << 17];

static int run(const char *fmt, const char *a, const char *b, const char *c)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, fmt, test_build_dir(), a, b, c);
    return test_run(cmd, out, sizeof out);
}

#define has(s) ck_assert_msg(strstr(out, (s)) != NULL, "output lacks '%s':\n%s", (s), out)

/* "requests: N (M answered, K expecting no reply)" from dltrace's output. */
static void requests(long *n, long *answered, long *silent)
{
    const char *p = strstr(out, "\nrequests: ");
    ck_assert_msg(p && sscanf(p, "\nrequests: %ld (%ld answered, %ld expecting no reply)", n, answered, silent) == 3,
                  "no request line:\n%s", out);
}

START_TEST(dltrace_shipped_captures)
{
    static const struct {
        const char *file, *proto, *type;
        long min;
    } cases[] = {
        { "traces/http_wrk.pcap", "http", "GET /16k.html", 200 },
        { "traces/http_ab.pcap", "http", "GET /4k.html", 50 },
        { "traces/memcached_memslap.pcap", "memcached", "get", 100 },
        { "traces/memcached_etc.pcap", "memcached", "set", 400 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_msg(run("%s/dltrace %s", cases[i].file, "", "") == 0, "dltrace %s:\n%s", cases[i].file, out);
        char want[64];
        snprintf(want, sizeof want, "protocols: %s ", cases[i].proto);
        has(want);
        has(cases[i].type);
        long n, answered, silent;
        requests(&n, &answered, &silent);
        ck_assert_msg(n >= cases[i].min && answered + silent == n && silent <= 2, "%s: %ld requests, %ld answered, %ld silent",
                      cases[i].file, n, answered, silent);
        has("holes: 0 (0 bytes missing); unparsed stream bytes: 0");
    }
    /* mktrace's echo trace: UDP, and lone TCP segments to port 7 whose
     * sequence numbers leave holes; nothing answered, all of it said. */
    ck_assert_int_eq(run("%s/dltrace %s", "traces/echo.pcap", "", ""), 0);
    has("protocols: echo 8 connections");
    has("requests: 8 (0 answered, 0 expecting no reply)");
    has("UDP (not matched)                                      16  first frames: 1 3 5 7 9");
    has("hole in a TCP stream (segments missing)                 8  first frames: 18 20 22 24 26");
}
END_TEST

START_TEST(dltrace_bad_input_exits_2)
{
    const char *dir = test_temp_dir();
    char p[512];
    ck_assert_int_eq(run("%s/dltrace %s", "/nonexistent/x.pcap", "", ""), 2);
    has("/nonexistent/x.pcap: cannot open: No such file or directory");
    ck_assert_int_eq(run("%s/dltrace %s", test_write_temp("GET / HTTP/1.1\r\n\r\n"), "", ""), 2);
    has("not a pcap file");
    ck_assert_int_eq(run("%s/dltrace %s", dir, "", ""), 2);
    has("is a directory");
    /* Cut inside a frame: how far it got. */
    size_t len;
    char *data = test_read_bytes("traces/http_ab.pcap", &len);
    ck_assert_ptr_nonnull(data);
    ck_assert_int_eq(run("%s/dltrace %s", test_write_temp_bytes(data, 100000), "", ""), 2);
    const char *cut = strstr(out, "truncated or corrupt after frame ");
    unsigned long f1 = 0, f2 = 0;
    ck_assert_msg(cut && sscanf(cut, "truncated or corrupt after frame %lu (%lu frames read", &f1, &f2) == 2 &&
                      f1 > 100 && f1 == f2, "no or wrong report of how far it got:\n%s", out);
    ck_assert_int_eq(run("%s/dltrace %s", test_write_temp_bytes(data, 10), "", ""), 2);
    has("truncated in its file header");
    free(data);
    /* A link type it does not decode (USB). */
    uint32_t h[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 189 };
    snprintf(p, sizeof p, "%s", test_write_temp_bytes(h, sizeof h));
    ck_assert_int_eq(run("%s/dltrace %s", p, "", ""), 2);
    has("unsupported link type 189");
    static const char *usage[] = { "", "--flows", "--flows -1 traces/echo.pcap", "--frob traces/echo.pcap",
                                   "traces/echo.pcap traces/echo.pcap" };
    for (size_t i = 0; i < sizeof usage / sizeof usage[0]; i++) {
        ck_assert_msg(run("%s/dltrace %s", usage[i], "", "") == 2, "'%s' did not exit 2", usage[i]);
        has("usage: dltrace");
    }
}
END_TEST

/* The diff_us column of latency.dat for every type and statistic. */
static void shift_is_exact(const char *real, uint16_t port, long long delay_ns)
{
    const char *dir = test_temp_dir();
    char sim[512], o[512], path[600];
    snprintf(sim, sizeof sim, "%s/delayed.pcap", dir);
    snprintf(o, sizeof o, "%s/cmp", dir);
    ck_assert_int_eq(craft_delay_server(real, sim, port, delay_ns), 0);
    ck_assert_msg(run("%s/dlcompare -o %s %s %s", o, real, sim) == 0, "dlcompare:\n%s", out);
    snprintf(path, sizeof path, "%s/latency.dat", o);
    char *lat = test_read_file(path);
    ck_assert_ptr_nonnull(lat);
    char want[32];
    snprintf(want, sizeof want, "%.3f", delay_ns / 1e3);
    int lines = 0;
    for (char *l = strtok(lat, "\n"); l; l = strtok(NULL, "\n")) {
        if (l[0] == '#') continue;
        char type[128], stat[16], r[32], s[32], d[32];
        ck_assert_int_eq(sscanf(l, "%127s %15s %31s %31s %31s", type, stat, r, s, d), 5);
        ck_assert_msg(!strcmp(d, want), "%s %s: shift %s, expected %s (%s)", type, stat, d, want, real);
        lines++;
    }
    ck_assert_int_ge(lines, 10);   /* all + at least one type, 5 statistics each */
    free(lat);
    static const char *files[] = { "latency_cdf.png", "latency_cdf.svg", "throughput.png", "throughput.svg",
                                   "throughput.dat", "cdf.dat", "summary.txt" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t n = 0;
        snprintf(path, sizeof path, "%s/%s", o, files[i]);
        char *b = test_read_bytes(path, &n);
        ck_assert_msg(b && n > 100, "%s missing or empty", path);
        free(b);
    }
}

START_TEST(dlcompare_reports_a_known_delay_exactly)
{
    shift_is_exact("traces/memcached_etc.pcap", 11211, 1234567);
    shift_is_exact("traces/http_wrk.pcap", 80, 250000);
}
END_TEST

START_TEST(dlcompare_bad_input_exits_2)
{
    ck_assert_int_eq(run("%s/dlcompare %s %s%s", "traces/http_ab.pcap", "/nonexistent.pcap", ""), 2);
    has("/nonexistent.pcap: cannot open");
    ck_assert_int_eq(run("%s/dlcompare %s %s%s", test_write_temp("not a capture"), "traces/http_ab.pcap", ""), 2);
    has("not a pcap file");
    ck_assert_int_eq(run("%s/dlcompare %s %s%s", "traces/http_ab.pcap", "traces/echo.pcap", ""), 2);
    has("traces/echo.pcap: no request answered by a response");
    ck_assert_int_eq(run("%s/dlcompare %s%s%s", "traces/http_ab.pcap", "", ""), 2);
    has("two captures expected");
    ck_assert_int_eq(run("%s/dlcompare -o %s %s %s", test_write_temp("x"), "traces/http_ab.pcap", "traces/http_ab.pcap"), 2);
    has("not a directory");
    ck_assert_int_eq(run("%s/dlcompare --bin-us 0 %s %s%s", "traces/http_ab.pcap", "traces/http_ab.pcap", ""), 2);
    has("--bin-us needs a positive number");
}
END_TEST

/* traces/capture.sh end to end, when this machine can: root and the
 * servers and clients installed (the suite does not install them). Small
 * bounds; every request in every capture must be answered. */
START_TEST(capture_script_makes_matching_captures)
{
    if (geteuid() != 0) {
        test_skip("traces/capture.sh needs root");
        return;
    }
    if (test_run("for t in nginx memcached wrk ab memcslap tcpdump ethtool; do command -v $t >/dev/null || exit 1; done",
                 out, sizeof out) != 0) {
        test_skip("traces/capture.sh needs nginx-light memcached wrk apache2-utils libmemcached-tools tcpdump ethtool");
        return;
    }
    const char *dir = test_temp_dir();
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "WRK_REQUESTS=30 AB_REQUESTS=10 MEMSLAP_EXECUTE=20 ETC_REQUESTS=60 sh traces/capture.sh %s",
             dir);
    ck_assert_msg(test_run(cmd, out, sizeof out) == 0, "capture.sh failed:\n%s", out);
    static const char *names[] = { "http_wrk", "http_ab", "memcached_memslap", "memcached_etc" };
    static const long min[] = { 30, 10, 20, 60 };
    for (int i = 0; i < 4; i++) {
        char f[600];
        snprintf(f, sizeof f, "%s/%s.pcap", dir, names[i]);
        ck_assert_msg(run("%s/dltrace %s", f, "", "") == 0, "dltrace %s:\n%s", f, out);
        long n, answered, silent;
        requests(&n, &answered, &silent);
        ck_assert_msg(n >= min[i] && answered + silent == n, "%s: %ld requests, %ld answered:\n%s", f, n, answered, out);
        has("not parsed: nothing");
    }
    ck_assert_int_eq(test_run("ip netns list | grep -c dlcap-", out, sizeof out), 1);   /* none left */
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(fuzz_short_run_finds_nothing)
{
    const char *dir = test_temp_dir();
    ck_assert_int_eq(run("%s/trace_fuzz -runs=30000 -seed=1 -max_len=4096 -artifact_prefix=%s/ %s", dir, dir, ""), 0);
    has("Done 30000 runs");
}
END_TEST

Suite *trace_tools_suite(void);
Suite *trace_tools_suite(void)
{
    Suite *s = suite_create("trace_tools");
    TCase *tc = tcase_create("tools");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, dltrace_shipped_captures);
    tcase_add_test(tc, dltrace_bad_input_exits_2);
    tcase_add_test(tc, dlcompare_reports_a_known_delay_exactly);
    tcase_add_test(tc, dlcompare_bad_input_exits_2);
    tcase_add_test(tc, fuzz_short_run_finds_nothing);
    tcase_add_test(tc, capture_script_makes_matching_captures);
    suite_add_tcase(s, tc);
    return s;
}
