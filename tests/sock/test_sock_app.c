/* test_sock_app.c - the app library (stack/sock/sock_app) driven by a fake
 * stack through the fabric: a connection's life (accept, data, send, sent,
 * peer closed, close, reset), events it must ignore, its credits, and its TX
 * allocator (wrap-around, in-order free, out of space, and a seeded run
 * checking that no byte is handed out again before SENT). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sock/sock_app.h"
#include "sock_fake.h"

#define APP 5u
#define ST0 1u
#define ST1 2u

typedef struct log {
    uint32_t listening, accepts, data, sent, peer_closed, resets, closed, errors;
    uint32_t last_conn, last_len, last_ref, last_port, last_code;
    const uint8_t *last_bytes;
} log_t;

static void cb_listening(void *x, uint32_t s, uint16_t port) { log_t *l = x; l->listening++; l->last_conn = s; l->last_port = port; }
static void cb_accept(void *x, uint32_t c, uint32_t ip, uint16_t port, uint16_t lport)
{ log_t *l = x; (void)ip; (void)port; l->accepts++; l->last_conn = c; l->last_port = lport; }
static void cb_data(void *x, uint32_t c, const uint8_t *b, uint32_t len, uint32_t ref)
{ log_t *l = x; l->data++; l->last_conn = c; l->last_bytes = b; l->last_len = len; l->last_ref = ref; }
static void cb_sent(void *x, uint32_t c, uint32_t b) { log_t *l = x; l->sent++; l->last_conn = c; l->last_len = b; }
static void cb_peer(void *x, uint32_t c) { log_t *l = x; l->peer_closed++; l->last_conn = c; }
static void cb_reset(void *x, uint32_t c) { log_t *l = x; l->resets++; l->last_conn = c; }
static void cb_closed(void *x, uint32_t c) { log_t *l = x; l->closed++; l->last_conn = c; }
static void cb_error(void *x, uint32_t c, uint32_t req, uint32_t code, uint32_t count)
{ log_t *l = x; (void)req; (void)count; l->errors++; l->last_conn = c; l->last_code = code; }

typedef struct env {
    fab_t *fab;
    fab_port_t port;
    log_t log;
    uint8_t *mem;
    sock_app_t *app;
    _Alignas(64) uint8_t tx[256];
    uint8_t rx[4096];
} env_t;

static const uint32_t stacks[] = { ST0, ST1 };

static env_t *env_new(uint32_t req_credits, uint32_t tx_recs)
{
    env_t *e = calloc(1, sizeof *e);
    e->fab = fab_new();
    e->port = (fab_port_t){ .fab = e->fab, .tile = APP };
    sock_app_cfg_t cfg = { .tile = APP, .nstacks = 2, .stacks = stacks, .req_credits = req_credits,
                           .evt_credits = 4, .tx_base = e->tx, .tx_size = sizeof e->tx,
                           .rx_base = (uint64_t)(uintptr_t)e->rx, .rx_size = sizeof e->rx,
                           .max_conns = 8, .tx_recs = tx_recs, .req_queue = 16 };
    size_t fp = sock_app_footprint(&cfg);
    ck_assert_uint_gt(fp, 0);
    e->mem = aligned_alloc(SOCK_APP_ALIGN, (fp + 63) & ~(size_t)63);
    sock_transport_t tp = fab_transport(&e->port);
    sock_app_cb_t cb = { &e->log, cb_listening, cb_accept, cb_data, cb_sent, cb_peer, cb_reset, cb_closed, cb_error };
    e->app = sock_app_join(sock_app_new(e->mem, &cfg, &tp, &cb));
    ck_assert_ptr_nonnull(e->app);
    return e;
}
static void env_free(env_t *e) { free(e->mem); fab_free(e->fab); free(e); }

/* The fake stack: an event from stack tile st, then the app's poll. */
static void ev(env_t *e, uint32_t st, const uint64_t *w, uint32_t n)
{
    fab_push(e->fab, st, APP, w, n);
    sock_app_poll(e->app);
}
/* The next request the app sent to stack tile st (its length). */
static uint32_t req_any(env_t *e, uint32_t st, uint64_t *w)
{
    uint64_t t[8];
    uint32_t src, n = fab_pop(e->fab, st, t, &src);
    if (n) { ck_assert_uint_eq(src, APP); memcpy(w, t, n * sizeof *w); }
    return n;
}
/* The same, skipping CREDIT requests (the app gives event credits back on
 * its own whenever it owes half of them). */
