/* sock_fake.c - the message fabric and fake TCP layer of the socket tests. */
#include "sock_fake.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

fab_t *fab_new(void)
{
    fab_t *f = calloc(1, sizeof *f);
    ck_assert_ptr_nonnull(f);
    return f;
}
void fab_free(fab_t *f) { free(f); }

void fab_push(fab_t *f, uint32_t src, uint32_t tile, const uint64_t *w, uint32_t n)
{
    ck_assert_uint_lt(tile, FAB_TILES);
    ck_assert_uint_le(n, 8);
    fab_q_t *q = &f->q[tile];
    ck_assert_uint_lt(q->cnt, FAB_DEPTH);
    fab_msg_t *m = &q->m[(q->head + q->cnt) % FAB_DEPTH];
    m->src = src;
    m->n = n;
    memcpy(m->w, w, n * sizeof(uint64_t));
    q->cnt++;
    uint32_t s = src % FAB_TILES;
    if (++q->from[s] > q->max_from[s]) q->max_from[s] = q->from[s];
    f->sent++;
}

uint32_t fab_pop(fab_t *f, uint32_t tile, uint64_t *w, uint32_t *src)
{
    fab_q_t *q = &f->q[tile];
    if (!q->cnt) return 0;
    fab_msg_t *m = &q->m[q->head];
    q->head = (q->head + 1) % FAB_DEPTH;
    q->cnt--;
    q->from[m->src % FAB_TILES]--;
    memcpy(w, m->w, m->n * sizeof(uint64_t));
    if (src) *src = m->src;
    if (m->n >= 2 && sock_w0_type(m->w[0]) == SOCK_EV_ACCEPTED) f->accepted[tile] = m->w[1];
    return m->n;
}

static void tp_send(void *ctx, uint32_t tile, uint32_t queue, const uint64_t *w, uint32_t n)
{
    fab_port_t *p = ctx;
    ck_assert_uint_eq(queue, 0);
    ck_assert_uint_ge(n, 1);
    ck_assert_uint_le(n, SOCK_MSG_WORDS_MAX);
    fab_push(p->fab, p->tile, tile, w, n);
}

static uint32_t tp_recv(void *ctx, uint32_t queue, uint64_t *w, uint32_t max)
{
    fab_port_t *p = ctx;
    uint64_t tmp[8];
    ck_assert_uint_eq(queue, 0);
    uint32_t n = fab_pop(p->fab, p->tile, tmp, &p->last_src);
    memcpy(w, tmp, (n < max ? n : max) * sizeof(uint64_t));
    return n;
}

static int tp_sender(void *ctx, uint32_t *tile)
{
    fab_port_t *p = ctx;
    *tile = p->last_src;
    return 1;
}

sock_transport_t fab_transport(fab_port_t *p)
{
    sock_transport_t t = { .ctx = p, .send = tp_send, .recv = tp_recv, .wait = NULL,
                           .sender = p->hw_sender ? tp_sender : NULL };
    return t;
}

static int ft_listen(void *ctx, uint16_t port, uint32_t backlog)
{
    ftcp_t *t = ctx;
    (void)backlog;
    if (t->listen_fail || t->listens == 16) return -1;
    t->listen_port[t->listens++] = port;
    return 0;
}
static int ft_send(void *ctx, uint64_t conn, uint64_t addr, uint32_t len)
{
    ftcp_t *t = ctx;
    if (t->send_fail) return -1;
    ck_assert_uint_lt(t->nsends, FT_LOG);
    t->sends[t->nsends++] = (ft_send_t){ conn, addr, len };
    return 0;
}
static int ft_recv(void *ctx, uint64_t conn, sock_rx_t *out)
{
    ftcp_t *t = ctx;
    ck_assert_uint_lt(conn, FT_CONNS);
    ft_conn_t *c = &t->c[conn];
    if (!c->rx_cnt) return 0;
    ft_rx_t *r = &c->rx[c->rx_head];
    c->rx_head = (c->rx_head + 1) % 64;
    c->rx_cnt--;
    out->addr = r->addr;
    out->len = r->len;
    out->token = r->token;
    return 1;
}
static void ft_release(void *ctx, uint64_t conn, uint64_t token)
{
    ftcp_t *t = ctx;
    (void)conn;
    ck_assert_uint_lt(t->nreleased, FT_LOG);
    t->released[t->nreleased++] = token;
}
static void ft_close(void *ctx, uint64_t conn) { ((ftcp_t *)ctx)->c[conn].closed++; }
static void ft_abort(void *ctx, uint64_t conn) { ((ftcp_t *)ctx)->c[conn].aborted++; }

sock_tcp_ops_t ftcp_ops(ftcp_t *t)
{
    sock_tcp_ops_t o = { .ctx = t, .listen = ft_listen, .send = ft_send, .recv = ft_recv,
                         .release = ft_release, .close = ft_close, .abort = ft_abort };
    return o;
}

void ftcp_rx(ftcp_t *t, uint64_t conn, uint64_t addr, uint32_t len, uint64_t token)
{
    ft_conn_t *c = &t->c[conn];
    ck_assert_uint_lt(c->rx_cnt, 64);
    c->rx[(c->rx_head + c->rx_cnt) % 64] = (ft_rx_t){ addr, token, len };
    c->rx_cnt++;
}

int ftcp_released(const ftcp_t *t, uint64_t token)
{
    int n = 0;
    for (uint32_t i = 0; i < t->nreleased; i++) n += t->released[i] == token;
    return n > 1 ? -1 : n;
}
