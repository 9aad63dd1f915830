/* fuzz_net.c - libFuzzer harness over the stack's whole input path. Each
 * input is a script of operations run against a fresh stack that listens on
 * ports 7 and 80 and has one established connection:
 *
 *   op 0  raw frame             [len16][bytes]          anything at all
 *   op 1  TCP on the connection [flags][seq+=i16][ack+=i16][wnd16][optlen][opts][len16][data]
 *         (valid addresses and checksums, sequence numbers near the live ones)
 *   op 2  TCP to a listener     [port][sport16][flags][seq32][ack32][optlen][opts][len16][data]
 *   op 3  UDP / ICMP            [kind][len16][bytes] with valid checksums
 *   op 4  time passes           [steps]              steps * 7 ms, timers run
 *   op 5  application           [what][n]            recv, send, close, abort, connect,
 *                                                        read_ref, release, send_ref
 *
 * Frames are given by reference (net_input_ref) every other time, each a
 * heap copy freed on rx_release, so AddressSanitizer sees any use after
 * release; a token released twice or never aborts. Segments go out as
 * gathers for inputs of odd length.
 *
 * After every operation the invariants must hold (net_check); at the end
 * the application closes everything, time runs out, and no connection may
 * be left. Any violation aborts, which libFuzzer reports as a crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net_priv.h"

#define US_IP   0x0a000002u
#define PEER_IP 0x0a000001u
#define MAXH    16

static const uint8_t us_mac[6] = {2, 0, 0, 0, 0, 2}, peer_mac[6] = {2, 0, 0, 0, 0, 1};

static struct {
    net_t *net;
    uint64_t now;
    uint32_t handles[MAXH];
    uint32_t nh;
    uint8_t frame[9100];
    uint32_t peer_seq, peer_ack; /* the live connection, as the peer sees it */
    uint32_t ninput;
    uint8_t *held[4096];         /* frames given by reference, not released */
    uint32_t nheld;
    struct { uint32_t h, id; } refs[64]; /* references read, not released */
    uint32_t nrefs;
} F;

static const uint8_t appmem[8192]; /* sent by reference: valid for ever */

static _Alignas(64) uint8_t mem[1 << 20];

static uint64_t f_now(void *ctx) { (void)ctx; return F.now; }

static int f_tx(void *ctx, const uint8_t *frame, uint32_t len)
{
    (void)ctx;
    if (len < 60 || len > 14 + 1500) {
        fprintf(stderr, "fuzz_net: frame of %u bytes\n", len);
        abort();
    }
    /* Follow the live connection: remember what we ACK and send. */
    if (frame[12] == 8 && frame[13] == 0 && frame[23] == 6 && rd16(frame + 34 + 2) == 40000) {
        const uint8_t *t = frame + 34;
        F.peer_ack = rd32(t + 4);
    }
    return 0;
}

static int f_gather(void *ctx, const uint8_t *hdr, uint32_t hlen, const net_iov_t *iov, uint32_t n)
{
    static uint8_t f[9100];
    uint32_t len = hlen;
    if (!n || n > NET_IOV_MAX || hlen > 14 + 20 + 60) abort();
    memcpy(f, hdr, hlen);
    for (uint32_t i = 0; i < n; i++) {
        if (!iov[i].len || len + iov[i].len > sizeof f) abort();
        memcpy(f + len, iov[i].p, iov[i].len);
        len += iov[i].len;
    }
    return f_tx(ctx, f, len);
}

static void f_release(void *ctx, uint64_t token)
{
    (void)ctx;
    uint8_t *p = (uint8_t *)(uintptr_t)token;
    for (uint32_t i = 0; i < F.nheld; i++)
        if (F.held[i] == p) {
            F.held[i] = F.held[--F.nheld];
            free(p);
            return;
        }
    fprintf(stderr, "fuzz_net: rx_release of a token not held\n");
    abort();
}

/* Every input goes through here: by reference every other time. */
static void f_input(const uint8_t *frame, uint32_t len)
{
    if (F.ninput++ & 1) {
        net_input(F.net, frame, len);
        return;
    }
    if (F.nheld == 4096) abort();
    uint8_t *p = malloc(len ? len : 1);
    memcpy(p, frame, len);
    F.held[F.nheld++] = p;
    net_input_ref(F.net, p, len, (uint64_t)(uintptr_t)p);
}

