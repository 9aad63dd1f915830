/* sock_stack.c - the stack tile's side of the socket interface: request
 * validation with a counter per failed check, credits, the handle table and
 * event output (see sock_stack.h and abi/sock.h). */
#include "sock/sock_stack.h"

#include <string.h>

enum { CS_FREE = 0, CS_OPEN, CS_CLOSING, CS_DYING }; /* DYING: terminal event not yet sent */
enum { P_ACCEPT = 1, P_READABLE = 2, P_PEER_FIN = 4, P_RESET = 8, P_CLOSED = 16 };

typedef struct ss_ref { uint64_t token; uint32_t ref; uint32_t held; } ss_ref_t;

typedef struct ss_conn {
    uint64_t tcp;
    uint64_t sent;      /* acknowledged bytes not yet reported */
    uint32_t nonce;
    uint16_t gen, owner; /* owner: app slot */
    uint8_t  state, pend, dirty, pad;
    uint16_t lport, peer_port;
    uint32_t peer_ip;
    uint32_t next_ref;  /* the next DATA event's ref */
    uint32_t held;      /* refs held by the app */
    uint32_t next_dirty;
} ss_conn_t;

typedef struct ss_ctrl { uint32_t type, code, req; uint64_t what; } ss_ctrl_t;

typedef struct ss_app {
    sock_stack_app_t cfg;
    uint32_t req_out;     /* requests counted here, not yet given back */
    uint32_t req_owed;    /* of those, carried out and owed back now */
    uint32_t req_owed_real; /* of those, not CREDIT requests */
    uint32_t evt_avail;   /* events we may still send */
    uint32_t evt_out;     /* events sent, not yet given back */
    uint32_t nocredit;    /* requests dropped for credit, not yet reported */
    uint32_t ctrl_head, ctrl_cnt;
    uint32_t dirty_head, dirty_tail; /* connections with events to send, FIFO */
    uint32_t act_next;    /* next in the list of apps to visit, while active */
    uint32_t active;
} ss_app_t;

typedef struct ss_listen { uint16_t port, used; uint32_t app, rr; } ss_listen_t;

struct sock_stack {
    uint64_t magic;
    sock_stack_cfg_t cfg;
    sock_transport_t tp;
    sock_tcp_ops_t tcp;
    uint64_t rng;
    uint32_t free_head, used;
    uint32_t act_head, act_tail, act_n; /* apps that may have events to send, FIFO */
    ss_app_t *apps;
    ss_conn_t *conns;
    ss_ref_t *refs;     /* max_conns * rx_refs */
    ss_ctrl_t *ctrl;    /* napps * req_credits */
    uint32_t *slot_of;  /* tile -> app slot (NONE), tiles 0 .. max_tile */
    uint32_t max_tile;
    ss_listen_t listen[SOCK_STACK_LISTEN_MAX];
    sock_stack_counters_t cnt;
};

#define NONE 0xffffffffu
#define ALIGN_UP(x) (((x) + 63u) & ~(size_t)63u)

static const char *const counter_names[] = {
#define N(name, text) #name,
    SOCK_STACK_COUNTERS(N)
#undef N
};
static const char *const counter_texts[] = {
#define T(name, text) text,
    SOCK_STACK_COUNTERS(T)
#undef T
};
const char *sock_stack_counter_name(unsigned i) { return i < SOCK_STACK_COUNTER_CNT ? counter_names[i] : NULL; }
const char *sock_stack_counter_text(unsigned i) { return i < SOCK_STACK_COUNTER_CNT ? counter_texts[i] : NULL; }

static int cfg_ok(const sock_stack_cfg_t *c)
{
    if (!c || !c->apps || c->napps == 0 || c->napps > SOCK_STACK_APPS_MAX) return 0;
    if (c->max_conns == 0 || c->max_conns > SOCK_CONNS_MAX) return 0;
    if (c->rx_refs == 0 || c->rx_refs > 256 || (c->rx_refs & (c->rx_refs - 1))) return 0;
    if (c->req_credits < SOCK_CREDITS_MIN || c->req_credits > SOCK_CREDITS_MAX) return 0;
    if (c->evt_credits < SOCK_CREDITS_MIN || c->evt_credits > SOCK_CREDITS_MAX) return 0;
    for (uint32_t a = 0; a < c->napps; a++) {
        if (c->apps[a].tile > 0xffffu || c->apps[a].tx_base + c->apps[a].tx_size < c->apps[a].tx_base) return 0;
        for (uint32_t b = 0; b < a; b++)
            if (c->apps[b].tile == c->apps[a].tile) return 0;
    }
    return 1;
}

