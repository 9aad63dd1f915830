/* memcached_core.c - the memcached server over stack/sock's sock_app
 * (memcached_core.h): one mc_conn (mc_proto.h) per connection, fed the
 * bytes of every DATA event in place (in the RX pool), replies written into
 * the TX allocator's space and sent by reference (at most SEND_WINDOW
 * bytes unacknowledged per connection: a large value goes out in pieces as
 * the client acknowledges them), the RX reference released once the engine
 * took all its bytes. A data event the engine cannot finish (the TX
 * region, the request queue or the connection's window is full) waits,
 * with its reference held, in its connection's queue and is fed again
 * after the next poll; the connection's later events wait behind it, so
 * its bytes keep their order, and other connections go on. */
#include "apps/memcached/memcached_core.h"

#include <stdio.h>
#include <string.h>

#include "apps/memcached/mc_proto.h"
#include "boot/tile_rt.h"

#define MAX_CONNS 512u   /* one server for every stack tile's connections (64 each: stack_core.c) */
#define PENDING   4096u
#define REQ_QUEUE 256u
/* Bytes sent on a connection and not yet reported acknowledged (SENT) at
 * most: the stack tiles' TCP send queue (snd_buf = 4 x 16 KiB,
 * stack/dlibos/stack_core.c) refuses a SEND beyond its room. */
#define SEND_WINDOW 65536u

#define NONE 0u   /* no event: events are pend[1 .. PENDING], so that zeroed memory is empty lists */

typedef struct pend {
    uint32_t conn, gen, len, ref, off, fed;   /* fed: all bytes taken, only the release is left */
    uint32_t next;                            /* the connection's next waiting event, or the free list */
    const uint8_t *bytes;
} pend_t;

typedef struct conn_state {
    uint32_t gen, open, closing, peer_closed, pending;
    uint32_t inflight;   /* bytes sent, not yet acknowledged */
    uint32_t head, tail; /* its waiting events (pend[]), oldest first; NONE: none */
} conn_state_t;

static sock_app_t *app;
static mc_store_t *store;
static mc_conn_t conns[MAX_CONNS];
static conn_state_t cs[MAX_CONNS];
static pend_t pend[PENDING + 1];
static uint32_t pend_free = NONE;   /* free list */
static uint32_t pend_fresh;         /* events never used: pend[pend_fresh + 1 ..] */
static uint32_t waiting[MAX_CONNS]; /* the connections with waiting events */
static uint32_t wait_cnt;
static uint64_t pend_full;
static uint32_t clock_mhz;
static uint32_t peers_open;         /* connections open whose peer has not sent FIN */

static uint64_t now_ns(void) { return tile_cycles() * 1000u / clock_mhz; }
static uint64_t lock_clock(void) { return tile_cycles(); }

/* ---- the engine's output: TX space, sent by reference ---------------------- */

static uint8_t *out_reserve(void *ctx, uint32_t len)
{
    uint32_t conn = (uint32_t)(uintptr_t)ctx;
    if (sock_app_req_waiting(app) + 2 >= REQ_QUEUE) return NULL;   /* the send and a release must fit */
    if (cs[conn].inflight + len > SEND_WINDOW) return NULL;
    return sock_app_tx_alloc(app, len);
}

static void out_commit(void *ctx, uint8_t *p, uint32_t len)
{
    uint32_t conn = (uint32_t)(uintptr_t)ctx;
    if (sock_app_send(app, conn, p, len) != 0) printf("memcached: send refused on connection %u\n", (unsigned)conn);
    else cs[conn].inflight += len;
}

static void on_sent(void *ctx, uint32_t conn, uint32_t bytes)
{
    (void)ctx;
    if (conn < MAX_CONNS) cs[conn].inflight -= bytes < cs[conn].inflight ? bytes : cs[conn].inflight;
}

/* ---- connections ------------------------------------------------------------ */

static void on_accept(void *ctx, uint32_t conn, uint32_t ip, uint16_t port, uint16_t lport)
{
    (void)ctx; (void)ip; (void)port; (void)lport;
    if (conn >= MAX_CONNS) {
        sock_app_abort(app, conn);
        return;
    }
    mc_out_t out = { (void *)(uintptr_t)conn, out_reserve, out_commit };
    mc_conn_init(&conns[conn], store, &out);
    conn_state_t *s = &cs[conn];
    s->open = 1;
    s->closing = s->peer_closed = s->pending = s->inflight = 0;
    peers_open++;
}

