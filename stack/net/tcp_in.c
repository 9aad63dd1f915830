/* tcp_in.c - TCP segment input after RFC 9293 section 3.10.7: validation
 * (length, checksum, options, flags), demultiplexing to a connection or a
 * listener, SYN cookies when the backlog or the table is full, and the
 * per-state processing: sequence check, RST and SYN (RFC 5961 challenge
 * ACKs), timestamps, ACK (RTT, congestion window, fast retransmit), data
 * (in order or kept in bounded out-of-order ranges of the receive ring),
 * FIN. */
#include "net/tcp_priv.h"

typedef struct tcp_seg {
    uint32_t src;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t  flags;
    int8_t   ws;     /* window scale option, -1 if absent */
    uint16_t wnd;
    uint16_t mss;    /* MSS option, 0 if absent */
    uint8_t  has_ts; /* timestamps option present */
    uint32_t tsval, tsecr;
    const uint8_t *data;
    uint32_t dlen;
} tcp_seg_t;

/* Parses the options; returns 0, or -1 when they are malformed. */
static int tcp_options(tcp_seg_t *s, const uint8_t *o, uint32_t olen)
{
    for (uint32_t i = 0; i < olen;) {
        uint8_t kind = o[i];
        if (kind == 0) break;
        if (kind == 1) {
            i++;
            continue;
        }
        if (i + 1 >= olen) return -1;
        uint32_t l = o[i + 1];
        if (l < 2 || i + l > olen) return -1;
        if (kind == 2) {
            if (l != 4) return -1;
            s->mss = rd16(o + i + 2);
        } else if (kind == 3) {
            if (l != 3) return -1;
            s->ws = (int8_t)(o[i + 2] > 14 ? 14 : o[i + 2]);
        } else if (kind == 8) {
            if (l != 10) return -1;
            s->has_ts = 1;
            s->tsval = rd32(o + i + 2);
            s->tsecr = rd32(o + i + 6);
        }
        i += l;
    }
    return 0;
}

static uint16_t peer_mss(const net_t *net, const tcp_seg_t *s)
{
    uint32_t m = s->mss ? s->mss : 536;
    if (m < 64) m = 64;
    return (uint16_t)min_u32(m, net->mss);
}

/* ---- SYN cookies: ISN = keyed hash of the connection and an epoch of
 * 2^36 ns (now >> 36: about 68.7 s), low 3 bits the index of the peer's MSS
 * in this table. ---- */
static const uint16_t cookie_mss[8] = {64, 536, 1200, 1360, 1440, 1460, 4312, 8960};

static uint32_t cookie_hash(net_t *net, const tcp_seg_t *s, uint64_t epoch)
{
    return (uint32_t)net_hash(net, (uint64_t)s->src << 32 | (uint32_t)s->sport << 16 | s->dport,
                              epoch ^ 0x434f4f4b49450000ULL);
}

static void tcp_send_cookie(net_t *net, const tcp_seg_t *s)
{
    uint32_t m = s->mss ? s->mss : 536, idx = 0;
    for (uint32_t i = 0; i < 8; i++)
        if (cookie_mss[i] <= m) idx = i;
    uint32_t isn = (cookie_hash(net, s, net->now >> 36) & ~7u) | idx;
    net->cnt.tcp_cookie_tx++;
    tcp_send_ctl(net, s->src, s->sport, s->dport, isn, s->seq + 1, TCP_SYN | TCP_ACK, (uint16_t)net->mss);
}

/* The MSS index of a valid cookie in ack - 1 (this epoch or the one
 * before), or -1. */
static int cookie_check(net_t *net, const tcp_seg_t *s)
{
    uint32_t cookie = s->ack - 1;
    uint64_t epoch = net->now >> 36;
    if (!((cookie_hash(net, s, epoch) ^ cookie) & ~7u)) return (int)(cookie & 7);
    if (epoch && !((cookie_hash(net, s, epoch - 1) ^ cookie) & ~7u)) return (int)(cookie & 7);
    return -1;
}

