/* test_tcp.c - Check tests of TCP with crafted segments from a simulated
 * peer: validation and rejection first, then handshakes, data both ways,
 * windows, loss and retransmission, fast retransmit, out-of-order arrival,
 * RST and FIN in each state, TIME_WAIT and the SYN flood defence. Every
 * test ends with the leak check (no connection left once time passes). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "net/net_priv.h"
#include "net_fake.h"

#define CNT(f, name) (net_counters((f)->net)->name)
#define DONE(f) do { const char *e_ = fake_done(f); ck_assert_msg(!e_, "%s", e_); fake_free(f); } while (0)
#define PORT  80
#define PPORT 40000
#define PISN  1000u
#define MS    1000000ULL

static tcp_out_t o;
static uint8_t fr[9100];

/* Sends a segment from the peer on the test connection (PPORT -> PORT). */
static void peer(fake_t *f, uint32_t seq, uint32_t ack, uint8_t flags, const void *data, uint32_t dlen)
{
    tcp_pkt_t p = {PPORT, PORT, seq, ack, flags, 65535, NULL, 0, data, dlen};
    fake_tcp(f, &p);
}

static void peer_wnd(fake_t *f, uint32_t seq, uint32_t ack, uint16_t wnd)
{
    tcp_pkt_t p = {PPORT, PORT, seq, ack, 0x10, wnd, NULL, 0, NULL, 0};
    fake_tcp(f, &p);
}

static fake_t *listening(uint32_t backlog)
{
    fake_t *f = fake_new(NULL);
    ck_assert_int_eq(net_tcp_listen(f->net, PORT, backlog), 0);
    return f;
}

static fake_t *with_cfg(void (*tweak)(net_config_t *))
{
    net_config_t c;
    net_config_default(&c);
    c.ip = FAKE_IP;
    memcpy(c.mac, fake_mac, 6);
    tweak(&c);
    fake_t *f = fake_new(&c);
    ck_assert_int_eq(net_tcp_listen(f->net, PORT, 16), 0);
    return f;
}

/* An established connection; our ISN in *iss. */
static uint32_t established(fake_t *f, uint32_t *iss)
{
    return fake_passive_open(f, PORT, PPORT, PISN, -1, iss);
}

static void pattern(uint8_t *b, uint32_t n, uint32_t off)
{
    for (uint32_t i = 0; i < n; i++) b[i] = (uint8_t)((off + i) * 7 + 3);
}

/* ---- rejection ---- */

START_TEST(bad_segments_are_counted_and_ignored)
{
    fake_t *f = listening(4);
    tcp_pkt_t p = {PPORT, PORT, PISN, 0, 0x02, 65535, NULL, 0, NULL, 0};
    uint32_t n = build_tcp(fr, &p);
    fr[50] ^= 1; /* checksum */
    fake_input(f, fr, n);
    ck_assert_uint_eq(CNT(f, tcp_bad_csum), 1);
    /* Shorter than a header, data offset below 5 or beyond the segment. */
    n = build_tcp(fr, &p);
    fr[17] = 20 + 12;
    fix_ip_csum(fr);
    fake_input(f, fr, n);
    n = build_tcp(fr, &p);
    fr[46] = 0x40;
    fake_input(f, fr, n);
    n = build_tcp(fr, &p);
    fr[46] = 0xf0;
    fake_input(f, fr, n);
    ck_assert_uint_eq(CNT(f, tcp_short), 3);
    /* Malformed options: length 0, length beyond the header, bad MSS and
     * WS lengths, a kind without its length byte. */
    static const uint8_t bad_opts[][8] = {
        {2, 0, 0, 0, 1, 1, 1, 1}, {1, 1, 1, 1, 8, 9, 0, 0}, {2, 3, 5, 1, 1, 1, 1, 1},
        {3, 4, 7, 0, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 5},
    };
    for (unsigned i = 0; i < 5; i++) {
        tcp_pkt_t q = p;
        q.opt = bad_opts[i];
        q.optlen = 8;
        fake_tcp(f, &q);
    }
    ck_assert_uint_eq(CNT(f, tcp_bad_opt), 5);
    /* Impossible flags: SYN+FIN, SYN+RST; port 0. */
    p.flags = 0x03;
    fake_tcp(f, &p);
    p.flags = 0x06;
    fake_tcp(f, &p);
    p.flags = 0x02;
    p.sport = 0;
    fake_tcp(f, &p);
    ck_assert_uint_eq(CNT(f, tcp_bad_flags), 3);
    ck_assert_uint_eq(f->qn, 0);
    ck_assert_uint_eq(net_conns_used(f->net), 0);
    /* Unknown options are skipped, a huge MSS is clamped to ours. */
    static const uint8_t ok_opts[12] = {4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8};
    static const uint8_t ok2[4] = {2, 4, 0xff, 0xff};
    uint8_t both[16];
    memcpy(both, ok_opts, 12);
    memcpy(both + 12, ok2, 4);
    tcp_pkt_t q = {PPORT, PORT, PISN, 0, 0x02, 65535, both, 16, NULL, 0};
    fake_tcp(f, &q);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x12);
    ck_assert_uint_eq(o.mss, 1460);
    ck_assert_int_eq(o.ws, -1); /* no WS offered, none answered */
    peer(f, PISN + 1, o.seq, 0x04, NULL, 0); /* go away */
    DONE(f);
}
END_TEST

START_TEST(closed_port_answers_rst)
{
    fake_t *f = fake_new(NULL);
    tcp_pkt_t p = {PPORT, 81, PISN, 0, 0x02, 65535, NULL, 0, "abc", 3};
    fake_tcp(f, &p); /* SYN with data: RST+ACK acking SYN and data */
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x14);
    ck_assert_uint_eq(o.seq, 0);
    ck_assert_uint_eq(o.ack, PISN + 4);
    p.flags = 0x10;
    p.ack = 777;
    fake_tcp(f, &p); /* ACK: RST with seq = the ACK */
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x04);
    ck_assert_uint_eq(o.seq, 777);
    p.flags = 0x04;
    fake_tcp(f, &p); /* RST: never answered */
    ck_assert_uint_eq(f->qn, 0);
    ck_assert_uint_eq(CNT(f, tcp_no_conn_rst), 2);
    ck_assert_uint_eq(CNT(f, tcp_no_conn_drop), 1);
    ck_assert_int_eq(net_tcp_listen(f->net, 0, 1), -NET_EINVAL);
    ck_assert_int_eq(net_tcp_listen(f->net, 5, 1), 0);
    ck_assert_int_eq(net_tcp_listen(f->net, 5, 1), -NET_EADDRINUSE);
    DONE(f);
}
END_TEST

