/* sock_app.c - the app tile's side of the socket interface: event loop,
 * TX allocator freed in order on SENT, credits, waiting requests (see
 * sock_app.h and abi/sock.h). */
#include "sock/sock_app.h"

#include <string.h>

#define NONE 0xffffffffu
#define ALIGN_UP(x) (((x) + 63u) & ~(size_t)63u)

enum { R_FREE = 0, R_ALLOC, R_SENT };
enum { C_FREE = 0, C_OPEN, C_CLOSING };

typedef struct sa_rec { uint64_t off, size; uint32_t cap, len, conn, next, state; } sa_rec_t;
typedef struct sa_conn { uint64_t h; uint32_t stack, state, first, last; uint64_t acked; } sa_conn_t;
typedef struct sa_stack {
    uint32_t tile, req_avail;
    uint32_t evt_owed, evt_owed_real; /* events taken, not given back (real: not CREDIT) */
} sa_stack_t;
typedef struct sa_req { uint32_t stack, n; uint64_t w[SOCK_MSG_WORDS_MAX]; } sa_req_t;

struct sock_app {
    uint64_t magic;
    sock_app_cfg_t cfg;
    sock_transport_t tp;
    sock_app_cb_t cb;
    uint64_t head, used;          /* TX ring: next free byte, bytes in use */
    uint32_t rec_head, rec_tail;  /* send records, ring of tx_recs */
    uint32_t q_head, q_cnt;       /* waiting requests */
    uint32_t conns_used;
    sa_stack_t *stacks;
    sa_conn_t *conns;
    sa_rec_t *recs;
    sa_req_t *q;
    sock_app_counters_t cnt;
};

static int cfg_ok(const sock_app_cfg_t *c)
{
    if (!c || !c->stacks || c->nstacks == 0 || c->nstacks > SOCK_APP_STACKS_MAX) return 0;
    if (c->req_credits < SOCK_CREDITS_MIN || c->req_credits > SOCK_CREDITS_MAX) return 0;
    if (c->evt_credits < SOCK_CREDITS_MIN || c->evt_credits > SOCK_CREDITS_MAX) return 0;
    if (!c->tx_base || c->tx_size == 0 || (c->tx_size & 7)) return 0;
    if (c->max_conns == 0 || c->max_conns > SOCK_CONNS_MAX) return 0;
    if (c->tx_recs == 0 || (c->tx_recs & (c->tx_recs - 1)) || c->req_queue == 0) return 0;
    if (c->rx_base + c->rx_size < c->rx_base) return 0;
    return 1;
}

static size_t off_stacks(void) { return ALIGN_UP(sizeof(sock_app_t)); }
static size_t off_conns(const sock_app_cfg_t *c) { return off_stacks() + ALIGN_UP(c->nstacks * sizeof(sa_stack_t)); }
static size_t off_recs(const sock_app_cfg_t *c) { return off_conns(c) + ALIGN_UP((size_t)c->max_conns * sizeof(sa_conn_t)); }
static size_t off_q(const sock_app_cfg_t *c) { return off_recs(c) + ALIGN_UP((size_t)c->tx_recs * sizeof(sa_rec_t)); }

size_t sock_app_footprint(const sock_app_cfg_t *c)
{
    if (!cfg_ok(c)) return 0;
    return off_q(c) + ALIGN_UP((size_t)c->req_queue * sizeof(sa_req_t));
}