static uint32_t req(env_t *e, uint32_t st, uint64_t *w)
{
    uint32_t n;
    while ((n = req_any(e, st, w)) != 0 && sock_w0_type(w[0]) == SOCK_REQ_CREDIT) {}
    return n;
}

START_TEST(connection_life)
{
    env_t *e = env_new(4, 8);
    uint64_t w[8];
    ck_assert_int_eq(sock_app_listen(e->app, 0, 7, 16), 0);
    ck_assert_uint_eq(req(e, ST0, w), 1);
    ck_assert_uint_eq(sock_w0_type(w[0]), SOCK_REQ_LISTEN);
    ck_assert_uint_eq(sock_listen_port(w), 7);
    ck_assert_uint_eq(sock_w0_sender(w[0]), APP);
    ev(e, ST0, w, sock_enc_listening(w, 1, ST0, 7));
    ck_assert_uint_eq(e->log.listening, 1);
    const uint64_t H1 = sock_handle(0x1234, 1, 3);
    ev(e, ST0, w, sock_enc_accepted(w, 0, ST0, H1, 0x0a000002, 5555, 7));
    ck_assert_uint_eq(e->log.accepts, 1);
    uint32_t c = e->log.last_conn;
    memcpy(e->rx + 10, "hello", 5);
    ev(e, ST0, w, sock_enc_data(w, 0, ST0, H1, (uint64_t)(uintptr_t)(e->rx + 10), 5, 3));
    ck_assert_uint_eq(e->log.data, 1);
    ck_assert_ptr_eq(e->log.last_bytes, e->rx + 10); /* zero copy: in place */
    ck_assert_uint_eq(e->log.last_ref, 3);
    uint8_t *p = sock_app_tx_alloc(e->app, 5);
    ck_assert_ptr_nonnull(p);
    memcpy(p, e->log.last_bytes, 5);
    ck_assert_int_eq(sock_app_send(e->app, c, p, 5), 0);
    ck_assert_int_eq(sock_app_release(e->app, c, 3), 0);
    ck_assert_uint_eq(req(e, ST0, w), 3);
    ck_assert_uint_eq(sock_w0_type(w[0]), SOCK_REQ_SEND);
    ck_assert_uint_eq(sock_msg_handle(w), H1);
    ck_assert_uint_eq(sock_send_off(w), (uint64_t)(p - e->tx));
    ck_assert_uint_eq(sock_send_len(w), 5);
    ck_assert_uint_eq(sock_w0_credits(w[0]), 1); /* the DATA (a CREDIT gave back the first two) */
    ck_assert_uint_eq(req(e, ST0, w), 2);
    ck_assert_uint_eq(sock_w0_type(w[0]), SOCK_REQ_RELEASE);
    ck_assert_uint_eq(sock_release_ref(w), 3);
    ck_assert_uint_eq(sock_app_tx_used(e->app), 8);
    ev(e, ST0, w, sock_enc_sent(w, 2, ST0, H1, 5));
    ck_assert_uint_eq(e->log.sent, 1);
    ck_assert_uint_eq(sock_app_tx_used(e->app), 0);
    ev(e, ST0, w, sock_enc_conn_ev(w, SOCK_EV_PEER_CLOSED, 0, ST0, H1));
    ck_assert_uint_eq(e->log.peer_closed, 1);
    ck_assert_int_eq(sock_app_close(e->app, c), 0);
    ck_assert_int_eq(sock_app_send(e->app, c, p, 5), SOCK_APP_EINVAL); /* closing: no more requests */
    ck_assert_uint_eq(req(e, ST0, w), 2);
    ck_assert_uint_eq(sock_w0_type(w[0]), SOCK_REQ_CLOSE);
    ck_assert_uint_eq(sock_msg_handle(w), H1);
    ev(e, ST0, w, sock_enc_conn_ev(w, SOCK_EV_CLOSED, 1, ST0, H1));
    ck_assert_uint_eq(e->log.closed, 1);
    ck_assert_uint_eq(sock_app_conns_used(e->app), 0);

    /* A second connection, on the other stack tile, reset with a send in
     * flight: its TX space is free again. */
    const uint64_t H2 = sock_handle(0x777, 9, 3); /* same index, other tile */
    ev(e, ST1, w, sock_enc_accepted(w, 0, ST1, H2, 1, 2, 7));
    c = e->log.last_conn;
    p = sock_app_tx_alloc(e->app, 100);
    ck_assert_int_eq(sock_app_send(e->app, c, p, 100), 0);
    ck_assert_uint_eq(req(e, ST1, w), 3);
    ck_assert_uint_eq(sock_app_tx_used(e->app), 104);
    ev(e, ST1, w, sock_enc_conn_ev(w, SOCK_EV_RESET, 1, ST1, H2));
    ck_assert_uint_eq(e->log.resets, 1);
    ck_assert_uint_eq(sock_app_tx_used(e->app), 0);
    ck_assert_uint_eq(sock_app_conns_used(e->app), 0);
    ck_assert_uint_eq(e->log.errors, 0);
    env_free(e);
}
END_TEST