START_TEST(bad_handles_are_refused)
{
    fake_t *f = listening(4);
    uint8_t b[4];
    ck_assert_int_eq(net_tcp_recv(f->net, 0, b, 4), -NET_ENOTCONN);
    ck_assert_int_eq(net_tcp_send(f->net, 12345, b, 4), -NET_ENOTCONN);
    ck_assert_int_eq(net_tcp_close(f->net, 0xffffffffu), -NET_ENOTCONN);
    uint32_t iss, h = established(f, &iss);
    ck_assert_int_eq(net_tcp_close(f->net, h), 0);
    ck_assert_int_eq(net_tcp_close(f->net, h), -NET_ENOTCONN); /* stale */
    ck_assert_int_eq(net_tcp_send(f->net, h, b, 4), -NET_ENOTCONN);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x11); /* FIN */
    peer(f, PISN + 1, iss + 2, 0x11, NULL, 0);
    DONE(f);
}
END_TEST

/* ---- handshakes and data ---- */

START_TEST(passive_open_data_both_ways_and_passive_close)
{
    fake_t *f = listening(4);
    uint32_t iss, h = fake_passive_open(f, PORT, PPORT, PISN, 7, &iss);
    ck_assert_uint_eq(CNT(f, tcp_accept), 1);
    uint32_t ip; uint16_t port, lport;
    ck_assert_int_eq(net_tcp_peer(f->net, h, &ip, &port, &lport), 0);
    ck_assert_uint_eq(ip, FAKE_PEER_IP);
    ck_assert_uint_eq(port, PPORT);
    ck_assert_uint_eq(lport, PORT);
    /* Peer -> us. */
    peer(f, PISN + 1, iss + 1, 0x18, "hello", 5);
    ck_assert_uint_eq(fake_events(f, h) & NET_EV_READABLE, NET_EV_READABLE);
    char b[64];
    ck_assert_int_eq(net_tcp_recv(f->net, h, b, sizeof b), 5);
    ck_assert_mem_eq(b, "hello", 5);
    ck_assert_int_eq(net_tcp_recv(f->net, h, b, sizeof b), 0);
    /* Us -> peer, which piggybacks the owed ACK. */
    ck_assert_int_eq(net_tcp_send(f->net, h, "world!", 6), 6);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x18);
    ck_assert_uint_eq(o.seq, iss + 1);
    ck_assert_uint_eq(o.ack, PISN + 6);
    ck_assert_uint_eq(o.dlen, 6);
    ck_assert_mem_eq(o.data, "world!", 6);
    ck_assert_uint_eq(f->qn, 0);
    peer(f, PISN + 6, iss + 7, 0x10, NULL, 0);
    ck_assert_uint_eq(fake_events(f, h) & NET_EV_WRITABLE, NET_EV_WRITABLE);
    /* Peer closes: CLOSE_WAIT, then our close: LAST_ACK, then freed. */
    peer(f, PISN + 6, iss + 7, 0x11, NULL, 0);
    ck_assert_uint_eq(fake_events(f, h) & NET_EV_PEER_FIN, NET_EV_PEER_FIN);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, PISN + 7);
    ck_assert_int_eq(net_tcp_recv(f->net, h, b, sizeof b), 0);
    ck_assert_int_eq(net_tcp_close(f->net, h), 0);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x11);
    ck_assert_uint_eq(o.seq, iss + 7);
    ck_assert_uint_eq(net_conns_used(f->net), 1);
    peer(f, PISN + 7, iss + 8, 0x10, NULL, 0);
    ck_assert_uint_eq(net_conns_used(f->net), 0);
    ck_assert_uint_eq(f->qn, 0);
    DONE(f);
}
END_TEST

static void big_rcv_buf(net_config_t *c) { c->rcv_buf = 262144; }

START_TEST(window_scale_negotiation)
{
    fake_t *f = with_cfg(big_rcv_buf);
    uint8_t opt[8] = {2, 4, 0x05, 0xb4, 1, 3, 3, 7};
    tcp_pkt_t syn = {PPORT, PORT, PISN, 0, 0x02, 65535, opt, 8, NULL, 0};
    fake_tcp(f, &syn);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_int_eq(o.ws, 3);         /* 262144 >> 3 fits in 16 bits */
    ck_assert_uint_eq(o.wnd, 65535);   /* never scaled in a SYN */
    uint32_t iss = o.seq;
    tcp_pkt_t ack = {PPORT, PORT, PISN + 1, iss + 1, 0x10, 100, NULL, 0, NULL, 0}; /* 100 << 7 = 12800 */
    fake_tcp(f, &ack);
    uint32_t h = f->last_accept;
    static uint8_t data[20000];
    ck_assert_int_eq(net_tcp_send(f->net, h, data, sizeof data), 16384);
    uint32_t n = 0, bytes = 0;
    while (fake_pop_tcp(f, &o)) {
        n++;
        bytes += o.dlen;
        ck_assert_uint_eq(o.wnd, 262144 >> 3);
    }
    ck_assert_uint_eq(n, 8);          /* 8 full segments; no runt in flight */
    ck_assert_uint_eq(bytes, 8 * 1460);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags & 0x04, 0x04);
    DONE(f);
}
END_TEST

