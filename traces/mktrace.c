/* mktrace.c - writes deterministic nanosecond pcap traces of Ethernet/IPv4
 * UDP and TCP frames with correct checksums, for the mPIPE tests, the echo
 * regression and the benchmarks. The same arguments always give the same
 * bytes (traces/echo.pcap is `mktrace traces/echo.pcap` with the defaults).
 *
 * usage: mktrace OUT.pcap [--frames N] [--sizes S1,S2,...] [--protos udp,tcp,...]
 *                [--dports P1,P2,...] [--flows F] [--start-ns T] [--gap-ns G]
 * Frame i has size sizes[i % n] bytes (without FCS, at least 60), protocol
 * protos[i % n], destination port dports[i % n], source port 10000 + i % F,
 * source 10.0.0.(1 + i % F) -> 10.0.1.1, payload bytes (i + k) & 0xff, and
 * timestamp T + i * G ns. */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint16_t csum_add(uint32_t s, const uint8_t *d, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2) s += (uint32_t)(d[i] << 8 | d[i + 1]);
    if (n & 1) s += (uint32_t)d[n - 1] << 8;
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static int parse_list(const char *s, long *out, int max)
{
    int n = 0;
    char *end;
    while (*s && n < max) {
        out[n++] = strtol(s, &end, 10);
        if (end == s) return -1;
        s = *end == ',' ? end + 1 : end;
        if (*end && *end != ',') return -1;
    }
    return n;
}

/* Builds frame i into f (len bytes). */
static void build(uint8_t *f, size_t len, int tcp, unsigned i, unsigned dport, unsigned flows)
{
    static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x02 }, src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
    memset(f, 0, len);
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    put16(f + 12, 0x0800);
    uint8_t *ip = f + 14;
    size_t iplen = len - 14, l4len = iplen - 20;
    ip[0] = 0x45;
    put16(ip + 2, (unsigned)iplen);
    put16(ip + 4, i & 0xffff);
    ip[6] = 0x40;   /* don't fragment */
    ip[8] = 64;
    ip[9] = tcp ? 6 : 17;
    ip[12] = 10; ip[13] = 0; ip[14] = 0; ip[15] = (uint8_t)(1 + i % flows);
    ip[16] = 10; ip[17] = 0; ip[18] = 1; ip[19] = 1;
    put16(ip + 10, (uint16_t)~csum_add(0, ip, 20));
    uint8_t *l4 = ip + 20;
    put16(l4, 10000 + i % flows);
    put16(l4 + 2, dport);
    size_t hdr = tcp ? 20 : 8;
    if (tcp) {
        uint32_t seq = 1000u * i;
        l4[4] = (uint8_t)(seq >> 24); l4[5] = (uint8_t)(seq >> 16); l4[6] = (uint8_t)(seq >> 8); l4[7] = (uint8_t)seq;
        l4[12] = 5 << 4;
        l4[13] = 0x18;   /* PSH ACK */
        put16(l4 + 14, 65535);
    } else {
        put16(l4 + 4, (unsigned)l4len);
    }
    for (size_t k = hdr; k < l4len; k++) l4[k] = (uint8_t)(i + k);
    uint8_t ph[12];
    memcpy(ph, ip + 12, 8);
    ph[8] = 0;
    ph[9] = ip[9];
    put16(ph + 10, (unsigned)l4len);
    uint16_t c = (uint16_t)~csum_add(csum_add(0, ph, 12), l4, l4len);
    if (!tcp && c == 0) c = 0xffff;
    put16(l4 + (tcp ? 16 : 6), c);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: mktrace OUT.pcap [--frames N] [--sizes S,...] [--protos udp,tcp,...]\n"
            "       [--dports P,...] [--flows F] [--start-ns T] [--gap-ns G]\n"
            "Writes N frames (default 32) of Ethernet/IPv4 UDP or TCP to OUT.pcap (nanosecond\n"
            "pcap): frame i has size S[i %% n] bytes without FCS (60..10240; default\n"
            "60,128,590,1514), protocol protos[i %% n] (default udp,tcp), destination port\n"
            "P[i %% n] (default 7), source 10.0.0.(1 + i %% F):(10000 + i %% F) (F default 16),\n"
            "timestamp T + i * G ns (default 50000 + i * 2000). Same arguments, same bytes.\n");
}