static void tcp_no_conn(net_t *net, const tcp_seg_t *s)
{
    if (s->flags & TCP_RST) {
        net->cnt.tcp_no_conn_drop++;
        return;
    }
    net->cnt.tcp_no_conn_rst++;
    if (s->flags & TCP_ACK)
        tcp_send_ctl(net, s->src, s->sport, s->dport, s->ack, 0, TCP_RST, 0);
    else
        tcp_send_ctl(net, s->src, s->sport, s->dport, 0,
                     s->seq + s->dlen + ((s->flags & TCP_SYN) ? 1u : 0u) + ((s->flags & TCP_FIN) ? 1u : 0u),
                     TCP_RST | TCP_ACK, 0);
}

static void tcp_init_rcv(tcp_conn_t *c, uint32_t irs)
{
    c->irs = irs;
    c->rcv_nxt = c->rcv_rd = c->rcv_adv = irs + 1;
}

/* Timestamps are used when both SYNs carry them; they take 12 bytes of
 * every segment's room. */
static void tcp_agree_ts(tcp_conn_t *c, const tcp_seg_t *s)
{
    if (!s->has_ts) return;
    c->flags |= TF_TS;
    c->ts_recent = s->tsval;
    c->mss = (uint16_t)(c->mss > 64 + 12 ? c->mss - 12 : 64);
}

/* A SYN for a listener: a SYN_RCVD connection, or a cookie when the
 * backlog or the connection table is full. */
static void tcp_passive_open(net_t *net, const tcp_seg_t *s, int li)
{
    tcp_listener_t *l = &net->lis[li];
    tcp_conn_t *c = NULL;
    if (l->pending >= l->backlog)
        net->cnt.tcp_backlog_full++;
    else
        c = tcp_alloc(net);
    if (!c) {
        tcp_send_cookie(net, s);
        return;
    }
    c->state = TCP_SYN_RCVD;
    c->flags = TF_PASSIVE;
    c->listener = (uint16_t)(li + 1);
    l->pending++;
    c->rip = s->src;
    c->rport = s->sport;
    c->lport = s->dport;
    tcp_init_rcv(c, s->seq);
    c->mss = peer_mss(net, s);
    if (s->ws >= 0) {
        c->flags |= TF_WS;
        c->snd_ws = (uint8_t)s->ws;
        c->rcv_ws = net->rcv_ws;
    }
    tcp_agree_ts(c, s);
    c->cwnd = 10u * c->mss;
    c->snd_wnd = c->max_wnd = s->wnd;
    c->snd_wl1 = s->seq;
    c->iss = tcp_isn(net, s->src, s->sport, s->dport);
    c->snd_una = c->snd_nxt = c->snd_max = c->iss;
    c->snd_wr = c->iss + 1;
    c->snd_wl2 = c->iss;
    tcp_hash_insert(net, c);
    tcp_send_syn(net, c);
}

/* The ACK completing a cookie handshake: an ESTABLISHED connection, or
 * NULL (bad cookie answered by RST, or no free connection). */
static tcp_conn_t *tcp_cookie_open(net_t *net, const tcp_seg_t *s, int li)
{
    int idx = cookie_check(net, s);
    if (idx < 0) {
        net->cnt.tcp_cookie_bad++;
        tcp_send_ctl(net, s->src, s->sport, s->dport, s->ack, 0, TCP_RST, 0);
        return NULL;
    }
    tcp_conn_t *c = tcp_alloc(net);
    if (!c) return NULL;
    net->cnt.tcp_cookie_ok++;
    net->cnt.tcp_accept++;
    c->state = TCP_ESTABLISHED;
    c->flags = TF_PASSIVE | TF_APP;
    c->listener = (uint16_t)(li + 1);
    c->rip = s->src;
    c->rport = s->sport;
    c->lport = s->dport;
    tcp_init_rcv(c, s->seq - 1);
    c->mss = (uint16_t)min_u32(cookie_mss[idx], net->mss);
    c->cwnd = 10u * c->mss;
    c->iss = s->ack - 1;
    c->snd_una = c->snd_nxt = c->snd_max = c->snd_wr = s->ack;
    c->snd_wnd = c->max_wnd = s->wnd;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = s->ack;
    tcp_hash_insert(net, c);
    tcp_post(net, c, NET_EV_ACCEPT);
    return c;
}

