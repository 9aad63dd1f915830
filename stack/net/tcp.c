/* tcp.c - TCP connection table (a keyed hash over the peer address and
 * ports, connections from a fixed array with a free list), the application
 * interface (listen, connect, recv, send, close, abort), events, timers
 * (retransmission with RFC 6298 backoff, zero-window probes, delayed ACKs,
 * FIN_WAIT_2 and TIME_WAIT) and the invariant check used by tests. */
#include "net/tcp_priv.h"

#define HANDLE_IDX_BITS 20

uint32_t tcp_handle(const net_t *net, const tcp_conn_t *c)
{
    return (uint32_t)c->gen << HANDLE_IDX_BITS | (uint32_t)(c - net->conns);
}

/* The connection behind an application handle, or NULL: the handle is
 * never trusted (index, generation, ownership are all checked). */
tcp_conn_t *tcp_get(const net_t *net, uint32_t h)
{
    uint32_t idx = h & ((1u << HANDLE_IDX_BITS) - 1);
    if (idx >= net->cfg.max_conns) return NULL;
    tcp_conn_t *c = &net->conns[idx];
    if (c->state == TCP_FREE || !(c->flags & TF_APP) || c->gen != h >> HANDLE_IDX_BITS) return NULL;
    return c;
}

static uint32_t tcp_bucket(const net_t *net, uint32_t rip, uint16_t rport, uint16_t lport)
{
    uint64_t x = ((uint64_t)rip << 32 | (uint32_t)rport << 16 | lport) ^ net->cfg.secret;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return (uint32_t)x & (net->cfg.hash_buckets - 1);
}

static int tcp_hashed(const tcp_conn_t *c) { return c->state != TCP_FREE && c->state != TCP_CLOSED; }

tcp_conn_t *tcp_lookup(net_t *net, uint32_t rip, uint16_t rport, uint16_t lport)
{
    for (uint32_t i = net->buckets[tcp_bucket(net, rip, rport, lport)]; i; i = net->conns[i - 1].hnext) {
        tcp_conn_t *c = &net->conns[i - 1];
        if (c->rip == rip && c->rport == rport && c->lport == lport) return c;
    }
    return NULL;
}

void tcp_hash_insert(net_t *net, tcp_conn_t *c)
{
    uint32_t *b = &net->buckets[tcp_bucket(net, c->rip, c->rport, c->lport)];
    c->hnext = *b;
    *b = (uint32_t)(c - net->conns) + 1;
}

static void tcp_hash_remove(net_t *net, tcp_conn_t *c)
{
    uint32_t me = (uint32_t)(c - net->conns) + 1;
    for (uint32_t *p = &net->buckets[tcp_bucket(net, c->rip, c->rport, c->lport)]; *p;
         p = &net->conns[*p - 1].hnext)
        if (*p == me) {
            *p = c->hnext;
            c->hnext = 0;
            return;
        }
}

/* Leaves SYN_RCVD: the half-open slot of the listener's backlog is free. */
static void tcp_leave_syn_rcvd(net_t *net, tcp_conn_t *c)
{
    if (c->state == TCP_SYN_RCVD && c->listener && net->lis[c->listener - 1].pending)
        net->lis[c->listener - 1].pending--;
}

tcp_conn_t *tcp_alloc(net_t *net)
{
    if (!net->free_head) {
        /* Full: reuse the TIME_WAIT connection closest to expiry. */
        tcp_conn_t *tw = NULL;
        for (uint32_t i = 0; i < net->cfg.max_conns; i++) {
            tcp_conn_t *c = &net->conns[i];
            if (c->state == TCP_TIME_WAIT && (!tw || c->rto_at < tw->rto_at)) tw = c;
        }
        if (!tw) {
            net->cnt.tcp_conn_full++;
            return NULL;
        }
        net->cnt.tcp_tw_recycle++;
        tcp_free(net, tw);
    }
    tcp_conn_t *c = &net->conns[net->free_head - 1];
    net->free_head = c->hnext;
    uint16_t gen = c->gen;
    uint8_t in_evq = c->in_evq;
    uint32_t evnext = c->evnext;
    memset(c, 0, sizeof *c);
    c->gen = gen;
    c->in_evq = in_evq;
    c->evnext = evnext;
    c->rto = net->cfg.rto_init_ns;
    c->mss = 536;
    c->cwnd = 10 * 536;
    c->ssthresh = 0xffffffffu;
    net->conns_used++;
    return c;
}

/* A connection the application closed no longer reads its send memory
 * (freed, or everything sent acknowledged, FIN included): tcp_done, once.
 * FIN_WAIT_2 and TIME_WAIT hold no application resource, so the layer
 * above may reuse its room for the connection before TIME_WAIT ends (a
 * table full of TIME_WAIT is recycled for new connections, tcp_alloc). */
