/* tcp_out.c - TCP segment output: header and options, the advertised window
 * (with receiver-side silly-window avoidance), the send loop bounded by the
 * peer's window and the congestion window, and retransmission of one
 * segment. */
#include "net/tcp_priv.h"

/* The window field to send, and the right edge it advertises (rcv_adv),
 * which never moves left. */
static uint16_t tcp_wnd_field(net_t *net, tcp_conn_t *c, int syn)
{
    uint32_t right = c->rcv_nxt + tcp_rcv_wnd(net, c);
    uint32_t sws = min_u32(net->cfg.rcv_buf / 2, c->mss);
    if (seq_le(c->rcv_nxt, c->rcv_adv) && seq_lt(c->rcv_adv, right) && right - c->rcv_adv < sws)
        right = c->rcv_adv;
    uint32_t w = right - c->rcv_nxt, shift = (syn || !(c->flags & TF_WS)) ? 0 : c->rcv_ws;
    w >>= shift;
    if (w > 65535) w = 65535;
    uint32_t adv = c->rcv_nxt + (w << shift);
    if (seq_lt(c->rcv_adv, adv)) c->rcv_adv = adv;
    return (uint16_t)w;
}

/* Data offset and checksum over the header (hlen bytes, a multiple of 4)
 * and the payload slices pending in net->iov (dlen bytes). */
static void tcp_finish(net_t *net, uint8_t *t, uint32_t hlen, uint32_t dlen, uint32_t dst)
{
    t[12] = (uint8_t)((hlen / 4) << 4);
    wr16(t + 16, 0);
    wr16(t + 18, 0);
    uint64_t sum = net_csum_add(net_csum_pseudo(net->cfg.ip, dst, IP_PROTO_TCP, hlen + dlen), t, hlen);
    uint32_t off = 0;
    for (uint32_t i = 0; i < net->niov && dlen; i++) {
        uint64_t x = net_csum_add(0, net->iov[i].p, net->iov[i].len);
        if (off & 1) { /* a slice at an odd offset: its bytes sit swapped in the 16-bit words */
            while (x >> 16) x = (x & 0xffff) + (x >> 16);
            x = (x >> 8 | x << 8) & 0xffff;
        }
        sum += x;
        off += net->iov[i].len;
    }
    wr16(t + 16, net_csum_fold(sum));
    net->cnt.tcp_tx++;
}

int tcp_send_seg(net_t *net, tcp_conn_t *c, uint32_t seq, uint8_t flags, uint32_t dlen)
{
    uint8_t *t = net->tx + L4_OFF;
    uint32_t hlen = TCP_HLEN;
    int syn = (flags & TCP_SYN) != 0;
    wr16(t, c->lport);
    wr16(t + 2, c->rport);
    wr32(t + 4, seq);
    wr32(t + 8, (flags & TCP_ACK) ? c->rcv_nxt : 0);
    t[13] = flags;
    wr16(t + 14, tcp_wnd_field(net, c, syn));
    if (syn) {
        t[20] = 2; t[21] = 4;
        wr16(t + 22, (uint16_t)net->mss);
        hlen += 4;
        if (!(flags & TCP_ACK) || (c->flags & TF_WS)) {
            t[24] = 1; t[25] = 3; t[26] = 3; t[27] = c->rcv_ws;
            hlen += 4;
        }
    }
    /* Timestamps: offered in our SYN, then on every segment if agreed. */
    if ((syn && !(flags & TCP_ACK)) || (c->flags & TF_TS)) {
        uint8_t *o = t + hlen;
        o[0] = 1; o[1] = 1; o[2] = 8; o[3] = 10;
        wr32(o + 4, tcp_ts_now(net, c));
        wr32(o + 8, (flags & TCP_ACK) ? c->ts_recent : 0);
        hlen += 12;
    }
    /* Payload by reference: slices of the queued memory, not copied. */
    net->niov = 0;
    if (dlen) dlen = tcp_tx_gather(net, c, seq, dlen, 1);
    tcp_finish(net, t, hlen, dlen, c->rip);
    net->cnt.tcp_tx_bytes += dlen;
    if ((dlen || (flags & (TCP_FIN | TCP_SYN))) && seq_lt(seq, c->snd_max)) net->cnt.tcp_rexmit_seg++;
    if (flags & TCP_ACK) {
        c->flags &= (uint16_t)~(TF_ACK_NOW | TF_DELACK);
        c->delack_at = 0;
    }
    return ip_output(net, c->rip, IP_PROTO_TCP, hlen); /* + the slices */
}

