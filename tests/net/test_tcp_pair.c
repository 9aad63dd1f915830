/* test_tcp_pair.c - two stack instances on a simulated wire that delays,
 * reorders, duplicates and drops frames (deterministic PRNG): bulk
 * transfers both ways at once must arrive intact and in order, and both
 * sides must end with every connection freed. Each runs with the copy API
 * and with the zero-copy one (frames given by reference and released once,
 * reads by reference released in a scrambled order, sends by reference
 * gathered from memory that is poisoned as soon as SENT frees it, so a
 * byte used after SENT would arrive corrupt). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"

#define PAIR_Q 4096
/* Check's assertions log every pass; the hot loop uses this one instead. */
#define REQUIRE(cond, ...) do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)
#define XFER   (1u << 20)

typedef struct wire_frame {
    uint64_t at;
    int to;
    uint32_t len;
    uint8_t b[1514];
} wire_frame_t;

typedef struct side {
    struct pair *p;
    int id;
    net_t *net;
    void *mem;
    uint32_t conn;
    uint32_t sent, rcvd;
    int closed, peer_fin, reset;
    /* zero copy */
    uint8_t *txmem;            /* XFER bytes of pattern, sent by reference */
    uint32_t acked;            /* SENT so far (poisoned behind) */
    net_rx_ref_t held[8];      /* references read, not yet released */
    uint32_t nheld;
    uint64_t frames_given, frames_released, gathers;
    uint32_t done;
} side_t;

typedef struct pair {
    uint64_t now, rng;
    unsigned loss_pct, dup_pct, drop_every, nframes;
    int zc;
    wire_frame_t *q;
    uint32_t nq;
    side_t s[2];
} pair_t;

static uint32_t rnd(pair_t *p)
{
    p->rng ^= p->rng << 13;
    p->rng ^= p->rng >> 7;
    p->rng ^= p->rng << 17;
    return (uint32_t)(p->rng >> 11);
}

static uint8_t pat(uint32_t off, int dir) { return (uint8_t)(off * 13 + (off >> 8) + (unsigned)dir * 101); }

static uint64_t pair_now(void *ctx) { return ((side_t *)ctx)->p->now; }

static void wire_put(pair_t *p, int to, const uint8_t *f, uint32_t len)
{
    REQUIRE(p->nq < PAIR_Q, "wire queue full");
    wire_frame_t *w = &p->q[p->nq++];
    w->at = p->now + 1000000 + rnd(p) % 2000000; /* 1..3 ms: reorders */
    w->to = to;
    w->len = len;
    memcpy(w->b, f, len);
}

static int pair_tx(void *ctx, const uint8_t *f, uint32_t len)
{
    side_t *s = ctx;
    pair_t *p = s->p;
    REQUIRE(len <= 1514, "frame of %u bytes", len);
    if (rnd(p) % 100 < p->loss_pct) return 0;
    if (p->drop_every && ++p->nframes % p->drop_every == 0) return 0;
    wire_put(p, 1 - s->id, f, len);
    if (rnd(p) % 100 < p->dup_pct) wire_put(p, 1 - s->id, f, len);
    return 0;
}

/* The wire takes a gather: header and slices, copied as egress DMA would. */
static int pair_gather(void *ctx, const uint8_t *hdr, uint32_t hlen, const net_iov_t *iov, uint32_t n)
{
    side_t *s = ctx;
    static uint8_t f[1514];
    uint32_t len = hlen;
    REQUIRE(hlen <= 14 + 20 + 60, "header of %u bytes", hlen);
    memcpy(f, hdr, hlen);
    for (uint32_t i = 0; i < n; i++) {
        REQUIRE(len + iov[i].len <= sizeof f, "gather too long");
        REQUIRE(iov[i].p >= s->txmem + s->acked && iov[i].p + iov[i].len <= s->txmem + XFER,
                "side %d: slice outside the bytes not yet SENT", s->id);
        memcpy(f + len, iov[i].p, iov[i].len);
        len += iov[i].len;
    }
    s->gathers++;
    return pair_tx(ctx, f, len);
}

