/* test_net_zc.c - Check tests of the stack's zero-copy interface with
 * crafted segments (tests/net/net_fake.h gives every frame by reference and
 * fails on a token released twice or unknown): received payload held in
 * place and each frame released exactly once (in order, out of order,
 * duplicate, overlapping, FIN, RST, reset while references are held), the
 * window counting held bytes, and sending by reference (gathers of header +
 * slices of the application's memory, retransmissions from the same bytes,
 * NET_EV_SENT counts). Every test ends with the leak check. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "net_fake.h"

#define CNT(f, name) (net_counters((f)->net)->name)
#define DONE(f) do { const char *e_ = fake_done(f); ck_assert_msg(!e_, "%s", e_); fake_free(f); } while (0)
#define PORT  80
#define PPORT 40000
#define PISN  1000u
#define MS    1000000ULL

static tcp_out_t o;

static void peer(fake_t *f, uint32_t seq, uint32_t ack, uint8_t flags, const void *data, uint32_t dlen)
{
    tcp_pkt_t p = {PPORT, PORT, seq, ack, flags, 65535, NULL, 0, data, dlen};
    fake_tcp(f, &p);
}

static fake_t *open_conn(uint32_t *h, uint32_t *iss, void (*tweak)(net_config_t *))
{
    net_config_t c;
    net_config_default(&c);
    c.ip = FAKE_IP;
    memcpy(c.mac, fake_mac, 6);
    if (tweak) tweak(&c);
    fake_t *f = fake_new(&c);
    ck_assert_int_eq(net_tcp_listen(f->net, PORT, 4), 0);
    *h = fake_passive_open(f, PORT, PPORT, PISN, -1, iss);
    fake_clear(f);
    return f;
}

static void pattern(uint8_t *b, uint32_t n, uint32_t off)
{
    for (uint32_t i = 0; i < n; i++) b[i] = (uint8_t)((off + i) * 7 + 3);
}

/* Does p lie inside one of the frames the fake gave and has not released? */
static int in_held_frame(const fake_t *f, const uint8_t *p)
{
    for (uint32_t i = 0; i < f->nheld; i++)
        if (p >= f->held[i] && p < f->held[i] + 1514) return 1;
    return 0;
}

/* Reads every reference handed out now into refs; returns how many. */
static uint32_t read_all(fake_t *f, uint32_t h, net_rx_ref_t *refs, uint32_t cap)
{
    uint32_t n = 0;
    while (n < cap && net_tcp_read_ref(f->net, h, &refs[n]) > 0) n++;
    return n;
}