/* What the app must ignore: events not from a stack tile, unknown types,
 * wrong lengths, bytes outside its RX pool, handles it does not hold. */
START_TEST(ignores_bad_events)
{
    env_t *e = env_new(4, 8);
    uint64_t w[8];
    const uint64_t H = sock_handle(0x55, 1, 1);
    ev(e, ST0, w, sock_enc_accepted(w, 0, ST0, H, 1, 2, 7));
    uint32_t c = e->log.last_conn;
    ev(e, 9, w, sock_enc_data(w, 0, 9, H, (uint64_t)(uintptr_t)e->rx, 5, 1)); /* tile 9 is no stack */
    sock_enc_data(w, 0, 9, H, (uint64_t)(uintptr_t)e->rx, 5, 1);
    w[0] = sock_w0(SOCK_EV_DATA, 0, ST0, 5);
    ev(e, ST0, w, 3);                                                       /* DATA is 4 words */
    w[0] = sock_w0(0x8f, 0, ST0, 0);
    ev(e, ST0, w, 1);                                                       /* unknown type */
    ev(e, ST0, w, sock_enc_data(w, 0, ST0, H, (uint64_t)(uintptr_t)e->rx + 4090, 7, 1)); /* past the pool */
    ev(e, ST0, w, sock_enc_data(w, 0, ST0, H, 0x10, 1, 1));                               /* before it */
    ck_assert_uint_eq(sock_app_counters(e->app)->ev_bad, 5);
    ev(e, ST0, w, sock_enc_data(w, 0, ST0, H + (1ULL << 32), (uint64_t)(uintptr_t)e->rx, 5, 1)); /* other nonce */
    ev(e, ST1, w, sock_enc_data(w, 0, ST1, H, (uint64_t)(uintptr_t)e->rx, 5, 1)); /* other stack tile */
    ck_assert_uint_eq(sock_app_counters(e->app)->ev_stale, 2);
    ck_assert_uint_eq(e->log.data, 0);
    /* an ERROR for no connection of ours is still reported, with NOCONN */
    ev(e, ST0, w, sock_enc_error(w, 0, ST0, SOCK_REQ_SEND, SOCK_ERR_NOT_OWNER, 1, 12345));
    ck_assert_uint_eq(e->log.errors, 1);
    ck_assert_uint_eq(e->log.last_conn, SOCK_APP_NOCONN);
    ev(e, ST0, w, sock_enc_error(w, 0, ST0, SOCK_REQ_SEND, SOCK_ERR_TX_RANGE, 1, H));
    ck_assert_uint_eq(e->log.last_conn, c);
    ck_assert_uint_eq(e->log.last_code, SOCK_ERR_TX_RANGE);
    env_free(e);
}
END_TEST

/* The app never has more than its credits outstanding at a stack tile,
 * keeps the last one for CREDIT, queues the rest, and gives event credits
 * back. */
