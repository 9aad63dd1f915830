/* tcp_rx.c - zero-copy receive: the references a connection holds into
 * received frames (or, for frames given by net_input, into its copy ring),
 * sorted by sequence number and never overlapping; in-order ones are handed
 * to the application (net_tcp_read_ref) and released by it
 * (net_tcp_release), and the copy API (net_tcp_recv) reads them out. A
 * frame goes back to the platform when its last reference goes. */
#include "net/tcp_priv.h"

static rx_ref_t *rxr(net_t *net, const tcp_conn_t *c)
{
    return net->rxr + (size_t)(c - net->conns) * net->cfg.rx_refs;
}

/* End of the in-order data (the peer's FIN is not data). */
static uint32_t rx_end(const tcp_conn_t *c) { return c->rcv_nxt - ((c->flags & TF_FIN_RCVD) ? 1u : 0u); }

/* rcv_rd: the first byte still held in order (the window's left edge). */
void tcp_rx_fix_rd(net_t *net, tcp_conn_t *c)
{
    const rx_ref_t *r = rxr(net, c);
    uint32_t end = rx_end(c);
    c->rcv_rd = c->nrx && seq_lt(r[0].seq, end) ? r[0].seq : end;
}

static void ref_put(net_t *net, const rx_ref_t *r)
{
    if (r->frame) net_frame_put(net, r->frame);
}

void tcp_rx_drop(net_t *net, tcp_conn_t *c, int keep_out)
{
    rx_ref_t *r = rxr(net, c);
    uint32_t j = 0;
    for (uint32_t k = 0; k < c->nrx; k++) {
        if (keep_out && r[k].out) r[j++] = r[k];
        else ref_put(net, &r[k]);
    }
    c->nrx = j;
    tcp_rx_fix_rd(net, c);
}

void tcp_rx_drop_from(net_t *net, tcp_conn_t *c, uint32_t seq)
{
    rx_ref_t *r = rxr(net, c);
    while (c->nrx && seq_le(seq, r[c->nrx - 1].seq)) ref_put(net, &r[--c->nrx]);
}

/* Inserts a reference to [seq, seq+len) at position k; in the copy ring the
 * bytes are copied first (two references when they wrap). Returns how many
 * references were inserted. */
static uint32_t rx_insert(net_t *net, tcp_conn_t *c, uint32_t k, uint32_t seq, uint32_t len, const uint8_t *d,
                          uint32_t slot)
{
    rx_ref_t *r = rxr(net, c);
    rx_ref_t a = {seq, len, d, slot, 0}, b = {0, 0, NULL, 0, 0};
    uint32_t n = 1;
    if (!slot) {
        uint32_t size = net->cfg.rcv_buf, off = (seq - (c->irs + 1)) & (size - 1);
        uint8_t *ring = tcp_rcv_ring(net, c);
        ring_put(ring, size, off, d, len);
        a.p = ring + off;
        uint32_t first = min_u32(len, size - off);
        if (first < len) {
            a.len = first;
            b = (rx_ref_t){seq + first, len - first, ring, 0, 0};
            n = 2;
        }
    } else {
        net->frames[slot - 1].refs++;
    }
    if (k < c->nrx) memmove(r + k + n, r + k, (c->nrx - k) * sizeof *r);
    r[k] = a;
    if (n == 2) r[k + 1] = b;
    c->nrx += n;
    return n;
}

/* Copy ring: neighbours contiguous in sequence and memory, neither handed
 * out, become one reference. */
static void rx_merge(net_t *net, tcp_conn_t *c)
{
    rx_ref_t *r = rxr(net, c);
    uint32_t j = 0;
    for (uint32_t k = 1; k < c->nrx; k++) {
        rx_ref_t *a = &r[j], *b = &r[k];
        if (!a->frame && !b->frame && !a->out && !b->out && a->seq + a->len == b->seq && a->p + a->len == b->p)
            a->len += b->len;
        else
            r[++j] = *b;
    }
    if (c->nrx) c->nrx = j + 1;
}

int tcp_rx_store(net_t *net, tcp_conn_t *c, uint32_t seq, const uint8_t *d, uint32_t len)
{
    rx_ref_t *r = rxr(net, c);
    uint32_t e = seq + len, need = 0, s = seq;
    /* The common case: beyond everything held, one new reference. */
    int tail = !c->nrx || seq_le(r[c->nrx - 1].seq + r[c->nrx - 1].len, seq);
    for (uint32_t k = 0; !tail && k < c->nrx && seq_lt(s, e); k++) {
        uint32_t rs = r[k].seq, re = rs + r[k].len;
        if (seq_le(re, s)) continue;
        if (!seq_lt(rs, e)) break;
        if (seq_lt(s, rs)) need++;
        s = re;
    }
    if (seq_lt(s, e)) need++;
    if (!need) return 0;
    int copy = !net->in_ref;
    if (copy && !net->cfg.copy_api) { /* net_input without the copy rings */
        net->cnt.tcp_rx_frame_full++;
        return -1;
    }
    if (c->nrx + need * (copy ? 2u : 1u) > net->cfg.rx_refs) {
        net->cnt.tcp_rx_ref_full++;
        return -1;
    }
    uint32_t slot = 0;
    if (!copy && !(slot = net_frame_hold(net))) {
        net->cnt.tcp_rx_frame_full++;
        return -1;
    }
    s = seq;
    if (tail) {
        rx_insert(net, c, c->nrx, seq, len, d, slot);
        s = e;
    }
    for (uint32_t k = 0; seq_lt(s, e);) {
        if (k == c->nrx) {
            rx_insert(net, c, k, s, e - s, d + (s - seq), slot);
            break;
        }
        uint32_t rs = r[k].seq, re = rs + r[k].len;
        if (seq_le(re, s)) {
            k++;
            continue;
        }
        uint32_t pe = seq_lt(rs, e) ? rs : e;
        if (seq_lt(s, pe)) k += rx_insert(net, c, k, s, pe - s, d + (s - seq), slot);
        if (seq_lt(s, re)) s = re;
        k++;
    }
    if (copy && c->nrx > 1) rx_merge(net, c);
    return 0;
}