START_TEST(timestamps_negotiated_echoed_and_timing_retransmissions)
{
    fake_t *f = listening(4);
    uint8_t opt[16] = {2, 4, 0x05, 0xb4, 1, 1, 8, 10, 0, 0, 0x30, 0x39, 0, 0, 0, 0}; /* MSS, TSval 12345 */
    tcp_pkt_t syn = {PPORT, PORT, PISN, 0, 0x02, 65535, opt, 16, NULL, 0};
    fake_tcp(f, &syn);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_int_eq(o.has_ts, 1);
    ck_assert_uint_eq(o.tsecr, 12345);
    ck_assert_uint_eq(o.mss, 1460);
    uint32_t iss = o.seq, ts0 = o.tsval;
    uint8_t opt2[12] = {1, 1, 8, 10, 0, 0, 0x30, 0x3a, 0, 0, 0, 0};
    memcpy(opt2 + 8, (uint8_t[]){(uint8_t)(ts0 >> 24), (uint8_t)(ts0 >> 16), (uint8_t)(ts0 >> 8), (uint8_t)ts0}, 4);
    tcp_pkt_t ack = {PPORT, PORT, PISN + 1, iss + 1, 0x10, 65535, opt2, 12, NULL, 0};
    fake_tcp(f, &ack);
    uint32_t h = f->last_accept;
    /* Data segments carry 12 bytes of options: 1448 bytes of data at most. */
    static uint8_t d[3000];
    ck_assert_int_eq(net_tcp_send(f->net, h, d, 3000), 3000);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.dlen, 1448);
    ck_assert_int_eq(o.has_ts, 1);
    ck_assert_uint_eq(o.tsecr, 12346);
    fake_clear(f);
    /* Lost; retransmitted after 1 s; the ACK echoing the retransmission's
     * timestamp gives an RTT sample (Karn's rule alone would give none):
     * 300 ms measured, so the next RTO is below the backed-off 2 s. */
    fake_advance(f, 1001 * MS);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.seq, iss + 1);
    fake_clear(f);
    f->now += 300 * MS;
    uint32_t ts = o.tsval;
    memcpy(opt2 + 8, (uint8_t[]){(uint8_t)(ts >> 24), (uint8_t)(ts >> 16), (uint8_t)(ts >> 8), (uint8_t)ts}, 4);
    tcp_pkt_t ack2 = {PPORT, PORT, PISN + 1, iss + 1 + 1448, 0x10, 65535, opt2, 12, NULL, 0};
    fake_tcp(f, &ack2);
    fake_clear(f);
    fake_advance(f, 950 * MS);
    ck_assert_uint_eq(fake_count_tcp(f), 1); /* RTO ~ 300 ms + 4 * 150 ms */
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(active_open_and_active_close_through_time_wait)
{
    fake_t *f = fake_new(NULL);
    ck_assert_int_eq(net_tcp_connect(f->net, 0, 80), -NET_EINVAL);
    ck_assert_int_eq(net_tcp_connect(f->net, FAKE_PEER_IP, 0), -NET_EINVAL);
    int64_t h = net_tcp_connect(f->net, FAKE_PEER_IP, PORT);
    ck_assert_int_gt(h, 0);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x02);
    ck_assert_uint_eq(o.mss, 1460);
    ck_assert_int_eq(o.ws, 0); /* offered; 16 KiB needs no scaling */
    ck_assert_uint_eq(o.dport, PORT);
    uint16_t lport = o.sport;
    uint32_t iss = o.seq;
    /* SYN-ACK with a bad ACK: RST, connection stays. */
    tcp_pkt_t sa = {PORT, lport, 5000, iss + 5, 0x12, 30000, NULL, 0, NULL, 0};
    fake_tcp(f, &sa);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x04);
    ck_assert_uint_eq(o.seq, iss + 5);
    sa.ack = iss + 1;
    fake_tcp(f, &sa);
    ck_assert_uint_eq(fake_events(f, (uint32_t)h) & NET_EV_CONNECTED, NET_EV_CONNECTED);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x10);
    ck_assert_uint_eq(o.ack, 5001);
    ck_assert_uint_eq(CNT(f, tcp_connect), 1);
    ck_assert_int_eq(net_tcp_send(f->net, (uint32_t)h, "GET", 3), 3);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.dlen, 3);
    /* Close: FIN_WAIT_1 with data unacked, FIN follows the data. */
    ck_assert_int_eq(net_tcp_close(f->net, (uint32_t)h), 0);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x11);
    ck_assert_uint_eq(o.seq, iss + 4);
    tcp_pkt_t a = {PORT, lport, 5001, iss + 5, 0x10, 30000, NULL, 0, NULL, 0};
    fake_tcp(f, &a); /* FIN_WAIT_2 */
    a.flags = 0x18; a.data = "reply"; a.dlen = 5;
    fake_tcp(f, &a); /* data after our close is ACKed and discarded */
    fake_advance(f, 50 * MS);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, 5006);
    a.seq = 5006; a.flags = 0x11; a.dlen = 0;
    fake_tcp(f, &a); /* TIME_WAIT */
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, 5007);
    /* A retransmitted FIN in TIME_WAIT is ACKed again. */
    fake_tcp(f, &a);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, 5007);
    fake_advance(f, 59000 * MS);
    ck_assert_uint_eq(net_conns_used(f->net), 1);
    fake_advance(f, 2000 * MS);
    ck_assert_uint_eq(net_conns_used(f->net), 0);
    ck_assert_uint_eq(CNT(f, tcp_tw_expire), 1);
    DONE(f);
}
END_TEST