START_TEST(rx_in_order_by_reference_released_once)
{
    uint32_t h, iss;
    fake_t *f = open_conn(&h, &iss, NULL);
    uint8_t d[1000];
    pattern(d, sizeof d, 0);
    peer(f, PISN + 1, iss + 1, 0x18, d, 600);
    peer(f, PISN + 601, iss + 1, 0x18, d + 600, 400);
    ck_assert_uint_eq(fake_events(f, h) & NET_EV_READABLE, NET_EV_READABLE);
    ck_assert_uint_eq(f->nheld, 2);             /* both frames kept */
    ck_assert_uint_eq(net_rx_frames_held(f->net), 2);
    ck_assert_int_eq(net_tcp_rx_held(f->net, h), 1000);
    net_rx_ref_t r[4];
    ck_assert_uint_eq(read_all(f, h, r, 4), 2);
    ck_assert_uint_eq(r[0].len, 600);
    ck_assert_uint_eq(r[1].len, 400);
    ck_assert(in_held_frame(f, r[0].data) && in_held_frame(f, r[1].data)); /* in place, not copied */
    ck_assert_mem_eq(r[0].data, d, 600);
    ck_assert_mem_eq(r[1].data, d + 600, 400);
    /* The second segment's ACK (immediate: two segments) advertises the
     * window less the 1000 held bytes. */
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, PISN + 1001);
    ck_assert_uint_eq(o.wnd, 16384 - 1000);
    uint64_t rel = f->rx_released;
    ck_assert_int_eq(net_tcp_release(f->net, h, r[1].id), 0);
    ck_assert_uint_eq(f->rx_released, rel + 1);
    ck_assert_int_eq(net_tcp_release(f->net, h, r[1].id), -NET_EINVAL); /* twice: refused, counted */
    ck_assert_uint_eq(CNT(f, tcp_rx_release_bad), 1);
    ck_assert_int_eq(net_tcp_release(f->net, h, 12345), -NET_EINVAL);
    ck_assert_int_eq(net_tcp_rx_held(f->net, h), 600); /* the oldest still held: window still closed by 1000 */
    ck_assert_int_eq(net_tcp_release(f->net, h, r[0].id), 0);
    ck_assert_uint_eq(f->rx_released, rel + 2);
    ck_assert_uint_eq(net_rx_frames_held(f->net), 0);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(rx_frames_without_payload_released_at_once)
{
    uint32_t h, iss;
    fake_t *f = open_conn(&h, &iss, NULL);
    uint64_t given = f->rx_given;
    peer(f, PISN + 1, iss + 1, 0x10, NULL, 0); /* pure ACK */
    uint8_t b[64];
    fake_input(f, b, build_arp(b, 1, fake_peer_mac, FAKE_PEER_IP, FAKE_IP));
    fake_input(f, b, 10);                      /* runt */
    ck_assert_uint_eq(f->rx_given, given + 3);
    ck_assert_uint_eq(f->nheld, 0);
    ck_assert_uint_eq(f->rx_released, f->rx_given);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(rx_duplicate_and_retransmitted_released_at_once)
{
    uint32_t h, iss;
    fake_t *f = open_conn(&h, &iss, NULL);
    uint8_t d[500];
    pattern(d, sizeof d, 0);
    peer(f, PISN + 1, iss + 1, 0x18, d, 500);
    ck_assert_uint_eq(f->nheld, 1);
    peer(f, PISN + 1, iss + 1, 0x18, d, 500);   /* duplicate: nothing new */
    peer(f, PISN + 101, iss + 1, 0x18, d + 100, 300); /* retransmitted inside */
    ck_assert_uint_eq(f->nheld, 1);
    ck_assert_uint_eq(f->rx_released, f->rx_given - 1);
    net_rx_ref_t r[4];
    ck_assert_uint_eq(read_all(f, h, r, 4), 1);
    ck_assert_mem_eq(r[0].data, d, 500);
    ck_assert_int_eq(net_tcp_release(f->net, h, r[0].id), 0);
    ck_assert_uint_eq(f->nheld, 0);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(rx_out_of_order_and_overlapping_held_by_reference)
{
    uint32_t h, iss;
    fake_t *f = open_conn(&h, &iss, NULL);
    uint8_t d[1000];
    pattern(d, sizeof d, 0);
    peer(f, PISN + 1 + 600, iss + 1, 0x18, d + 600, 200); /* [600, 800) */
    peer(f, PISN + 1 + 300, iss + 1, 0x18, d + 300, 400); /* [300, 700): keeps [300, 600) */
    peer(f, PISN + 1 + 900, iss + 1, 0x18, d + 900, 100); /* [900, 1000) */
    ck_assert_uint_eq(f->nheld, 3);
    ck_assert_int_eq(net_tcp_rx_held(f->net, h), 600);
    net_rx_ref_t r[8];
    ck_assert_uint_eq(read_all(f, h, r, 8), 0);      /* nothing in order yet */
    peer(f, PISN + 1 + 750, iss + 1, 0x18, d + 750, 100); /* [750, 850): only [800, 850) new */
    peer(f, PISN + 1, iss + 1, 0x18, d, 350);             /* [0, 350): only [0, 300) new */
    ck_assert_uint_eq(f->nheld, 5);
    uint32_t n = read_all(f, h, r, 8);
    ck_assert_uint_eq(n, 4);                               /* [0,300) [300,600) [600,800) [800,850) */
    uint32_t off = 0;
    for (uint32_t i = 0; i < n; i++) {
        ck_assert(in_held_frame(f, r[i].data));
        ck_assert_mem_eq(r[i].data, d + off, r[i].len);
        off += r[i].len;
    }
    ck_assert_uint_eq(off, 850);
    peer(f, PISN + 1 + 850, iss + 1, 0x18, d + 850, 50);   /* fills the last hole */
    ck_assert_uint_eq(read_all(f, h, r + n, 8 - n), 2);
    ck_assert_mem_eq(r[n].data, d + 850, 50);
    ck_assert_mem_eq(r[n + 1].data, d + 900, 100);
    /* Released in any order, each frame back exactly once (the fake aborts
     * on a second release). */
    for (uint32_t i = n + 2; i-- > 0;) ck_assert_int_eq(net_tcp_release(f->net, h, r[i].id), 0);
    ck_assert_uint_eq(f->nheld, 0);
    ck_assert_uint_eq(f->rx_released, f->rx_given);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

static void one_range(net_config_t *c) { c->ooo_ranges = 1; }

START_TEST(rx_out_of_order_beyond_the_ranges_released_at_once)
{
    uint32_t h, iss;
    fake_t *f = open_conn(&h, &iss, one_range);
    uint8_t d[300];
    pattern(d, sizeof d, 0);
    peer(f, PISN + 101, iss + 1, 0x18, d + 100, 50);
    peer(f, PISN + 201, iss + 1, 0x18, d + 200, 50); /* a second range: dropped */
    ck_assert_uint_eq(CNT(f, tcp_ooo_drop), 1);
    ck_assert_uint_eq(f->nheld, 1);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);   /* out-of-order references go too */
    ck_assert_uint_eq(f->nheld, 0);
    DONE(f);
}
END_TEST

START_TEST(rx_fin_and_data_after_it)
{
    uint32_t h, iss;
    fake_t *f = open_conn(&h, &iss, NULL);
    uint8_t d[200];
    pattern(d, sizeof d, 0);
    peer(f, PISN + 151, iss + 1, 0x18, d + 150, 50);        /* out of order */
    peer(f, PISN + 1, iss + 1, 0x19, d, 100);               /* data + FIN at 101 */
    ck_assert_uint_eq(fake_events(f, h) & NET_EV_PEER_FIN, NET_EV_PEER_FIN);
    ck_assert_uint_eq(f->nheld, 1);                         /* beyond the FIN: released */
    peer(f, PISN + 102, iss + 1, 0x11, NULL, 0);            /* FIN again: nothing kept */
    ck_assert_uint_eq(f->nheld, 1);
    net_rx_ref_t r[2];
    ck_assert_uint_eq(read_all(f, h, r, 2), 1);
    ck_assert_uint_eq(r[0].len, 100);
    ck_assert_int_eq(net_tcp_release(f->net, h, r[0].id), 0);
    ck_assert_uint_eq(f->nheld, 0);
    ck_assert_int_eq(net_tcp_close(f->net, h), 0);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    while (fake_pop_tcp(f, &o)) {}
    peer(f, PISN + 102, o.seq + 1, 0x10, NULL, 0);          /* our FIN acknowledged */
    DONE(f);
}
END_TEST

START_TEST(rx_reset_keeps_handed_out_references_until_released)
{
    uint32_t h, iss;
    fake_t *f = open_conn(&h, &iss, NULL);
    uint8_t d[900];
    pattern(d, sizeof d, 0);
    peer(f, PISN + 1, iss + 1, 0x18, d, 300);
    peer(f, PISN + 301, iss + 1, 0x18, d + 300, 300);
    peer(f, PISN + 801, iss + 1, 0x18, d + 800, 100);       /* out of order */
    net_rx_ref_t r[1];
    ck_assert_uint_eq(read_all(f, h, r, 1), 1);             /* the first handed out */
    ck_assert_uint_eq(f->nheld, 3);
    peer(f, PISN + 601, iss + 1, 0x04, NULL, 0);            /* exact RST */
    ck_assert_uint_eq(fake_events(f, h) & NET_EV_RESET, NET_EV_RESET);
    ck_assert_uint_eq(f->nheld, 1);                         /* only the handed-out one stays */
    ck_assert_mem_eq(r[0].data, d, 300);                    /* still readable */
    net_rx_ref_t x;
    ck_assert_int_eq(net_tcp_read_ref(f->net, h, &x), 0);
    ck_assert_int_eq(net_tcp_release(f->net, h, r[0].id), 0);
    ck_assert_uint_eq(f->nheld, 0);
    ck_assert_int_eq(net_tcp_close(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(rx_close_and_abort_release_held_references)
{
    for (int abort = 0; abort < 2; abort++) {
        uint32_t h, iss;
        fake_t *f = open_conn(&h, &iss, NULL);
        uint8_t d[600];
        pattern(d, sizeof d, 0);
        peer(f, PISN + 1, iss + 1, 0x18, d, 300);
        peer(f, PISN + 401, iss + 1, 0x18, d + 400, 200);
        net_rx_ref_t r[1];
        ck_assert_uint_eq(read_all(f, h, r, 1), 1);
        ck_assert_uint_eq(f->nheld, 2);
        if (abort) {
            ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
        } else {
            ck_assert_int_eq(net_tcp_close(f->net, h), 0);
            peer(f, PISN + 301, iss + 1, 0x18, d + 300, 100); /* after close: discarded */
            peer(f, PISN + 601, iss + 1, 0x04, NULL, 0);      /* and the peer resets */
        }
        ck_assert_uint_eq(f->nheld, 0);
        ck_assert_uint_eq(f->rx_released, f->rx_given);
        DONE(f);
    }
}
END_TEST

START_TEST(rx_window_shrinks_with_held_bytes_and_reopens_on_release)
{
    uint32_t h, iss;
    fake_t *f = open_conn(&h, &iss, NULL);
    static uint8_t d[20000];
    pattern(d, sizeof d, 0);
    uint32_t seq = 0;
    for (int i = 0; i < 12; i++, seq += 1000) peer(f, PISN + 1 + seq, iss + 1, 0x18, d + seq, 1000);
    uint32_t wnd = 0;
    while (fake_pop_tcp(f, &o)) wnd = o.wnd;
    ck_assert_uint_eq(wnd, 16384 - 12000);
    /* Beyond the window: trimmed, held bytes never exceed rcv_buf. */
    peer(f, PISN + 1 + seq, iss + 1, 0x18, d + seq, 5000);
    ck_assert_uint_eq(CNT(f, tcp_rcv_trim), 1);
    ck_assert_int_eq(net_tcp_rx_held(f->net, h), 16384);
    while (fake_pop_tcp(f, &o)) wnd = o.wnd;
    ck_assert_uint_eq(wnd, 0);
    net_rx_ref_t r[16];
    uint32_t n = read_all(f, h, r, 16);
    ck_assert_uint_eq(n, 13);
    /* Releasing a late reference does not open the window (the oldest is
     * still held); releasing the oldest ones does, with an update. */
    ck_assert_int_eq(net_tcp_release(f->net, h, r[12].id), 0);
    ck_assert_uint_eq(fake_count_tcp(f), 0);
    for (uint32_t i = 0; i < 12; i++) ck_assert_int_eq(net_tcp_release(f->net, h, r[i].id), 0);
    uint32_t updates = 0;
    while (fake_pop_tcp(f, &o)) {
        ck_assert_uint_eq(o.ack, PISN + 1 + 16384);
        updates++;
    }
    ck_assert_uint_ge(updates, 1);
    ck_assert_uint_eq(o.wnd, 16384); /* the last one: all released */
    ck_assert_uint_eq(f->nheld, 0);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

/* Checks every slice of the last gather lies in [lo, hi). */
static void gather_inside(const fake_t *f, const uint8_t *lo, const uint8_t *hi)
{
    for (uint32_t i = 0; i < f->g_n; i++)
        ck_assert(f->g_iov[i].p >= lo && f->g_iov[i].p + f->g_iov[i].len <= hi);
}

START_TEST(tx_gather_headers_only_and_retransmission_regathers)
{
    uint32_t h, iss;
    fake_t *f = open_conn(&h, &iss, NULL);
    static uint8_t app[3000];
    pattern(app, sizeof app, 5);
    ck_assert_int_eq(net_tcp_send_ref(f->net, h, app, 3000), 3000);
    /* Two full segments (MSS 1460) and the rest: each a gather of the
     * header (54 bytes: Ethernet, IPv4, TCP) and a slice of app. */
    ck_assert_uint_eq(f->gathers, 3);
    ck_assert_uint_eq(f->g_hlen, 54);
    ck_assert_uint_eq(f->g_n, 1);
    ck_assert_ptr_eq(f->g_iov[0].p, app + 2920);
    ck_assert_uint_eq(f->g_iov[0].len, 80);
    uint32_t off = 0;
    while (fake_pop_tcp(f, &o)) {
        ck_assert_uint_eq(o.seq, iss + 1 + off);
        ck_assert_mem_eq(o.data, app + off, o.dlen);
        off += o.dlen;
    }
    ck_assert_uint_eq(off, 3000);
    /* 1460 acknowledged: SENT with 1460; the timeout retransmits from the
     * same memory, at the first byte not acknowledged. */
    peer(f, PISN + 1, iss + 1 + 1460, 0x10, NULL, 0);
    ck_assert_uint_eq(fake_events(f, h) & NET_EV_SENT, NET_EV_SENT);
    ck_assert_uint_eq(f->sent_bytes, 1460);
    memset(app, 0xee, 1460); /* the application reuses what was acknowledged */
    uint64_t g = f->gathers;
    fake_advance(f, 1100 * MS);
    ck_assert_uint_eq(CNT(f, tcp_rto), 1);
    ck_assert_uint_eq(f->gathers, g + 1);
    ck_assert_ptr_eq(f->g_iov[0].p, app + 1460);
    gather_inside(f, app + 1460, app + 3000);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.seq, iss + 1 + 1460);
    ck_assert_mem_eq(o.data, app + 1460, o.dlen);
    peer(f, PISN + 1, iss + 1 + 3000, 0x10, NULL, 0);
    ck_assert_uint_eq(f->sent_bytes, 3000);
    ck_assert_int_eq(net_tcp_sent(f->net, h), 0);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(tx_slices_at_odd_offsets_and_slice_limit)
{
    uint32_t h, iss;
    fake_t *f = open_conn(&h, &iss, NULL);
    static uint8_t app[4000];
    pattern(app, sizeof app, 1);
    /* 20 separate 11-byte pieces at odd addresses: the first segment goes
     * alone (nothing in flight); then the rest are queued while it is out,
     * and go in segments of at most NET_IOV_MAX slices, checksums right
     * (fake_pop_tcp verifies them). */
    uint32_t total = 0;
    for (int i = 0; i < 20; i++) {
        ck_assert_int_eq(net_tcp_send_ref(f->net, h, app + 1 + 100 * i, 11), 11);
        total += 11;
        ck_assert_uint_le(f->g_n, NET_IOV_MAX);
    }
    uint8_t got[400];
    uint32_t n = 0;
    while (fake_pop_tcp(f, &o)) {
        memcpy(got + n, o.data, o.dlen);
        n += o.dlen;
    }
    peer(f, PISN + 1, iss + 1 + n, 0x10, NULL, 0);
    while (fake_pop_tcp(f, &o)) {
        ck_assert_uint_le(o.dlen, 11 * NET_IOV_MAX);
        memcpy(got + n, o.data, o.dlen);
        n += o.dlen;
        peer(f, PISN + 1, iss + 1 + n, 0x10, NULL, 0);
    }
    ck_assert_uint_eq(n, total);
    for (int i = 0; i < 20; i++) ck_assert_mem_eq(got + 11 * i, app + 1 + 100 * i, 11);
    ck_assert_uint_eq(f->sent_bytes, total);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(tx_all_or_nothing_and_done_after_close)
{
    uint32_t h, iss;
    fake_t *f = open_conn(&h, &iss, NULL);
    static uint8_t app[20000];
    ck_assert_int_eq(net_tcp_send_ref(f->net, h, app, 16385), 0);   /* beyond snd_buf */
    ck_assert_int_eq(net_tcp_send_ref(f->net, h, NULL, 5), -NET_EINVAL);
    ck_assert_int_eq(net_tcp_send_ref(f->net, 7, app, 5), -NET_ENOTCONN);
    ck_assert_int_eq(net_tcp_send_ref(f->net, h, app, 1000), 1000);
    ck_assert_int_eq(net_tcp_send_space(f->net, h), 16384 - 1000);
    ck_assert_int_eq(net_tcp_close(f->net, h), 0);
    while (fake_pop_tcp(f, &o)) {}
    ck_assert_uint_eq(f->done_n, 0);                     /* the bytes are still in flight */
    peer(f, PISN + 1, iss + 1 + 1000 + 1, 0x11, NULL, 0); /* all + FIN acknowledged, peer's FIN */
    ck_assert_uint_eq(f->done_n, 1);                     /* TIME_WAIT holds none of it */
    ck_assert_uint_eq(f->done_last, h);
    fake_advance(f, 61000 * MS);                         /* 2 MSL: freed, no second tcp_done */
    ck_assert_uint_eq(f->done_n, 1);
    DONE(f);
}
END_TEST

static void no_copy(net_config_t *c) { c->copy_api = 0; }

START_TEST(without_copy_api_the_copy_calls_refuse)
{
    uint32_t h, iss;
    fake_t *f = open_conn(&h, &iss, no_copy);
    ck_assert_int_eq(net_tcp_send(f->net, h, "x", 1), -NET_EINVAL);
    f->copy_input = 1; /* net_input has no ring to copy into: dropped, counted */
    peer(f, PISN + 1, iss + 1, 0x18, "abc", 3);
    ck_assert_uint_eq(CNT(f, tcp_rx_frame_full), 1);
    f->copy_input = 0;
    peer(f, PISN + 1, iss + 1, 0x18, "abc", 3);
    uint8_t b[8];
    ck_assert_int_eq(net_tcp_recv(f->net, h, b, sizeof b), 3); /* reads out of the frame */
    ck_assert_mem_eq(b, "abc", 3);
    ck_assert_uint_eq(f->nheld, 0);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

static void two_frames(net_config_t *c) { c->rx_frames = 2; }

START_TEST(rx_frame_slots_exhausted_drop_and_recover)
{
    uint32_t h, iss;
    fake_t *f = open_conn(&h, &iss, two_frames);
    uint8_t d[300];
    pattern(d, sizeof d, 0);
    peer(f, PISN + 1, iss + 1, 0x18, d, 100);
    peer(f, PISN + 101, iss + 1, 0x18, d + 100, 100);
    peer(f, PISN + 201, iss + 1, 0x18, d + 200, 100); /* no slot: dropped, not acknowledged */
    ck_assert_uint_eq(CNT(f, tcp_rx_frame_full), 1);
    ck_assert_uint_eq(f->nheld, 2);
    uint8_t b[300];
    ck_assert_int_eq(net_tcp_recv(f->net, h, b, sizeof b), 200);
    ck_assert_uint_eq(f->nheld, 0);
    peer(f, PISN + 201, iss + 1, 0x18, d + 200, 100); /* the retransmission is taken */
    ck_assert_int_eq(net_tcp_recv(f->net, h, b + 200, 100), 100);
    ck_assert_mem_eq(b, d, 300);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

Suite *net_zc_suite(void)
{
    Suite *s = suite_create("net_zc");
    TCase *tc = tcase_create("zerocopy");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rx_in_order_by_reference_released_once);
    tcase_add_test(tc, rx_frames_without_payload_released_at_once);
    tcase_add_test(tc, rx_duplicate_and_retransmitted_released_at_once);
    tcase_add_test(tc, rx_out_of_order_and_overlapping_held_by_reference);
    tcase_add_test(tc, rx_out_of_order_beyond_the_ranges_released_at_once);
    tcase_add_test(tc, rx_fin_and_data_after_it);
    tcase_add_test(tc, rx_reset_keeps_handed_out_references_until_released);
    tcase_add_test(tc, rx_close_and_abort_release_held_references);
    tcase_add_test(tc, rx_window_shrinks_with_held_bytes_and_reopens_on_release);
    tcase_add_test(tc, rx_frame_slots_exhausted_drop_and_recover);
    tcase_add_test(tc, tx_gather_headers_only_and_retransmission_regathers);
    tcase_add_test(tc, tx_slices_at_odd_offsets_and_slice_limit);
    tcase_add_test(tc, tx_all_or_nothing_and_done_after_close);
    tcase_add_test(tc, without_copy_api_the_copy_calls_refuse);
    suite_add_tcase(s, tc);
    return s;
}