/* After bytes were released: a window update when the right edge can move
 * by a useful amount. */
static void rx_opened(net_t *net, tcp_conn_t *c)
{
    uint32_t right = c->rcv_rd + net->cfg.rcv_buf;
    if ((c->state == TCP_ESTABLISHED || c->state == TCP_FIN_WAIT_1 || c->state == TCP_FIN_WAIT_2)
        && seq_lt(c->rcv_adv, right) && right - c->rcv_adv >= min_u32(net->cfg.rcv_buf / 2, 2u * c->mss)) {
        net->cnt.tcp_win_update++;
        c->flags |= TF_ACK_NOW;
        tcp_output(net, c);
    }
    tcp_deliver_events(net);
}

int64_t net_tcp_read_ref(net_t *net, uint32_t h, net_rx_ref_t *ref)
{
    tcp_conn_t *c = tcp_get(net, h);
    if (!c || !ref) return -NET_ENOTCONN;
    rx_ref_t *r = rxr(net, c);
    uint32_t end = rx_end(c);
    for (uint32_t k = 0; k < c->nrx && seq_lt(r[k].seq, end); k++)
        if (!r[k].out) {
            r[k].out = 1;
            ref->data = r[k].p;
            ref->len = r[k].len;
            ref->id = r[k].seq;
            return r[k].len;
        }
    return 0;
}

int net_tcp_release(net_t *net, uint32_t h, uint32_t id)
{
    tcp_conn_t *c = tcp_get(net, h);
    if (!c) return -NET_ENOTCONN;
    rx_ref_t *r = rxr(net, c);
    uint32_t k = 0;
    while (k < c->nrx && !(r[k].out && r[k].seq == id)) k++;
    if (k == c->nrx) {
        net->cnt.tcp_rx_release_bad++;
        return -NET_EINVAL;
    }
    net->now = net->hal.now_ns(net->hal.ctx);
    ref_put(net, &r[k]);
    memmove(r + k, r + k + 1, (c->nrx - k - 1) * sizeof *r);
    c->nrx--;
    tcp_rx_fix_rd(net, c);
    rx_opened(net, c);
    return 0;
}

int64_t net_tcp_rx_held(const net_t *net, uint32_t h)
{
    tcp_conn_t *c = tcp_get(net, h);
    if (!c) return -NET_ENOTCONN;
    const rx_ref_t *r = net->rxr + (size_t)(c - net->conns) * net->cfg.rx_refs;
    int64_t n = 0;
    for (uint32_t k = 0; k < c->nrx; k++) n += r[k].len;
    return n;
}

int64_t net_tcp_recv(net_t *net, uint32_t h, void *buf, uint32_t len)
{
    tcp_conn_t *c = tcp_get(net, h);
    if (!c || (!buf && len)) return -NET_ENOTCONN;
    rx_ref_t *r = rxr(net, c);
    uint32_t end = rx_end(c), n = 0, k = 0;
    for (; n < len && k < c->nrx && seq_lt(r[k].seq, end) && !r[k].out; k++) {
        uint32_t m = min_u32(len - n, r[k].len);
        memcpy((uint8_t *)buf + n, r[k].p, m);
        n += m;
        if (m < r[k].len) {
            r[k].p += m;
            r[k].seq += m;
            r[k].len -= m;
            break;
        }
        ref_put(net, &r[k]);
    }
    if (!n) return 0;
    memmove(r, r + k, (c->nrx - k) * sizeof *r);
    c->nrx -= k;
    net->now = net->hal.now_ns(net->hal.ctx);
    tcp_rx_fix_rd(net, c);
    rx_opened(net, c);
    return n;
}

/* Invariants of the references (net_check): 0 or a number. */
int tcp_rx_check(const net_t *net, const tcp_conn_t *c)
{
    const rx_ref_t *r = net->rxr + (size_t)(c - net->conns) * net->cfg.rx_refs;
    if (c->nrx > net->cfg.rx_refs) return 13;
    for (uint32_t k = 0; k < c->nrx; k++) {
        if (!r[k].len || seq_lt(r[k].seq, c->rcv_rd) || seq_lt(c->rcv_rd + net->cfg.rcv_buf, r[k].seq + r[k].len))
            return 14;
        if (k && seq_lt(r[k].seq, r[k - 1].seq + r[k - 1].len)) return 15;
        if (r[k].frame && (r[k].frame > net->cfg.rx_frames || !net->frames[r[k].frame - 1].refs)) return 16;
        if (r[k].out && !seq_lt(r[k].seq, c->rcv_nxt)) return 17;
    }
    return 0;
}