START_TEST(ack_at_right_window_edge_is_processed)
{
    fake_t *f = listening(4);
    uint32_t iss, h = established(f, &iss);
    ck_assert_int_eq(net_tcp_send(f->net, h, "x", 1), 1);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.wnd, 16384);
    peer(f, PISN + 1 + 16384 + 1, iss + 2, 0x10, NULL, 0); /* beyond: ACKed, dropped */
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(fake_events(f, h), 0);
    peer(f, PISN + 1 + 16384, iss + 2, 0x10, NULL, 0);     /* at the edge: taken */
    ck_assert_uint_eq(fake_events(f, h), NET_EV_WRITABLE | NET_EV_SENT);
    ck_assert_uint_eq(f->sent_bytes, 1);
    ck_assert_uint_eq(f->qn, 0);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(delayed_ack)
{
    fake_t *f = listening(4);
    uint32_t iss, h = established(f, &iss);
    peer(f, PISN + 1, iss + 1, 0x10, "a", 1);
    ck_assert_uint_eq(f->qn, 0);             /* delayed */
    fake_advance(f, 39 * MS);
    ck_assert_uint_eq(f->qn, 0);
    fake_advance(f, 2 * MS);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, PISN + 2);
    ck_assert_uint_eq(CNT(f, tcp_delack), 1);
    peer(f, PISN + 2, iss + 1, 0x10, "b", 1);
    ck_assert_uint_eq(f->qn, 0);
    peer(f, PISN + 3, iss + 1, 0x10, "c", 1); /* every second segment at once */
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, PISN + 4);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(receive_window_fills_and_reopens)
{
    fake_t *f = listening(4);
    uint32_t iss, h = established(f, &iss);
    static uint8_t d[20000], b[20000];
    pattern(d, sizeof d, 0);
    uint32_t seq = PISN + 1, sent = 0;
    while (sent < 16384) {
        uint32_t n = sent + 1460 > 16384 ? 16384 - sent : 1460;
        peer(f, seq, iss + 1, 0x10, d + sent, n);
        seq += n;
        sent += n;
    }
    static tcp_out_t last;
    memset(&last, 0, sizeof last);
    while (fake_pop_tcp(f, &o)) last = o;
    fake_advance(f, 50 * MS);
    while (fake_pop_tcp(f, &o)) last = o;
    ck_assert_uint_eq(last.ack, seq);
    ck_assert_uint_eq(last.wnd, 0);
    /* Beyond the window: not acceptable, ACKed with the zero window. */
    peer(f, seq, iss + 1, 0x10, d + sent, 100);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, seq);
    ck_assert_uint_eq(o.wnd, 0);
    ck_assert_uint_eq(CNT(f, tcp_seq_bad), 1);
    /* A pure ACK whose sequence number is the window's right edge (what
     * Linux sends once its data reaches beyond our window) is processed. */
    ck_assert_int_eq(net_tcp_send(f->net, h, "x", 1), 1);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    peer(f, seq, iss + 2, 0x10, NULL, 0);
    ck_assert_uint_eq(fake_events(f, h) & NET_EV_WRITABLE, NET_EV_WRITABLE);
    ck_assert_uint_eq(f->qn, 0);
    /* A zero-window probe is answered the same way. */
    peer(f, seq, iss + 1, 0x10, d + sent, 1);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.wnd, 0);
    /* Reading a little does not reopen it (silly window avoidance)... */
    ck_assert_int_eq(net_tcp_recv(f->net, h, b, 100), 100);
    ck_assert_uint_eq(f->qn, 0);
    /* ... reading half does, with a window update. */
    ck_assert_int_eq(net_tcp_recv(f->net, h, b + 100, 8092), 8092);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.wnd, 8192);
    ck_assert_uint_eq(CNT(f, tcp_win_update), 1);
    ck_assert_int_eq(net_tcp_recv(f->net, h, b + 8192, sizeof b), 16384 - 8192);
    ck_assert_mem_eq(b, d, 16384);
    /* A segment overlapping the window's right edge is trimmed. */
    fake_clear(f);
    peer(f, seq, iss + 1, 0x10, d + sent, 1460);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(trims_segment_at_right_edge)
{
    fake_t *f = listening(4);
    uint32_t iss, h = established(f, &iss);
    static uint8_t d[20000], b[20000];
    pattern(d, sizeof d, 0);
    uint32_t seq = PISN + 1;
    for (int i = 0; i < 11; i++, seq += 1460) peer(f, seq, iss + 1, 0x10, d + (seq - PISN - 1), 1460);
    /* 16060 received; 324 left in the window; 1460 sent. */
    peer(f, seq, iss + 1, 0x10, d + (seq - PISN - 1), 1460);
    ck_assert_uint_eq(CNT(f, tcp_rcv_trim), 1);
    ck_assert_int_eq(net_tcp_recv(f->net, h, b, sizeof b), 16384);
    ck_assert_mem_eq(b, d, 16384);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(sender_respects_peer_window_and_probes_zero_window)
{
    fake_t *f = listening(4);
    uint8_t opt[4] = {2, 4, 0x05, 0xb4};
    tcp_pkt_t syn = {PPORT, PORT, PISN, 0, 0x02, 1000, opt, 4, NULL, 0};
    fake_tcp(f, &syn);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    uint32_t iss = o.seq;
    peer_wnd(f, PISN + 1, iss + 1, 1000);
    uint32_t h = f->last_accept;
    static uint8_t d[5000];
    pattern(d, sizeof d, 0);
    ck_assert_int_eq(net_tcp_send(f->net, h, d, 5000), 5000);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.dlen, 1000);
    ck_assert_uint_eq(f->qn, 0);
    /* ACK with a zero window: nothing goes, the persist timer probes. */
    peer_wnd(f, PISN + 1, iss + 1001, 0);
    ck_assert_uint_eq(f->qn, 0);
    fake_advance(f, 1001 * MS);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.dlen, 1);
    ck_assert_uint_eq(o.seq, iss + 1001);
    ck_assert_uint_eq(CNT(f, tcp_probe), 1);
    /* Still zero: probes back off, the connection is not dropped. */
    peer_wnd(f, PISN + 1, iss + 1001, 0);
    for (int i = 0; i < 20; i++) {
        fake_advance(f, 60000 * MS);
        peer_wnd(f, PISN + 1, iss + 1001, 0);
    }
    ck_assert_uint_eq(CNT(f, tcp_timeout_drop), 0);
    fake_clear(f);
    /* 20 minutes passed: the peer's ARP entry expired; it answers again. */
    fake_input(f, fr, build_arp(fr, 2, fake_peer_mac, FAKE_PEER_IP, FAKE_IP));
    fake_clear(f);
    /* The window opens: the rest flows. */
    peer_wnd(f, PISN + 1, iss + 1001, 8000);
    uint32_t bytes = 0;
    while (fake_pop_tcp(f, &o)) {
        ck_assert_mem_eq(o.data, d + (o.seq - iss - 1), o.dlen);
        bytes += o.dlen;
    }
    ck_assert_uint_eq(bytes, 4000);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(loss_rto_backoff_and_give_up)
{
    fake_t *f = listening(4);
    uint32_t iss, h = established(f, &iss);
    static uint8_t d[3000];
    pattern(d, sizeof d, 0);
    ck_assert_int_eq(net_tcp_send(f->net, h, d, 3000), 3000);
    ck_assert_uint_eq(fake_count_tcp(f), 3);
    fake_clear(f);
    /* No ACK: after the RTO (1 s initial) go back to snd_una, one segment. */
    fake_advance(f, 999 * MS);
    ck_assert_uint_eq(f->qn, 0);
    fake_advance(f, 2 * MS);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.seq, iss + 1);
    ck_assert_uint_eq(o.dlen, 1460);
    ck_assert_uint_eq(f->qn, 0);
    ck_assert_uint_eq(CNT(f, tcp_rto), 1);
    ck_assert_uint_eq(CNT(f, tcp_rexmit_seg), 1);
    /* Backoff: the next one after 2 s. */
    fake_advance(f, 1900 * MS);
    ck_assert_uint_eq(f->qn, 0);
    fake_advance(f, 200 * MS);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    /* The ACK of it: the rest is sent (slow start after loss). */
    peer(f, PISN + 1, iss + 1461, 0x10, NULL, 0);
    ck_assert_uint_eq(fake_count_tcp(f), 2);
    fake_clear(f);
    peer(f, PISN + 1, iss + 3001, 0x10, NULL, 0);
    /* Now total loss: the connection gives up after max_retries. */
    ck_assert_int_eq(net_tcp_send(f->net, h, d, 100), 100);
    fake_clear(f);
    for (int i = 0; i < 13; i++) fake_advance(f, 61000 * MS);
    ck_assert_uint_eq(CNT(f, tcp_timeout_drop), 1);
    ck_assert_uint_eq(fake_events(f, h) & NET_EV_RESET, NET_EV_RESET);
    ck_assert_int_eq(net_tcp_send(f->net, h, d, 1), 0); /* CLOSED: no send */
    ck_assert_int_eq(net_tcp_close(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(rtt_estimate_sets_rto)
{
    fake_t *f = listening(4);
    uint32_t iss, h = established(f, &iss);
    for (uint32_t i = 0; i < 10; i++) {
        ck_assert_int_eq(net_tcp_send(f->net, h, "x", 1), 1);
        fake_clear(f);
        f->now += 10 * MS;
        peer(f, PISN + 1, iss + 2 + i, 0x10, NULL, 0);
    }
    /* RTT 10 ms: the RTO falls to its minimum, 200 ms. */
    ck_assert_int_eq(net_tcp_send(f->net, h, "y", 1), 1);
    fake_clear(f);
    fake_advance(f, 199 * MS);
    ck_assert_uint_eq(f->qn, 0);
    fake_advance(f, 2 * MS);
    ck_assert_uint_eq(fake_count_tcp(f), 1);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(fast_retransmit_and_recovery)
{
    fake_t *f = listening(4);
    uint32_t iss, h = established(f, &iss);
    static uint8_t d[8 * 1460];
    pattern(d, sizeof d, 0);
    ck_assert_int_eq(net_tcp_send(f->net, h, d, sizeof d), sizeof d);
    ck_assert_uint_eq(fake_count_tcp(f), 8);
    fake_clear(f);
    /* Segment 2 lost: the peer ACKs 1, then duplicates for 3..8. */
    peer(f, PISN + 1, iss + 1 + 1460, 0x10, NULL, 0);
    fake_clear(f); /* (nothing new to send: all 8 segments are out) */
    peer(f, PISN + 1, iss + 1 + 1460, 0x10, NULL, 0);
    peer(f, PISN + 1, iss + 1 + 1460, 0x10, NULL, 0);
    ck_assert_uint_eq(f->qn, 0);
    peer(f, PISN + 1, iss + 1 + 1460, 0x10, NULL, 0);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.seq, iss + 1 + 1460);
    ck_assert_uint_eq(o.dlen, 1460);
    ck_assert_mem_eq(o.data, d + 1460, 1460);
    ck_assert_uint_eq(CNT(f, tcp_fast_rexmit), 1);
    ck_assert_uint_eq(CNT(f, tcp_dupack), 3);
    /* Partial ACK (segment 4 also lost): it goes at once. */
    peer(f, PISN + 1, iss + 1 + 3 * 1460, 0x10, NULL, 0);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.seq, iss + 1 + 3 * 1460);
    peer(f, PISN + 1, iss + 1 + 8 * 1460, 0x10, NULL, 0);
    ck_assert_uint_eq(CNT(f, tcp_rto), 0);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

START_TEST(out_of_order_is_reassembled)
{
    fake_t *f = listening(4);
    uint32_t iss, h = established(f, &iss);
    static uint8_t d[6000], b[6000];
    pattern(d, sizeof d, 0);
    uint32_t s0 = PISN + 1;
    /* Arrival order 3, 1(overlapping 3), 4, 0, 2 of 1000-byte pieces. */
    peer(f, s0 + 3000, iss + 1, 0x10, d + 3000, 1000);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, s0); /* duplicate ACK at once */
    peer(f, s0 + 1000, iss + 1, 0x10, d + 1000, 1000);
    peer(f, s0 + 3500, iss + 1, 0x10, d + 3500, 1500);
    ck_assert_uint_eq(CNT(f, tcp_ooo_queued), 3);
    ck_assert_int_eq(net_tcp_recv(f->net, h, b, sizeof b), 0);
    peer(f, s0, iss + 1, 0x10, d, 1000);
    ck_assert_int_eq(net_tcp_recv(f->net, h, b, sizeof b), 2000);
    fake_clear(f);
    peer(f, s0 + 2000, iss + 1, 0x10, d + 2000, 1000);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, s0 + 5000); /* the hole filled: ACK at once */
    ck_assert_int_eq(net_tcp_recv(f->net, h, b + 2000, sizeof b), 3000);
    ck_assert_mem_eq(b, d, 5000);
    ck_assert_uint_eq(CNT(f, tcp_rx_bytes), 5000);
    /* Old data is ACKed and ignored. */
    fake_clear(f);
    peer(f, s0, iss + 1, 0x10, d, 1000);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, s0 + 5000);
    ck_assert_uint_eq(CNT(f, tcp_old_data), 1);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