static void pair_done(void *ctx, uint32_t conn)
{
    side_t *s = ctx;
    REQUIRE(conn == s->conn && s->closed, "side %d: tcp_done for %u", s->id, conn);
    s->done++;
}

static void pair_release(void *ctx, uint64_t token)
{
    side_t *s = ctx;
    uint8_t *p = (uint8_t *)(uintptr_t)token;
    REQUIRE(p[0] != 0xdd || p[1] != 0xdd, "side %d: frame released twice", s->id);
    memset(p, 0xdd, 1514); /* a use after release reads garbage */
    free(p);
    s->frames_released++;
}

/* Zero copy: reads by reference, verifies, holds a few and releases them
 * out of order (the newest but one first). */
static void zc_read(side_t *s)
{
    net_rx_ref_t r;
    while (net_tcp_read_ref(s->net, s->conn, &r) > 0) {
        for (uint32_t i = 0; i < r.len; i++)
            REQUIRE(r.data[i] == pat(s->rcvd + i, 1 - s->id), "side %d: byte %u corrupt", s->id, s->rcvd + i);
        s->rcvd += r.len;
        s->held[s->nheld++] = r;
        if (s->nheld == 8 || rnd(s->p) % 4 == 0) {
            while (s->nheld > 1) {
                REQUIRE(net_tcp_release(s->net, s->conn, s->held[s->nheld - 2].id) == 0, "release failed");
                s->held[s->nheld - 2] = s->held[s->nheld - 1];
                s->nheld--;
            }
        }
    }
}

static void zc_release_all(side_t *s)
{
    while (s->nheld) REQUIRE(net_tcp_release(s->net, s->conn, s->held[--s->nheld].id) == 0, "release failed");
}

static void pump(side_t *s)
{
    static uint8_t buf[8192];
    while (s->p->zc && s->conn && !s->closed && s->sent < XFER) {
        uint32_t n = 1 + rnd(s->p) % 3000;
        if (n > XFER - s->sent) n = XFER - s->sent;
        int64_t k = net_tcp_send_ref(s->net, s->conn, s->txmem + s->sent, n);
        REQUIRE(k == 0 || k == n, "send_ref: %ld", (long)k);
        if (!k) break;
        s->sent += n;
    }
    if (s->p->zc && s->conn && !s->closed && s->sent == XFER && s->rcvd == XFER) zc_release_all(s);
    if (s->p->zc && s->acked < XFER) return; /* closes once every byte is SENT */
    while (!s->p->zc && s->conn && !s->closed && s->sent < XFER) {
        uint32_t n = XFER - s->sent < sizeof buf ? XFER - s->sent : sizeof buf;
        for (uint32_t i = 0; i < n; i++) buf[i] = pat(s->sent + i, s->id);
        int64_t k = net_tcp_send(s->net, s->conn, buf, n);
        REQUIRE(k >= 0, "send failed: %ld", (long)k);
        if (!k) break;
        s->sent += (uint32_t)k;
    }
    if (s->conn && !s->closed && s->sent == XFER && s->rcvd == XFER) {
        s->closed = 1;
        REQUIRE(net_tcp_close(s->net, s->conn) == 0, "close failed");
    }
}

