/* net_fake.c - in-memory HAL, frame builders and parsers for the stack's
 * Check suites (see net_fake.h). */
#include "net_fake.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const uint8_t fake_mac[6] = {2, 0, 0, 0, 0, 2};
const uint8_t fake_peer_mac[6] = {2, 0, 0, 0, 0, 1};

static uint64_t fake_now(void *ctx) { return ((fake_t *)ctx)->now; }

static int fake_tx(void *ctx, const uint8_t *frame, uint32_t len)
{
    fake_t *f = ctx;
    if (f->tx_fail) return -1;
    ck_assert_uint_le(len, sizeof f->q[0].b);
    ck_assert_uint_ge(len, 60);
    ck_assert_uint_lt(f->qn, FAKE_QCAP);
    fake_frame_t *fr = &f->q[(f->qhead + f->qn++) % FAKE_QCAP];
    fr->len = len;
    memcpy(fr->b, frame, len);
    return 0;
}

static int fake_gather(void *ctx, const uint8_t *hdr, uint32_t hlen, const net_iov_t *iov, uint32_t n)
{
    fake_t *f = ctx;
    if (f->tx_fail) return -1;
    ck_assert_uint_ge(n, 1);
    ck_assert_uint_le(n, NET_IOV_MAX);
    /* Only headers in the header buffer: Ethernet, IPv4 (no options), TCP. */
    ck_assert_uint_ge(hlen, 14 + 20 + 20);
    ck_assert_uint_le(hlen, 14 + 20 + 60);
    ck_assert_uint_eq(hdr[14 + 9], 6);
    ck_assert_uint_eq(hlen, 14u + 20u + (uint32_t)(hdr[14 + 20 + 12] >> 4) * 4u);
    f->gathers++;
    f->g_hlen = hlen;
    f->g_n = n;
    uint32_t len = hlen;
    for (uint32_t i = 0; i < n; i++) {
        ck_assert_uint_gt(iov[i].len, 0);
        f->g_iov[i] = iov[i];
        len += iov[i].len;
    }
    ck_assert_uint_le(len, sizeof f->q[0].b);
    ck_assert_uint_ge(len, 60);
    ck_assert_uint_lt(f->qn, FAKE_QCAP);
    fake_frame_t *fr = &f->q[(f->qhead + f->qn++) % FAKE_QCAP];
    memcpy(fr->b, hdr, hlen);
    fr->len = hlen + net_iov_copy(fr->b + hlen, iov, n);
    return 0;
}

static void fake_release(void *ctx, uint64_t token)
{
    fake_t *f = ctx;
    uint8_t *p = (uint8_t *)(uintptr_t)token;
    for (uint32_t i = 0; i < f->nheld; i++)
        if (f->held[i] == p) {
            f->held[i] = f->held[--f->nheld];
            f->rx_released++;
            memset(p, 0xdd, 64); /* a use after release reads garbage */
            free(p);
            return;
        }
    ck_abort_msg("rx_release of a token not held (unknown or released twice)");
}

static void fake_done_cb(void *ctx, uint32_t conn)
{
    fake_t *f = ctx;
    f->done_n++;
    f->done_last = conn;
}

static void fake_event(void *ctx, uint32_t conn, uint32_t ev)
{
    fake_t *f = ctx;
    if (ev & NET_EV_ACCEPT) f->last_accept = conn;
    if (ev & NET_EV_SENT) {
        int64_t n = net_tcp_sent(f->net, conn);
        ck_assert_int_ge(n, 0);
        f->sent_bytes += (uint64_t)n;
    }
    for (uint32_t i = 0; i < f->nev; i++)
        if (f->ev_conn[i] == conn) {
            f->ev_bits[i] |= ev;
            return;
        }
    ck_assert_uint_lt(f->nev, FAKE_EVCAP);
    f->ev_conn[f->nev] = conn;
    f->ev_bits[f->nev++] = ev;
}