static void conn_gone(uint32_t conn)
{
    if (conn >= MAX_CONNS || !cs[conn].open) return;
    mc_conn_end(&conns[conn], now_ns());
    if (!cs[conn].peer_closed) peers_open--;
    cs[conn].open = 0;
    cs[conn].gen++;
}

static void close_conn(uint32_t conn)
{
    if (cs[conn].closing) return;
    if (sock_app_close(app, conn) == 0) cs[conn].closing = 1;
}

/* When no peer has a connection open to it any more (each closed, or sent
 * its FIN: a run can end before the last closes complete), the tile says
 * how it used the store's lock since it last said so (the cost of one
 * store shared by the tiles: README.md). */
static void lock_report(void)
{
    static mc_lock_stats_t last;
    mc_lock_stats_t now = mc_lock_stats;
    if (peers_open > 0 || now.taken == last.taken) return;
    printf("memcached: store lock taken %lu times, %lu of them waited (%lu reads of the lock word, %lu cycles)\n",
           (unsigned long)(now.taken - last.taken), (unsigned long)(now.waited - last.waited),
           (unsigned long)(now.spins - last.spins), (unsigned long)(now.wait_cycles - last.wait_cycles));
    last = now;
}

static void on_reset(void *ctx, uint32_t conn) { (void)ctx; conn_gone(conn); lock_report(); }
static void on_closed(void *ctx, uint32_t conn) { (void)ctx; conn_gone(conn); lock_report(); }

/* The peer sent FIN: its requests already here are answered first. */
static void on_peer_closed(void *ctx, uint32_t conn)
{
    (void)ctx;
    if (conn >= MAX_CONNS || !cs[conn].open) return;
    cs[conn].peer_closed = 1;
    peers_open--;
    if (!cs[conn].pending) close_conn(conn);
    lock_report();
}

/* ---- data ----------------------------------------------------------------------- */

/* Feeds one data event; 0 when done (released), -1 to retry later. */
static int feed(pend_t *p)
{
    conn_state_t *s = &cs[p->conn];
    if (!s->open || s->gen != p->gen) return 0;   /* the connection is gone, and its references */
    if (!p->fed) {
        if (!s->closing) {
            uint32_t used;
            int rc = mc_conn_feed(&conns[p->conn], p->bytes + p->off, p->len - p->off, now_ns(), &used);
            p->off += used;
            if (rc == MC_BLOCKED) return -1;
            if (rc == MC_CLOSE) close_conn(p->conn);
        }
        p->fed = 1;
    }
    return sock_app_release(app, p->conn, p->ref) == SOCK_APP_EAGAIN ? -1 : 0;
}

static void done(pend_t *p)
{
    conn_state_t *s = &cs[p->conn];
    if (s->gen != p->gen || !s->open) return;
    s->pending--;
    if (!s->pending && s->peer_closed) close_conn(p->conn);
}

static void on_data(void *ctx, uint32_t conn, const uint8_t *bytes, uint32_t len, uint32_t ref)
{
    (void)ctx;
    if (conn >= MAX_CONNS || !cs[conn].open) return;
    conn_state_t *s = &cs[conn];
    pend_t p = { conn, s->gen, len, ref, 0, 0, NONE, bytes };
    s->pending++;
    if (s->head == NONE && feed(&p) == 0) {
        done(&p);
        return;
    }
    uint32_t i;
    if (pend_free != NONE) {
        i = pend_free;
        pend_free = pend[i].next;
    } else if (pend_fresh < PENDING) {
        i = ++pend_fresh;
    } else {   /* more events waiting than TCP's windows let in; never silent */
        pend_full++;
        s->pending--;
        sock_app_abort(app, conn);
        return;
    }
    pend[i] = p;
    if (s->head == NONE) {
        s->head = s->tail = i;
        waiting[wait_cnt++] = conn;
    } else {
        pend[s->tail].next = i;
        s->tail = i;
    }
}