static void pair_event(void *ctx, uint32_t conn, uint32_t ev)
{
    side_t *s = ctx;
    REQUIRE(!(ev & NET_EV_RESET), "side %d: connection reset", s->id);
    if (ev & NET_EV_ACCEPT) s->conn = conn;
    REQUIRE(conn == s->conn, "event for an unknown handle");
    if (ev & NET_EV_SENT) {
        int64_t n = net_tcp_sent(s->net, conn);
        REQUIRE(n > 0 && s->acked + n <= s->sent, "side %d: SENT %ld", s->id, (long)n);
        if (s->p->zc) memset(s->txmem + s->acked, 0xee, (size_t)n); /* freed: reused by the application */
        s->acked += (uint32_t)n;
    }
    if ((ev & NET_EV_READABLE) && s->p->zc) zc_read(s);
    if ((ev & NET_EV_READABLE) && !s->p->zc) {
        static uint8_t buf[5000];
        int64_t n;
        while ((n = net_tcp_recv(s->net, conn, buf, sizeof buf)) > 0) {
            for (int64_t i = 0; i < n; i++)
                REQUIRE(buf[i] == pat(s->rcvd + (uint32_t)i, 1 - s->id), "side %d: byte %u corrupt", s->id,
                              s->rcvd + (uint32_t)i);
            s->rcvd += (uint32_t)n;
        }
    }
    if (ev & NET_EV_PEER_FIN) s->peer_fin = 1;
    pump(s);
}

static void side_init(pair_t *p, int id)
{
    side_t *s = &p->s[id];
    s->p = p;
    s->id = id;
    net_config_t c;
    net_config_default(&c);
    c.ip = 0x0a000001u + (uint32_t)id;
    uint8_t mac[6] = {2, 0, 0, 0, 0, (uint8_t)(1 + id)};
    memcpy(c.mac, mac, 6);
    c.secret = 0x1234 + (uint64_t)id;
    size_t fp = net_footprint(&c);
    s->mem = aligned_alloc(net_align(), (fp + 63) / 64 * 64);
    net_hal_t hal = {.ctx = s, .now_ns = pair_now, .tx = pair_tx, .tcp_event = pair_event};
    if (p->zc) {
        c.copy_api = 0;
        hal.tx_gather = pair_gather;
        hal.rx_release = pair_release;
        hal.tcp_done = pair_done;
        s->txmem = malloc(XFER);
        for (uint32_t i = 0; i < XFER; i++) s->txmem[i] = pat(i, id);
    }
    s->net = net_join(net_new(s->mem, &c, &hal));
    ck_assert_ptr_nonnull(s->net);
}

/* Runs both sides until both closed and every connection is gone, or the
 * simulated time limit (900 s) passes; then checks both received it all. */