void *sock_app_new(void *mem, const sock_app_cfg_t *cfg, const sock_transport_t *tp, const sock_app_cb_t *cb)
{
    size_t fp = sock_app_footprint(cfg);
    if (!mem || !fp || ((uintptr_t)mem & (SOCK_APP_ALIGN - 1)) || !tp || !tp->send || !tp->recv || !cb) return NULL;
    memset(mem, 0, fp);
    sock_app_t *app = mem;
    app->cfg = *cfg;
    app->tp = *tp;
    app->cb = *cb;
    app->stacks = (sa_stack_t *)((uint8_t *)mem + off_stacks());
    app->conns = (sa_conn_t *)((uint8_t *)mem + off_conns(cfg));
    app->recs = (sa_rec_t *)((uint8_t *)mem + off_recs(cfg));
    app->q = (sa_req_t *)((uint8_t *)mem + off_q(cfg));
    for (uint32_t s = 0; s < cfg->nstacks; s++) {
        app->stacks[s].tile = cfg->stacks[s];
        app->stacks[s].req_avail = cfg->req_credits;
    }
    app->cfg.stacks = NULL;
    app->magic = SOCK_APP_MAGIC;
    return mem;
}

sock_app_t *sock_app_join(void *mem)
{
    sock_app_t *app = mem;
    return app && app->magic == SOCK_APP_MAGIC ? app : NULL;
}
void *sock_app_leave(sock_app_t *app) { return app; }

const sock_app_counters_t *sock_app_counters(const sock_app_t *app) { return &app->cnt; }
uint64_t sock_app_tx_used(const sock_app_t *app) { return app->used; }
uint32_t sock_app_req_avail(const sock_app_t *app, uint32_t s) { return s < app->cfg.nstacks ? app->stacks[s].req_avail : 0; }
uint32_t sock_app_conns_used(const sock_app_t *app) { return app->conns_used; }
uint32_t sock_app_req_waiting(const sock_app_t *app) { return app->q_cnt; }

/* ---- requests and credits ------------------------------------------------ */

static void send_now(sock_app_t *app, uint32_t s, uint64_t *w, uint32_t n)
{
    sa_stack_t *st = &app->stacks[s];
    uint32_t cr = st->evt_owed > SOCK_CREDITS_MAX ? SOCK_CREDITS_MAX : st->evt_owed;
    w[0] |= (uint64_t)cr << SOCK_W0_CREDITS_SHIFT;
    st->evt_owed -= cr;
    if (st->evt_owed == 0) st->evt_owed_real = 0;
    st->req_avail--;
    app->cnt.req++;
    app->tp.send(app->tp.ctx, st->tile, SOCK_Q_REQ, w, n);
}

/* Sends waiting requests in order while credits last (the last credit of
 * each stack tile is kept for CREDIT). */
static void flush(sock_app_t *app)
{
    while (app->q_cnt) {
        sa_req_t *r = &app->q[app->q_head];
        sa_stack_t *st = &app->stacks[r->stack];
        /* the last credit is kept unless the stack is down to its last */
        if (r->n && st->req_avail < sock_min_avail(st->evt_owed, st->evt_owed, app->cfg.evt_credits)) break;
        if (r->n) send_now(app, r->stack, r->w, r->n); /* n = 0: its connection died meanwhile */
        app->q_head = (app->q_head + 1) % app->cfg.req_queue;
        app->q_cnt--;
    }
    for (uint32_t s = 0; s < app->cfg.nstacks; s++) {
        sa_stack_t *st = &app->stacks[s];
        if (sock_credit_due(st->req_avail, st->evt_owed, st->evt_owed, st->evt_owed_real, app->cfg.evt_credits)) {
            uint64_t w[SOCK_MSG_WORDS_MAX];
            app->cnt.req_credit++;
            send_now(app, s, w, sock_enc_credit_req(w, 0, app->cfg.tile));
        }
    }
}

static int request(sock_app_t *app, uint32_t s, const uint64_t *w, uint32_t n)
{
    if (app->q_cnt == app->cfg.req_queue) return SOCK_APP_EAGAIN;
    sa_req_t *r = &app->q[(app->q_head + app->q_cnt) % app->cfg.req_queue];
    r->stack = s;
    r->n = n;
    memcpy(r->w, w, n * sizeof(uint64_t));
    app->q_cnt++;
    flush(app);
    return 0;
}