static void one_ooo_range(net_config_t *c) { c->ooo_ranges = 1; }

START_TEST(out_of_order_limit_drops_but_never_corrupts)
{
    fake_t *f = with_cfg(one_ooo_range);
    uint32_t iss, h = established(f, &iss);
    static uint8_t d[5000], b[5000];
    pattern(d, sizeof d, 0);
    uint32_t s0 = PISN + 1;
    peer(f, s0 + 1000, iss + 1, 0x10, d + 1000, 1000);
    peer(f, s0 + 3000, iss + 1, 0x10, d + 3000, 1000); /* second hole: no slot */
    ck_assert_uint_eq(CNT(f, tcp_ooo_queued), 1);
    ck_assert_uint_eq(CNT(f, tcp_ooo_drop), 1);
    peer(f, s0, iss + 1, 0x10, d, 1000);
    peer(f, s0 + 2000, iss + 1, 0x10, d + 2000, 1000);
    ck_assert_int_eq(net_tcp_recv(f->net, h, b, sizeof b), 3000);
    peer(f, s0 + 3000, iss + 1, 0x10, d + 3000, 2000); /* retransmitted */
    ck_assert_int_eq(net_tcp_recv(f->net, h, b + 3000, sizeof b), 2000);
    ck_assert_mem_eq(b, d, 5000);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    DONE(f);
}
END_TEST

