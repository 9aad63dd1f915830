/* tcp_priv.h - what tcp.c (connection table, application interface, timers),
 * tcp_out.c (segment output) and tcp_in.c (segment input) share. */
#ifndef DL_STACK_NET_TCP_PRIV_H
#define DL_STACK_NET_TCP_PRIV_H

#include "net/net_priv.h"

static inline uint8_t *tcp_rcv_ring(net_t *net, const tcp_conn_t *c)
{
    return net->rcv_mem + (size_t)(c - net->conns) * net->cfg.rcv_buf;
}
static inline uint8_t *tcp_snd_ring(net_t *net, const tcp_conn_t *c)
{
    return net->snd_mem + (size_t)(c - net->conns) * net->cfg.snd_buf;
}
static inline uint32_t *tcp_ooo(net_t *net, const tcp_conn_t *c)
{
    return net->ooo + (size_t)(c - net->conns) * net->cfg.ooo_ranges * 2;
}

/* Copies n bytes into / out of a power-of-two ring at offset off. */
static inline void ring_put(uint8_t *ring, uint32_t size, uint32_t off, const uint8_t *src, uint32_t n)
{
    off &= size - 1;
    uint32_t first = min_u32(n, size - off);
    memcpy(ring + off, src, first);
    memcpy(ring, src + first, n - first);
}
static inline void ring_get(const uint8_t *ring, uint32_t size, uint32_t off, uint8_t *dst, uint32_t n)
{
    off &= size - 1;
    uint32_t first = min_u32(n, size - off);
    memcpy(dst, ring + off, first);
    memcpy(dst + first, ring, n - first);
}

/* First sequence number of data still in the send ring. */
static inline uint32_t tcp_snd_start(const tcp_conn_t *c)
{
    uint32_t s = c->snd_una;
    if (seq_lt(s, c->iss + 1)) s = c->iss + 1;
    if (seq_lt(c->snd_wr, s)) s = c->snd_wr;
    return s;
}
static inline uint32_t tcp_snd_used(const tcp_conn_t *c) { return c->snd_wr - tcp_snd_start(c); }

/* Receive window: free ring space beyond rcv_nxt (0 when a FIN taken at a
 * zero window put rcv_nxt one past the ring). */
static inline uint32_t tcp_rcv_wnd(const net_t *net, const tcp_conn_t *c)
{
    int32_t w = (int32_t)(c->rcv_rd + net->cfg.rcv_buf - c->rcv_nxt);
    return w > 0 ? (uint32_t)w : 0;
}
/* Bytes the application can read (the peer's FIN is not data). */
static inline uint32_t tcp_rcv_avail(const tcp_conn_t *c)
{
    return c->rcv_nxt - c->rcv_rd - ((c->flags & TF_FIN_RCVD) ? 1u : 0u);
}

/* Our timestamp clock (RFC 7323): milliseconds, offset per connection by
 * its ISN so that it tells nothing about the host's uptime. */
static inline uint32_t tcp_ts_now(const net_t *net, const tcp_conn_t *c)
{
    return (uint32_t)(net->now / 1000000) + c->iss;
}

/* States in which we may send data and FIN. */
static inline int tcp_can_send(const tcp_conn_t *c)
{
    return c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT || c->state == TCP_FIN_WAIT_1
        || c->state == TCP_CLOSING || c->state == TCP_LAST_ACK;
}

/* Zero-copy receive (tcp_rx.c). */
/* Keeps [seq, seq+len) of a segment's data (d), less what is held already;
 * 0, or -1 when it cannot be kept (counted). */
int  tcp_rx_store(net_t *net, tcp_conn_t *c, uint32_t seq, const uint8_t *d, uint32_t len);
/* Drops every reference (but those handed out when keep_out). */
void tcp_rx_drop(net_t *net, tcp_conn_t *c, int keep_out);
/* Drops the references at or after seq (out of order ones). */
void tcp_rx_drop_from(net_t *net, tcp_conn_t *c, uint32_t seq);
void tcp_rx_fix_rd(net_t *net, tcp_conn_t *c);
int  tcp_rx_check(const net_t *net, const tcp_conn_t *c);

/* Zero-copy send (tcp_tx.c). */
/* Trims acknowledged bytes off the references (NET_EV_SENT). */
void tcp_tx_acked(net_t *net, tcp_conn_t *c);
void tcp_tx_drop(net_t *net, tcp_conn_t *c);
/* How many of the len bytes from seq fit in NET_IOV_MAX slices; with set,
 * the slices go to net->iov for the next ip_output. */
uint32_t tcp_tx_gather(net_t *net, tcp_conn_t *c, uint32_t seq, uint32_t len, int set);
int  tcp_tx_check(const net_t *net, const tcp_conn_t *c);

/* Connection table (tcp.c). */
tcp_conn_t *tcp_get(const net_t *net, uint32_t h);
uint32_t tcp_handle(const net_t *net, const tcp_conn_t *c);
tcp_conn_t *tcp_lookup(net_t *net, uint32_t rip, uint16_t rport, uint16_t lport);
tcp_conn_t *tcp_alloc(net_t *net);
void tcp_hash_insert(net_t *net, tcp_conn_t *c);
void tcp_free(net_t *net, tcp_conn_t *c);
void tcp_done(net_t *net, tcp_conn_t *c);
/* Reset or timeout: the application (if it holds the handle) gets
 * NET_EV_RESET and the connection waits in CLOSED for its close. */
void tcp_reset_conn(net_t *net, tcp_conn_t *c);
void tcp_post(net_t *net, tcp_conn_t *c, uint16_t ev);
int  tcp_find_listener(const net_t *net, uint16_t port);
uint32_t tcp_isn(net_t *net, uint32_t rip, uint16_t rport, uint16_t lport);
void tcp_enter_time_wait(net_t *net, tcp_conn_t *c);

/* Output (tcp_out.c). */
int  tcp_send_seg(net_t *net, tcp_conn_t *c, uint32_t seq, uint8_t flags, uint32_t dlen);
void tcp_send_ctl(net_t *net, uint32_t dst, uint16_t dport, uint16_t sport, uint32_t seq, uint32_t ack,
                  uint8_t flags, uint16_t mss);
void tcp_output(net_t *net, tcp_conn_t *c);
void tcp_rexmit_one(net_t *net, tcp_conn_t *c);
void tcp_send_syn(net_t *net, tcp_conn_t *c);
void tcp_send_rst(net_t *net, tcp_conn_t *c);

#endif