static sa_conn_t *conn_get(sock_app_t *app, uint32_t conn)
{
    return conn < app->cfg.max_conns && app->conns[conn].state == C_OPEN ? &app->conns[conn] : NULL;
}

int sock_app_listen(sock_app_t *app, uint32_t s, uint16_t port, uint16_t backlog)
{
    if (s >= app->cfg.nstacks || port == 0 || backlog == 0) return SOCK_APP_EINVAL;
    uint64_t w[SOCK_MSG_WORDS_MAX];
    return request(app, s, w, sock_enc_listen(w, 0, app->cfg.tile, port, backlog));
}

/* ---- TX allocator: a ring over the region, freed in allocation order ----- */

uint8_t *sock_app_tx_alloc(sock_app_t *app, uint32_t len)
{
    uint64_t need = ((uint64_t)len + 7) & ~7ULL, size = app->cfg.tx_size;
    if (len == 0 || need > size) return NULL;
    if (app->rec_head - app->rec_tail == app->cfg.tx_recs) return NULL;
    uint64_t pad = app->head + need <= size ? 0 : size - app->head; /* never split: skip the end */
    if (pad + need > size - app->used) return NULL;
    uint64_t off = pad ? 0 : app->head;
    sa_rec_t *r = &app->recs[app->rec_head & (app->cfg.tx_recs - 1)];
    r->off = off;
    r->size = pad + need;
    r->cap = len;
    r->len = 0;
    r->conn = NONE;
    r->next = NONE;
    r->state = R_ALLOC;
    app->rec_head++;
    app->used += r->size;
    app->head = (off + need) % size;
    return app->cfg.tx_base + off;
}

/* Frees records from the oldest while they are free (in order). */
static void reclaim(sock_app_t *app)
{
    while (app->rec_tail != app->rec_head) {
        sa_rec_t *r = &app->recs[app->rec_tail & (app->cfg.tx_recs - 1)];
        if (r->state != R_FREE) break;
        app->used -= r->size;
        app->rec_tail++;
    }
}

/* SEND, or SEND_RELEASE of rx ref `ref` when batch. */
static int send_req(sock_app_t *app, uint32_t conn, const uint8_t *p, uint32_t len, int batch, uint32_t ref)
{
    sa_conn_t *c = conn_get(app, conn);
    if (!c || len == 0 || p < app->cfg.tx_base || p >= app->cfg.tx_base + app->cfg.tx_size) return SOCK_APP_EINVAL;
    uint64_t off = (uint64_t)(p - app->cfg.tx_base);
    if (batch && off > 0xffffffffu) return SOCK_APP_EINVAL; /* SEND_RELEASE carries 32 bits of offset */
    uint32_t ri = NONE;
    for (uint32_t i = app->rec_head; i != app->rec_tail; i--) { /* newest first: usually the last */
        sa_rec_t *r = &app->recs[(i - 1) & (app->cfg.tx_recs - 1)];
        if (r->state == R_ALLOC && r->off == off) { ri = (i - 1) & (app->cfg.tx_recs - 1); break; }
    }
    if (ri == NONE || len > app->recs[ri].cap) return SOCK_APP_EINVAL;
    uint64_t w[SOCK_MSG_WORDS_MAX];
    uint32_t n = batch ? sock_enc_send_release(w, 0, app->cfg.tile, c->h, (uint32_t)off, len, ref)
                       : sock_enc_send(w, 0, app->cfg.tile, c->h, off, len);
    int rc = request(app, c->stack, w, n);
    if (rc) return rc;
    sa_rec_t *r = &app->recs[ri];
    r->state = R_SENT;
    r->len = len;
    r->conn = conn;
    if (c->last == NONE) c->first = ri; else app->recs[c->last].next = ri;
    c->last = ri;
    return 0;
}