/* ---- RST, SYN and bad ACKs in each state ---- */

START_TEST(rst_in_syn_rcvd_and_syn_sent)
{
    fake_t *f = listening(4);
    tcp_pkt_t syn = {PPORT, PORT, PISN, 0, 0x02, 65535, NULL, 0, NULL, 0};
    fake_tcp(f, &syn);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(net_conns_used(f->net), 1);
    /* A retransmitted SYN gets the SYN-ACK again. */
    fake_tcp(f, &syn);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x12);
    peer(f, PISN + 1, 0, 0x04, NULL, 0);
    ck_assert_uint_eq(net_conns_used(f->net), 0);
    ck_assert_uint_eq(f->last_accept, 0);
    /* SYN_SENT: RST without ACK is ignored, with the right ACK resets. */
    int64_t h = net_tcp_connect(f->net, FAKE_PEER_IP, 9);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    tcp_pkt_t r = {9, o.sport, 0, 0, 0x04, 0, NULL, 0, NULL, 0};
    fake_tcp(f, &r);
    ck_assert_uint_eq(fake_events(f, (uint32_t)h), 0);
    r.flags = 0x14;
    r.ack = o.seq + 1;
    fake_tcp(f, &r);
    ck_assert_uint_eq(fake_events(f, (uint32_t)h), NET_EV_RESET);
    ck_assert_int_eq(net_tcp_close(f->net, (uint32_t)h), 0);
    ck_assert_uint_eq(f->qn, 0);
    DONE(f);
}
END_TEST

START_TEST(rst_in_established_exact_challenged_or_ignored)
{
    fake_t *f = listening(4);
    uint32_t iss, h = established(f, &iss);
    peer(f, PISN + 1 + 100000, 0, 0x04, NULL, 0); /* outside the window */
    ck_assert_uint_eq(f->qn, 0);
    peer(f, PISN + 1 + 10, 0, 0x04, NULL, 0);     /* inside, not exact */
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x10);
    ck_assert_uint_eq(o.ack, PISN + 1);
    ck_assert_uint_eq(CNT(f, tcp_challenge_ack), 1);
    ck_assert_uint_eq(fake_events(f, h), 0);
    /* SYN in ESTABLISHED: challenge ACK, connection kept. */
    tcp_pkt_t syn = {PPORT, PORT, PISN + 5, 0, 0x02, 65535, NULL, 0, NULL, 0};
    fake_tcp(f, &syn);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x10);
    ck_assert_uint_eq(CNT(f, tcp_challenge_ack), 2);
    /* ACK of data never sent: ACK back, dropped. */
    peer(f, PISN + 1, iss + 1000, 0x10, "zz", 2);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, PISN + 1);
    ck_assert_uint_eq(CNT(f, tcp_ack_bad), 1);
    /* Segment without ACK: dropped. */
    peer(f, PISN + 1, 0, 0x00, "zz", 2);
    ck_assert_uint_eq(f->qn, 0);
    peer(f, PISN + 1, 0, 0x04, NULL, 0);            /* exact: reset */
    ck_assert_uint_eq(fake_events(f, h), NET_EV_RESET);
    ck_assert_uint_eq(CNT(f, tcp_rst_rx), 1);
    ck_assert_int_eq(net_tcp_close(f->net, h), 0);
    DONE(f);
}
END_TEST

/* Brings the test connection to a closing state: 0 FIN_WAIT_1,
 * 1 FIN_WAIT_2, 2 CLOSE_WAIT, 3 LAST_ACK, 4 CLOSING, 5 TIME_WAIT. */
static uint32_t to_state(fake_t *f, int st, uint32_t *iss, uint32_t *rcv)
{
    uint32_t h = established(f, iss);
    *rcv = PISN + 1;
    if (st == 0 || st == 1 || st == 4 || st == 5) {
        net_tcp_close(f->net, h);
        if (st == 1 || st == 5) peer(f, *rcv, *iss + 2, 0x10, NULL, 0);
        if (st == 4) { peer(f, *rcv, *iss + 1, 0x11, NULL, 0); ++*rcv; }
        if (st == 5) { peer(f, *rcv, *iss + 2, 0x11, NULL, 0); ++*rcv; }
    } else {
        peer(f, *rcv, *iss + 1, 0x11, NULL, 0);
        ++*rcv;
        if (st == 3) net_tcp_close(f->net, h);
    }
    fake_clear(f);
    f->nev = 0;
    return h;
}