/* RFC 6298 (2.2, 2.3): srtt + max(G, 4 rttvar), G = 1 ms, clamped; the
 * initial RTO before any sample. */
static void tcp_rto_base(net_t *net, tcp_conn_t *c)
{
    if (!c->srtt) {
        c->rto = net->cfg.rto_init_ns;
        return;
    }
    uint64_t rto = c->srtt + (4 * c->rttvar > 1000000 ? 4 * c->rttvar : 1000000);
    if (rto < net->cfg.rto_min_ns) rto = net->cfg.rto_min_ns;
    if (rto > net->cfg.rto_max_ns) rto = net->cfg.rto_max_ns;
    c->rto = rto;
}

/* RFC 6298 estimator update with one RTT sample r (ns). */
static void tcp_rtt_update(net_t *net, tcp_conn_t *c, uint64_t r)
{
    if (!r) r = 1;
    if (!c->srtt) {
        c->srtt = r;
        c->rttvar = r / 2;
    } else {
        uint64_t d = c->srtt > r ? c->srtt - r : r - c->srtt;
        c->rttvar = (3 * c->rttvar + d) / 4;
        c->srtt = (7 * c->srtt + r) / 8;
    }
    tcp_rto_base(net, c);
}

static void tcp_rtt_sample(net_t *net, tcp_conn_t *c) { tcp_rtt_update(net, c, net->now - c->rtt_start); }

static void tcp_syn_sent(net_t *net, tcp_conn_t *c, const tcp_seg_t *s)
{
    int ack = (s->flags & TCP_ACK) != 0;
    if (ack && (seq_le(s->ack, c->iss) || seq_lt(c->snd_max, s->ack))) {
        net->cnt.tcp_ack_bad++;
        if (!(s->flags & TCP_RST)) tcp_send_ctl(net, c->rip, c->rport, c->lport, s->ack, 0, TCP_RST, 0);
        return;
    }
    if (s->flags & TCP_RST) {
        if (ack) {
            net->cnt.tcp_rst_rx++;
            tcp_reset_conn(net, c);
        } else {
            net->cnt.tcp_no_conn_drop++;
        }
        return;
    }
    if (!(s->flags & TCP_SYN)) {
        net->cnt.tcp_no_conn_drop++;
        return;
    }
    tcp_init_rcv(c, s->seq);
    c->mss = peer_mss(net, s);
    if (s->ws >= 0) {
        c->flags |= TF_WS;
        c->snd_ws = (uint8_t)s->ws;
    } else {
        c->rcv_ws = 0;
    }
    tcp_agree_ts(c, s);
    c->cwnd = 10u * c->mss;
    c->snd_wnd = c->max_wnd = s->wnd;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = s->ack;
    if (!ack) { /* simultaneous open */
        c->state = TCP_SYN_RCVD;
        c->rto_at = 0;
        tcp_send_syn(net, c);
        return;
    }
    if (c->flags & TF_RTT) tcp_rtt_sample(net, c); /* the SYN, if never retransmitted */
    c->flags &= (uint16_t)~TF_RTT;
    c->snd_una = s->ack;
    c->state = TCP_ESTABLISHED;
    c->rto_at = 0;
    c->retries = 0;
    net->cnt.tcp_connect++;
    tcp_post(net, c, NET_EV_CONNECTED | NET_EV_WRITABLE);
    c->flags |= TF_ACK_NOW;
    tcp_output(net, c);
}

/* RFC 9293 acceptability of a segment of len sequence numbers. A segment
 * without data may sit at the window's right edge (as Linux accepts, and
 * sends when its next sequence number is beyond our window). */