int sock_app_send(sock_app_t *app, uint32_t conn, const uint8_t *p, uint32_t len)
{
    return send_req(app, conn, p, len, 0, 0);
}
int sock_app_send_release(sock_app_t *app, uint32_t conn, const uint8_t *p, uint32_t len, uint32_t ref)
{
    return send_req(app, conn, p, len, 1, ref);
}

/* SENT: the connection's sends are acknowledged in order. */
static void tx_acked(sock_app_t *app, sa_conn_t *c, uint64_t bytes)
{
    c->acked += bytes;
    while (c->first != NONE && c->acked >= app->recs[c->first].len) {
        sa_rec_t *r = &app->recs[c->first];
        c->acked -= r->len;
        r->state = R_FREE;
        c->first = r->next;
    }
    if (c->first == NONE) c->last = NONE;
    reclaim(app);
}

/* RESET or CLOSED: the stack holds no reference any more. */
static void conn_dead(sock_app_t *app, uint32_t conn)
{
    sa_conn_t *c = &app->conns[conn];
    for (uint32_t ri = c->first; ri != NONE; ri = app->recs[ri].next) app->recs[ri].state = R_FREE;
    reclaim(app);
    for (uint32_t i = 0; i < app->q_cnt; i++) { /* its waiting requests would only earn errors */
        sa_req_t *r = &app->q[(app->q_head + i) % app->cfg.req_queue];
        if (r->n >= 2 && r->stack == c->stack && r->w[1] == c->h) r->n = 0;
    }
    c->state = C_FREE;
    c->first = c->last = NONE;
    app->conns_used--;
}

static int conn_req(sock_app_t *app, uint32_t conn, uint32_t type, uint32_t ref)
{
    sa_conn_t *c = conn_get(app, conn);
    if (!c) return SOCK_APP_EINVAL;
    uint64_t w[SOCK_MSG_WORDS_MAX];
    uint32_t n = type == SOCK_REQ_RELEASE ? sock_enc_release(w, 0, app->cfg.tile, c->h, ref)
               : type == SOCK_REQ_CLOSE   ? sock_enc_close(w, 0, app->cfg.tile, c->h)
                                          : sock_enc_abort(w, 0, app->cfg.tile, c->h);
    int rc = request(app, c->stack, w, n);
    if (rc == 0 && type != SOCK_REQ_RELEASE) c->state = C_CLOSING; /* only CLOSED comes now */
    return rc;
}
int sock_app_release(sock_app_t *app, uint32_t conn, uint32_t ref) { return conn_req(app, conn, SOCK_REQ_RELEASE, ref); }
int sock_app_close(sock_app_t *app, uint32_t conn) { return conn_req(app, conn, SOCK_REQ_CLOSE, 0); }
int sock_app_abort(sock_app_t *app, uint32_t conn) { return conn_req(app, conn, SOCK_REQ_ABORT, 0); }

/* ---- events -------------------------------------------------------------- */

static uint32_t find(const sock_app_t *app, uint32_t s, uint64_t h)
{
    for (uint32_t i = 0; i < app->cfg.max_conns; i++)
        if (app->conns[i].state != C_FREE && app->conns[i].h == h && app->conns[i].stack == s) return i;
    return NONE;
}

static void on_accepted(sock_app_t *app, uint32_t s, const uint64_t *w)
{
    uint32_t i = 0;
    while (i < app->cfg.max_conns && app->conns[i].state != C_FREE) i++;
    if (i == app->cfg.max_conns) { /* no room: give the connection up */
        app->cnt.accept_full++;
        uint64_t a[SOCK_MSG_WORDS_MAX];
        request(app, s, a, sock_enc_abort(a, 0, app->cfg.tile, sock_msg_handle(w)));
        return;
    }
    sa_conn_t *c = &app->conns[i];
    c->h = sock_msg_handle(w);
    c->stack = s;
    c->state = C_OPEN;
    c->first = c->last = NONE;
    c->acked = 0;
    app->conns_used++;
    if (app->cb.on_accept)
        app->cb.on_accept(app->cb.ctx, i, sock_accepted_ip(w), sock_accepted_port(w), sock_accepted_lport(w));
}

