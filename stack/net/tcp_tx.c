/* tcp_tx.c - zero-copy send: per connection, a ring of references to the
 * bytes queued and not yet acknowledged (the application's memory, or the
 * copy API's send ring), in sequence order from tx_seq. Segments gather
 * their payload from these references (retransmissions too); acknowledged
 * bytes are trimmed from the front and reported (NET_EV_SENT). */
#include "net/tcp_priv.h"

static tx_ref_t *txr(net_t *net, const tcp_conn_t *c)
{
    return net->txr + (size_t)(c - net->conns) * net->cfg.tx_refs;
}

/* Index i of the ring of cap entries (i < 2 * cap). */
static uint32_t wrap(uint32_t i, uint32_t cap) { return i >= cap ? i - cap : i; }

/* Queues len bytes at p after what is queued (merged with the last
 * reference when adjacent); returns 0, or -1 when no reference is free. */
static int tx_push(net_t *net, tcp_conn_t *c, const uint8_t *p, uint32_t len)
{
    tx_ref_t *t = txr(net, c);
    uint32_t cap = net->cfg.tx_refs;
    if (c->ntx) {
        tx_ref_t *last = &t[wrap(c->tx_head + c->ntx - 1, cap)];
        if (last->p + last->len == p) {
            last->len += len;
            return 0;
        }
    } else {
        c->tx_seq = c->snd_wr;
    }
    if (c->ntx == cap) return -1;
    t[wrap(c->tx_head + c->ntx, cap)] = (tx_ref_t){p, len, 0};
    c->ntx++;
    return 0;
}

static int tx_room(const net_t *net, const tcp_conn_t *c, uint32_t refs) { return c->ntx + refs <= net->cfg.tx_refs; }


void tcp_tx_acked(net_t *net, tcp_conn_t *c)
{
    tx_ref_t *t = txr(net, c);
    uint32_t upto = tcp_snd_start(c), cap = net->cfg.tx_refs;
    uint64_t before = c->sent;
    while (c->ntx && seq_lt(c->tx_seq, upto)) {
        tx_ref_t *h = &t[c->tx_head];
        uint32_t k = min_u32(h->len, upto - c->tx_seq);
        h->p += k;
        h->len -= k;
        c->tx_seq += k;
        c->sent += k;
        if (!h->len) {
            c->tx_head = wrap(c->tx_head + 1, cap);
            c->ntx--;
        }
    }
    if (c->sent != before) tcp_post(net, c, NET_EV_SENT);
}

void tcp_tx_drop(net_t *net, tcp_conn_t *c)
{
    (void)net;
    c->ntx = 0;
    c->tx_head = 0;
}

uint32_t tcp_tx_gather(net_t *net, tcp_conn_t *c, uint32_t seq, uint32_t len, int set)
{
    const tx_ref_t *t = txr(net, c);
    uint32_t cap = net->cfg.tx_refs, n = 0, got = 0;
    if (!c->ntx || seq_lt(seq, c->tx_seq)) return 0;
    uint32_t skip = seq - c->tx_seq;
    for (uint32_t i = 0; i < c->ntx && got < len && n < NET_IOV_MAX; i++) {
        const tx_ref_t *r = &t[wrap(c->tx_head + i, cap)];
        if (skip >= r->len) {
            skip -= r->len;
            continue;
        }
        uint32_t k = min_u32(r->len - skip, len - got);
        if (set) net->iov[n] = (net_iov_t){r->p + skip, k};
        n++;
        got += k;
        skip = 0;
    }
    if (set) {
        net->niov = n;
        net->iov_len = got;
    }
    return got;
}

/* Room for bytes in the send queue (net_tcp_send_space for a valid c). */
static uint32_t tx_space(const net_t *net, const tcp_conn_t *c)
{
    if ((c->flags & TF_FIN_Q) || !(c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT
                                   || c->state == TCP_SYN_SENT || c->state == TCP_SYN_RCVD))
        return 0;
    return net->cfg.snd_buf - tcp_snd_used(c);
}

int64_t net_tcp_send_space(const net_t *net, uint32_t h)
{
    tcp_conn_t *c = tcp_get(net, h);
    return c ? (int64_t)tx_space(net, c) : -NET_ENOTCONN;
}

int64_t net_tcp_send_ref(net_t *net, uint32_t h, const void *data, uint32_t len)
{
    tcp_conn_t *c = tcp_get(net, h);
    if (!c) return -NET_ENOTCONN;
    if (!data) return -NET_EINVAL;
    if (!len || len > tx_space(net, c) || !tx_room(net, c, 1)) return 0;
    net->now = net->hal.now_ns(net->hal.ctx);
    tx_push(net, c, data, len);
    c->snd_wr += len;
    tcp_output(net, c);
    tcp_deliver_events(net);
    return len;
}

int64_t net_tcp_sent(net_t *net, uint32_t h)
{
    tcp_conn_t *c = tcp_get(net, h);
    if (!c) return -NET_ENOTCONN;
    int64_t n = (int64_t)c->sent;
    c->sent = 0;
    return n;
}

/* The copy API's send: into the connection's ring, then by reference. */
int64_t net_tcp_send(net_t *net, uint32_t h, const void *data, uint32_t len)
{
    int64_t space = net_tcp_send_space(net, h);
    if (space < 0) return space;
    if ((!data && len) || !net->cfg.copy_api) return -NET_EINVAL;
    tcp_conn_t *c = tcp_get(net, h);
    uint32_t n = min_u32(len, (uint32_t)space);
    if (!n || !tx_room(net, c, 2)) return 0;
    net->now = net->hal.now_ns(net->hal.ctx);
    uint32_t size = net->cfg.snd_buf, off = (c->snd_wr - (c->iss + 1)) & (size - 1);
    uint8_t *ring = tcp_snd_ring(net, c);
    ring_put(ring, size, off, data, n);
    uint32_t first = min_u32(n, size - off);
    tx_push(net, c, ring + off, first);
    if (first < n) tx_push(net, c, ring, n - first);
    c->snd_wr += n;
    tcp_output(net, c);
    tcp_deliver_events(net);
    return n;
}

/* Invariants (net_check): the references cover [tx_seq, snd_wr) exactly,
 * from the first unacknowledged byte. */
int tcp_tx_check(const net_t *net, const tcp_conn_t *c)
{
    if (c->ntx > net->cfg.tx_refs) return 18;
    if (!c->ntx) return c->snd_wr != tcp_snd_start(c) ? 19 : 0;
    const tx_ref_t *t = net->txr + (size_t)(c - net->conns) * net->cfg.tx_refs;
    uint64_t sum = 0;
    for (uint32_t i = 0; i < c->ntx; i++) sum += t[(c->tx_head + i) % net->cfg.tx_refs].len;
    if (c->tx_seq != tcp_snd_start(c) || sum != c->snd_wr - c->tx_seq) return 20;
    return 0;
}