START_TEST(app_credits)
{
    env_t *e = env_new(4, 8);
    uint64_t w[8];
    const uint64_t H = sock_handle(0x55, 1, 1);
    ev(e, ST0, w, sock_enc_accepted(w, 0, ST0, H, 1, 2, 7));
    uint32_t c = e->log.last_conn;
    int accepted = 0;
    while (sock_app_release(e->app, c, (uint32_t)accepted) == 0) accepted++;
    ck_assert_int_eq(accepted, 3 + 16); /* 3 sent (one credit kept), 16 waiting */
    ck_assert_uint_eq(e->fab->q[ST0].cnt, 3);
    ck_assert_uint_eq(sock_app_req_avail(e->app, 0), 1);
    ck_assert_uint_eq(sock_w0_credits(e->fab->q[ST0].m[0].w[0]), 1); /* the ACCEPTED */
    ck_assert_uint_eq(sock_app_release(e->app, c, 99), SOCK_APP_EAGAIN);
    for (int i = 0; i < 3; i++) req_any(e, ST0, w);
    ev(e, ST0, w, sock_enc_credit_ev(w, 3, ST0)); /* three back: three more go */
    ck_assert_uint_eq(e->fab->q[ST0].cnt, 3);
    /* CREDIT events alone never make a CREDIT (no ping-pong) ... */
    for (int i = 0; i < 3; i++) req_any(e, ST0, w);
    ev(e, ST0, w, sock_enc_credit_ev(w, 0, ST0));
    ev(e, ST0, w, sock_enc_credit_ev(w, 0, ST0));
    ck_assert_uint_eq(e->fab->q[ST0].cnt, 0);
    ck_assert_uint_eq(sock_app_req_avail(e->app, 0), 1);
    /* ... until it holds all but one of the stack's credits (the stack is
     * down to its last): then its own last credit goes, giving them back */
    ev(e, ST0, w, sock_enc_credit_ev(w, 0, ST0));
    ck_assert_uint_eq(req_any(e, ST0, w), 2);
    ck_assert_uint_eq(sock_w0_type(w[0]), SOCK_REQ_RELEASE);
    ck_assert_uint_eq(sock_w0_credits(w[0]), 3);
    ck_assert_uint_eq(sock_app_req_avail(e->app, 0), 0);
    ck_assert_uint_eq(sock_app_counters(e->app)->req_credit, 0);
    /* more back than it has out: clamped, counted */
    ev(e, ST0, w, sock_enc_credit_ev(w, 200, ST0));
    ck_assert_uint_eq(sock_app_counters(e->app)->credit_excess, 1);
    ck_assert_uint_le(e->fab->q[ST0].max_from[APP], 4);
    ck_assert_uint_eq(sock_app_req_avail(e->app, 1), 4); /* the other stack tile's are untouched */
    /* half the stack's credits owed in real events, nothing to send: CREDIT */
    ev(e, ST1, w, sock_enc_accepted(w, 0, ST1, 77, 1, 2, 7));
    ck_assert_uint_eq(e->fab->q[ST1].cnt, 0);
    ev(e, ST1, w, sock_enc_accepted(w, 0, ST1, 78, 1, 2, 7));
    ck_assert_uint_eq(req_any(e, ST1, w), 1);
    ck_assert_uint_eq(sock_w0_type(w[0]), SOCK_REQ_CREDIT);
    ck_assert_uint_eq(sock_w0_credits(w[0]), 2);
    ck_assert_uint_eq(sock_app_counters(e->app)->req_credit, 1);
    env_free(e);
}
END_TEST

START_TEST(tx_wrap_and_in_order_free)
{
    env_t *e = env_new(8, 8);
    uint64_t w[8];
    ev(e, ST0, w, sock_enc_accepted(w, 0, ST0, 11, 1, 2, 7));
    uint32_t c0 = e->log.last_conn;
    ev(e, ST0, w, sock_enc_accepted(w, 0, ST0, 22, 1, 2, 7));
    uint32_t c1 = e->log.last_conn;
    ck_assert_ptr_null(sock_app_tx_alloc(e->app, 257)); /* larger than the region */
    ck_assert_ptr_null(sock_app_tx_alloc(e->app, 0));
    uint8_t *a = sock_app_tx_alloc(e->app, 100), *b = sock_app_tx_alloc(e->app, 100);
    ck_assert_ptr_eq(a, e->tx);
    ck_assert_ptr_eq(b, e->tx + 104);
    ck_assert_ptr_null(sock_app_tx_alloc(e->app, 100)); /* 48 bytes left */
    ck_assert_int_eq(sock_app_send(e->app, c0, a + 8, 10), SOCK_APP_EINVAL); /* not an allocation */
    ck_assert_int_eq(sock_app_send(e->app, c0, a, 101), SOCK_APP_EINVAL);    /* beyond it */
    ck_assert_int_eq(sock_app_send(e->app, 7, a, 10), SOCK_APP_EINVAL);      /* no such connection */
    ck_assert_int_eq(sock_app_send(e->app, c0, a, 100), 0);
    ck_assert_int_eq(sock_app_send(e->app, c1, b, 60), 0);
    ev(e, ST0, w, sock_enc_sent(w, 2, ST0, 22, 60)); /* the younger first: nothing freed yet */
    ck_assert_uint_eq(sock_app_tx_used(e->app), 208);
    ck_assert_ptr_null(sock_app_tx_alloc(e->app, 100));
    ev(e, ST0, w, sock_enc_sent(w, 0, ST0, 11, 99)); /* not all of it: still held */
    ck_assert_uint_eq(sock_app_tx_used(e->app), 208);
    ev(e, ST0, w, sock_enc_sent(w, 0, ST0, 11, 1));
    ck_assert_uint_eq(sock_app_tx_used(e->app), 0);
    uint8_t *d = sock_app_tx_alloc(e->app, 100); /* head at 208: wraps, skipping the end */
    ck_assert_ptr_eq(d, e->tx);
    ck_assert_uint_eq(sock_app_tx_used(e->app), 48 + 104);
    ck_assert_int_eq(sock_app_send(e->app, c0, d, 100), 0);
    /* out of records: 8 in flight at most */
    for (int i = 0; i < 7; i++) ck_assert_ptr_nonnull(sock_app_tx_alloc(e->app, 8));
    ck_assert_ptr_null(sock_app_tx_alloc(e->app, 8));
    env_free(e);
}
END_TEST

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    return *s;
}

