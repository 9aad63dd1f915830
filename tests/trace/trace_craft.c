/* trace_craft.c - crafted TCP conversations and the delayed-server copy of
 * a capture, for the trace tests (see trace_craft.h). */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "trace_craft.h"

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }

void craft_init(struct craft *c, struct trace *t, FILE *pcap, uint16_t cport, uint16_t sport, uint32_t isn_c,
                uint32_t isn_s)
{
    memset(c, 0, sizeof *c);
    c->t = t;
    c->pcap = pcap;
    c->ip[0] = 0x0a000001;
    c->ip[1] = 0x0a000002;
    c->port[0] = cport;
    c->port[1] = sport;
    c->seq[0] = isn_c;
    c->seq[1] = isn_s;
    c->link = TRACE_LINK_ETHERNET;
}

/* The Ethernet frame f (n bytes) as link type lt, in out; its length. */
static size_t relink(int lt, const uint8_t *f, size_t n, uint8_t *out)
{
    size_t ip = n - 14;
    switch (lt) {
    case TRACE_LINK_RAW:
        memcpy(out, f + 14, ip);
        return ip;
    case TRACE_LINK_NULL:
        memcpy(out, (const uint8_t[]){ 2, 0, 0, 0 }, 4);   /* AF_INET, little-endian host */
        memcpy(out + 4, f + 14, ip);
        return 4 + ip;
    case TRACE_LINK_LINUX_SLL:
        memset(out, 0, 16);
        out[14] = 0x08;
        memcpy(out + 16, f + 14, ip);
        return 16 + ip;
    case TRACE_LINK_LINUX_SLL2:
        memset(out, 0, 20);
        out[0] = 0x08;
        memcpy(out + 20, f + 14, ip);
        return 20 + ip;
    default:
        memcpy(out, f, n);
        return n;
    }
}

void craft_raw(struct craft *c, int dir, int64_t ns, uint8_t flags, uint32_t seq, const void *data, size_t len)
{
    static uint8_t f[14 + 20 + 20 + 65536];
    if (len > 65535 - 40) abort();
    memset(f, 0, 54);
    f[5] = (uint8_t)(1 + dir);
    f[11] = (uint8_t)(2 - dir);
    put16(f + 12, 0x0800);
    uint8_t *ip = f + 14, *tcp = ip + 20;
    ip[0] = 0x45;
    put16(ip + 2, (unsigned)(40 + len));
    ip[6] = 0x40;
    ip[8] = 64;
    ip[9] = 6;
    put32(ip + 12, c->ip[dir]);
    put32(ip + 16, c->ip[!dir]);
    put16(tcp, c->port[dir]);
    put16(tcp + 2, c->port[!dir]);
    put32(tcp + 4, seq);
    put32(tcp + 8, c->seq[!dir]);
    tcp[12] = 5 << 4;
    tcp[13] = flags;
    put16(tcp + 14, 65535);
    if (len) memcpy(tcp + 20, data, len);
    size_t n = 54 + len, wire = n < 60 ? 60 : n;   /* padded like Ethernet */
    static uint8_t g[sizeof f + 8];
    size_t m = relink(c->link, f, wire, g);
    if (c->t) trace_frame(c->t, c->link, g, m, m, ns);
    if (c->pcap) craft_pcap_frame(c->pcap, ns, f, wire);
}

void craft_handshake(struct craft *c, int64_t ns)
{
    craft_raw(c, 0, ns, 0x02, c->seq[0]++, NULL, 0);
    craft_raw(c, 1, ns + 1000, 0x12, c->seq[1]++, NULL, 0);
    craft_raw(c, 0, ns + 2000, 0x10, c->seq[0], NULL, 0);
}

void craft_send(struct craft *c, int dir, int64_t ns, const void *data, size_t len)
{
    craft_raw(c, dir, ns, 0x18, c->seq[dir], data, len);
    c->seq[dir] += (uint32_t)len;
}

FILE *craft_pcap_open(const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f) return NULL;
    uint32_t h[6] = { 0xa1b23c4d, 0x00040002, 0, 0, 262144, 1 };
    fwrite(h, sizeof h, 1, f);
    return f;
}

void craft_pcap_frame(FILE *f, int64_t ns, const uint8_t *frame, size_t len)
{
    uint32_t r[4] = { (uint32_t)(ns / 1000000000), (uint32_t)(ns % 1000000000), (uint32_t)len, (uint32_t)len };
    fwrite(r, sizeof r, 1, f);
    fwrite(frame, len, 1, f);
}

struct held {
    int64_t ns;
    size_t idx, len;
    uint8_t *data;
};

static int by_ns(const void *a, const void *b)
{
    const struct held *x = a, *y = b;
    if (x->ns != y->ns) return x->ns < y->ns ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

int craft_delay_server(const char *in, const char *out, uint16_t server_port, int64_t delay_ns)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(in, PCAP_TSTAMP_PRECISION_NANO, err);
    if (!p || pcap_datalink(p) != DLT_EN10MB) {
        if (p) pcap_close(p);
        return -1;
    }
    struct held *v = NULL;
    size_t n = 0, cap = 0;
    struct pcap_pkthdr *h;
    const u_char *d;
    while (pcap_next_ex(p, &h, &d) == 1) {
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            v = realloc(v, cap * sizeof *v);
        }
        int64_t ns = (int64_t)h->ts.tv_sec * 1000000000 + h->ts.tv_usec;
        const uint8_t *ip = d + 14;
        if (h->caplen >= 14 + 20 + 4 && d[12] == 8 && d[13] == 0 && ip[9] == 6) {
            const uint8_t *tcp = ip + (ip[0] & 15) * 4;
            if ((size_t)(tcp + 2 - d) <= h->caplen && (tcp[0] << 8 | tcp[1]) == server_port) ns += delay_ns;
        }
        v[n] = (struct held){ ns, n, h->caplen, malloc(h->caplen) };
        memcpy(v[n].data, d, h->caplen);
        n++;
    }
    pcap_close(p);
    qsort(v, n, sizeof *v, by_ns);
    FILE *f = craft_pcap_open(out);
    for (size_t i = 0; i < n; i++) {
        if (f) craft_pcap_frame(f, v[i].ns, v[i].data, v[i].len);
        free(v[i].data);
    }
    free(v);
    if (!f) return -1;
    return fclose(f) == 0 ? 0 : -1;
}
