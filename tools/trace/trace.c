/* trace.c - frames to TCP connections: link, IPv4 and TCP headers decoded,
 * connections found by their address/port pair (client = the side that
 * sent the SYN, else the side on a well-known server port, else the higher
 * port), each direction's bytes reassembled in sequence order: duplicates
 * and overlaps counted as retransmissions, segments ahead of the next
 * expected byte held until the hole before them fills (counted out of
 * order), holes still open at the end reported. Everything that cannot be
 * decoded is counted in t->issues with its first frames. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "trace_priv.h"

const char *trace_proto_name(enum trace_proto p)
{
    static const char *n[PROTO_COUNT] = { "unknown", "http", "memcached", "echo" };
    return p < PROTO_COUNT ? n[p] : "?";
}

int trace_link_supported(int lt)
{
    return lt == TRACE_LINK_NULL || lt == TRACE_LINK_ETHERNET || lt == TRACE_LINK_RAW ||
           lt == TRACE_LINK_LINUX_SLL || lt == TRACE_LINK_IPV4 || lt == TRACE_LINK_LINUX_SLL2;
}

void *trace_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "trace: out of memory (%zu bytes)\n", n);
        exit(1);
    }
    return q;
}

struct trace *trace_new(void)
{
    struct trace *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->priv = calloc(1, sizeof *t->priv);
    if (!t->priv) {
        free(t);
        return NULL;
    }
    t->linktype = -1;
    return t;
}

static void dir_free(struct trace_dir *d)
{
    free(d->buf);
    free(d->chunks);
    for (size_t i = 0; i < d->npend; i++) free(d->pend[i].data);
    free(d->pend);
}

void trace_free(struct trace *t)
{
    if (!t) return;
    for (int i = 0; i < t->nflows; i++) {
        dir_free(&t->priv->conns[i].d[0]);
        dir_free(&t->priv->conns[i].d[1]);
    }
    free(t->priv->conns);
    free(t->priv->hash);
    free(t->priv);
    for (int i = 0; i < t->ntypes; i++) free(t->types[i]);
    free(t->types);
    free(t->flows);
    free(t->txns);
    free(t->issues);
    free(t);
}

void trace_issue(struct trace *t, const char *what, uint64_t frame)
{
    int i;
    for (i = 0; i < t->nissues; i++)
        if (!strcmp(t->issues[i].what, what)) break;
    if (i == t->nissues) {
        t->issues = trace_xrealloc(t->issues, (size_t)(t->nissues + 1) * sizeof *t->issues);
        memset(&t->issues[i], 0, sizeof t->issues[i]);
        snprintf(t->issues[i].what, sizeof t->issues[i].what, "%s", what);
        t->nissues++;
    }
    struct trace_issue *is = &t->issues[i];
    is->count++;
    if (frame && is->nfirst < TRACE_FIRST_FRAMES) is->first[is->nfirst++] = frame;
}

int trace_type(struct trace *t, const char *name)
{
    for (int i = 0; i < t->ntypes; i++)
        if (!strcmp(t->types[i], name)) return i;
    if (t->ntypes >= TRACE_MAX_TYPES) return trace_type_other(t);
    t->types = trace_xrealloc(t->types, (size_t)(t->ntypes + 1) * sizeof *t->types);
    size_t n = strlen(name) + 1;
    t->types[t->ntypes] = trace_xrealloc(NULL, n);
    memcpy(t->types[t->ntypes], name, n);
    return t->ntypes++;
}

int trace_type_other(struct trace *t)
{
    for (int i = 0; i < t->ntypes; i++)
        if (!strcmp(t->types[i], "(other)")) return i;
    t->types = trace_xrealloc(t->types, (size_t)(t->ntypes + 1) * sizeof *t->types);
    t->types[t->ntypes] = trace_xrealloc(NULL, 8);
    memcpy(t->types[t->ntypes], "(other)", 8);
    return t->ntypes++;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static int server_port(uint16_t p)
{
    return p == 7 || p == 80 || p == 8000 || p == 8080 || p == 11211;
}

/* The connection of a segment from (sip, sp) to (dip, dp), made when new;
 * *dir is 0 when the sender is the client. */