static void fake_udp(void *ctx, const net_udp_meta_t *m, const uint8_t *data, uint32_t len)
{
    fake_t *f = ctx;
    f->udp_n++;
    f->udp_meta = *m;
    f->udp_last_len = len < sizeof f->udp_last ? len : sizeof f->udp_last;
    memcpy(f->udp_last, data, f->udp_last_len);
    if (f->udp_echo) net_udp_send(f->net, m->dst_port, m->src_ip, m->src_port, data, len);
}

fake_t *fake_new(const net_config_t *cfg)
{
    fake_t *f = calloc(1, sizeof *f);
    f->q = calloc(FAKE_QCAP, sizeof *f->q);
    net_config_t c;
    if (cfg) {
        c = *cfg;
    } else {
        net_config_default(&c);
        c.ip = FAKE_IP;
        memcpy(c.mac, fake_mac, 6);
    }
    size_t fp = net_footprint(&c);
    ck_assert_uint_gt(fp, 0);
    f->mem = aligned_alloc(net_align(), (fp + net_align() - 1) / net_align() * net_align());
    net_hal_t hal = {.ctx = f, .now_ns = fake_now, .tx = fake_tx, .tcp_event = fake_event, .udp_rx = fake_udp,
                     .tx_gather = fake_gather, .rx_release = fake_release, .tcp_done = fake_done_cb};
    f->now = 1000000000ULL;
    f->net = net_join(net_new(f->mem, &c, &hal));
    ck_assert_ptr_nonnull(f->net);
    uint8_t b[64];
    fake_input(f, b, build_arp(b, 1, fake_peer_mac, FAKE_PEER_IP, c.ip));
    fake_clear(f);
    return f;
}

const char *fake_done(fake_t *f)
{
    static char msg[128];
    int bad = net_check(f->net);
    if (bad) {
        snprintf(msg, sizeof msg, "net_check failed: %d", bad);
        return msg;
    }
    /* Every connection must go away on its own once time passes. */
    for (int i = 0; i < 400 && net_conns_used(f->net); i++) fake_advance(f, 1000000000ULL);
    if (net_conns_used(f->net)) {
        snprintf(msg, sizeof msg, "%u connections leaked", net_conns_used(f->net));
        return msg;
    }
    bad = net_check(f->net);
    if (bad) {
        snprintf(msg, sizeof msg, "net_check failed at the end: %d", bad);
        return msg;
    }
    /* Leak check: no frame held, no reference pending. */
    if (net_rx_frames_held(f->net) || net_rx_refs_held(f->net) || f->nheld || f->rx_given != f->rx_released) {
        snprintf(msg, sizeof msg, "leak: %u frames held by the stack, %u references, %u tokens not released",
                 net_rx_frames_held(f->net), net_rx_refs_held(f->net), f->nheld);
        return msg;
    }
    return NULL;
}

void fake_free(fake_t *f)
{
    ck_assert_ptr_eq(net_delete(net_leave(f->net)), f->mem);
    free(f->mem);
    free(f->q);
    free(f);
}

void fake_advance(fake_t *f, uint64_t ns)
{
    f->now += ns;
    net_timer(f->net);
}

void fake_input(fake_t *f, const uint8_t *frame, uint32_t len)
{
    if (f->copy_input) {
        net_input(f->net, frame, len);
        return;
    }
    ck_assert_uint_lt(f->nheld, FAKE_HELDCAP);
    uint8_t *p = malloc(len ? len : 1);
    memcpy(p, frame, len);
    f->held[f->nheld++] = p;
    f->rx_given++;
    net_input_ref(f->net, p, len, (uint64_t)(uintptr_t)p);
}

void fake_clear(fake_t *f) { f->qhead = f->qn = 0; }

uint32_t fake_pop(fake_t *f, uint8_t *buf)
{
    if (!f->qn) return 0;
    fake_frame_t *fr = &f->q[f->qhead];
    f->qhead = (f->qhead + 1) % FAKE_QCAP;
    f->qn--;
    memcpy(buf, fr->b, fr->len);
    return fr->len;
}