START_TEST(rst_in_each_closing_state)
{
    for (int st = 0; st < 6; st++) {
        fake_t *f = listening(4);
        uint32_t iss, rcv, h = to_state(f, st, &iss, &rcv);
        ck_assert_uint_eq(net_conns_used(f->net), 1);
        peer(f, rcv, 0, 0x04, NULL, 0);
        if (st == 5) { /* TIME_WAIT ignores it (RFC 1337) and expires */
            ck_assert_uint_eq(CNT(f, tcp_tw_rst), 1);
            fake_advance(f, 61000 * MS);
        }
        if (st == 2) { /* CLOSE_WAIT: the application still holds it */
            ck_assert_uint_eq(fake_events(f, h), NET_EV_RESET);
            net_tcp_close(f->net, h);
        }
        ck_assert_msg(net_conns_used(f->net) == 0, "state %d kept its connection", st);
        ck_assert_uint_eq(f->qn, 0);
        DONE(f);
    }
}
END_TEST

START_TEST(fin_in_each_state)
{
    /* FIN_WAIT_1 + FIN (simultaneous close): CLOSING, then TIME_WAIT. */
    fake_t *f = listening(4);
    uint32_t iss, rcv;
    to_state(f, 4, &iss, &rcv);
    ck_assert_uint_eq(CNT(f, tcp_fin_rx), 1);
    peer(f, rcv, iss + 2, 0x10, NULL, 0);
    ck_assert_uint_eq(net_conns_used(f->net), 1);
    fake_advance(f, 61000 * MS);
    ck_assert_uint_eq(CNT(f, tcp_tw_expire), 1);
    DONE(f);
    /* FIN_WAIT_1 + FIN+ACK of our FIN: straight to TIME_WAIT. */
    f = listening(4);
    uint32_t h = established(f, &iss);
    net_tcp_close(f->net, h);
    fake_clear(f);
    peer(f, PISN + 1, iss + 2, 0x11, NULL, 0);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, PISN + 2);
    fake_advance(f, 61000 * MS);
    ck_assert_uint_eq(CNT(f, tcp_tw_expire), 1);
    DONE(f);
    /* FIN with data in ESTABLISHED: data readable, then the FIN event. */
    f = listening(4);
    h = established(f, &iss);
    peer(f, PISN + 1, iss + 1, 0x19, "bye", 3);
    ck_assert_uint_eq(fake_events(f, h), NET_EV_READABLE | NET_EV_PEER_FIN);
    char b[8];
    ck_assert_int_eq(net_tcp_recv(f->net, h, b, 8), 3);
    ck_assert_int_eq(net_tcp_recv(f->net, h, b, 8), 0);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, PISN + 5);
    net_tcp_close(f->net, h);
    peer(f, PISN + 5, iss + 2, 0x10, NULL, 0);
    DONE(f);
    /* A FIN out of order is not taken before the data before it. */
    f = listening(4);
    h = established(f, &iss);
    peer(f, PISN + 3, iss + 1, 0x11, "cd", 2);
    ck_assert_uint_eq(CNT(f, tcp_fin_rx), 0);
    peer(f, PISN + 1, iss + 1, 0x10, "ab", 2);
    peer(f, PISN + 3, iss + 1, 0x11, "cd", 2);
    ck_assert_uint_eq(CNT(f, tcp_fin_rx), 1);
    ck_assert_int_eq(net_tcp_recv(f->net, h, b, 8), 4);
    ck_assert_mem_eq(b, "abcd", 4);
    net_tcp_close(f->net, h);
    peer(f, PISN + 6, iss + 2, 0x10, NULL, 0);
    DONE(f);
}
END_TEST

START_TEST(time_wait_reopened_by_new_syn)
{
    fake_t *f = listening(4);
    uint32_t iss, rcv;
    to_state(f, 5, &iss, &rcv);
    /* An old duplicate SYN is ACKed (TIME_WAIT holds)... */
    tcp_pkt_t syn = {PPORT, PORT, PISN, 0, 0x02, 65535, NULL, 0, NULL, 0};
    fake_tcp(f, &syn);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x10);
    /* ... a new one with a higher sequence number reopens. */
    syn.seq = PISN + 100000;
    fake_tcp(f, &syn);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x12);
    ck_assert_uint_eq(o.ack, PISN + 100001);
    ck_assert_uint_eq(CNT(f, tcp_tw_recycle), 1);
    ck_assert_uint_eq(net_conns_used(f->net), 1);
    DONE(f); /* the SYN_RCVD connection times out on its own */
}
END_TEST

START_TEST(syn_flood_answered_by_cookies)
{
    fake_t *f = listening(2);
    for (uint16_t i = 0; i < 10; i++) {
        tcp_pkt_t syn = {(uint16_t)(50000 + i), PORT, 7000u * i, 0, 0x02, 65535, NULL, 0, NULL, 0};
        fake_tcp(f, &syn);
    }
    ck_assert_uint_eq(net_conns_used(f->net), 2);
    ck_assert_uint_eq(CNT(f, tcp_backlog_full), 8);
    ck_assert_uint_eq(CNT(f, tcp_cookie_tx), 8);
    ck_assert_uint_eq(fake_count_tcp(f), 10);
    /* The last SYN-ACK is a cookie: its ACK establishes the connection, and
     * the data with it is delivered. */
    static tcp_out_t last;
    while (fake_pop_tcp(f, &o)) last = o;
    ck_assert_uint_eq(last.dport, 50009);
    ck_assert_uint_eq(last.mss, 1460);
    ck_assert_int_eq(last.ws, -1);
    tcp_pkt_t ack = {50009, PORT, 7000u * 9 + 1, last.seq + 1, 0x18, 65535, NULL, 0, "hi", 2};
    fake_tcp(f, &ack);
    ck_assert_uint_eq(CNT(f, tcp_cookie_ok), 1);
    uint32_t h = f->last_accept;
    ck_assert_uint_ne(h, 0);
    char b[4];
    ck_assert_int_eq(net_tcp_recv(f->net, h, b, 4), 2);
    /* A forged cookie is refused with RST. */
    fake_clear(f);
    tcp_pkt_t forged = {50008, PORT, 7000u * 8 + 1, 0x12345678, 0x10, 65535, NULL, 0, NULL, 0};
    fake_tcp(f, &forged);
    ck_assert_uint_eq(CNT(f, tcp_cookie_bad), 1);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.flags, 0x04);
    ck_assert_uint_eq(net_conns_used(f->net), 3);
    ck_assert_int_eq(net_tcp_abort(f->net, h), 0);
    /* The half-open ones retransmit their SYN-ACK, then give up. */
    fake_clear(f);
    fake_advance(f, 1001 * MS);
    ck_assert_uint_eq(fake_count_tcp(f), 2);
    DONE(f);
}
END_TEST