/* Feeds the waiting events of every waiting connection, each in order
 * until one cannot finish; returns those finished. */
static uint32_t retry(void)
{
    uint32_t n = 0;
    for (uint32_t w = 0; w < wait_cnt;) {
        conn_state_t *s = &cs[waiting[w]];
        while (s->head != NONE && feed(&pend[s->head]) == 0) {
            uint32_t i = s->head;
            done(&pend[i]);
            s->head = pend[i].next;
            pend[i].next = pend_free;
            pend_free = i;
            n++;
        }
        if (s->head == NONE) waiting[w] = waiting[--wait_cnt];
        else w++;
    }
    return n;
}

static void on_error(void *ctx, uint32_t conn, uint32_t req, uint32_t code, uint32_t count)
{
    (void)ctx;
    printf("memcached: error %u on request %u (connection %d, %u times)\n", (unsigned)code, (unsigned)req,
           conn == SOCK_APP_NOCONN ? -1 : (int)conn, (unsigned)count);
}

static _Alignas(64) uint8_t app_mem[512 * 1024];

const char *mc_core_start(const sock_app_cfg_t *given, const sock_transport_t *tp, const mc_args_t *a,
                          const mc_core_store_t *where, char *err, size_t errlen)
{
    clock_mhz = tile_boot_info()->clock_mhz ? tile_boot_info()->clock_mhz : 1;
    mc_lock_clock = lock_clock;
    /* every connection may hold SEND_WINDOW bytes; keep room for a few */
    uint64_t need_tx = 8ull * SEND_WINDOW;
    if (given->tx_size < need_tx) {
        snprintf(err, errlen, "the TX region has %llu KiB, memcached needs %llu (mem.tx_kib)",
                 (unsigned long long)(given->tx_size >> 10), (unsigned long long)((need_tx + 1023) >> 10));
        return err;
    }
    size_t fp = mc_store_footprint(&a->s);
    if (!where->base || fp == 0 || fp > where->size || ((uintptr_t)where->base & (MC_STORE_ALIGN - 1))) {
        snprintf(err, errlen, "the store needs %llu MiB of the shared region, which has %llu MiB "
                 "(deployment.app_args mem_mb, mem.dram_mib)", (unsigned long long)(fp >> 20),
                 (unsigned long long)(where->size >> 20));
        return err;
    }
    if (where->format) {
        store = mc_store_new(where->base, &a->s, where->zeroed);
    } else {
        while (!(store = mc_store_join(where->base))) {}
    }
    if (!store) return "the store could not be formatted";
    sock_app_cfg_t c = *given, *cfg = &c;
    c.max_conns = MAX_CONNS;
    c.tx_recs = 1024;
    c.req_queue = REQ_QUEUE;
    sock_app_cb_t cb = { .on_accept = on_accept, .on_data = on_data, .on_sent = on_sent, .on_peer_closed = on_peer_closed,
                         .on_reset = on_reset, .on_closed = on_closed, .on_error = on_error };
    if (sock_app_footprint(cfg) == 0 || sock_app_footprint(cfg) > sizeof app_mem)
        return "socket configuration does not fit";
    app = sock_app_join(sock_app_new(app_mem, cfg, tp, &cb));
    if (!app) return "sock_app_new failed";
    for (unsigned s = 0; s < cfg->nstacks; s++) sock_app_listen(app, s, (uint16_t)a->port, 64);
    return NULL;
}

/* Limits reached are printed when they grow: never silent. */
static void report_limits(void)
{
    static uint64_t last_bad, last;
    uint64_t bad = sock_app_counters(app)->ev_bad;
    if (bad != last_bad) {
        last_bad = bad;
        printf("memcached: %lu bad events (data outside its RX pool? check mpipe.rules)\n", (unsigned long)bad);
    }
    uint64_t full = sock_app_counters(app)->accept_full;
    if (full + pend_full == last) return;
    last = full + pend_full;
    printf("memcached: limits reached: accept_full=%lu pend_full=%lu\n", (unsigned long)full,
           (unsigned long)pend_full);
}

uint32_t mc_core_step(void)
{
    report_limits();
    if (wait_cnt) {
        uint32_t n = sock_app_poll(app);
        return n + retry();
    }
    return sock_app_run_once(app);
}