/* A seeded run over three connections: random sizes, random partial
 * acknowledgements per connection. No allocation may overlap bytes sent but
 * not yet acknowledged (or allocated and not yet sent). */
START_TEST(tx_never_reused_before_sent)
{
    env_t *e = env_new(8, 16);
    uint64_t w[8];
    uint64_t hs[3] = { 101, 202, 303 };
    uint32_t cs[3];
    for (int k = 0; k < 3; k++) {
        ev(e, ST0, w, sock_enc_accepted(w, 0, ST0, hs[k], 1, 2, 7));
        cs[k] = e->log.last_conn;
    }
    struct { uint64_t off, len; } live[3][64];
    uint32_t nlive[3] = { 0 }, acked[3] = { 0 }, out_bytes[3] = { 0 };
    uint64_t seed = 0x9e3779b97f4a7c15ULL, allocs = 0;
    for (int step = 0; step < 4000; step++) {
        /* the fake stack takes every request and gives the credits back */
        uint32_t got = 0;
        while (req_any(e, ST0, w)) got++;
        uint32_t k = (uint32_t)(rng_next(&seed) % 3);
        if (rng_next(&seed) % 2 && nlive[k] < 64) {
            uint32_t len = 1 + (uint32_t)(rng_next(&seed) % 90);
            uint8_t *p = sock_app_tx_alloc(e->app, len);
            if (p) {
                uint64_t off = (uint64_t)(p - e->tx);
                ck_assert_uint_le(off + len, sizeof e->tx);
                for (int j = 0; j < 3; j++)
                    for (uint32_t i = 0; i < nlive[j]; i++)
                        ck_assert_msg(off + len <= live[j][i].off || live[j][i].off + live[j][i].len <= off,
                                      "step %d: [%lu,+%u) reuses bytes of a send not yet acknowledged", step,
                                      (unsigned long)off, len);
                ck_assert_int_eq(sock_app_send(e->app, cs[k], p, len), 0);
                live[k][nlive[k]].off = off;
                live[k][nlive[k]++].len = len;
                out_bytes[k] += len;
                allocs++;
            }
        }
        if (out_bytes[k] > acked[k] && rng_next(&seed) % 2) {
            uint32_t b = 1 + (uint32_t)(rng_next(&seed) % (out_bytes[k] - acked[k]));
            acked[k] += b;
            ev(e, ST0, w, sock_enc_sent(w, got > 255 ? 255 : got, ST0, hs[k], b));
            got = 0;
            /* the model frees the sends now wholly acknowledged, in order */
            uint32_t done = 0, sum = 0;
            for (uint32_t i = 0; i < nlive[k]; i++) {
                if (sum + live[k][i].len > acked[k]) break;
                sum += (uint32_t)live[k][i].len;
                done++;
            }
            memmove(live[k], live[k] + done, (nlive[k] - done) * sizeof live[k][0]);
            nlive[k] -= done;
            acked[k] -= sum;
            out_bytes[k] -= sum;
        } else if (got) {
            ev(e, ST0, w, sock_enc_credit_ev(w, got > 255 ? 255 : got, ST0));
        }
    }
    ck_assert_uint_gt(allocs, 500); /* ~24 KiB through 256 bytes: many wraps */
    for (int k = 0; k < 3; k++)
        if (out_bytes[k] > acked[k]) ev(e, ST0, w, sock_enc_sent(w, 0, ST0, hs[k], out_bytes[k] - acked[k]));
    ck_assert_uint_eq(sock_app_tx_used(e->app), 0);
    ck_assert_uint_eq(sock_app_counters(e->app)->credit_excess, 0);
    env_free(e);
}
END_TEST

Suite *sock_app_suite(void)
{
    Suite *s = suite_create("sock_app");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, connection_life);
    tcase_add_test(tc, ignores_bad_events);
    tcase_add_test(tc, app_credits);
    tcase_add_test(tc, tx_wrap_and_in_order_free);
    tcase_add_test(tc, tx_never_reused_before_sent);
    suite_add_tcase(s, tc);
    return s;
}