static int conn_of(struct trace *t, uint32_t sip, uint16_t sp, uint32_t dip, uint16_t dp, int syn, int ack,
                   int64_t ns, int *dir)
{
    struct trace_priv *pv = t->priv;
    uint64_t a = (uint64_t)sip << 16 | sp, b = (uint64_t)dip << 16 | dp;
    uint64_t lo = a < b ? a : b, hi = a < b ? b : a;
    uint64_t h = (lo * 0x9e3779b97f4a7c15ull) ^ (hi * 0xc2b2ae3d27d4eb4full);
    if (pv->hcap == 0 || (size_t)t->nflows * 2 >= pv->hcap) trace_rehash(t);
    size_t i = (size_t)(h ^ h >> 29) & (pv->hcap - 1);
    for (; pv->hash[i] >= 0; i = (i + 1) & (pv->hcap - 1)) {
        int c = pv->hash[i];
        struct trace_flow *f = &t->flows[c];
        if (f->ip[0] == sip && f->port[0] == sp && f->ip[1] == dip && f->port[1] == dp) *dir = 0;
        else if (f->ip[1] == sip && f->port[1] == sp && f->ip[0] == dip && f->port[0] == dp) *dir = 1;
        else continue;
        /* A new SYN from the client after the connection closed: port reuse. */
        if (!(syn && !ack && (f->fin || f->rst) && pv->conns[c].d[0].have_base)) return c;
        break;
    }
    int c = t->nflows;
    if (c >= pv->ccap) {
        pv->ccap = pv->ccap ? pv->ccap * 2 : 64;
        t->flows = trace_xrealloc(t->flows, (size_t)pv->ccap * sizeof *t->flows);
        pv->conns = trace_xrealloc(pv->conns, (size_t)pv->ccap * sizeof *pv->conns);
    }
    memset(&t->flows[c], 0, sizeof t->flows[c]);
    memset(&pv->conns[c], 0, sizeof pv->conns[c]);
    int client_sends = syn ? !ack : (server_port(dp) && !server_port(sp)) ? 1
                                   : (server_port(sp) && !server_port(dp)) ? 0 : sp > dp;
    struct trace_flow *f = &t->flows[c];
    f->ip[0] = client_sends ? sip : dip;
    f->port[0] = client_sends ? sp : dp;
    f->ip[1] = client_sends ? dip : sip;
    f->port[1] = client_sends ? dp : sp;
    f->first_ns = ns;
    t->nflows++;
    pv->hash[i] = c;   /* a reused pair's slot now names the new connection */
    *dir = client_sends ? 0 : 1;
    return c;
}

void trace_rehash(struct trace *t)
{
    struct trace_priv *pv = t->priv;
    size_t cap = pv->hcap ? pv->hcap * 2 : 256;
    int *h = trace_xrealloc(NULL, cap * sizeof *h);
    for (size_t i = 0; i < cap; i++) h[i] = -1;
    /* Later connections of a reused pair win: insert in order, overwrite. */
    for (int c = 0; c < t->nflows; c++) {
        struct trace_flow *f = &t->flows[c];
        uint64_t a = (uint64_t)f->ip[0] << 16 | f->port[0], b = (uint64_t)f->ip[1] << 16 | f->port[1];
        uint64_t lo = a < b ? a : b, hi = a < b ? b : a;
        uint64_t x = (lo * 0x9e3779b97f4a7c15ull) ^ (hi * 0xc2b2ae3d27d4eb4full);
        size_t i = (size_t)(x ^ x >> 29) & (cap - 1);
        for (; h[i] >= 0; i = (i + 1) & (cap - 1)) {
            struct trace_flow *g = &t->flows[h[i]];
            if (g->ip[0] == f->ip[0] && g->port[0] == f->port[0] && g->ip[1] == f->ip[1] && g->port[1] == f->port[1])
                break;
        }
        h[i] = c;
    }
    free(pv->hash);
    pv->hash = h;
    pv->hcap = cap;
}