/* The application let go of a handle: its references are gone. */
static void forget_refs(uint32_t h)
{
    for (uint32_t i = 0; i < F.nrefs;)
        if (F.refs[i].h == h) F.refs[i] = F.refs[--F.nrefs];
        else i++;
}

static void f_event(void *ctx, uint32_t conn, uint32_t ev)
{
    (void)ctx;
    if (ev & (NET_EV_ACCEPT | NET_EV_CONNECTED)) {
        if (F.nh < MAXH) F.handles[F.nh++] = conn;
        else net_tcp_abort(F.net, conn);
    }
    if (ev & NET_EV_READABLE) {
        uint8_t b[512];
        if (conn % 3) while (net_tcp_recv(F.net, conn, b, sizeof b) > 0) {}
    }
}

static void f_udp(void *ctx, const net_udp_meta_t *m, const uint8_t *d, uint32_t len)
{
    (void)ctx;
    net_udp_send(F.net, m->dst_port, m->src_ip, m->src_port, d, len);
}

static void check(void)
{
    int bad = net_check(F.net);
    if (bad) {
        fprintf(stderr, "fuzz_net: net_check failed: %d\n", bad);
        abort();
    }
}

static uint32_t ip_frame(uint8_t proto, uint32_t l4len)
{
    uint8_t *b = F.frame;
    memcpy(b, us_mac, 6);
    memcpy(b + 6, peer_mac, 6);
    wr16(b + 12, 0x0800);
    uint8_t *ip = b + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    wr16(ip + 2, (uint16_t)(20 + l4len));
    ip[8] = 64;
    ip[9] = proto;
    wr32(ip + 12, PEER_IP);
    wr32(ip + 16, US_IP);
    wr16(ip + 10, net_csum_fold(net_csum_add(0, ip, 20)));
    return 34 + l4len;
}

static void tcp_in(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd,
                   const uint8_t *opt, uint32_t optlen, const uint8_t *data, uint32_t dlen)
{
    optlen &= ~3u;
    if (optlen > 40) optlen = 40;
    if (dlen > 1400) dlen = 1400;
    uint8_t *t = F.frame + 34;
    wr16(t, sport);
    wr16(t + 2, dport);
    wr32(t + 4, seq);
    wr32(t + 8, ack);
    t[12] = (uint8_t)(((20 + optlen) / 4) << 4);
    t[13] = flags;
    wr16(t + 14, wnd);
    wr32(t + 16, 0);
    if (optlen) memcpy(t + 20, opt, optlen);
    if (dlen) memcpy(t + 20 + optlen, data, dlen);
    uint32_t len = 20 + optlen + dlen;
    wr16(t + 16, net_csum_fold(net_csum_add(net_csum_pseudo(PEER_IP, US_IP, 6, len), t, len)));
    f_input(F.frame, ip_frame(6, len));
}

/* A cursor over the input. */
typedef struct cur { const uint8_t *p; size_t n; } cur_t;
static uint32_t take(cur_t *c, uint32_t k)
{
    uint32_t v = 0;
    for (uint32_t i = 0; i < k; i++) {
        v = v << 8 | (c->n ? *c->p : 0);
        if (c->n) { c->p++; c->n--; }
    }
    return v;
}
static const uint8_t *take_bytes(cur_t *c, uint32_t *len)
{
    if (*len > c->n) *len = (uint32_t)c->n;
    const uint8_t *p = c->p;
    c->p += *len;
    c->n -= *len;
    return p;
}