void tcp_done(net_t *net, tcp_conn_t *c)
{
    if (!(c->flags & TF_CLOSED)) return;
    c->flags &= (uint16_t)~TF_CLOSED;
    if (net->hal.tcp_done) net->hal.tcp_done(net->hal.ctx, tcp_handle(net, c));
}

void tcp_free(net_t *net, tcp_conn_t *c)
{
    tcp_rx_drop(net, c, 0);
    tcp_tx_drop(net, c);
    tcp_done(net, c);
    if (tcp_hashed(c)) tcp_hash_remove(net, c);
    tcp_leave_syn_rcvd(net, c);
    c->state = TCP_FREE;
    c->flags = 0;
    c->events = 0;
    c->gen = (uint16_t)(c->gen % 4095 + 1);
    c->hnext = net->free_head;
    net->free_head = (uint32_t)(c - net->conns) + 1;
    net->conns_used--;
}

void tcp_reset_conn(net_t *net, tcp_conn_t *c)
{
    if (!(c->flags & TF_APP)) {
        tcp_free(net, c);
        return;
    }
    if (tcp_hashed(c)) tcp_hash_remove(net, c);
    tcp_leave_syn_rcvd(net, c);
    c->state = TCP_CLOSED;
    c->rto_at = c->delack_at = 0;
    c->ooo_cnt = 0;
    tcp_rx_drop(net, c, 1); /* data is lost; what the application holds stays */
    tcp_tx_drop(net, c);    /* nothing more is sent: its memory is free */
    tcp_post(net, c, NET_EV_RESET);
}

void tcp_enter_time_wait(net_t *net, tcp_conn_t *c)
{
    c->state = TCP_TIME_WAIT;
    c->rto_at = net->now + 2 * net->cfg.msl_ns;
    c->delack_at = 0;
    c->flags &= (uint16_t)~TF_DELACK;
}

void tcp_post(net_t *net, tcp_conn_t *c, uint16_t ev)
{
    if (!(c->flags & TF_APP)) return;
    c->events |= ev;
    if (c->in_evq) return;
    c->in_evq = 1;
    c->evnext = 0;
    uint32_t me = (uint32_t)(c - net->conns) + 1;
    if (net->ev_tail) net->conns[net->ev_tail - 1].evnext = me; else net->ev_head = me;
    net->ev_tail = me;
}

void tcp_deliver_events(net_t *net)
{
    while (net->ev_head) {
        tcp_conn_t *c = &net->conns[net->ev_head - 1];
        net->ev_head = c->evnext;
        if (!net->ev_head) net->ev_tail = 0;
        c->in_evq = 0;
        uint16_t ev = c->events;
        c->events = 0;
        if (ev && c->state != TCP_FREE && (c->flags & TF_APP) && net->hal.tcp_event)
            net->hal.tcp_event(net->hal.ctx, tcp_handle(net, c), ev);
    }
}

int tcp_find_listener(const net_t *net, uint16_t port)
{
    for (uint32_t i = 0; i < net->cfg.max_listeners; i++)
        if (net->lis[i].port == port) return (int)i;
    return -1;
}

/* RFC 6528: a clock (4 us ticks) plus a keyed hash of the connection. */
uint32_t tcp_isn(net_t *net, uint32_t rip, uint16_t rport, uint16_t lport)
{
    uint64_t h = net_hash(net, (uint64_t)rip << 32 | (uint32_t)rport << 16 | lport, 0x49534e);
    return (uint32_t)(net->now / 4000) + (uint32_t)h;
}

/* ---- application interface ---- */

int net_tcp_listen(net_t *net, uint16_t port, uint32_t backlog)
{
    if (!port || !backlog) return -NET_EINVAL;
    if (tcp_find_listener(net, port) >= 0) return -NET_EADDRINUSE;
    int i = tcp_find_listener(net, 0);
    if (i < 0) return -NET_ENOMEM;
    net->lis[i].port = port;
    net->lis[i].backlog = backlog;
    net->lis[i].pending = 0;
    return 0;
}