static int tcp_acceptable(const net_t *net, const tcp_conn_t *c, uint32_t seq, uint32_t len)
{
    uint32_t wnd = tcp_rcv_wnd(net, c);
    if (!len) return seq_le(c->rcv_nxt, seq) && seq_le(seq, c->rcv_nxt + wnd);
    if (!wnd) return 0;
    uint32_t end = seq + len - 1;
    return (seq_le(c->rcv_nxt, seq) && seq_lt(seq, c->rcv_nxt + wnd))
        || (seq_le(c->rcv_nxt, end) && seq_lt(end, c->rcv_nxt + wnd));
}

static void ooo_remove(uint32_t *r, tcp_conn_t *c, uint32_t k)
{
    c->ooo_cnt--;
    r[2 * k] = r[2 * c->ooo_cnt];
    r[2 * k + 1] = r[2 * c->ooo_cnt + 1];
}

/* Keeps [seq, seq+len) of data, len > 0, seq >= rcv_nxt, inside the
 * window, by reference (tcp_rx.c); the ranges track what is out of order. */
static void tcp_data(net_t *net, tcp_conn_t *c, uint32_t seq, const uint8_t *d, uint32_t len)
{
    uint32_t *r = tcp_ooo(net, c);
    int keep = (c->flags & TF_APP) != 0; /* closed: the data is discarded */
    if (seq == c->rcv_nxt) {
        if (keep && tcp_rx_store(net, c, seq, d, len)) {
            c->flags |= TF_ACK_NOW;
            return;
        }
        uint32_t old = c->rcv_nxt;
        int had_ooo = c->ooo_cnt != 0;
        c->rcv_nxt += len;
        for (int again = 1; again;) {
            again = 0;
            for (uint32_t k = 0; k < c->ooo_cnt; k++)
                if (seq_le(r[2 * k], c->rcv_nxt)) {
                    if (seq_lt(c->rcv_nxt, r[2 * k + 1])) c->rcv_nxt = r[2 * k + 1];
                    ooo_remove(r, c, k);
                    again = 1;
                    break;
                }
        }
        net->cnt.tcp_rx_bytes += c->rcv_nxt - old;
        tcp_rx_fix_rd(net, c);
        tcp_post(net, c, NET_EV_READABLE);
        if (had_ooo || (c->flags & TF_DELACK)) {
            c->flags |= TF_ACK_NOW;
        } else {
            c->flags |= TF_DELACK;
            c->delack_at = net->now + net->cfg.delack_ns;
        }
        return;
    }
    /* Out of order: merge with the ranges it touches, then keep it. */
    uint32_t s = seq, e = seq + len;
    c->flags |= TF_ACK_NOW; /* duplicate ACK tells the sender of the hole */
    int touches = 0;
    for (uint32_t k = 0; k < c->ooo_cnt; k++) touches |= seq_le(r[2 * k], e) && seq_le(s, r[2 * k + 1]);
    if (!touches && c->ooo_cnt >= net->cfg.ooo_ranges) {
        net->cnt.tcp_ooo_drop++;
        return;
    }
    if (keep && tcp_rx_store(net, c, seq, d, len)) return;
    for (int again = 1; again;) {
        again = 0;
        for (uint32_t k = 0; k < c->ooo_cnt; k++)
            if (seq_le(r[2 * k], e) && seq_le(s, r[2 * k + 1])) {
                if (seq_lt(r[2 * k], s)) s = r[2 * k];
                if (seq_lt(e, r[2 * k + 1])) e = r[2 * k + 1];
                ooo_remove(r, c, k);
                again = 1;
                break;
            }
    }
    if (c->ooo_cnt >= net->cfg.ooo_ranges) {
        net->cnt.tcp_ooo_drop++;
        return;
    }
    r[2 * c->ooo_cnt] = s;
    r[2 * c->ooo_cnt + 1] = e;
    c->ooo_cnt++;
    net->cnt.tcp_ooo_queued++;
}

/* Processes the ACK field; returns 0 to go on, -1 when the segment is done
 * with (or the connection is gone). */