static void run_pair_mode(unsigned loss, unsigned dup, uint64_t seed, unsigned drop_every, int zc)
{
    pair_t *p = calloc(1, sizeof *p);
    p->zc = zc;
    p->drop_every = drop_every;
    p->q = calloc(PAIR_Q, sizeof *p->q);
    p->rng = seed;
    p->loss_pct = loss;
    p->dup_pct = dup;
    p->now = 1000000000ULL;
    side_init(p, 0);
    side_init(p, 1);
    ck_assert_int_eq(net_tcp_listen(p->s[1].net, 80, 4), 0);
    int64_t h = net_tcp_connect(p->s[0].net, 0x0a000002u, 80);
    ck_assert_int_gt(h, 0);
    p->s[0].conn = (uint32_t)h;
    uint64_t end = p->now + 900ULL * 1000000000ULL;
    uint64_t next_timer = p->now;
    while (p->now < end) {
        if (net_conns_used(p->s[0].net) == 0 && net_conns_used(p->s[1].net) == 0 && p->s[0].closed) break;
        /* Deliver the frames due now, earliest first. */
        for (;;) {
            uint32_t best = PAIR_Q;
            for (uint32_t i = 0; i < p->nq; i++)
                if (p->q[i].at <= p->now && (best == PAIR_Q || p->q[i].at < p->q[best].at)) best = i;
            if (best == PAIR_Q) break;
            static wire_frame_t w;
            w = p->q[best];
            p->q[best] = p->q[--p->nq];
            if (p->zc) {
                uint8_t *b = malloc(1514);
                memcpy(b, w.b, w.len);
                p->s[w.to].frames_given++;
                net_input_ref(p->s[w.to].net, b, w.len, (uint64_t)(uintptr_t)b);
            } else {
                net_input(p->s[w.to].net, w.b, w.len);
            }
        }
        if (p->now >= next_timer) {
            net_timer(p->s[0].net);
            net_timer(p->s[1].net);
            next_timer = p->now + 1000000;
        }
        for (int i = 0; i < 2; i++) {
            int bad = net_check(p->s[i].net);
            REQUIRE(!bad, "side %d: net_check %d", i, bad);
            pump(&p->s[i]);
        }
        /* On to the next frame or timer tick. */
        uint64_t next = next_timer;
        for (uint32_t i = 0; i < p->nq; i++)
            if (p->q[i].at < next) next = p->q[i].at;
        p->now = next > p->now ? next : p->now + 1;
    }
    if (getenv("NET_PAIR_VERBOSE"))
        for (int i = 0; i < 2; i++) {
            const net_counters_t *c = net_counters(p->s[i].net);
            printf("side %d:", i);
            for (unsigned k = 0; k < NET_COUNTER_CNT; k++)
                if (((const uint64_t *)c)[k]) printf(" %s=%lu", net_counter_name(k), (unsigned long)((const uint64_t *)c)[k]);
            printf("\n");
        }
    for (int i = 0; i < 2; i++) {
        ck_assert_msg(p->s[i].rcvd == XFER, "side %d received %u of %u", i, p->s[i].rcvd, XFER);
        ck_assert_msg(net_conns_used(p->s[i].net) == 0, "side %d leaked %u connections", i,
                      net_conns_used(p->s[i].net));
        /* Leak check: every frame given came back once, nothing held. */
        ck_assert_uint_eq(p->s[i].frames_released, p->s[i].frames_given);
        ck_assert_uint_eq(net_rx_frames_held(p->s[i].net), 0);
        ck_assert_uint_eq(net_rx_refs_held(p->s[i].net), 0);
        ck_assert_uint_le(p->s[i].acked, XFER);
        if (zc) {
            ck_assert_uint_eq(p->s[i].acked, XFER); /* SENT summed to every byte */
            ck_assert_uint_eq(p->s[i].done, 1);     /* tcp_done once the connection went */
            ck_assert_uint_gt(p->s[i].gathers, XFER / 1460);
            ck_assert_uint_gt(p->s[i].frames_given, XFER / 1460);
        }
        free(p->s[i].txmem);
        free(p->s[i].mem);
    }
    if (getenv("NET_PAIR_VERBOSE")) printf("simulated %lu s\n", (unsigned long)((p->now - 1000000000ULL) / 1000000000ULL));
    free(p->q);
    free(p);
}

static void run_pair(unsigned loss, unsigned dup, uint64_t seed, unsigned drop_every)
{
    run_pair_mode(loss, dup, seed, drop_every, 0);
    run_pair_mode(loss, dup, seed, drop_every, 1);
}

START_TEST(bulk_both_ways_clean_wire) { run_pair(0, 0, 1, 0); }
END_TEST

START_TEST(bulk_both_ways_lossy_wire)
{
    run_pair(3, 1, 0x9e3779b97f4a7c15ULL + (uint64_t)_i, 0);
}
END_TEST

START_TEST(bulk_both_ways_very_lossy_wire)
{
    run_pair(10, 2, 77, 0);
}
END_TEST

START_TEST(bulk_both_ways_every_7th_frame_dropped)
{
    run_pair(0, 0, 5, 7);
}
END_TEST

Suite *net_pair_suite(void)
{
    Suite *s = suite_create("net_pair");
    TCase *tc = tcase_create("wire");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, bulk_both_ways_clean_wire);
    tcase_add_loop_test(tc, bulk_both_ways_lossy_wire, 0, 3);
    tcase_add_test(tc, bulk_both_ways_very_lossy_wire);
    tcase_add_test(tc, bulk_both_ways_every_7th_frame_dropped);
    suite_add_tcase(s, tc);
    return s;
}