uint32_t fake_events(fake_t *f, uint32_t conn)
{
    uint32_t ev = 0;
    for (uint32_t i = 0; i < f->nev; i++)
        if (f->ev_conn[i] == conn) {
            ev = f->ev_bits[i];
            f->ev_conn[i] = f->ev_conn[--f->nev];
            f->ev_bits[i] = f->ev_bits[f->nev];
            break;
        }
    return ev;
}

/* ---- builders ---- */

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)get16(p) << 16 | get16(p + 2); }

static uint32_t sum(uint32_t s, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) s += i & 1 ? p[i] : (uint32_t)p[i] << 8;
    return s;
}
static uint16_t fold(uint32_t s)
{
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static uint32_t build_ip(uint8_t *b, uint8_t proto, uint32_t l4len)
{
    memcpy(b, fake_mac, 6);
    memcpy(b + 6, fake_peer_mac, 6);
    put16(b + 12, 0x0800);
    uint8_t *ip = b + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(20 + l4len));
    ip[8] = 64;
    ip[9] = proto;
    put32(ip + 12, FAKE_PEER_IP);
    put32(ip + 16, FAKE_IP);
    put16(ip + 10, fold(sum(0, ip, 20)));
    return 34 + l4len;
}

void fix_ip_csum(uint8_t *frame)
{
    put16(frame + 24, 0);
    put16(frame + 24, fold(sum(0, frame + 14, (frame[14] & 15u) * 4)));
}

static uint32_t pseudo(uint8_t proto, uint32_t len)
{
    uint8_t ph[12];
    put32(ph, FAKE_PEER_IP);
    put32(ph + 4, FAKE_IP);
    ph[8] = 0;
    ph[9] = proto;
    put16(ph + 10, (uint16_t)len);
    return sum(0, ph, 12);
}

uint32_t build_tcp(uint8_t *b, const tcp_pkt_t *p)
{
    uint8_t *t = b + 34;
    uint32_t hlen = 20 + p->optlen, len = hlen + p->dlen;
    put16(t, p->sport);
    put16(t + 2, p->dport);
    put32(t + 4, p->seq);
    put32(t + 8, p->ack);
    t[12] = (uint8_t)((hlen / 4) << 4);
    t[13] = p->flags;
    put16(t + 14, p->wnd);
    put32(t + 16, 0);
    if (p->optlen) memcpy(t + 20, p->opt, p->optlen);
    if (p->dlen) memcpy(t + hlen, p->data, p->dlen);
    put16(t + 16, fold(sum(pseudo(6, len), t, len)));
    return build_ip(b, 6, len);
}

uint32_t build_udp(uint8_t *b, uint16_t sport, uint16_t dport, const void *data, uint32_t len)
{
    uint8_t *u = b + 34;
    put16(u, sport);
    put16(u + 2, dport);
    put16(u + 4, (uint16_t)(8 + len));
    put16(u + 6, 0);
    memcpy(u + 8, data, len);
    uint16_t cs = fold(sum(pseudo(17, 8 + len), u, 8 + len));
    put16(u + 6, cs ? cs : 0xffff);
    return build_ip(b, 17, 8 + len);
}

uint32_t build_icmp_echo(uint8_t *b, uint16_t id, uint16_t seq, const void *data, uint32_t len)
{
    uint8_t *m = b + 34;
    m[0] = 8;
    m[1] = 0;
    put16(m + 2, 0);
    put16(m + 4, id);
    put16(m + 6, seq);
    memcpy(m + 8, data, len);
    put16(m + 2, fold(sum(0, m, 8 + len)));
    return build_ip(b, 1, 8 + len);
}

uint32_t build_arp(uint8_t *b, uint16_t op, const uint8_t sha[6], uint32_t spa, uint32_t tpa)
{
    memset(b, 0xff, 6);
    memcpy(b + 6, sha, 6);
    put16(b + 12, 0x0806);
    uint8_t *a = b + 14;
    put16(a, 1);
    put16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, op);
    memcpy(a + 8, sha, 6);
    put32(a + 14, spa);
    memset(a + 18, 0, 6);
    put32(a + 24, tpa);
    memset(a + 28, 0, 18);
    return 60;
}