void tcp_send_ctl(net_t *net, uint32_t dst, uint16_t dport, uint16_t sport, uint32_t seq, uint32_t ack,
                  uint8_t flags, uint16_t mss)
{
    uint8_t *t = net->tx + L4_OFF;
    uint32_t hlen = TCP_HLEN;
    net->niov = 0;
    wr16(t, sport);
    wr16(t + 2, dport);
    wr32(t + 4, seq);
    wr32(t + 8, ack);
    t[13] = flags;
    wr16(t + 14, (flags & TCP_RST) ? 0 : (uint16_t)min_u32(net->cfg.rcv_buf, 65535));
    if (mss) {
        t[20] = 2; t[21] = 4;
        wr16(t + 22, mss);
        hlen += 4;
    }
    tcp_finish(net, t, hlen, 0, dst);
    if (flags & TCP_RST) net->cnt.tcp_rst_tx++;
    ip_output(net, dst, IP_PROTO_TCP, hlen);
}

void tcp_send_syn(net_t *net, tcp_conn_t *c)
{
    uint8_t flags = c->state == TCP_SYN_SENT ? TCP_SYN : TCP_SYN | TCP_ACK;
    tcp_send_seg(net, c, c->iss, flags, 0);
    c->snd_nxt = c->iss + 1;
    if (seq_lt(c->snd_max, c->snd_nxt)) c->snd_max = c->snd_nxt;
    if (!c->rto_at) c->rto_at = net->now + c->rto;
}

void tcp_send_rst(net_t *net, tcp_conn_t *c)
{
    tcp_send_ctl(net, c->rip, c->rport, c->lport, c->snd_max, c->rcv_nxt, TCP_RST | TCP_ACK, 0);
}

/* Retransmits one segment from snd_una (fast retransmit, partial ACK). */
void tcp_rexmit_one(net_t *net, tcp_conn_t *c)
{
    uint32_t avail = seq_lt(c->snd_una, c->snd_wr) ? c->snd_wr - c->snd_una : 0;
    uint32_t len = min_u32(avail, c->mss);
    if (len && c->ntx > NET_IOV_MAX) len = tcp_tx_gather(net, c, c->snd_una, len, 0);
    int fin = (c->flags & TF_FIN_Q) && c->snd_una + len == c->snd_wr && seq_lt(c->snd_wr, c->snd_max);
    if (!len && !fin) return;
    c->flags &= (uint16_t)~TF_RTT; /* Karn: never time a retransmission */
    tcp_send_seg(net, c, c->snd_una, (uint8_t)(TCP_ACK | (fin ? TCP_FIN : 0)), len);
}

void tcp_output(net_t *net, tcp_conn_t *c)
{
    if (tcp_can_send(c)) {
        for (;;) {
            /* Limited transmit (RFC 3042): a new segment for each of the
             * first two duplicate ACKs. */
            uint32_t extra = !(c->flags & TF_RECOVERY) && c->dupacks < 3 ? c->dupacks * (uint32_t)c->mss : 0;
            uint32_t wnd = min_u32(c->snd_wnd, c->cwnd + extra);
            uint32_t flight = c->snd_nxt - c->snd_una;
            uint32_t avail = seq_lt(c->snd_nxt, c->snd_wr) ? c->snd_wr - c->snd_nxt : 0;
            uint32_t room = wnd > flight ? wnd - flight : 0;
            uint32_t len = min_u32(avail, min_u32(room, c->mss));
            if (len && c->ntx > NET_IOV_MAX) /* more references than slices: how many bytes fit */
                len = tcp_tx_gather(net, c, c->snd_nxt, len, 0);
            int fin = (c->flags & TF_FIN_Q) && c->snd_nxt + len == c->snd_wr;
            if (!len && !fin) break;
            /* Sender silly-window avoidance: no runt while data is in flight. */
            if (len < avail && len < c->mss && flight) break;
            uint8_t flags = (uint8_t)(TCP_ACK | (fin ? TCP_FIN : 0) | (len && len == avail ? TCP_PSH : 0));
            if (len && !(c->flags & TF_RTT) && c->snd_nxt == c->snd_max) {
                c->flags |= TF_RTT;
                c->rtt_seq = c->snd_nxt;
                c->rtt_start = net->now;
            }
            tcp_send_seg(net, c, c->snd_nxt, flags, len);
            c->snd_nxt += len + (fin ? 1u : 0u);
            if (seq_lt(c->snd_max, c->snd_nxt)) c->snd_max = c->snd_nxt;
            if (fin) break;
        }
        /* Retransmission timer while anything is in flight; the same timer
         * probes a zero window while data waits. */
        int blocked = seq_lt(c->snd_nxt, c->snd_wr) && c->snd_wnd == 0;
        if (!c->rto_at && (c->snd_una != c->snd_max || blocked)) c->rto_at = net->now + c->rto;
    }
    if (c->flags & TF_ACK_NOW) tcp_send_seg(net, c, c->snd_max, TCP_ACK, 0);
}