static void event(sock_app_t *app, const uint64_t *w, uint32_t n)
{
    uint32_t type = sock_w0_type(w[0]), s = 0, tile = sock_w0_sender(w[0]), hw;
    if (app->tp.sender && app->tp.sender(app->tp.ctx, &hw)) tile = hw; /* mesh.sender_id: the true sender */
    while (s < app->cfg.nstacks && app->stacks[s].tile != tile) s++;
    if (s == app->cfg.nstacks || !sock_is_event(type) || n != sock_msg_words(type)) { app->cnt.ev_bad++; return; }
    app->cnt.ev++;
    sa_stack_t *st = &app->stacks[s];
    st->evt_owed++;
    st->evt_owed_real += type != SOCK_EV_CREDIT;
    st->req_avail += sock_w0_credits(w[0]);
    if (st->req_avail > app->cfg.req_credits) { app->cnt.credit_excess++; st->req_avail = app->cfg.req_credits; }
    void *x = app->cb.ctx;
    switch (type) {
    case SOCK_EV_CREDIT: return;
    case SOCK_EV_LISTENING:
        if (app->cb.on_listening) app->cb.on_listening(x, s, sock_listening_port(w));
        return;
    case SOCK_EV_ACCEPTED: on_accepted(app, s, w); return;
    case SOCK_EV_ERROR: {
        uint32_t conn = find(app, s, sock_error_what(w));
        if (app->cb.on_error)
            app->cb.on_error(x, conn, sock_error_req(w), sock_error_code(w), sock_error_count(w));
        return;
    }
    default: break;
    }
    uint32_t conn = find(app, s, sock_msg_handle(w));
    if (conn == NONE) { app->cnt.ev_stale++; return; }
    sa_conn_t *c = &app->conns[conn];
    switch (type) {
    case SOCK_EV_DATA: {
        uint64_t a = sock_data_addr(w), len = sock_data_len(w);
        if (a < app->cfg.rx_base || a - app->cfg.rx_base > app->cfg.rx_size || len > app->cfg.rx_size - (a - app->cfg.rx_base)) {
            app->cnt.ev_bad++;
            return;
        }
        if (c->state == C_OPEN && app->cb.on_data)
            app->cb.on_data(x, conn, (const uint8_t *)(uintptr_t)a, (uint32_t)len, sock_data_ref(w));
        return;
    }
    case SOCK_EV_SENT:
        tx_acked(app, c, sock_sent_bytes(w));
        if (c->state == C_OPEN && app->cb.on_sent) app->cb.on_sent(x, conn, sock_sent_bytes(w));
        return;
    case SOCK_EV_PEER_CLOSED:
        if (c->state == C_OPEN && app->cb.on_peer_closed) app->cb.on_peer_closed(x, conn);
        return;
    case SOCK_EV_RESET:
        conn_dead(app, conn);
        if (app->cb.on_reset) app->cb.on_reset(x, conn);
        return;
    case SOCK_EV_CLOSED:
        conn_dead(app, conn);
        if (app->cb.on_closed) app->cb.on_closed(x, conn);
        return;
    }
}

uint32_t sock_app_poll(sock_app_t *app)
{
    uint64_t w[SOCK_MSG_WORDS_MAX];
    uint32_t got = 0, n;
    while ((n = app->tp.recv(app->tp.ctx, SOCK_Q_EVT, w, SOCK_MSG_WORDS_MAX)) != 0) {
        for (uint32_t i = n; i < SOCK_MSG_WORDS_MAX; i++) w[i] = 0;
        event(app, w, n);
        got++;
    }
    flush(app);
    return got;
}

uint32_t sock_app_run_once(sock_app_t *app)
{
    uint32_t got = sock_app_poll(app);
    if (!got && app->tp.wait) app->tp.wait(app->tp.ctx);
    return got;
}