void fake_tcp(fake_t *f, const tcp_pkt_t *p)
{
    uint8_t b[9100];
    fake_input(f, b, build_tcp(b, p));
}

/* ---- parsers ---- */

static int parse_tcp(const uint8_t *b, uint32_t len, tcp_out_t *o)
{
    if (len < 54 || get16(b + 12) != 0x0800 || b[23] != 6) return 0;
    ck_assert_mem_eq(b, fake_peer_mac, 6);
    ck_assert_mem_eq(b + 6, fake_mac, 6);
    const uint8_t *ip = b + 14;
    ck_assert_uint_eq(ip[0], 0x45);
    ck_assert_uint_eq(fold(sum(0, ip, 20)), 0);
    uint32_t tot = get16(ip + 2);
    ck_assert_uint_le(tot + 14, len);
    const uint8_t *t = ip + 20;
    uint32_t tlen = tot - 20, hlen = (uint32_t)(t[12] >> 4) * 4;
    o->src = get32(ip + 12);
    o->dst = get32(ip + 16);
    uint8_t ph[12];
    put32(ph, o->src);
    put32(ph + 4, o->dst);
    ph[8] = 0;
    ph[9] = 6;
    put16(ph + 10, (uint16_t)tlen);
    ck_assert_uint_eq(fold(sum(sum(0, ph, 12), t, tlen)), 0);
    o->sport = get16(t);
    o->dport = get16(t + 2);
    o->seq = get32(t + 4);
    o->ack = get32(t + 8);
    o->flags = t[13];
    o->wnd = get16(t + 14);
    o->mss = 0;
    o->ws = -1;
    o->has_ts = 0;
    for (uint32_t i = 20; i < hlen;) {
        if (t[i] == 0) break;
        if (t[i] == 1) { i++; continue; }
        if (t[i] == 2) o->mss = get16(t + i + 2);
        if (t[i] == 3) o->ws = t[i + 2];
        if (t[i] == 8) {
            o->has_ts = 1;
            o->tsval = get32(t + i + 2);
            o->tsecr = get32(t + i + 6);
        }
        i += t[i + 1];
    }
    o->dlen = tlen - hlen;
    memcpy(o->data, t + hlen, o->dlen);
    return 1;
}

int fake_pop_tcp(fake_t *f, tcp_out_t *o)
{
    static uint8_t b[9100];
    uint32_t len;
    while ((len = fake_pop(f, b)))
        if (parse_tcp(b, len, o)) return 1;
    return 0;
}

uint32_t fake_count_tcp(const fake_t *f)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < f->qn; i++) {
        const fake_frame_t *fr = &f->q[(f->qhead + i) % FAKE_QCAP];
        n += fr->len >= 54 && get16(fr->b + 12) == 0x0800 && fr->b[23] == 6;
    }
    return n;
}

uint32_t fake_passive_open(fake_t *f, uint16_t port, uint16_t pport, uint32_t pisn, int wscale, uint32_t *iss)
{
    uint8_t opt[8] = {2, 4, 0x05, 0xb4, 1, 3, 3, 0};
    opt[7] = (uint8_t)(wscale < 0 ? 0 : wscale);
    tcp_pkt_t syn = {pport, port, pisn, 0, 0x02, 65535, opt, wscale < 0 ? 4 : 8, NULL, 0};
    fake_tcp(f, &syn);
    tcp_out_t o;
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x12);
    ck_assert_uint_eq(o.ack, pisn + 1);
    *iss = o.seq;
    f->last_accept = 0;
    tcp_pkt_t ack = {pport, port, pisn + 1, o.seq + 1, 0x10, 65535, NULL, 0, NULL, 0};
    fake_tcp(f, &ack);
    ck_assert_uint_ne(f->last_accept, 0);
    uint32_t h = f->last_accept;
    ck_assert_uint_eq(fake_events(f, h) & NET_EV_ACCEPT, NET_EV_ACCEPT);
    return h;
}