/* New data acknowledged (snd_una < ack <= snd_max): RTT sample, backoff
 * reset, congestion window growth or recovery (RFC 5681, RFC 6582). */
static void tcp_ack_new(net_t *net, tcp_conn_t *c, const tcp_seg_t *s)
{
    uint32_t acked = s->ack - c->snd_una;
    if ((c->flags & TF_TS) && s->has_ts && s->tsecr) {
        /* The echoed timestamp times retransmissions too (RFC 7323 4). */
        uint32_t ms = tcp_ts_now(net, c) - s->tsecr;
        if (ms < 60000) tcp_rtt_update(net, c, (uint64_t)ms * 1000000 + 500000);
        c->flags &= (uint16_t)~TF_RTT;
    } else if ((c->flags & TF_RTT) && seq_lt(c->rtt_seq, s->ack)) {
        tcp_rtt_sample(net, c);
        c->flags &= (uint16_t)~TF_RTT;
    }
    c->snd_una = s->ack;
    if (seq_lt(c->snd_nxt, c->snd_una)) c->snd_nxt = c->snd_una;
    tcp_tx_acked(net, c);
    /* New data acknowledged: the backoff ends (as in BSD), even when
     * Karn's rule gave no RTT sample. */
    if (c->retries) tcp_rto_base(net, c);
    c->retries = 0;
    if (c->flags & TF_RECOVERY) {
        if (seq_lt(s->ack, c->recover)) { /* partial ACK: next hole */
            tcp_rexmit_one(net, c);
            c->cwnd = c->cwnd > acked ? c->cwnd - acked + c->mss : c->mss;
        } else {
            c->flags &= (uint16_t)~TF_RECOVERY;
            c->cwnd = c->ssthresh;
        }
    } else if (c->cwnd < c->ssthresh) {
        c->cwnd += min_u32(acked, c->mss);
    } else {
        c->cwnd += max_u32(1u, (uint32_t)((uint64_t)c->mss * c->mss / c->cwnd));
    }
    c->dupacks = 0;
    c->rto_at = c->snd_una == c->snd_max ? 0 : net->now + c->rto;
    tcp_post(net, c, NET_EV_WRITABLE);
}

/* A duplicate ACK: three start fast retransmit; fewer when less than four
 * segments are out and nothing new can go (early retransmit, RFC 5827);
 * more inflate the window during recovery. */
static void tcp_dupack(net_t *net, tcp_conn_t *c)
{
    net->cnt.tcp_dupack++;
    uint32_t segs = (c->snd_max - c->snd_una + c->mss - 1) / c->mss, thresh = 3;
    if (segs < 4 && !seq_lt(c->snd_max, c->snd_wr)) thresh = segs > 1 ? segs - 1 : 1;
    if (++c->dupacks == thresh && !(c->flags & TF_RECOVERY)) {
        net->cnt.tcp_fast_rexmit++;
        c->ssthresh = max_u32((c->snd_max - c->snd_una) / 2, 2u * c->mss);
        c->recover = c->snd_max;
        tcp_rexmit_one(net, c);
        c->cwnd = c->ssthresh + 3u * c->mss;
        c->flags |= TF_RECOVERY;
    } else if (c->dupacks > thresh && (c->flags & TF_RECOVERY)) {
        c->cwnd += c->mss;
    }
}

/* The send window from a segment no older than the last update (RFC 9293
 * 3.10.7.4, SND.WL1/SND.WL2). */
static void tcp_update_window(net_t *net, tcp_conn_t *c, const tcp_seg_t *s, uint32_t wnd)
{
    if (!seq_le(c->snd_una, s->ack)
        || !(seq_lt(c->snd_wl1, s->seq) || (c->snd_wl1 == s->seq && seq_le(c->snd_wl2, s->ack))))
        return;
    if (wnd > c->snd_wnd) tcp_post(net, c, NET_EV_WRITABLE);
    /* The window reopens: what we sent into the zero window (probes)
     * was not kept, so send again from snd_una. */
    if (!c->snd_wnd && wnd && seq_lt(c->snd_una, c->snd_nxt)) {
        c->snd_nxt = c->snd_una;
        c->flags &= (uint16_t)~TF_RTT;
    }
    c->snd_wnd = wnd;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = s->ack;
    if (wnd > c->max_wnd) c->max_wnd = wnd;
    if (!wnd) c->retries = 0; /* the peer answers our zero-window probes */
}