int main(int argc, char **argv)
{
    long sizes[64] = { 60, 128, 590, 1514 }, dports[64] = { 7 };
    long protos[64] = { 0, 1 };   /* 0 udp, 1 tcp */
    int nsizes = 4, ndports = 1, nprotos = 2;
    long frames = 32, flows = 16, start_ns = 50000, gap_ns = 2000;
    const char *out = NULL;
    for (int a = 1; a < argc; a++) {
        const char *v = a + 1 < argc ? argv[a + 1] : NULL;
        if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(argv[a], "--frames") && v) frames = atol(argv[++a]);
        else if (!strcmp(argv[a], "--flows") && v) flows = atol(argv[++a]);
        else if (!strcmp(argv[a], "--start-ns") && v) start_ns = atol(argv[++a]);
        else if (!strcmp(argv[a], "--gap-ns") && v) gap_ns = atol(argv[++a]);
        else if (!strcmp(argv[a], "--sizes") && v) nsizes = parse_list(argv[++a], sizes, 64);
        else if (!strcmp(argv[a], "--dports") && v) ndports = parse_list(argv[++a], dports, 64);
        else if (!strcmp(argv[a], "--protos") && v) {
            char buf[256];
            snprintf(buf, sizeof buf, "%s", argv[++a]);
            nprotos = 0;
            for (char *t = strtok(buf, ","); t && nprotos < 64; t = strtok(NULL, ","))
                protos[nprotos++] = !strcmp(t, "tcp") ? 1 : !strcmp(t, "udp") ? 0 : -1;
            for (int k = 0; k < nprotos; k++)
                if (protos[k] < 0) nprotos = -1;
        } else if (argv[a][0] != '-' && !out) out = argv[a];
        else {
            static const char *const known = " --frames --flows --start-ns --gap-ns --sizes --dports --protos ";
            char word[64];
            snprintf(word, sizeof word, " %s ", argv[a]);
            fprintf(stderr, "mktrace: %s: %s\n", argv[a],
                    argv[a][0] != '-' ? "a second output file"
                    : strstr(known, word) ? "needs a value" : "unknown option");
            usage(stderr);
            return 2;
        }
    }
    if (!out || nsizes < 1 || ndports < 1 || nprotos < 1 || frames < 0 || flows < 1 || gap_ns < 0) {
        if (!out) fprintf(stderr, "mktrace: no output file\n");
        else fprintf(stderr, "mktrace: bad value: expected lists of numbers, udp|tcp, N >= 0, F >= 1, G >= 0\n");
        usage(stderr);
        return 2;
    }
    for (int k = 0; k < nsizes; k++)
        if (sizes[k] < 60 || sizes[k] > 10240) {
            fprintf(stderr, "mktrace: size %ld: expected 60..10240\n", sizes[k]);
            return 2;
        }
    pcap_t *p = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
    pcap_dumper_t *d = pcap_dump_open(p, out);
    if (!d) {
        fprintf(stderr, "mktrace: %s: %s\n", out, pcap_geterr(p));
        return 1;
    }
    static uint8_t f[10240];
    for (long i = 0; i < frames; i++) {
        size_t len = (size_t)sizes[i % nsizes];
        build(f, len, (int)protos[i % nprotos], (unsigned)i, (unsigned)dports[i % ndports], (unsigned)flows);
        uint64_t ns = (uint64_t)start_ns + (uint64_t)i * (uint64_t)gap_ns;
        struct pcap_pkthdr h;
        h.ts.tv_sec = (time_t)(ns / 1000000000ULL);
        h.ts.tv_usec = (suseconds_t)(ns % 1000000000ULL);
        h.caplen = h.len = (bpf_u_int32)len;
        pcap_dump((u_char *)d, &h, f);
    }
    pcap_dump_close(d);
    pcap_close(p);
    return 0;
}