int64_t net_tcp_connect(net_t *net, uint32_t ip, uint16_t port)
{
    net->now = net->hal.now_ns(net->hal.ctx);
    if (!port || !ip || ip == 0xffffffffu || ip == net->cfg.ip || (ip >> 28) >= 0xe) return -NET_EINVAL;
    uint32_t range = (uint32_t)net->cfg.port_hi - net->cfg.port_lo + 1;
    uint16_t lport = 0;
    for (uint32_t n = 0; n < range && !lport; n++) {
        uint16_t p = net->next_port;
        net->next_port = p == net->cfg.port_hi ? net->cfg.port_lo : (uint16_t)(p + 1);
        if (!tcp_lookup(net, ip, port, p) && tcp_find_listener(net, p) < 0) lport = p;
    }
    if (!lport) return -NET_EADDRINUSE;
    tcp_conn_t *c = tcp_alloc(net);
    if (!c) return -NET_ENOMEM;
    c->state = TCP_SYN_SENT;
    c->flags = TF_APP;
    c->rip = ip;
    c->rport = port;
    c->lport = lport;
    c->rcv_ws = net->rcv_ws;
    c->iss = tcp_isn(net, ip, port, lport);
    c->snd_una = c->snd_nxt = c->snd_max = c->iss;
    c->snd_wr = c->iss + 1;
    tcp_hash_insert(net, c);
    tcp_send_syn(net, c);
    tcp_deliver_events(net);
    return tcp_handle(net, c);
}

int net_tcp_close(net_t *net, uint32_t h)
{
    tcp_conn_t *c = tcp_get(net, h);
    if (!c) return -NET_ENOTCONN;
    net->now = net->hal.now_ns(net->hal.ctx);
    c->flags &= (uint16_t)~TF_APP;
    c->flags |= TF_CLOSED;
    c->events = 0;
    tcp_rx_drop(net, c, 0); /* nobody will read it */
    switch (c->state) {
    case TCP_ESTABLISHED:
        c->state = TCP_FIN_WAIT_1;
        c->flags |= TF_FIN_Q;
        tcp_output(net, c);
        break;
    case TCP_CLOSE_WAIT:
        c->state = TCP_LAST_ACK;
        c->flags |= TF_FIN_Q;
        tcp_output(net, c);
        break;
    case TCP_SYN_RCVD:
        tcp_send_rst(net, c);
        tcp_free(net, c);
        break;
    default: /* SYN_SENT, CLOSED */
        tcp_free(net, c);
        break;
    }
    tcp_deliver_events(net);
    return 0;
}

int net_tcp_abort(net_t *net, uint32_t h)
{
    tcp_conn_t *c = tcp_get(net, h);
    if (!c) return -NET_ENOTCONN;
    net->now = net->hal.now_ns(net->hal.ctx);
    if (c->state != TCP_SYN_SENT && c->state != TCP_CLOSED) tcp_send_rst(net, c);
    tcp_free(net, c);
    return 0;
}

int net_tcp_peer(const net_t *net, uint32_t h, uint32_t *ip, uint16_t *port, uint16_t *lport)
{
    tcp_conn_t *c = tcp_get(net, h);
    if (!c) return -NET_ENOTCONN;
    if (ip) *ip = c->rip;
    if (port) *port = c->rport;
    if (lport) *lport = c->lport;
    return 0;
}

/* ---- timers ---- */

static void tcp_backoff(net_t *net, tcp_conn_t *c)
{
    c->rto = c->rto * 2 > net->cfg.rto_max_ns ? net->cfg.rto_max_ns : c->rto * 2;
    c->rto_at = net->now + c->rto;
}

static void tcp_on_rto(net_t *net, tcp_conn_t *c)
{
    switch (c->state) {
    case TCP_TIME_WAIT:
        net->cnt.tcp_tw_expire++;
        tcp_free(net, c);
        return;
    case TCP_FIN_WAIT_2: /* the peer never closed: give up after 2 MSL */
        tcp_free(net, c);
        return;
    case TCP_SYN_SENT:
    case TCP_SYN_RCVD:
        if (++c->retries > net->cfg.syn_retries) {
            net->cnt.tcp_timeout_drop++;
            tcp_reset_conn(net, c);
            return;
        }
        net->cnt.tcp_rto++;
        tcp_backoff(net, c);
        tcp_send_syn(net, c);
        return;
    default:
        break;
    }
    if (!tcp_can_send(c)) return;
    int blocked = seq_lt(c->snd_nxt, c->snd_wr) && c->snd_wnd == 0;
    if (c->snd_una == c->snd_max && !blocked) return;
    if (++c->retries > net->cfg.max_retries) {
        net->cnt.tcp_timeout_drop++;
        tcp_send_rst(net, c);
        tcp_reset_conn(net, c);
        return;
    }
    c->flags &= (uint16_t)~(TF_RTT | TF_RECOVERY);
    c->dupacks = 0;
    tcp_backoff(net, c);
    if (c->snd_wnd == 0 && seq_lt(c->snd_una, c->snd_wr)) {
        /* Zero-window probe: one byte beyond the window. */
        net->cnt.tcp_probe++;
        tcp_send_seg(net, c, c->snd_una, TCP_ACK, 1);
        if (seq_lt(c->snd_nxt, c->snd_una + 1)) c->snd_nxt = c->snd_una + 1;
        if (seq_lt(c->snd_max, c->snd_nxt)) c->snd_max = c->snd_nxt;
        return;
    }
    net->cnt.tcp_rto++;
    uint32_t flight = c->snd_max - c->snd_una;
    c->ssthresh = max_u32(flight / 2, 2u * c->mss);
    c->cwnd = c->mss;
    c->snd_nxt = c->snd_una; /* go back N */
    tcp_output(net, c);
}