/* Step 5 of segment processing: the ACK field. Returns -1 when the
 * segment is done with (an ACK beyond what was sent, or the connection
 * freed because our FIN was acknowledged in LAST_ACK), 0 to go on. */
static int tcp_ack(net_t *net, tcp_conn_t *c, const tcp_seg_t *s)
{
    if (seq_lt(c->snd_max, s->ack)) {
        net->cnt.tcp_ack_bad++;
        c->flags |= TF_ACK_NOW;
        tcp_output(net, c);
        return -1;
    }
    uint32_t wnd = (uint32_t)s->wnd << c->snd_ws;
    if (seq_lt(c->snd_una, s->ack))
        tcp_ack_new(net, c, s);
    else if (s->ack == c->snd_una && !s->dlen && !(s->flags & (TCP_SYN | TCP_FIN)) && wnd == c->snd_wnd
             && c->snd_una != c->snd_max)
        tcp_dupack(net, c);
    tcp_update_window(net, c, s, wnd);
    int fin_acked = (c->flags & TF_FIN_Q) && c->snd_una == c->snd_wr + 1;
    if (!fin_acked) return 0;
    tcp_done(net, c); /* nothing of the application's is read any more */
    switch (c->state) {
    case TCP_FIN_WAIT_1:
        c->state = TCP_FIN_WAIT_2;
        c->rto_at = net->now + 2 * net->cfg.msl_ns;
        break;
    case TCP_CLOSING:
        tcp_enter_time_wait(net, c);
        break;
    case TCP_LAST_ACK:
        tcp_free(net, c);
        return -1;
    default:
        break;
    }
    return 0;
}

/* Step 1: is the segment inside the receive window? A FIN alone at a zero
 * window is accepted. Returns 0 when it is; otherwise counts it, ACKs
 * unless it was a RST, and returns -1. */
static int tcp_check_seq(net_t *net, tcp_conn_t *c, const tcp_seg_t *s)
{
    uint8_t f = s->flags;
    uint32_t len = s->dlen + ((f & TCP_SYN) ? 1u : 0u) + ((f & TCP_FIN) && s->dlen ? 1u : 0u);
    if (tcp_acceptable(net, c, s->seq, len)) return 0;
    if (c->state == TCP_TIME_WAIT && (f & TCP_FIN)) tcp_enter_time_wait(net, c);
    if (!(f & TCP_RST)) {
        if (seq_le(s->seq + len, c->rcv_nxt)) net->cnt.tcp_old_data++; else net->cnt.tcp_seq_bad++;
        c->flags |= TF_ACK_NOW;
        tcp_output(net, c);
    } else {
        net->cnt.tcp_seq_bad++;
    }
    return -1;
}

/* Step 2: an acceptable RST. An exact match resets, anything else in the
 * window is challenged (RFC 5961 3). */
static void tcp_rst_input(net_t *net, tcp_conn_t *c, const tcp_seg_t *s)
{
    if (s->seq != c->rcv_nxt) {
        net->cnt.tcp_challenge_ack++;
        tcp_send_seg(net, c, c->snd_max, TCP_ACK, 0);
        return;
    }
    if (c->state == TCP_TIME_WAIT) { /* RFC 1337: no TIME_WAIT assassination */
        net->cnt.tcp_tw_rst++;
        return;
    }
    net->cnt.tcp_rst_rx++;
    if (c->state == TCP_CLOSING || c->state == TCP_LAST_ACK)
        tcp_free(net, c);
    else
        tcp_reset_conn(net, c);
}