static size_t off_apps(void) { return ALIGN_UP(sizeof(sock_stack_t)); }
static size_t off_conns(const sock_stack_cfg_t *c) { return off_apps() + ALIGN_UP(c->napps * sizeof(ss_app_t)); }
static size_t off_refs(const sock_stack_cfg_t *c) { return off_conns(c) + ALIGN_UP((size_t)c->max_conns * sizeof(ss_conn_t)); }
static size_t off_ctrl(const sock_stack_cfg_t *c)
{
    return off_refs(c) + ALIGN_UP((size_t)c->max_conns * c->rx_refs * sizeof(ss_ref_t));
}

static uint32_t max_tile(const sock_stack_cfg_t *c)
{
    uint32_t m = 0;
    for (uint32_t a = 0; a < c->napps; a++)
        if (c->apps[a].tile > m) m = c->apps[a].tile;
    return m;
}
static size_t off_map(const sock_stack_cfg_t *c)
{
    return off_ctrl(c) + ALIGN_UP((size_t)c->napps * c->req_credits * sizeof(ss_ctrl_t));
}

size_t sock_stack_footprint(const sock_stack_cfg_t *c)
{
    if (!cfg_ok(c)) return 0;
    return off_map(c) + ALIGN_UP(((size_t)max_tile(c) + 1) * sizeof(uint32_t));
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void *sock_stack_new(void *mem, const sock_stack_cfg_t *cfg, const sock_transport_t *tp, const sock_tcp_ops_t *tcp)
{
    size_t fp = sock_stack_footprint(cfg);
    if (!mem || !fp || ((uintptr_t)mem & (SOCK_STACK_ALIGN - 1))) return NULL;
    if (!tp || !tp->send || !tp->recv) return NULL;
    if (!tcp || !tcp->listen || !tcp->send || !tcp->recv || !tcp->release || !tcp->close || !tcp->abort) return NULL;
    memset(mem, 0, fp);
    sock_stack_t *ss = mem;
    ss->cfg = *cfg;
    ss->tp = *tp;
    ss->tcp = *tcp;
    ss->rng = cfg->seed;
    ss->apps = (ss_app_t *)((uint8_t *)mem + off_apps());
    ss->conns = (ss_conn_t *)((uint8_t *)mem + off_conns(cfg));
    ss->refs = (ss_ref_t *)((uint8_t *)mem + off_refs(cfg));
    ss->ctrl = (ss_ctrl_t *)((uint8_t *)mem + off_ctrl(cfg));
    ss->slot_of = (uint32_t *)((uint8_t *)mem + off_map(cfg));
    ss->max_tile = max_tile(cfg);
    for (uint32_t t = 0; t <= ss->max_tile; t++) ss->slot_of[t] = NONE;
    for (uint32_t a = 0; a < cfg->napps; a++) ss->slot_of[cfg->apps[a].tile] = a;
    for (uint32_t a = 0; a < cfg->napps; a++) {
        ss->apps[a].cfg = cfg->apps[a];
        ss->apps[a].evt_avail = cfg->evt_credits;
        ss->apps[a].dirty_head = ss->apps[a].dirty_tail = NONE;
    }
    ss->cfg.apps = NULL; /* copied above; the caller's array need not live on */
    for (uint32_t i = 0; i < cfg->max_conns; i++) {
        ss->conns[i].next_dirty = i + 1 < cfg->max_conns ? i + 1 : NONE; /* free list while free */
        ss->conns[i].gen = (uint16_t)(splitmix(&ss->rng) & 0xffffu); /* a fresh table names no old handle */
    }
    ss->free_head = 0;
    ss->act_head = ss->act_tail = NONE;
    ss->magic = SOCK_STACK_MAGIC;
    return mem;
}

sock_stack_t *sock_stack_join(void *mem)
{
    sock_stack_t *ss = mem;
    return ss && ss->magic == SOCK_STACK_MAGIC ? ss : NULL;
}
void *sock_stack_leave(sock_stack_t *ss) { return ss; }

const sock_stack_counters_t *sock_stack_counters(const sock_stack_t *ss) { return &ss->cnt; }
uint32_t sock_stack_conns_used(const sock_stack_t *ss) { return ss->used; }
uint32_t sock_stack_evt_avail(const sock_stack_t *ss, uint32_t a) { return a < ss->cfg.napps ? ss->apps[a].evt_avail : 0; }
uint32_t sock_stack_req_outstanding(const sock_stack_t *ss, uint32_t a) { return a < ss->cfg.napps ? ss->apps[a].req_out : 0; }
uint32_t sock_stack_replies_waiting(const sock_stack_t *ss, uint32_t a)
{
    return a < ss->cfg.napps ? ss->apps[a].ctrl_cnt + (ss->apps[a].nocredit != 0) : 0;
}

static uint32_t app_of_tile(const sock_stack_t *ss, uint32_t tile)
{
    return tile <= ss->max_tile ? ss->slot_of[tile] : NONE;
}

static ss_ref_t *conn_refs(sock_stack_t *ss, uint32_t idx) { return ss->refs + (size_t)idx * ss->cfg.rx_refs; }
static uint64_t conn_handle(const sock_stack_t *ss, uint32_t idx)
{
    const ss_conn_t *c = &ss->conns[idx];
    return sock_handle(c->nonce, c->gen, idx);
}

/* ---- event side ---------------------------------------------------------- */

/* App slot a may have something to send: visited by the next output. Only
 * what changes an app's state marks it (a request from it, an upcall on
 * its connection, a reply), so an output costs the active apps, not all. */
static void mark_app(sock_stack_t *ss, uint32_t a)
{
    ss_app_t *ap = &ss->apps[a];
    if (ap->active) return;
    ap->active = 1;
    ap->act_next = NONE;
    if (ss->act_tail == NONE) ss->act_head = a; else ss->apps[ss->act_tail].act_next = a;
    ss->act_tail = a;
    ss->act_n++;
}

static void mark_dirty(sock_stack_t *ss, uint32_t idx, uint32_t pend)
{
    ss_conn_t *c = &ss->conns[idx];
    c->pend |= (uint8_t)pend;
    if (c->dirty) return;
    ss_app_t *a = &ss->apps[c->owner];
    mark_app(ss, c->owner);
    c->dirty = 1;
    c->next_dirty = NONE;
    if (a->dirty_tail == NONE) a->dirty_head = idx; else ss->conns[a->dirty_tail].next_dirty = idx;
    a->dirty_tail = idx;
}

/* Replies (LISTENING, ERROR) wait in a ring of req_credits entries per app
 * tile: each holds back the credit of the request it answers until it is
 * sent, so the ring cannot overflow. */
static void ctrl_push(sock_stack_t *ss, uint32_t a, uint32_t type, uint32_t req, uint32_t code, uint64_t what)
{
    ss_app_t *ap = &ss->apps[a];
    ss_ctrl_t *e = &ss->ctrl[(size_t)a * ss->cfg.req_credits + (ap->ctrl_head + ap->ctrl_cnt) % ss->cfg.req_credits];
    e->type = type;
    e->req = req;
    e->code = code;
    e->what = what;
    ap->ctrl_cnt++;
    mark_app(ss, a);
}

static void emit(sock_stack_t *ss, uint32_t a, uint64_t *w, uint32_t n)
{
    ss_app_t *ap = &ss->apps[a];
    uint32_t cr = ap->req_owed > SOCK_CREDITS_MAX ? SOCK_CREDITS_MAX : ap->req_owed;
    w[0] |= (uint64_t)cr << SOCK_W0_CREDITS_SHIFT;
    ap->req_owed -= cr;
    ap->req_out -= cr;
    if (ap->req_owed == 0) ap->req_owed_real = 0;
    ap->evt_avail--;
    ap->evt_out++;
    ss->cnt.sock_ev++;
    ss->tp.send(ss->tp.ctx, ap->cfg.tile, SOCK_Q_EVT, w, n);
}

static void conn_free(sock_stack_t *ss, uint32_t idx)
{
    ss_conn_t *c = &ss->conns[idx];
    c->state = CS_FREE;
    c->gen++;
    c->nonce = 0;
    c->next_dirty = ss->free_head;
    ss->free_head = idx;
    ss->used--;
}

static void release_all(sock_stack_t *ss, uint32_t idx)
{
    ss_conn_t *c = &ss->conns[idx];
    ss_ref_t *r = conn_refs(ss, idx);
    for (uint32_t i = 0; i < ss->cfg.rx_refs; i++)
        if (r[i].held) {
            r[i].held = 0;
            ss->tcp.release(ss->tcp.ctx, c->tcp, r[i].token);
        }
    c->held = 0;
}

/* One event of connection idx, by order: accepted, data, sent, peer closed,
 * then the terminal reset or closed. Returns 1 when it sent one. */
static int conn_emit(sock_stack_t *ss, uint32_t idx, uint64_t *w)
{
    ss_conn_t *c = &ss->conns[idx];
    uint32_t me = ss->cfg.tile;
    uint64_t h = conn_handle(ss, idx);
    if (c->pend & P_ACCEPT) {
        c->pend &= (uint8_t)~P_ACCEPT;
        emit(ss, c->owner, w, sock_enc_accepted(w, 0, me, h, c->peer_ip, c->peer_port, c->lport));
        return 1;
    }
    if (c->pend & P_RESET) { /* terminal: nothing else is reported */
        emit(ss, c->owner, w, sock_enc_conn_ev(w, SOCK_EV_RESET, 0, me, h));
        conn_free(ss, idx);
        return 1;
    }
    if ((c->pend & P_READABLE) && c->state == CS_OPEN) {
        /* ref n takes slot n mod rx_refs; while an older ref still holds it
         * the bytes stay in TCP, until a RELEASE marks the connection again */
        ss_ref_t *r = &conn_refs(ss, idx)[c->next_ref & (ss->cfg.rx_refs - 1)];
        sock_rx_t rx;
        if (!r->held) {
            if (ss->tcp.recv(ss->tcp.ctx, c->tcp, &rx) == 1) {
                r->held = 1;
                r->ref = c->next_ref;
                r->token = rx.token;
                c->held++;
                emit(ss, c->owner, w, sock_enc_data(w, 0, me, h, rx.addr, rx.len, c->next_ref++));
                return 1;
            }
            c->pend &= (uint8_t)~P_READABLE; /* all read */
        }
    }
    if (c->sent && c->state == CS_OPEN) {
        uint32_t b = c->sent > 0xffffffffu ? 0xffffffffu : (uint32_t)c->sent;
        c->sent -= b;
        emit(ss, c->owner, w, sock_enc_sent(w, 0, me, h, b));
        return 1;
    }
    if ((c->pend & P_PEER_FIN) && !(c->pend & P_READABLE) && c->state == CS_OPEN) {
        c->pend &= (uint8_t)~P_PEER_FIN;
        emit(ss, c->owner, w, sock_enc_conn_ev(w, SOCK_EV_PEER_CLOSED, 0, me, h));
        return 1;
    }
    if (c->pend & P_CLOSED) {
        emit(ss, c->owner, w, sock_enc_conn_ev(w, SOCK_EV_CLOSED, 0, me, h));
        conn_free(ss, idx);
        return 1;
    }
    return 0;
}

static int conn_has_work(const sock_stack_t *ss, uint32_t idx)
{
    const ss_conn_t *c = &ss->conns[idx];
    if (c->state == CS_FREE) return 0;
    if (c->pend & (P_ACCEPT | P_RESET | P_CLOSED)) return 1;
    if (c->state != CS_OPEN) return 0;
    return (c->pend & (P_READABLE | P_PEER_FIN)) || c->sent;
}

static uint32_t app_output(sock_stack_t *ss, uint32_t a)
{
    ss_app_t *ap = &ss->apps[a];
    uint64_t w[SOCK_MSG_WORDS_MAX];
    uint32_t n = 0, me = ss->cfg.tile;
    /* The last credit is kept, unless the app is down to its last or none:
     * then an event that gives some back may take it (abi/sock.h). A reply
     * gives back at least its own request's credit. */
    for (;;) {
        uint32_t owed = ap->req_owed + (ap->ctrl_cnt ? 1u : 0u);
        if (ap->evt_avail < sock_min_avail(ap->req_out, owed, ss->cfg.req_credits)) break;
        if (ap->ctrl_cnt) {
            ss_ctrl_t *e = &ss->ctrl[(size_t)a * ss->cfg.req_credits + ap->ctrl_head];
            ap->ctrl_head = (ap->ctrl_head + 1) % ss->cfg.req_credits;
            ap->ctrl_cnt--;
            ap->req_owed++; /* the answered request's credit goes back with its answer */
            ap->req_owed_real++;
            if (e->type == SOCK_EV_LISTENING) {
                emit(ss, a, w, sock_enc_listening(w, 0, me, (uint16_t)e->what));
            } else {
                ss->cnt.sock_err_ev++;
                emit(ss, a, w, sock_enc_error(w, 0, me, e->req, e->code, 1, e->what));
            }
        } else if (ap->nocredit) {
            ss->cnt.sock_err_ev++;
            emit(ss, a, w, sock_enc_error(w, 0, me, 0, SOCK_ERR_NO_CREDIT, ap->nocredit, 0));
            ap->nocredit = 0;
        } else if (ap->dirty_head != NONE) {
            uint32_t idx = ap->dirty_head;
            ss_conn_t *c = &ss->conns[idx];
            ap->dirty_head = c->next_dirty;
            if (ap->dirty_head == NONE) ap->dirty_tail = NONE;
            c->dirty = 0;
            if (!conn_emit(ss, idx, w)) continue;
            n++;
            if (conn_has_work(ss, idx)) mark_dirty(ss, idx, 0); /* round robin between connections */
            continue;
        } else {
            break;
        }
        n++;
    }
    if (sock_credit_due(ap->evt_avail, ap->req_out, ap->req_owed, ap->req_owed_real, ss->cfg.req_credits)) {
        emit(ss, a, w, sock_enc_credit_ev(w, 0, me));
        n++;
    }
    return n;
}

/* Visits the apps marked before this call, in order; each sends what its
 * credits allow and leaves the list (what could change that marks it
 * again; one marked while visited waits for the next call). */
uint32_t sock_stack_output(sock_stack_t *ss)
{
    uint32_t n = 0;
    for (uint32_t k = ss->act_n; k > 0; k--) {
        uint32_t a = ss->act_head;
        ss_app_t *ap = &ss->apps[a];
        ss->act_head = ap->act_next;
        if (ss->act_head == NONE) ss->act_tail = NONE;
        ss->act_n--;
        ap->active = 0;
        n += app_output(ss, a);
    }
    return n;
}

/* ---- request side -------------------------------------------------------- */

static void reject(sock_stack_t *ss, uint32_t a, uint64_t *counter, uint32_t req, uint32_t code, uint64_t what)
{
    (*counter)++;
    ctrl_push(ss, a, SOCK_EV_ERROR, req, code, what);
}

/* The handle names a live connection of app slot a: index in range,
 * generation and nonce of the live connection, owner == claimed sender. */
static int check_handle(sock_stack_t *ss, uint32_t a, uint32_t type, uint64_t h, uint32_t *idx)
{
    uint32_t i = sock_handle_index(h);
    if (i >= ss->cfg.max_conns) { reject(ss, a, &ss->cnt.sock_bad_handle, type, SOCK_ERR_BAD_HANDLE, h); return 0; }
    ss_conn_t *c = &ss->conns[i];
    if (c->state == CS_FREE || c->gen != sock_handle_gen(h) || c->nonce != sock_handle_nonce(h)) {
        reject(ss, a, &ss->cnt.sock_bad_handle, type, SOCK_ERR_BAD_HANDLE, h);
        return 0;
    }
    if (c->owner != a) { reject(ss, a, &ss->cnt.sock_not_owner, type, SOCK_ERR_NOT_OWNER, h); return 0; }
    *idx = i;
    return 1;
}

static void do_listen(sock_stack_t *ss, uint32_t a, const uint64_t *w)
{
    uint16_t port = sock_listen_port(w), backlog = sock_listen_backlog(w);
    if (port == 0 || backlog == 0) { reject(ss, a, &ss->cnt.sock_bad_arg, SOCK_REQ_LISTEN, SOCK_ERR_BAD_ARG, port); return; }
    int have = 0;
    ss_listen_t *slot = NULL;
    for (uint32_t i = 0; i < SOCK_STACK_LISTEN_MAX; i++) {
        ss_listen_t *l = &ss->listen[i];
        if (l->used && l->port == port) {
            if (ss->apps[l->app].cfg.app != ss->apps[a].cfg.app) { /* another application's port */
                reject(ss, a, &ss->cnt.sock_port_taken, SOCK_REQ_LISTEN, SOCK_ERR_PORT_TAKEN, port);
                return;
            }
            have = 1;
            if (l->app == a) { slot = l; break; } /* again: answered, nothing changes */
        }
        if (!l->used && !slot) slot = l;
    }
    if (!slot) { reject(ss, a, &ss->cnt.sock_listen_full, SOCK_REQ_LISTEN, SOCK_ERR_TCP, port); return; }
    if (!have && ss->tcp.listen(ss->tcp.ctx, port, backlog) < 0) {
        reject(ss, a, &ss->cnt.sock_tcp_refused, SOCK_REQ_LISTEN, SOCK_ERR_TCP, port);
        return;
    }
    slot->used = 1;
    slot->port = port;
    slot->app = a;
    ss->cnt.sock_req_ok++;
    ctrl_push(ss, a, SOCK_EV_LISTENING, SOCK_REQ_LISTEN, 0, port);
}

/* The slot of rx ref `ref` of connection idx when the app holds it. */
static ss_ref_t *held_ref(sock_stack_t *ss, uint32_t idx, uint32_t ref)
{
    ss_ref_t *r = &conn_refs(ss, idx)[ref & (ss->cfg.rx_refs - 1)];
    return r->held && r->ref == ref ? r : NULL;
}
static void release_ref(sock_stack_t *ss, uint32_t idx, ss_ref_t *r)
{
    ss_conn_t *c = &ss->conns[idx];
    r->held = 0;
    c->held--;
    ss->tcp.release(ss->tcp.ctx, c->tcp, r->token);
    mark_dirty(ss, idx, P_READABLE); /* a ref slot is free: more data may go out */
}

static int do_conn_req(sock_stack_t *ss, uint32_t a, uint32_t type, const uint64_t *w)
{
    uint32_t idx;
    uint64_t h = sock_msg_handle(w);
    if (!check_handle(ss, a, type, h, &idx)) return 0;
    ss_conn_t *c = &ss->conns[idx];
    const ss_app_t *ap = &ss->apps[a];
    switch (type) {
    case SOCK_REQ_SEND: {
        uint32_t len = sock_send_len(w);
        uint64_t off = sock_send_off(w);
        if (len == 0) { reject(ss, a, &ss->cnt.sock_bad_arg, type, SOCK_ERR_BAD_ARG, h); return 0; }
        /* inside the owner's region, written so that nothing can overflow */
        if (off >= ap->cfg.tx_size || len > ap->cfg.tx_size - off) {
            reject(ss, a, &ss->cnt.sock_tx_range, type, SOCK_ERR_TX_RANGE, h);
            return 0;
        }
        if (c->state != CS_OPEN) { reject(ss, a, &ss->cnt.sock_bad_state, type, SOCK_ERR_BAD_STATE, h); return 0; }
        if (ss->tcp.send(ss->tcp.ctx, c->tcp, ap->cfg.tx_base + off, len) < 0) {
            reject(ss, a, &ss->cnt.sock_tcp_refused, type, SOCK_ERR_TCP, h);
            return 0;
        }
        return 1;
    }
    case SOCK_REQ_SEND_RELEASE: { /* all checked before either is done */
        uint32_t len = sock_send_len(w);
        uint64_t off = sock_sendrel_off(w);
        if (len == 0) { reject(ss, a, &ss->cnt.sock_bad_arg, type, SOCK_ERR_BAD_ARG, h); return 0; }
        if (off >= ap->cfg.tx_size || len > ap->cfg.tx_size - off) {
            reject(ss, a, &ss->cnt.sock_tx_range, type, SOCK_ERR_TX_RANGE, h);
            return 0;
        }
        if (c->state != CS_OPEN) { reject(ss, a, &ss->cnt.sock_bad_state, type, SOCK_ERR_BAD_STATE, h); return 0; }
        ss_ref_t *r = held_ref(ss, idx, sock_sendrel_ref(w));
        if (!r) { reject(ss, a, &ss->cnt.sock_bad_ref, type, SOCK_ERR_BAD_REF, h); return 0; }
        int sent = ss->tcp.send(ss->tcp.ctx, c->tcp, ap->cfg.tx_base + off, len);
        release_ref(ss, idx, r);
        if (sent < 0) { reject(ss, a, &ss->cnt.sock_tcp_refused, type, SOCK_ERR_TCP, h); return 0; }
        return 1;
    }
    case SOCK_REQ_RELEASE: {
        if (c->state != CS_OPEN) { reject(ss, a, &ss->cnt.sock_bad_state, type, SOCK_ERR_BAD_STATE, h); return 0; }
        ss_ref_t *r = held_ref(ss, idx, sock_release_ref(w));
        if (!r) { reject(ss, a, &ss->cnt.sock_bad_ref, type, SOCK_ERR_BAD_REF, h); return 0; }
        release_ref(ss, idx, r);
        return 1;
    }
    case SOCK_REQ_CLOSE:
    case SOCK_REQ_ABORT:
        /* the app's close crossed the peer's reset (its RESET event is on
         * its way): the connection is already gone, nothing to refuse */
        if (c->state == CS_DYING && (c->pend & P_RESET || !c->pend)) { ss->cnt.sock_close_after_reset++; return 1; }
        if (c->state != CS_OPEN) { reject(ss, a, &ss->cnt.sock_bad_state, type, SOCK_ERR_BAD_STATE, h); return 0; }
        release_all(ss, idx); /* the app gives up its references with the handle */
        c->state = CS_CLOSING;
        c->pend &= (uint8_t)~(P_READABLE | P_PEER_FIN);
        c->sent = 0;
        if (type == SOCK_REQ_CLOSE) ss->tcp.close(ss->tcp.ctx, c->tcp); else ss->tcp.abort(ss->tcp.ctx, c->tcp);
        return 1;
    }
    return 0;
}

/* One message of n words (the transport's count). */
static void request(sock_stack_t *ss, const uint64_t *w, uint32_t n)
{
    ss->cnt.sock_req++;
    uint32_t type = sock_w0_type(w[0]);
    uint32_t tile = sock_w0_sender(w[0]), hw;
    if (ss->tp.sender && ss->tp.sender(ss->tp.ctx, &hw)) { /* mesh.sender_id: the truth, not the claim */
        if (hw != tile) ss->cnt.sock_sender_forged++;
        tile = hw;
    }
    uint32_t a = app_of_tile(ss, tile);
    if (a == NONE) { ss->cnt.sock_not_app++; return; }
    ss_app_t *ap = &ss->apps[a];
    mark_app(ss, a); /* its credits or replies may change */
    if (ap->req_out >= ss->cfg.req_credits) { /* beyond credits: reported once for many */
        ss->cnt.sock_no_credit++;
        ap->nocredit++;
        return;
    }
    ap->req_out++;
    /* Credits given back: at most the events sent and not yet given back. */
    uint32_t cr = sock_w0_credits(w[0]);
    if (cr > ap->evt_out) { ss->cnt.sock_credit_excess++; cr = ap->evt_out; }
    ap->evt_out -= cr;
    ap->evt_avail += cr;
    uint32_t want = sock_msg_words(type);
    if (!sock_is_request(type)) { reject(ss, a, &ss->cnt.sock_bad_type, type, SOCK_ERR_BAD_TYPE, 0); return; }
    uint64_t what = n >= 2 ? w[1] : 0;
    if (n != want) { reject(ss, a, &ss->cnt.sock_bad_len, type, SOCK_ERR_BAD_LEN, what); return; }
    if (sock_w0_arg(w[0]) & sock_req_arg_reserved(type)) {
        reject(ss, a, &ss->cnt.sock_bad_arg, type, SOCK_ERR_BAD_ARG, what);
        return;
    }
    int ok;
    switch (type) {
    case SOCK_REQ_LISTEN: do_listen(ss, a, w); return; /* answered either way */
    case SOCK_REQ_CREDIT: ok = 1; break;
    default: ok = do_conn_req(ss, a, type, w); break;
    }
    if (ok) {
        ss->cnt.sock_req_ok++;
        ap->req_owed++;
        ap->req_owed_real += type != SOCK_REQ_CREDIT;
    }
}

uint32_t sock_stack_input(sock_stack_t *ss, uint32_t budget)
{
    uint64_t w[SOCK_MSG_WORDS_MAX];
    uint32_t got = 0;
    while (got < budget) {
        uint32_t n = ss->tp.recv(ss->tp.ctx, SOCK_Q_REQ, w, SOCK_MSG_WORDS_MAX);
        if (n == 0) break;
        for (uint32_t i = n; i < SOCK_MSG_WORDS_MAX; i++) w[i] = 0; /* short messages read zeros, never stale words */
        request(ss, w, n);
        got++;
    }
    return got;
}

/* ---- TCP upcalls --------------------------------------------------------- */

int32_t sock_stack_tcp_accept(sock_stack_t *ss, uint64_t tcp_conn, uint16_t lport, uint32_t peer_ip, uint16_t peer_port)
{
    return sock_stack_tcp_accept_app(ss, tcp_conn, lport, peer_ip, peer_port, SOCK_STACK_ANY_APP);
}

uint32_t sock_stack_conn_app(const sock_stack_t *ss, uint32_t idx)
{
    return idx < ss->cfg.max_conns ? ss->conns[idx].owner : 0;
}

int32_t sock_stack_tcp_accept_app(sock_stack_t *ss, uint64_t tcp_conn, uint16_t lport, uint32_t peer_ip,
                                  uint16_t peer_port, uint32_t app)
{
    /* The app tiles listening on lport take new connections in turn, or
     * only the one named. */
    ss_listen_t *pick = NULL;
    for (uint32_t i = 0; i < SOCK_STACK_LISTEN_MAX; i++) {
        ss_listen_t *l = &ss->listen[i];
        if (!l->used || l->port != lport || (app != SOCK_STACK_ANY_APP && l->app != app)) continue;
        if (!pick || l->rr < pick->rr) pick = l;
    }
    if (!pick || ss->free_head == NONE) { ss->cnt.sock_accept_drop++; return -1; }
    pick->rr++;
    uint32_t idx = ss->free_head;
    ss_conn_t *c = &ss->conns[idx];
    ss->free_head = c->next_dirty;
    ss->used++;
    uint16_t gen = c->gen;
    memset(c, 0, sizeof *c);
    c->gen = gen;
    do c->nonce = (uint32_t)splitmix(&ss->rng); while (c->nonce == 0);
    c->tcp = tcp_conn;
    c->owner = (uint16_t)pick->app;
    c->state = CS_OPEN;
    c->lport = lport;
    c->peer_ip = peer_ip;
    c->peer_port = peer_port;
    c->next_dirty = NONE;
    memset(conn_refs(ss, idx), 0, ss->cfg.rx_refs * sizeof(ss_ref_t));
    mark_dirty(ss, idx, P_ACCEPT);
    return (int32_t)idx;
}

static ss_conn_t *live(sock_stack_t *ss, uint32_t idx)
{
    return idx < ss->cfg.max_conns && ss->conns[idx].state != CS_FREE ? &ss->conns[idx] : NULL;
}

void sock_stack_tcp_readable(sock_stack_t *ss, uint32_t idx)
{
    ss_conn_t *c = live(ss, idx);
    if (c && c->state == CS_OPEN) mark_dirty(ss, idx, P_READABLE);
}
void sock_stack_tcp_sent(sock_stack_t *ss, uint32_t idx, uint32_t bytes)
{
    ss_conn_t *c = live(ss, idx);
    if (!c || c->state != CS_OPEN || !bytes) return; /* after CLOSE, CLOSED frees everything */
    c->sent += bytes;
    mark_dirty(ss, idx, 0);
}
void sock_stack_tcp_peer_fin(sock_stack_t *ss, uint32_t idx)
{
    ss_conn_t *c = live(ss, idx);
    if (c && c->state == CS_OPEN) mark_dirty(ss, idx, P_PEER_FIN);
}
void sock_stack_tcp_reset(sock_stack_t *ss, uint32_t idx)
{
    ss_conn_t *c = live(ss, idx);
    if (!c || c->state == CS_DYING) return;
    if (c->state == CS_CLOSING) { sock_stack_tcp_done(ss, idx); return; }
    release_all(ss, idx);
    c->state = CS_DYING;
    c->sent = 0;
    c->pend = P_RESET | (c->pend & P_ACCEPT); /* an unreported accept goes first */
    mark_dirty(ss, idx, 0);
}
void sock_stack_tcp_done(sock_stack_t *ss, uint32_t idx)
{
    ss_conn_t *c = live(ss, idx);
    if (!c || c->state != CS_CLOSING) return;
    c->state = CS_DYING;
    c->pend = P_CLOSED;
    mark_dirty(ss, idx, 0);
}