void tcp_timer(net_t *net)
{
    for (uint32_t i = 0; i < net->cfg.max_conns; i++) {
        tcp_conn_t *c = &net->conns[i];
        if (c->state == TCP_FREE || c->state == TCP_CLOSED) continue;
        if (c->delack_at && net->now >= c->delack_at) {
            c->delack_at = 0;
            if (c->flags & TF_DELACK) {
                net->cnt.tcp_delack++;
                tcp_send_seg(net, c, c->snd_max, TCP_ACK, 0);
            }
        }
        if (c->rto_at && net->now >= c->rto_at) {
            c->rto_at = 0;
            tcp_on_rto(net, c);
        }
    }
}

/* ---- invariants ---- */

int net_check(const net_t *net)
{
    uint32_t nfree = 0, used = 0, hashed = 0, chained = 0;
    for (uint32_t i = net->free_head; i; i = net->conns[i - 1].hnext) {
        if (i > net->cfg.max_conns || net->conns[i - 1].state != TCP_FREE) return 1;
        if (++nfree > net->cfg.max_conns) return 2;
    }
    for (uint32_t b = 0; b < net->cfg.hash_buckets; b++)
        for (uint32_t i = net->buckets[b]; i; i = net->conns[i - 1].hnext) {
            const tcp_conn_t *c = &net->conns[i - 1];
            if (!tcp_hashed(c) || tcp_bucket(net, c->rip, c->rport, c->lport) != b) return 3;
            if (++chained > net->cfg.max_conns) return 4;
        }
    for (uint32_t l = 0; l < net->cfg.max_listeners; l++) {
        uint32_t pending = 0;
        for (uint32_t i = 0; i < net->cfg.max_conns; i++)
            pending += net->conns[i].state == TCP_SYN_RCVD && net->conns[i].listener == l + 1;
        if (net->lis[l].port && pending != net->lis[l].pending) return 5;
    }
    for (uint32_t i = 0; i < net->cfg.max_conns; i++) {
        const tcp_conn_t *c = &net->conns[i];
        if (c->state == TCP_FREE) continue;
        used++;
        hashed += tcp_hashed(c);
        if (c->state == TCP_SYN_SENT) continue;
        if (!seq_le(c->snd_una, c->snd_nxt) || !seq_le(c->snd_nxt, c->snd_max)) return 6;
        if (tcp_snd_used(c) > net->cfg.snd_buf) return 7;
        if (!seq_le(c->rcv_rd, c->rcv_nxt) || tcp_rcv_avail(c) > net->cfg.rcv_buf) return 8;
        int e = tcp_rx_check(net, c);
        if (!e && c->state != TCP_CLOSED) e = tcp_tx_check(net, c);
        if (e) return e;
        const uint32_t *r = net->ooo + (size_t)i * net->cfg.ooo_ranges * 2;
        if (c->ooo_cnt > net->cfg.ooo_ranges) return 9;
        for (uint32_t k = 0; k < c->ooo_cnt; k++)
            if (!seq_lt(c->rcv_nxt, r[2 * k]) || !seq_lt(r[2 * k], r[2 * k + 1])
                || seq_lt(c->rcv_rd + net->cfg.rcv_buf, r[2 * k + 1]))
                return 10;
    }
    if (nfree + used != net->cfg.max_conns || used != net->conns_used) return 11;
    if (hashed != chained) return 12;
    uint32_t held = 0, refs = 0;
    for (uint32_t i = 0; i < net->cfg.rx_frames; i++) {
        held += net->frames[i].refs != 0;
        refs += net->frames[i].refs;
    }
    uint32_t framed = 0;
    for (uint32_t i = 0; i < net->cfg.max_conns; i++)
        for (uint32_t k = 0; k < net->conns[i].nrx; k++)
            framed += net->rxr[(size_t)i * net->cfg.rx_refs + k].frame != 0;
    if (held != net->frames_held || refs != framed) return 21;
    return 0;
}