static void two_conns(net_config_t *c) { c->max_conns = 2; }

START_TEST(connection_table_full)
{
    fake_t *f = with_cfg(two_conns);
    uint32_t iss, h1 = fake_passive_open(f, PORT, 1001, PISN, -1, &iss);
    uint32_t h2 = fake_passive_open(f, PORT, 1002, PISN, -1, &iss);
    tcp_pkt_t syn = {1003, PORT, PISN, 0, 0x02, 65535, NULL, 0, NULL, 0};
    fake_tcp(f, &syn);
    ck_assert_uint_eq(CNT(f, tcp_conn_full), 1);
    ck_assert_uint_eq(CNT(f, tcp_cookie_tx), 1);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    /* The cookie's ACK finds no free connection either: dropped, counted. */
    tcp_pkt_t ack = {1003, PORT, PISN + 1, o.seq + 1, 0x10, 65535, NULL, 0, NULL, 0};
    fake_tcp(f, &ack);
    ck_assert_uint_eq(CNT(f, tcp_conn_full), 2);
    ck_assert_int_eq(net_tcp_connect(f->net, FAKE_PEER_IP, 99), -NET_ENOMEM);
    net_tcp_abort(f->net, h1);
    net_tcp_abort(f->net, h2);
    DONE(f);
}
END_TEST

static void four_conns(net_config_t *c) { c->max_conns = 4; }

/* A connection the application closed holds nothing of it once our FIN is
 * acknowledged: tcp_done comes then (FIN_WAIT_2, TIME_WAIT), not when the
 * connection is freed. The layer above (a socket table as large as ours)
 * has its room back before a full table of TIME_WAIT is recycled for a new
 * connection, which it must accept (the live ab run without keep-alive
 * was reset when it had not). */
START_TEST(closed_connection_done_once_fin_acked)
{
    fake_t *f = with_cfg(four_conns);
    uint32_t iss, iss0 = 0, h[4];
    for (uint16_t i = 0; i < 4; i++) {
        h[i] = fake_passive_open(f, PORT, (uint16_t)(2000 + i), PISN, -1, &iss);
        if (!i) iss0 = iss;
        ck_assert_int_eq(net_tcp_close(f->net, h[i]), 0);
        ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
        ck_assert_uint_eq(o.flags, 0x11);
        tcp_pkt_t a = {(uint16_t)(2000 + i), PORT, PISN + 1, iss + 2, (uint8_t)(i ? 0x11 : 0x10), 65535, NULL, 0,
                       NULL, 0};
        fake_tcp(f, &a); /* FIN acknowledged: FIN_WAIT_2 (the first), TIME_WAIT (the others) */
        ck_assert_uint_eq(f->done_n, i + 1u);
        ck_assert_uint_eq(f->done_last, h[i]);
        fake_clear(f);
    }
    ck_assert_uint_eq(net_conns_used(f->net), 4);
    /* The peer's FIN in FIN_WAIT_2: TIME_WAIT, no second tcp_done. */
    tcp_pkt_t fin = {2000, PORT, PISN + 1, iss0 + 2, 0x11, 65535, NULL, 0, NULL, 0};
    fake_tcp(f, &fin);
    ck_assert_uint_eq(f->done_n, 4);
    ck_assert_int_eq(fake_pop_tcp(f, &o), 1);
    ck_assert_uint_eq(o.ack, PISN + 2);
    /* Full of TIME_WAIT: a new connection recycles one, and is accepted. */
    uint32_t n = fake_passive_open(f, PORT, 3000, PISN, -1, &iss);
    ck_assert_uint_ne(n, 0);
    ck_assert_uint_eq(CNT(f, tcp_tw_recycle), 1);
    ck_assert_uint_eq(f->done_n, 4);
    ck_assert_int_eq(net_tcp_abort(f->net, n), 0);
    fake_advance(f, 61000 * MS); /* the TIME_WAITs expire: still no second tcp_done */
    ck_assert_uint_eq(f->done_n, 4);
    DONE(f);
}
END_TEST

Suite *net_tcp_suite(void)
{
    Suite *s = suite_create("net_tcp");
    TCase *tc = tcase_create("crafted");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, bad_segments_are_counted_and_ignored);
    tcase_add_test(tc, closed_port_answers_rst);
    tcase_add_test(tc, bad_handles_are_refused);
    tcase_add_test(tc, passive_open_data_both_ways_and_passive_close);
    tcase_add_test(tc, window_scale_negotiation);
    tcase_add_test(tc, timestamps_negotiated_echoed_and_timing_retransmissions);
    tcase_add_test(tc, active_open_and_active_close_through_time_wait);
    tcase_add_test(tc, ack_at_right_window_edge_is_processed);
    tcase_add_test(tc, delayed_ack);
    tcase_add_test(tc, receive_window_fills_and_reopens);
    tcase_add_test(tc, trims_segment_at_right_edge);
    tcase_add_test(tc, sender_respects_peer_window_and_probes_zero_window);
    tcase_add_test(tc, loss_rto_backoff_and_give_up);
    tcase_add_test(tc, rtt_estimate_sets_rto);
    tcase_add_test(tc, fast_retransmit_and_recovery);
    tcase_add_test(tc, out_of_order_is_reassembled);
    tcase_add_test(tc, out_of_order_limit_drops_but_never_corrupts);
    tcase_add_test(tc, rst_in_syn_rcvd_and_syn_sent);
    tcase_add_test(tc, rst_in_established_exact_challenged_or_ignored);
    tcase_add_test(tc, rst_in_each_closing_state);
    tcase_add_test(tc, fin_in_each_state);
    tcase_add_test(tc, time_wait_reopened_by_new_syn);
    tcase_add_test(tc, syn_flood_answered_by_cookies);
    tcase_add_test(tc, connection_table_full);
    tcase_add_test(tc, closed_connection_done_once_fin_acked);
    suite_add_tcase(s, tc);
    return s;
}