/* The handshake's last ACK in SYN_RCVD. Returns 0 when the connection is
 * established (accept or connect event posted), -1 when the ACK is not
 * for our SYN (answered with a RST). */
static int tcp_handshake_ack(net_t *net, tcp_conn_t *c, const tcp_seg_t *s)
{
    if (!seq_lt(c->snd_una, s->ack) || seq_lt(c->snd_max, s->ack)) {
        net->cnt.tcp_ack_bad++;
        tcp_send_ctl(net, c->rip, c->rport, c->lport, s->ack, 0, TCP_RST, 0);
        return -1;
    }
    int passive = (c->flags & TF_PASSIVE) != 0;
    if (passive && net->lis[c->listener - 1].pending) net->lis[c->listener - 1].pending--;
    c->state = TCP_ESTABLISHED;
    c->snd_wnd = (uint32_t)s->wnd << c->snd_ws;
    c->snd_wl1 = s->seq;
    c->snd_wl2 = s->ack;
    c->retries = 0;
    c->rto = net->cfg.rto_init_ns;
    if (passive) {
        c->flags |= TF_APP;
        net->cnt.tcp_accept++;
        tcp_post(net, c, NET_EV_ACCEPT);
    } else {
        net->cnt.tcp_connect++;
        tcp_post(net, c, NET_EV_CONNECTED | NET_EV_WRITABLE);
    }
    return 0;
}

/* Step 6: the segment's payload, less what was already received and what
 * lies beyond the receive buffer. */
static void tcp_seg_data(net_t *net, tcp_conn_t *c, const tcp_seg_t *s)
{
    uint32_t seq = s->seq, dlen = s->dlen;
    const uint8_t *d = s->data;
    if (seq_lt(seq, c->rcv_nxt)) {
        uint32_t cut = min_u32(c->rcv_nxt - seq, dlen);
        seq += cut;
        d += cut;
        dlen -= cut;
    }
    uint32_t edge = c->rcv_rd + net->cfg.rcv_buf;
    if (dlen && seq_lt(edge, seq + dlen)) {
        net->cnt.tcp_rcv_trim++;
        dlen = seq_lt(seq, edge) ? edge - seq : 0;
        c->flags |= TF_ACK_NOW;
    }
    if (dlen) tcp_data(net, c, seq, d, dlen);
    else c->flags |= TF_ACK_NOW;
}

/* Step 7: the peer's FIN, once everything before it has arrived. */
static void tcp_fin_input(net_t *net, tcp_conn_t *c)
{
    net->cnt.tcp_fin_rx++;
    tcp_rx_drop_from(net, c, c->rcv_nxt); /* anything kept beyond the FIN is not part of the stream */
    c->rcv_nxt++;
    c->ooo_cnt = 0;
    c->flags |= TF_FIN_RCVD | TF_ACK_NOW;
    tcp_rx_fix_rd(net, c);
    switch (c->state) {
    case TCP_ESTABLISHED: c->state = TCP_CLOSE_WAIT; break;
    case TCP_FIN_WAIT_1: c->state = TCP_CLOSING; break;
    case TCP_FIN_WAIT_2: tcp_enter_time_wait(net, c); break;
    default: break;
    }
    tcp_post(net, c, NET_EV_PEER_FIN);
}

/* A segment for an existing connection, in RFC 9293 3.10.7.4's order:
 * sequence number, RST, SYN, ACK, data, FIN; then whatever is to send. */