static void setup(int gather)
{
    net_config_t cfg;
    net_config_default(&cfg);
    cfg.ip = US_IP;
    memcpy(cfg.mac, us_mac, 6);
    cfg.max_conns = 8;
    cfg.max_listeners = 2;
    cfg.max_udp_ports = 2;
    cfg.arp_entries = 4;
    cfg.rcv_buf = 4096;
    cfg.snd_buf = 4096;
    cfg.ooo_ranges = 3;
    cfg.hash_buckets = 8;
    cfg.rto_max_ns = 8000000000ULL;
    cfg.msl_ns = 2000000000ULL;
    cfg.max_retries = 6;
    cfg.syn_retries = 3;
    if (net_footprint(&cfg) > sizeof mem) abort();
    net_hal_t hal = {.now_ns = f_now, .tx = f_tx, .tcp_event = f_event, .udp_rx = f_udp, .rx_release = f_release};
    if (gather) hal.tx_gather = f_gather;
    F.nrefs = 0;
    F.ninput = 0;
    F.now = 1000000000ULL;
    F.nh = 0;
    F.net = net_join(net_new(mem, &cfg, &hal));
    if (!F.net) abort();
    net_tcp_listen(F.net, 80, 2);
    net_tcp_listen(F.net, 7, 2);
    net_udp_bind(F.net, 9);
    /* Teach ARP, then open a connection from the peer. */
    uint8_t *a = F.frame;
    memset(a, 0xff, 6);
    memcpy(a + 6, peer_mac, 6);
    wr16(a + 12, 0x0806);
    wr16(a + 14, 1); wr16(a + 16, 0x0800); a[18] = 6; a[19] = 4; wr16(a + 20, 1);
    memcpy(a + 22, peer_mac, 6); wr32(a + 28, PEER_IP); memset(a + 32, 0, 6); wr32(a + 38, US_IP);
    memset(a + 42, 0, 18);
    net_input(F.net, a, 60);
    static const uint8_t mss[4] = {2, 4, 5, 0xb4};
    tcp_in(40000, 80, 1000, 0, TCP_SYN, 65535, mss, 4, NULL, 0);
    tcp_in(40000, 80, 1001, F.peer_ack + 1, TCP_ACK, 65535, NULL, 0, NULL, 0);
    F.peer_seq = 1001;
    F.peer_ack += 1;
    check();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup((int)(size & 1));
    cur_t c = {data, size};
    for (int ops = 0; c.n && ops < 64; ops++) {
        uint32_t op = take(&c, 1) % 6, len;
        const uint8_t *p;
        switch (op) {
        case 0: /* raw frame */
            len = take(&c, 2) % 1600;
            p = take_bytes(&c, &len);
            f_input(p, len);
            break;
        case 1: { /* segment on the live connection */
            uint8_t flags = (uint8_t)take(&c, 1);
            uint32_t seq = F.peer_seq + (uint32_t)(int16_t)take(&c, 2);
            uint32_t ack = F.peer_ack + (uint32_t)(int16_t)take(&c, 2);
            uint16_t wnd = (uint16_t)take(&c, 2);
            uint32_t optlen = take(&c, 1) % 44;
            const uint8_t *opt = take_bytes(&c, &optlen);
            len = take(&c, 2) % 1500;
            p = take_bytes(&c, &len);
            uint8_t zero[44] = {0};
            memcpy(zero, opt, optlen);
            tcp_in(40000, 80, seq, ack, flags, wnd, zero, (optlen + 3) & ~3u, p, len);
            if (seq == F.peer_seq) F.peer_seq += len;
            break;
        }
        case 2: { /* segment for a listener or another connection */
            uint16_t port = take(&c, 1) & 1 ? 80 : 7;
            uint16_t sport = (uint16_t)take(&c, 2);
            uint8_t flags = (uint8_t)take(&c, 1);
            uint32_t seq = take(&c, 4), ack = take(&c, 4);
            uint32_t optlen = take(&c, 1) % 44;
            const uint8_t *opt = take_bytes(&c, &optlen);
            len = take(&c, 2) % 1500;
            p = take_bytes(&c, &len);
            uint8_t zero[44] = {0};
            memcpy(zero, opt, optlen);
            tcp_in(sport, port, seq, ack, flags, 65535, zero, (optlen + 3) & ~3u, p, len);
            break;
        }
        case 3: { /* UDP to port 9 or 10, or ICMP */
            uint32_t kind = take(&c, 1);
            len = take(&c, 2) % 1400;
            p = take_bytes(&c, &len);
            uint8_t *l4 = F.frame + 34;
            if (kind & 1) {
                wr16(l4, 5555);
                wr16(l4 + 2, kind & 2 ? 9 : 10);
                wr16(l4 + 4, (uint16_t)(8 + len));
                wr16(l4 + 6, 0);
                memcpy(l4 + 8, p, len);
                uint16_t cs = net_csum_fold(net_csum_add(net_csum_pseudo(PEER_IP, US_IP, 17, 8 + len), l4, 8 + len));
                wr16(l4 + 6, cs ? cs : 0xffff);
                f_input(F.frame, ip_frame(17, 8 + len));
            } else {
                l4[0] = (uint8_t)(kind >> 1);
                l4[1] = 0;
                wr16(l4 + 2, 0);
                memcpy(l4 + 4, p, len);
                wr16(l4 + 2, net_csum_fold(net_csum_add(0, l4, 4 + len)));
                f_input(F.frame, ip_frame(1, 4 + len));
            }
            break;
        }
        case 4: /* time */
            for (uint32_t s = take(&c, 1) % 64; s; s--) {
                F.now += 7000000;
                net_timer(F.net);
            }
            break;
        case 5: { /* application */
            uint32_t what = take(&c, 1), n = take(&c, 1) * 37;
            if (!F.nh) {
                if (what % 7 == 0) {
                    int64_t h = net_tcp_connect(F.net, PEER_IP, (uint16_t)(what + 1));
                    if (h > 0 && F.nh < MAXH) F.handles[F.nh++] = (uint32_t)h;
                }
                break;
            }
            uint32_t k = what % F.nh, h = F.handles[k];
            static uint8_t buf[255 * 37];
            net_rx_ref_t r;
            switch ((what >> 4) % 8) {
            case 0: net_tcp_recv(F.net, h, buf, n); break;
            case 1: memset(buf, (int)what, n); net_tcp_send(F.net, h, buf, n); break;
            case 2: net_tcp_close(F.net, h); forget_refs(h); F.handles[k] = F.handles[--F.nh]; break;
            case 3: net_tcp_abort(F.net, h); forget_refs(h); F.handles[k] = F.handles[--F.nh]; break;
            case 4: net_tcp_send_space(F.net, h); break;
            case 5: /* read by reference: the bytes must be readable (ASan) */
                while (F.nrefs < 64 && net_tcp_read_ref(F.net, h, &r) > 0) {
                    volatile uint8_t x = r.data[0] ^ r.data[r.len - 1];
                    (void)x;
                    F.refs[F.nrefs].h = h;
                    F.refs[F.nrefs++].id = r.id;
                }
                break;
            case 6: /* release one, any order; a bogus id is refused */
                if (F.nrefs) {
                    uint32_t i = n % F.nrefs;
                    if (net_tcp_release(F.net, F.refs[i].h, F.refs[i].id)) abort();
                    F.refs[i] = F.refs[--F.nrefs];
                } else if (net_tcp_release(F.net, h, n) != -NET_EINVAL) {
                    abort();
                }
                break;
            default: net_tcp_send_ref(F.net, h, appmem + n % 4096, n % 4096 + 1); break;
            }
            break;
        }
        }
        check();
    }
    /* The end: the application lets go, time runs out, nothing may stay. */
    for (uint32_t i = 0; i < F.nrefs; i++)
        if (net_tcp_release(F.net, F.refs[i].h, F.refs[i].id)) abort();
    F.nrefs = 0;
    for (uint32_t i = 0; i < F.nh; i++) net_tcp_close(F.net, F.handles[i]);
    F.nh = 0;
    for (int i = 0; i < 400 && net_conns_used(F.net); i++) {
        F.now += 1000000000ULL;
        net_timer(F.net);
        check();
    }
    if (net_conns_used(F.net)) {
        fprintf(stderr, "fuzz_net: %u connections leaked; states:", net_conns_used(F.net));
        for (uint32_t i = 0; i < F.net->cfg.max_conns; i++) fprintf(stderr, " %u", F.net->conns[i].state);
        fprintf(stderr, "\n");
        abort();
    }
    if (F.nheld || net_rx_frames_held(F.net) || net_rx_refs_held(F.net)) {
        fprintf(stderr, "fuzz_net: leak: %u frames not released\n", F.nheld);
        abort();
    }
    return 0;
}