static void tcp_segment(struct trace *t, const uint8_t *ip, size_t iplen, size_t ihl, int64_t ns)
{
    uint64_t fr = t->frames;
    const uint8_t *tcp = ip + ihl;
    size_t tlen = iplen - ihl;
    if (tlen < 20) {
        trace_issue(t, "TCP header truncated", fr);
        return;
    }
    size_t doff = (size_t)(tcp[12] >> 4) * 4;
    if (doff < 20 || doff > tlen) {
        trace_issue(t, "TCP header length invalid", fr);
        return;
    }
    t->tcp_frames++;
    uint8_t fl = tcp[13];
    int syn = fl & 0x02, ack = fl & 0x10, fin = fl & 0x01, rst = fl & 0x04;
    int dir;
    int c = conn_of(t, rd32(ip + 12), rd16(tcp), rd32(ip + 16), rd16(tcp + 2), syn, ack, ns, &dir);
    struct trace_flow *f = &t->flows[c];
    f->last_ns = ns;
    f->frames[dir]++;
    if (syn) f->syn = 1;
    if (fin) f->fin = 1;
    if (rst) f->rst = 1;
    trace_dir_segment(t, c, dir, rd32(tcp + 4), syn, tcp + doff, tlen - doff, ns, fr);
}

static void ipv4(struct trace *t, const uint8_t *p, size_t n, int64_t ns)
{
    uint64_t fr = t->frames;
    if (n < 20 || (p[0] >> 4) != 4) {
        trace_issue(t, n < 20 ? "IPv4 header truncated" : "not IPv4", fr);
        return;
    }
    size_t ihl = (size_t)(p[0] & 15) * 4, tot = rd16(p + 2);
    if (ihl < 20 || tot < ihl || ihl > n) {
        trace_issue(t, "IPv4 header invalid", fr);
        return;
    }
    /* Ethernet pads short frames; the IP length says where the packet ends.
     * A frame cut by the snap length keeps what was captured. */
    if (tot < n) n = tot;
    else if (tot > n) trace_issue(t, "frame shorter than its IP length (snap length)", fr);
    if ((rd16(p + 6) & 0x3fff) != 0) {
        trace_issue(t, "IPv4 fragment", fr);
        return;
    }
    if (p[9] == 6) tcp_segment(t, p, n, ihl, ns);
    else if (p[9] == 17) trace_issue(t, "UDP (not matched)", fr);
    else if (p[9] == 1) trace_issue(t, "ICMP", fr);
    else trace_issue(t, "IPv4 protocol other than TCP/UDP/ICMP", fr);
}

void trace_frame(struct trace *t, int lt, const uint8_t *d, size_t caplen, size_t wirelen, int64_t ns)
{
    t->frames++;
    t->bytes += caplen;
    (void)wirelen;
    if (t->frames == 1 || ns < t->first_ns) t->first_ns = ns;
    if (t->frames == 1 || ns > t->last_ns) t->last_ns = ns;
    uint16_t et;
    size_t off;
    switch (lt) {
    case TRACE_LINK_ETHERNET:
        if (caplen < 14) goto short_hdr;
        et = rd16(d + 12);
        off = 14;
        while ((et == 0x8100 || et == 0x88a8) && caplen >= off + 4) {
            et = rd16(d + off + 2);
            off += 4;
        }
        break;
    case TRACE_LINK_LINUX_SLL:
        if (caplen < 16) goto short_hdr;
        et = rd16(d + 14);
        off = 16;
        break;
    case TRACE_LINK_LINUX_SLL2:   /* tcpdump -i any */
        if (caplen < 20) goto short_hdr;
        et = rd16(d);
        off = 20;
        break;
    case TRACE_LINK_NULL:
        if (caplen < 4) goto short_hdr;
        /* The address family in the capturing host's byte order. */
        et = (d[0] == 2 && d[3] == 0) || (d[3] == 2 && d[0] == 0) ? 0x0800 : 0x86dd;
        off = 4;
        break;
    case TRACE_LINK_RAW:
    case TRACE_LINK_IPV4:
        if (caplen < 1) goto short_hdr;
        et = (d[0] >> 4) == 4 ? 0x0800 : (d[0] >> 4) == 6 ? 0x86dd : 0;
        off = 0;
        break;
    default:
        trace_issue(t, "unsupported link type", t->frames);
        return;
    }
    if (et == 0x0800) ipv4(t, d + off, caplen - off, ns);
    else if (et == 0x86dd) trace_issue(t, "IPv6 (not supported)", t->frames);
    else if (et == 0x0806) trace_issue(t, "ARP", t->frames);
    else trace_issue(t, "not IP (other EtherType)", t->frames);
    return;
short_hdr:
    trace_issue(t, "link header truncated", t->frames);
}