static void tcp_conn_input(net_t *net, tcp_conn_t *c, const tcp_seg_t *s)
{
    if (c->state == TCP_SYN_SENT) {
        tcp_syn_sent(net, c, s);
        return;
    }
    uint8_t f = s->flags;
    /* A retransmitted SYN while we wait for the handshake's ACK. */
    if (c->state == TCP_SYN_RCVD && (f & TCP_SYN) && !(f & (TCP_ACK | TCP_RST)) && s->seq == c->irs) {
        tcp_send_seg(net, c, c->iss, TCP_SYN | TCP_ACK, 0);
        return;
    }
    if (tcp_check_seq(net, c, s)) return;
    if (f & TCP_RST) {
        tcp_rst_input(net, c, s);
        return;
    }
    /* 3. SYN in a synchronized state: challenge ACK (RFC 5961 4.2). */
    if (f & TCP_SYN) {
        net->cnt.tcp_challenge_ack++;
        tcp_send_seg(net, c, c->snd_max, TCP_ACK, 0);
        return;
    }
    /* Timestamp to echo: from segments at or before the left window edge
     * (RFC 7323 4.3). */
    if ((c->flags & TF_TS) && s->has_ts && seq_le(s->seq, c->rcv_nxt)) c->ts_recent = s->tsval;
    /* 4. ACK. */
    if (!(f & TCP_ACK)) {
        net->cnt.tcp_bad_flags++;
        return;
    }
    if (c->state == TCP_SYN_RCVD && tcp_handshake_ack(net, c, s)) return;
    if (tcp_ack(net, c, s)) return;
    int receiving = c->state == TCP_ESTABLISHED || c->state == TCP_FIN_WAIT_1 || c->state == TCP_FIN_WAIT_2;
    if (s->dlen && receiving) tcp_seg_data(net, c, s);
    if ((f & TCP_FIN) && !(c->flags & TF_FIN_RCVD) && s->seq + s->dlen == c->rcv_nxt && receiving)
        tcp_fin_input(net, c);
    tcp_output(net, c);
}

void tcp_input(net_t *net, uint32_t src, uint32_t dst, const uint8_t *p, uint32_t len)
{
    net->cnt.tcp_rx++;
    if (len < TCP_HLEN) {
        net->cnt.tcp_short++;
        return;
    }
    uint32_t doff = (uint32_t)(p[12] >> 4) * 4;
    if (doff < TCP_HLEN || doff > len) {
        net->cnt.tcp_short++;
        return;
    }
    if (net_csum_fold(net_csum_add(net_csum_pseudo(src, dst, IP_PROTO_TCP, len), p, len))) {
        net->cnt.tcp_bad_csum++;
        return;
    }
    tcp_seg_t s = {.src = src, .sport = rd16(p), .dport = rd16(p + 2), .seq = rd32(p + 4), .ack = rd32(p + 8),
                   .flags = p[13], .ws = -1, .wnd = rd16(p + 14), .data = p + doff, .dlen = len - doff};
    if (tcp_options(&s, p + TCP_HLEN, doff - TCP_HLEN)) {
        net->cnt.tcp_bad_opt++;
        return;
    }
    if (((s.flags & TCP_SYN) && (s.flags & (TCP_FIN | TCP_RST))) || !s.sport || !s.dport) {
        net->cnt.tcp_bad_flags++;
        return;
    }
    tcp_conn_t *c = tcp_lookup(net, s.src, s.sport, s.dport);
    int li = tcp_find_listener(net, s.dport);
    /* A new SYN may reopen a connection in TIME_WAIT (RFC 9293 3.6.1). */
    if (c && c->state == TCP_TIME_WAIT && li >= 0 && (s.flags & TCP_SYN) && !(s.flags & TCP_ACK)
        && seq_lt(c->rcv_nxt, s.seq)) {
        net->cnt.tcp_tw_recycle++;
        tcp_free(net, c);
        c = NULL;
    }
    if (c) {
        tcp_conn_input(net, c, &s);
        return;
    }
    if (li < 0) {
        tcp_no_conn(net, &s);
        return;
    }
    if (s.flags & TCP_RST) {
        net->cnt.tcp_no_conn_drop++;
    } else if ((s.flags & TCP_ACK) && !(s.flags & TCP_SYN)) {
        c = tcp_cookie_open(net, &s, li);
        if (c) tcp_conn_input(net, c, &s);
    } else if ((s.flags & TCP_SYN) && !(s.flags & TCP_ACK)) {
        tcp_passive_open(net, &s, li);
    } else {
        tcp_no_conn(net, &s);
    }
}
