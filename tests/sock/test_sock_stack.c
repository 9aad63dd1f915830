/* test_sock_stack.c - the stack side (stack/sock/sock_stack) with the real
 * app library as an honest echo app (tile 5) and raw words from a hostile
 * app (tile 6), over the fabric and the fake TCP layer: the honest path,
 * the credits of both sides, and every check against the hostile app, each
 * with its counter and ERROR event while the honest app's echo goes on. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sock/sock_app.h"
#include "sock/sock_stack.h"
#include "sock_fake.h"

#define ST 1u
#define HON 5u
#define HOS 6u
#define REQ_CR 6u
#define EVT_CR 6u
#define HOS_TX 0x20000000ULL
#define HOS_TX_SIZE 65536ULL

typedef struct env {
    fab_t *fab;
    ftcp_t tcp;
    fab_port_t sport, aport;
    uint8_t *smem, *amem;
    sock_stack_t *ss;
    sock_app_t *app;
    /* the honest echo app */
    uint32_t accepts, closed, errors, last_code, data_bytes;
    int batch; /* answer with SEND_RELEASE (one request) */
    /* the hostile app: events by type, ERROR codes, credits it owes */
    uint32_t hev[256], herr[32], howed;
    uint64_t hlast[8];
    _Alignas(64) uint8_t tx[4096];
    uint8_t rx[8192];
} env_t;

static void on_accept(void *x, uint32_t c, uint32_t ip, uint16_t port, uint16_t lport)
{ env_t *e = x; (void)c; (void)ip; (void)port; (void)lport; e->accepts++; }
static void on_data(void *x, uint32_t c, const uint8_t *b, uint32_t len, uint32_t ref)
{
    env_t *e = x; /* echo: copy into TX space, send, release the RX bytes */
    uint8_t *p = sock_app_tx_alloc(e->app, len);
    ck_assert_ptr_nonnull(p);
    memcpy(p, b, len);
    if (e->batch) {
        ck_assert_int_eq(sock_app_send_release(e->app, c, p, len, ref), 0);
    } else {
        ck_assert_int_eq(sock_app_send(e->app, c, p, len), 0);
        ck_assert_int_eq(sock_app_release(e->app, c, ref), 0);
    }
    e->data_bytes += len;
}
static void on_peer_closed(void *x, uint32_t c) { env_t *e = x; ck_assert_int_eq(sock_app_close(e->app, c), 0); }
static void on_closed(void *x, uint32_t c) { env_t *e = x; (void)c; e->closed++; }
static void on_error(void *x, uint32_t c, uint32_t req, uint32_t code, uint32_t count)
{ env_t *e = x; (void)c; (void)req; (void)count; e->errors++; e->last_code = code; }

static env_t *env_new_hw(uint32_t req_cr, uint32_t evt_cr, int hw)
{
    env_t *e = calloc(1, sizeof *e);
    e->fab = fab_new();
    e->sport = (fab_port_t){ .fab = e->fab, .tile = ST, .hw_sender = hw };
    e->aport = (fab_port_t){ .fab = e->fab, .tile = HON, .hw_sender = hw };
    sock_stack_app_t apps[2] = { { HON, (uint64_t)(uintptr_t)e->tx, sizeof e->tx, 0 }, { HOS, HOS_TX, HOS_TX_SIZE, 1 } };
    sock_stack_cfg_t sc = { .tile = ST, .max_conns = 16, .rx_refs = 4, .req_credits = req_cr,
                            .evt_credits = evt_cr, .napps = 2, .apps = apps, .seed = 42 };
    size_t fp = sock_stack_footprint(&sc);
    ck_assert_uint_gt(fp, 0);
    e->smem = aligned_alloc(64, (fp + 63) & ~(size_t)63);
    sock_transport_t stp = fab_transport(&e->sport);
    sock_tcp_ops_t ops = ftcp_ops(&e->tcp);
    e->ss = sock_stack_join(sock_stack_new(e->smem, &sc, &stp, &ops));
    ck_assert_ptr_nonnull(e->ss);
    static const uint32_t stacks[] = { ST };
    sock_app_cfg_t ac = { .tile = HON, .nstacks = 1, .stacks = stacks, .req_credits = req_cr, .evt_credits = evt_cr,
                          .tx_base = e->tx, .tx_size = sizeof e->tx, .rx_base = (uint64_t)(uintptr_t)e->rx,
                          .rx_size = sizeof e->rx, .max_conns = 16, .tx_recs = 64, .req_queue = 64 };
    fp = sock_app_footprint(&ac);
    e->amem = aligned_alloc(64, (fp + 63) & ~(size_t)63);
    sock_transport_t atp = fab_transport(&e->aport);
    sock_app_cb_t cb = { e, NULL, on_accept, on_data, NULL, on_peer_closed, NULL, on_closed, on_error };
    e->app = sock_app_join(sock_app_new(e->amem, &ac, &atp, &cb));
    ck_assert_ptr_nonnull(e->app);
    return e;
}
static env_t *env_new_cr(uint32_t req_cr, uint32_t evt_cr) { return env_new_hw(req_cr, evt_cr, 0); }
static env_t *env_new(void) { return env_new_cr(REQ_CR, EVT_CR); }
static void env_free(env_t *e) { free(e->smem); free(e->amem); fab_free(e->fab); free(e); }

/* The hostile app's events: counted by type and ERROR code; it gives the
 * credits back honestly with its next request (it wants its errors). */
static void hostile_drain(env_t *e)
{
    uint64_t w[8];
    uint32_t src, n;
    while ((n = fab_pop(e->fab, HOS, w, &src)) != 0) {
        ck_assert_uint_eq(src, ST);
        e->hev[sock_w0_type(w[0])]++;
        if (sock_w0_type(w[0]) == SOCK_EV_ERROR) e->herr[sock_error_code(w) & 31]++;
        memcpy(e->hlast, w, n * sizeof *w);
        e->howed++;
    }
}

static void pump(env_t *e)
{
    for (int i = 0; i < 1000; i++) {
        uint64_t before = e->fab->sent;
        sock_stack_input(e->ss, 64);
        sock_stack_output(e->ss);
        sock_app_poll(e->app);
        hostile_drain(e);
        if (e->fab->sent == before && e->fab->q[ST].cnt == 0) return;
    }
    ck_abort_msg("the exchange does not settle");
}

/* A raw request from the hostile tile, claiming to be `claim`; w0's credits
 * field gives back what it owes (when it claims to be itself). */
static void hreq(env_t *e, uint32_t claim, uint64_t *w, uint32_t n)
{
    if (claim == HOS) {
        uint32_t cr = e->howed > 255 ? 255 : e->howed;
        w[0] = (w[0] & ~(0xffULL << SOCK_W0_CREDITS_SHIFT)) | (uint64_t)cr << SOCK_W0_CREDITS_SHIFT;
        e->howed -= cr;
    }
    fab_push(e->fab, HOS, ST, w, n);
}

#define CNT(e, name) (sock_stack_counters((e)->ss)->name)

/* Sends one hostile request, then checks that exactly the named counter
 * moved by one and the ERROR with the code reached `to` (the claimed sender). */
#define REJECT(e, claim, w, n, name, code)                                                      \
    do {                                                                                         \
        uint64_t before_ = CNT(e, name);                                                         \
        uint32_t sends_ = (e)->tcp.nsends, nrel_ = (e)->tcp.nreleased;                           \
        int shut_ = (e)->tcp.c[3].closed + (e)->tcp.c[3].aborted + (e)->tcp.c[4].closed + (e)->tcp.c[4].aborted; \
        uint32_t herr_ = (e)->herr[code], herrs_ = (e)->errors;                                  \
        hreq(e, claim, w, n);                                                                    \
        pump(e);                                                                                 \
        ck_assert_msg(CNT(e, name) == before_ + 1, "%s did not count it", #name);                \
        ck_assert_uint_eq((e)->tcp.nsends, sends_); /* nothing reached TCP */                   \
        ck_assert_uint_eq((e)->tcp.nreleased, nrel_);                                            \
        ck_assert_int_eq((e)->tcp.c[3].closed + (e)->tcp.c[3].aborted + (e)->tcp.c[4].closed + (e)->tcp.c[4].aborted, shut_); \
        if ((claim) == HOS) ck_assert_uint_eq((e)->herr[code], herr_ + 1);                       \
        else { ck_assert_uint_eq((e)->errors, herrs_ + 1); ck_assert_uint_eq((e)->last_code, code); } \
    } while (0)

/* The honest app on port 7: listen, one connection on TCP conn tc, its
 * handle (as the fabric saw it go to the app). */
static uint32_t honest_conn(env_t *e, uint64_t tc, uint64_t *h)
{
    int32_t idx = sock_stack_tcp_accept(e->ss, tc, 7, 0x0a000002, 40000);
    ck_assert_int_ge(idx, 0);
    pump(e);
    *h = e->fab->accepted[HON];
    return (uint32_t)idx;
}

/* Data through the honest echo: every byte comes back by reference from
 * the honest app's TX region, every RX token released once. */
static void honest_echo(env_t *e, uint64_t tc, uint32_t idx, uint32_t chunks, uint64_t tok0)
{
    uint32_t s0 = e->tcp.nsends, r0 = e->tcp.nreleased;
    for (uint32_t i = 0; i < chunks; i++) {
        uint8_t *b = e->rx + (i % 16) * 256;
        for (int j = 0; j < 200; j++) b[j] = (uint8_t)(i * 7 + (uint32_t)j);
        ftcp_rx(&e->tcp, tc, (uint64_t)(uintptr_t)b, 200, tok0 + i);
        sock_stack_tcp_readable(e->ss, idx);
        pump(e);
        ck_assert_uint_eq(e->tcp.nsends, s0 + i + 1);
        ft_send_t *s = &e->tcp.sends[s0 + i];
        ck_assert_uint_eq(s->conn, tc);
        ck_assert_uint_eq(s->len, 200);
        ck_assert(s->addr >= (uint64_t)(uintptr_t)e->tx && s->addr + 200 <= (uint64_t)(uintptr_t)e->tx + sizeof e->tx);
        const uint8_t *p = (const uint8_t *)(uintptr_t)s->addr;
        for (int j = 0; j < 200; j++) ck_assert_uint_eq(p[j], (uint8_t)(i * 7 + (uint32_t)j));
        ck_assert_int_eq(ftcp_released(&e->tcp, tok0 + i), 1);
        sock_stack_tcp_sent(e->ss, idx, 200);
        pump(e);
    }
    ck_assert_uint_eq(e->tcp.nreleased, r0 + chunks);
    ck_assert_uint_eq(sock_app_tx_used(e->app), 0);
}

/* A connection for a named app slot (the tile whose RX pool its frames land
 * in): given to it when it listens on the port, refused (counted) when it
 * does not, whoever else listens. */
START_TEST(accept_for_a_named_app)
{
    env_t *e = env_new();
    ck_assert_int_eq(sock_app_listen(e->app, 0, 7, 16), 0);
    pump(e);
    ck_assert_int_eq(sock_stack_tcp_accept_app(e->ss, 3, 7, 1, 2, 1), -1); /* slot 1 does not listen */
    ck_assert_uint_eq(CNT(e, sock_accept_drop), 1);
    int32_t idx = sock_stack_tcp_accept_app(e->ss, 4, 7, 1, 2, 0);
    ck_assert_int_ge(idx, 0);
    ck_assert_uint_eq(sock_stack_conn_app(e->ss, (uint32_t)idx), 0);
    idx = sock_stack_tcp_accept_app(e->ss, 5, 7, 1, 2, SOCK_STACK_ANY_APP);
    ck_assert_int_ge(idx, 0);
    ck_assert_uint_eq(sock_stack_conn_app(e->ss, (uint32_t)idx), 0);
    pump(e);
    ck_assert_uint_eq(e->accepts, 2);
    env_free(e);
}
END_TEST

START_TEST(honest_path)
{
    env_t *e = env_new();
    ck_assert_int_eq(sock_app_listen(e->app, 0, 7, 16), 0);
    pump(e);
    ck_assert_uint_eq(e->tcp.listens, 1);
    ck_assert_uint_eq(e->tcp.listen_port[0], 7);
    ck_assert_int_eq(sock_stack_tcp_accept(e->ss, 3, 8, 1, 2), -1); /* nobody listens on 8 */
    ck_assert_uint_eq(CNT(e, sock_accept_drop), 1);
    uint64_t h;
    uint32_t idx = honest_conn(e, 3, &h);
    ck_assert_uint_eq(e->accepts, 1);
    ck_assert_uint_ne(sock_handle_nonce(h), 0);
    ck_assert_uint_eq(sock_handle_index(h), idx);
    honest_echo(e, 3, idx, 40, 1000);
    sock_stack_tcp_peer_fin(e->ss, idx);
    pump(e);
    ck_assert_int_eq(e->tcp.c[3].closed, 1); /* the echo closes on PEER_CLOSED */
    ck_assert_uint_eq(sock_stack_conns_used(e->ss), 1); /* until TCP is done */
    sock_stack_tcp_done(e->ss, idx);
    pump(e);
    ck_assert_uint_eq(e->closed, 1);
    ck_assert_uint_eq(sock_stack_conns_used(e->ss), 0);
    ck_assert_uint_eq(sock_app_conns_used(e->app), 0);
    ck_assert_uint_eq(e->errors, 0);
    ck_assert_uint_eq(CNT(e, sock_err_ev), 0);
    env_free(e);
}
END_TEST

/* Neither side has more messages waiting in the other's queue than its
 * credits, over many connections and data that arrive faster than the app
 * answers; at rest the request credits are all accounted for. */
/* The echo answering with SEND_RELEASE: the same bytes sent and the same
 * references released, one request each instead of two. */
START_TEST(send_release_batches)
{
    uint32_t reqs[2];
    for (int batch = 0; batch < 2; batch++) {
        env_t *e = env_new();
        e->batch = batch;
        ck_assert_int_eq(sock_app_listen(e->app, 0, 7, 16), 0);
        pump(e);
        uint64_t h;
        uint32_t idx = honest_conn(e, 3, &h);
        uint64_t before = CNT(e, sock_req);
        honest_echo(e, 3, idx, 40, 1000);
        reqs[batch] = (uint32_t)(CNT(e, sock_req) - before);
        ck_assert_uint_eq(CNT(e, sock_err_ev), 0);
        env_free(e);
    }
    ck_assert_uint_ge(reqs[0], 80);                /* a SEND and a RELEASE per echo */
    ck_assert_uint_le(reqs[1], reqs[0] - 40);      /* one request fewer per echo */
}
END_TEST

START_TEST(credits_hold_and_return)
{
    env_t *e = env_new();
    ck_assert_int_eq(sock_app_listen(e->app, 0, 7, 16), 0);
    pump(e);
    uint32_t idx[8];
    uint64_t h;
    for (uint32_t c = 0; c < 8; c++) idx[c] = honest_conn(e, 10 + c, &h);
    uint64_t tok = 1;
    for (int round = 0; round < 20; round++) {
        for (uint32_t c = 0; c < 8; c++) {
            for (int k = 0; k < 3; k++) ftcp_rx(&e->tcp, 10 + c, (uint64_t)(uintptr_t)(e->rx + 64 * c), 16, tok++);
            sock_stack_tcp_readable(e->ss, idx[c]);
        }
        /* one step at a time, so that events pile up against the credits */
        for (int i = 0; i < 200; i++) {
            sock_stack_input(e->ss, 1);
            sock_stack_output(e->ss);
            if (i % 3 == 0) sock_app_poll(e->app);
        }
        pump(e);
        for (uint32_t c = 0; c < 8; c++) sock_stack_tcp_sent(e->ss, idx[c], 48);
        pump(e);
    }
    ck_assert_uint_eq(e->data_bytes, 20 * 8 * 3 * 16);
    ck_assert_uint_eq(e->tcp.nreleased, 20 * 8 * 3);
    ck_assert_uint_le(e->fab->q[HON].max_from[ST], EVT_CR);
    ck_assert_uint_le(e->fab->q[ST].max_from[HON], REQ_CR);
    ck_assert_uint_eq(e->fab->q[HON].max_from[ST], EVT_CR - 1); /* reached (the last is kept for CREDIT) */
    ck_assert_uint_eq(sock_app_req_avail(e->app, 0) + sock_stack_req_outstanding(e->ss, 0), REQ_CR);
    ck_assert_uint_ge(sock_stack_evt_avail(e->ss, 0), EVT_CR - sock_credit_threshold(EVT_CR));
    ck_assert_uint_eq(CNT(e, sock_no_credit) + CNT(e, sock_credit_excess) + CNT(e, sock_err_ev), 0);
    env_free(e);
}
END_TEST

START_TEST(hostile_app)
{
    env_t *e = env_new();
    uint64_t w[8];
    ck_assert_int_eq(sock_app_listen(e->app, 0, 7, 16), 0);
    hreq(e, HOS, w, sock_enc_listen(w, 0, HOS, 9, 4));
    pump(e);
    ck_assert_uint_eq(e->hev[SOCK_EV_LISTENING], 1);
    uint64_t ha, hb;
    uint32_t ia = honest_conn(e, 3, &ha);
    ck_assert_int_ge(sock_stack_tcp_accept(e->ss, 4, 9, 1, 2), 0);
    pump(e);
    ck_assert_uint_eq(e->hev[SOCK_EV_ACCEPTED], 1);
    hb = e->hlast[1];
    honest_echo(e, 3, ia, 2, 100);

    /* another app's connection, even with its real handle */
    REJECT(e, HOS, w, sock_enc_send(w, 0, HOS, ha, 0, 10), sock_not_owner, SOCK_ERR_NOT_OWNER);
    REJECT(e, HOS, w, sock_enc_close(w, 0, HOS, ha), sock_not_owner, SOCK_ERR_NOT_OWNER);
    /* a forged sender field: its own handle in the honest tile's name, the
     * honest handle guessed (wrong nonce) in its name; the ERROR goes to the
     * claimed sender */
    REJECT(e, HON, w, sock_enc_abort(w, 0, HON, hb), sock_not_owner, SOCK_ERR_NOT_OWNER);
    REJECT(e, HON, w, sock_enc_abort(w, 0, HON, ha ^ (1ULL << 40)), sock_bad_handle, SOCK_ERR_BAD_HANDLE);
    /* guessed and stale handles */
    REJECT(e, HOS, w, sock_enc_send(w, 0, HOS, hb + (1ULL << 32), 0, 1), sock_bad_handle, SOCK_ERR_BAD_HANDLE);
    REJECT(e, HOS, w, sock_enc_send(w, 0, HOS, hb + (1ULL << 16), 0, 1), sock_bad_handle, SOCK_ERR_BAD_HANDLE);
    REJECT(e, HOS, w, sock_enc_send(w, 0, HOS, sock_handle(1, 0, 999), 0, 1), sock_bad_handle, SOCK_ERR_BAD_HANDLE);
    REJECT(e, HOS, w, sock_enc_send(w, 0, HOS, sock_handle(0, 0, 15), 0, 1), sock_bad_handle, SOCK_ERR_BAD_HANDLE);
    /* the TX range: past the end, too long, wrapping offset + length */
    REJECT(e, HOS, w, sock_enc_send(w, 0, HOS, hb, HOS_TX_SIZE, 1), sock_tx_range, SOCK_ERR_TX_RANGE);
    REJECT(e, HOS, w, sock_enc_send(w, 0, HOS, hb, 0, (uint32_t)HOS_TX_SIZE + 1), sock_tx_range, SOCK_ERR_TX_RANGE);
    REJECT(e, HOS, w, sock_enc_send(w, 0, HOS, hb, ~0ULL - 15, 0x20), sock_tx_range, SOCK_ERR_TX_RANGE);
    REJECT(e, HOS, w, sock_enc_send(w, 0, HOS, hb, HOS_TX_SIZE - 1, 2), sock_tx_range, SOCK_ERR_TX_RANGE);
    REJECT(e, HOS, w, sock_enc_send(w, 0, HOS, hb, 0, 0), sock_bad_arg, SOCK_ERR_BAD_ARG);
    uint32_t sends = e->tcp.nsends;
    hreq(e, HOS, w, sock_enc_send(w, 0, HOS, hb, HOS_TX_SIZE - 1, 1)); /* the last byte is its own */
    pump(e);
    ck_assert_uint_eq(e->tcp.nsends, sends + 1);
    ck_assert_uint_eq(e->tcp.sends[sends].addr, HOS_TX + HOS_TX_SIZE - 1);
    ck_assert_uint_eq(e->tcp.sends[sends].conn, 4);
    /* RX references: released twice, never given */
    ftcp_rx(&e->tcp, 4, 0x30000000, 10, 777);
    sock_stack_tcp_readable(e->ss, sock_handle_index(hb));
    pump(e);
    ck_assert_uint_eq(e->hev[SOCK_EV_DATA], 1);
    uint32_t ref = sock_data_ref(e->hlast);
    hreq(e, HOS, w, sock_enc_release(w, 0, HOS, hb, ref));
    pump(e);
    ck_assert_int_eq(ftcp_released(&e->tcp, 777), 1);
    REJECT(e, HOS, w, sock_enc_release(w, 0, HOS, hb, ref), sock_bad_ref, SOCK_ERR_BAD_REF);
    REJECT(e, HOS, w, sock_enc_release(w, 0, HOS, hb, ref + 1), sock_bad_ref, SOCK_ERR_BAD_REF);
    REJECT(e, HOS, w, sock_enc_release(w, 0, HOS, ha, 0), sock_not_owner, SOCK_ERR_NOT_OWNER);
    ck_assert_int_eq(ftcp_released(&e->tcp, 777), 1);
    /* SEND_RELEASE: each check stops both halves (REJECT: nothing sent,
     * nothing released) */
    REJECT(e, HOS, w, sock_enc_send_release(w, 0, HOS, hb, 0, 1, ref), sock_bad_ref, SOCK_ERR_BAD_REF);
    REJECT(e, HOS, w, sock_enc_send_release(w, 0, HOS, ha, 0, 1, 0), sock_not_owner, SOCK_ERR_NOT_OWNER);
    REJECT(e, HOS, w, sock_enc_send_release(w, 0, HOS, hb, (uint32_t)HOS_TX_SIZE, 1, ref), sock_tx_range,
           SOCK_ERR_TX_RANGE);
    REJECT(e, HOS, w, sock_enc_send_release(w, 0, HOS, hb, 0xffffffffu, 2, ref), sock_tx_range, SOCK_ERR_TX_RANGE);
    REJECT(e, HOS, w, sock_enc_send_release(w, 0, HOS, hb, 0, 0, ref), sock_bad_arg, SOCK_ERR_BAD_ARG);
    ftcp_rx(&e->tcp, 4, 0x30000000, 10, 778);
    sock_stack_tcp_readable(e->ss, sock_handle_index(hb));
    pump(e);
    ref = sock_data_ref(e->hlast);
    sends = e->tcp.nsends;
    hreq(e, HOS, w, sock_enc_send_release(w, 0, HOS, hb, 8, 10, ref)); /* its own bytes, its own ref */
    pump(e);
    ck_assert_uint_eq(e->tcp.nsends, sends + 1);
    ck_assert_uint_eq(e->tcp.sends[sends].addr, HOS_TX + 8);
    ck_assert_int_eq(ftcp_released(&e->tcp, 778), 1);
    REJECT(e, HOS, w, sock_enc_send_release(w, 0, HOS, hb, 8, 10, ref), sock_bad_ref, SOCK_ERR_BAD_REF);
    /* unknown types, wrong lengths, reserved bits */
    w[0] = sock_w0(0x7f, 0, HOS, 0);
    REJECT(e, HOS, w, 1, sock_bad_type, SOCK_ERR_BAD_TYPE);
    sock_enc_data(w, 0, HOS, hb, 0, 1, 0); /* an event sent as a request */
    REJECT(e, HOS, w, 4, sock_bad_type, SOCK_ERR_BAD_TYPE);
    sock_enc_send(w, 0, HOS, hb, 0, 1);
    REJECT(e, HOS, w, 2, sock_bad_len, SOCK_ERR_BAD_LEN);
    sock_enc_close(w, 0, HOS, hb);
    REJECT(e, HOS, w, 3, sock_bad_len, SOCK_ERR_BAD_LEN);
    sock_enc_send(w, 0, HOS, hb, 0, 1); /* oversized: 8 words, the rest junk */
    for (int i = 3; i < 8; i++) w[i] = 0x1111111111111111ULL * (uint64_t)i;
    REJECT(e, HOS, w, 8, sock_bad_len, SOCK_ERR_BAD_LEN);
    w[0] = sock_w0(SOCK_REQ_CLOSE, 0, HOS, 1);
    w[1] = hb;
    REJECT(e, HOS, w, 2, sock_bad_arg, SOCK_ERR_BAD_ARG);
    REJECT(e, HOS, w, sock_enc_listen(w, 0, HOS, 0, 4), sock_bad_arg, SOCK_ERR_BAD_ARG);
    e->tcp.listen_fail = 1;
    REJECT(e, HOS, w, sock_enc_listen(w, 0, HOS, 10, 4), sock_tcp_refused, SOCK_ERR_TCP);
    e->tcp.listen_fail = 0;
    /* the honest app's port (another application's): not shared */
    REJECT(e, HOS, w, sock_enc_listen(w, 0, HOS, 7, 4), sock_port_taken, SOCK_ERR_PORT_TAKEN);
    /* a sender that is no app tile: counted, nobody to answer */
    w[0] = sock_w0(SOCK_REQ_CREDIT, 0, 77, 0);
    fab_push(e->fab, HOS, ST, w, 1);
    pump(e);
    ck_assert_uint_eq(CNT(e, sock_not_app), 1);
    /* credits given back that it never had */
    w[0] = sock_w0(SOCK_REQ_CREDIT, 200, HOS, 0);
    fab_push(e->fab, HOS, ST, w, 1);
    pump(e);
    ck_assert_uint_eq(CNT(e, sock_credit_excess), 1);
    ck_assert_uint_le(sock_stack_evt_avail(e->ss, 1), EVT_CR);
    /* close, then the stale handle after the slot is used again */
    hreq(e, HOS, w, sock_enc_close(w, 0, HOS, hb));
    pump(e);
    REJECT(e, HOS, w, sock_enc_send(w, 0, HOS, hb, 0, 1), sock_bad_state, SOCK_ERR_BAD_STATE);
    sock_stack_tcp_done(e->ss, sock_handle_index(hb));
    pump(e);
    ck_assert_uint_eq(e->hev[SOCK_EV_CLOSED], 1);
    int32_t again = sock_stack_tcp_accept(e->ss, 5, 9, 1, 2);
    ck_assert_int_eq(again, (int32_t)sock_handle_index(hb)); /* the same slot */
    pump(e);
    ck_assert_uint_ne(e->hlast[1], hb);
    REJECT(e, HOS, w, sock_enc_close(w, 0, HOS, hb), sock_bad_handle, SOCK_ERR_BAD_HANDLE);

    /* beyond credits: it sends without reading; 10 dropped, reported once */
    for (int i = 0; i < (int)REQ_CR + 10; i++) {
        w[0] = sock_w0(SOCK_REQ_CREDIT, 0, HOS, 0);
        fab_push(e->fab, HOS, ST, w, 1);
    }
    sock_stack_input(e->ss, 1000);
    ck_assert_uint_eq(CNT(e, sock_no_credit), 10);
    uint32_t nc = e->herr[SOCK_ERR_NO_CREDIT];
    pump(e);
    ck_assert_uint_eq(e->herr[SOCK_ERR_NO_CREDIT], nc + 1);
    ck_assert_uint_eq(sock_error_code(e->hlast), SOCK_ERR_NO_CREDIT);
    ck_assert_uint_eq(sock_error_count(e->hlast), 10);

    /* a flood of junk (its own name) interleaved with the honest echo */
    uint64_t junk = 0x1234567;
    uint64_t bt = CNT(e, sock_bad_type), nc2 = CNT(e, sock_no_credit);
    for (int burst = 0; burst < 20; burst++) {
        for (int i = 0; i < 100; i++) {
            junk = junk * 6364136223846793005ULL + 1442695040888963407ULL;
            w[0] = sock_w0(0x40 + (uint32_t)(junk >> 60), 0, HOS, (uint32_t)junk);
            fab_push(e->fab, HOS, ST, w, 1);
        }
        honest_echo(e, 3, ia, 1, 5000 + (uint64_t)burst);
    }
    ck_assert_uint_eq(CNT(e, sock_bad_type) - bt + CNT(e, sock_no_credit) - nc2, 2000);

    /* the honest app: its connection and data untouched; the only errors it
     * saw are the two forged in its name */
    ck_assert_uint_eq(e->errors, 2);
    ck_assert_uint_eq(e->tcp.c[3].closed + e->tcp.c[3].aborted, 0);
    ck_assert_uint_eq(e->tcp.c[4].aborted, 0);
    honest_echo(e, 3, ia, 5, 9000);
    sock_stack_tcp_reset(e->ss, ia);
    pump(e);
    ck_assert_uint_eq(sock_app_conns_used(e->app), 0);
    ck_assert_uint_le(e->fab->q[HON].max_from[ST], EVT_CR);
    ck_assert_uint_le(e->fab->q[HOS].max_from[ST], EVT_CR);
    env_free(e);
}
END_TEST

/* The app's CLOSE crossing the peer's reset (the RESET event not yet
 * read): no error for the app, counted; the app's connection is gone. */
START_TEST(close_crossing_reset_is_no_error)
{
    env_t *e = env_new();
    uint64_t ha;
    ck_assert_int_eq(sock_app_listen(e->app, 0, 7, 16), 0);
    pump(e);
    uint32_t ia = honest_conn(e, 3, &ha);
    ck_assert_int_eq(sock_app_close(e->app, 0), 0);   /* on its way to the stack... */
    sock_stack_tcp_reset(e->ss, ia);                   /* ...when the peer resets */
    pump(e);
    ck_assert_uint_eq(CNT(e, sock_bad_state), 0);
    ck_assert_uint_eq(CNT(e, sock_close_after_reset), 1);
    ck_assert_uint_eq(e->errors, 0);
    ck_assert_uint_eq(sock_app_conns_used(e->app), 0);
    env_free(e);
}
END_TEST

/* What a forged sender field can and cannot do: requests in the honest
 * tile's name use up its credits here (its own are then dropped as beyond
 * credits while the forgery lasts: denial of service, documented in
 * abi/sock.h), and the errors go to it; but nothing reaches its connection,
 * and once the forgery stops its echo works again with its credits whole. */
START_TEST(forged_sender_limits)
{
    env_t *e = env_new();
    uint64_t w[8], ha;
    ck_assert_int_eq(sock_app_listen(e->app, 0, 7, 16), 0);
    pump(e);
    uint32_t ia = honest_conn(e, 3, &ha);
    honest_echo(e, 3, ia, 2, 100);
    for (int i = 0; i < (int)REQ_CR + 5; i++) {
        hreq(e, HON, w, sock_enc_close(w, 0, HON, ha ^ 0xffff00000000ULL)); /* guessed nonce, its name */
    }
    sock_stack_input(e->ss, 1000);
    ck_assert_uint_eq(CNT(e, sock_bad_handle), REQ_CR);
    ck_assert_uint_eq(CNT(e, sock_no_credit), 5);
    ck_assert_uint_eq(sock_stack_req_outstanding(e->ss, 0), REQ_CR); /* the honest tile's credits, used up */
    pump(e);
    ck_assert_uint_eq(e->errors, REQ_CR + 1); /* six BAD_HANDLE, one NO_CREDIT for five */
    ck_assert_uint_eq(e->tcp.c[3].closed + e->tcp.c[3].aborted, 0);
    honest_echo(e, 3, ia, 5, 200);
    ck_assert_uint_eq(sock_app_req_avail(e->app, 0) + sock_stack_req_outstanding(e->ss, 0), REQ_CR);
    ck_assert_uint_gt(sock_app_counters(e->app)->credit_excess, 0); /* it was given back what it never spent */
    env_free(e);
}
END_TEST

/* The same forgery with a transport that reports the sender the hardware
 * recorded (mesh.sender_id = on; not a TILE-Gx feature): the stack uses
 * the recorded sender, so the forged requests count against the forger's
 * own credits and answer the forger, the claim is counted as forged, a
 * claimed sender that is no app tile no longer hides the forger, and the
 * honest tile's credits stay whole. The app library likewise ignores an
 * event that claims to come from the stack tile but was sent by another. */
START_TEST(forged_sender_recorded)
{
    env_t *e = env_new_hw(REQ_CR, EVT_CR, 1);
    uint64_t w[8], ha;
    ck_assert_int_eq(sock_app_listen(e->app, 0, 7, 16), 0);
    pump(e);
    uint32_t ia = honest_conn(e, 3, &ha);
    honest_echo(e, 3, ia, 2, 100);
    ck_assert_uint_eq(CNT(e, sock_sender_forged), 0);
    hreq(e, 99, w, sock_enc_close(w, 0, 99, ha ^ 0xffff00000000ULL)); /* no app tile's name */
    for (int i = 0; i < (int)REQ_CR + 5; i++)
        hreq(e, HON, w, sock_enc_close(w, 0, HON, ha ^ 0xffff00000000ULL)); /* the honest tile's name */
    sock_stack_input(e->ss, 1000);
    ck_assert_uint_eq(CNT(e, sock_sender_forged), REQ_CR + 6);
    ck_assert_uint_eq(CNT(e, sock_not_app), 0);
    ck_assert_uint_eq(CNT(e, sock_bad_handle), REQ_CR);
    ck_assert_uint_eq(CNT(e, sock_no_credit), 6);
    ck_assert_uint_eq(sock_stack_req_outstanding(e->ss, 0), 0);       /* the honest tile's: untouched */
    ck_assert_uint_eq(sock_stack_req_outstanding(e->ss, 1), REQ_CR);  /* the forger's: used up */
    pump(e);
    ck_assert_uint_eq(e->errors, 0); /* every ERROR went to the forger */
    ck_assert_uint_gt(e->herr[SOCK_ERR_BAD_HANDLE], 0);
    ck_assert_uint_eq(e->tcp.c[3].closed + e->tcp.c[3].aborted, 0);
    honest_echo(e, 3, ia, 5, 200);
    ck_assert_uint_eq(sock_app_req_avail(e->app, 0) + sock_stack_req_outstanding(e->ss, 0), REQ_CR);
    ck_assert_uint_eq(sock_app_counters(e->app)->credit_excess, 0);
    ck_assert_uint_eq(CNT(e, sock_sender_forged), REQ_CR + 6);        /* the honest claims matched */

    uint64_t bad_before = sock_app_counters(e->app)->ev_bad;
    w[0] = sock_w0(SOCK_EV_CREDIT, 1, ST, 0);                         /* posing as the stack tile */
    fab_push(e->fab, HOS, HON, w, 1);
    sock_app_poll(e->app);
    ck_assert_uint_eq(sock_app_counters(e->app)->ev_bad, bad_before + 1);
    env_free(e);
}
END_TEST

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    return *s;
}

/* With the smallest credits, replies that hold credits back (errors,
 * listens), data, sends and releases in a seeded random interleaving of the
 * two sides: everything waiting always gets out (no side waits on the other
 * with both at their last credit), and the credits are whole at rest. */
START_TEST(credits_never_deadlock)
{
    static const uint32_t crs[][2] = { { 3, 3 }, { 3, 4 }, { 4, 3 }, { 6, 6 }, { 3, 8 } };
    for (uint32_t k = 0; k < 5; k++)
        for (uint64_t seed = 1; seed <= 8; seed++) {
            env_t *e = env_new_cr(crs[k][0], crs[k][1]);
            uint64_t r = seed * 0x9e3779b97f4a7c15ULL, tok = 1, h;
            ck_assert_int_eq(sock_app_listen(e->app, 0, 7, 16), 0);
            pump(e);
            uint32_t idx[4];
            for (uint32_t c = 0; c < 4; c++) idx[c] = honest_conn(e, 20 + c, &h);
            for (int step = 0; step < 600; step++) {
                uint32_t c = (uint32_t)(rnd(&r) % 4);
                switch (rnd(&r) % 8) {
                case 0: /* a reply that holds a credit back: LISTENING or ERROR */
                    e->tcp.listen_fail = (int)(rnd(&r) % 2);
                    if (sock_app_req_waiting(e->app) < 32) sock_app_listen(e->app, 0, (uint16_t)(100 + rnd(&r) % 4), 4);
                    break;
                case 1: /* an error of the honest app's own making */
                    if (sock_app_req_waiting(e->app) < 32) sock_app_release(e->app, c, 0x7fffffffu);
                    break;
                case 2:
                case 3:
                    if (e->tcp.c[20 + c].rx_cnt < 8) {
                        ftcp_rx(&e->tcp, 20 + c, (uint64_t)(uintptr_t)(e->rx + 32 * c), 8, tok++);
                        sock_stack_tcp_readable(e->ss, idx[c]);
                    }
                    break;
                case 4: sock_stack_input(e->ss, 1); break;
                case 5: sock_stack_output(e->ss); break;
                default: sock_app_poll(e->app); break;
                }
                if (step % 50 == 49) { /* acknowledge what was sent so far */
                    pump(e);
                    for (uint32_t i = 0; i < 4; i++) sock_stack_tcp_sent(e->ss, idx[i], 1u << 20);
                }
            }
            pump(e);
            ck_assert_msg(sock_app_req_waiting(e->app) == 0 && sock_stack_replies_waiting(e->ss, 0) == 0,
                          "credits %u/%u seed %lu: stuck with %u requests and %u replies waiting", crs[k][0],
                          crs[k][1], (unsigned long)seed, sock_app_req_waiting(e->app),
                          sock_stack_replies_waiting(e->ss, 0));
            ck_assert_uint_eq(sock_app_req_avail(e->app, 0) + sock_stack_req_outstanding(e->ss, 0), crs[k][0]);
            ck_assert_uint_le(e->fab->q[HON].max_from[ST], crs[k][1]);
            ck_assert_uint_le(e->fab->q[ST].max_from[HON], crs[k][0]);
            ck_assert_uint_eq(e->tcp.nreleased, tok - 1); /* every byte echoed and released */
            env_free(e);
        }
}
END_TEST

START_TEST(config_and_counters)
{
    sock_stack_app_t apps[2] = { { 5, 0x1000, 0x1000, 0 }, { 6, 0x2000, 0x1000, 0 } };
    sock_stack_cfg_t c = { .tile = 1, .max_conns = 16, .rx_refs = 4, .req_credits = 4, .evt_credits = 4,
                           .napps = 2, .apps = apps, .seed = 1 };
    ck_assert_uint_gt(sock_stack_footprint(&c), 0);
    sock_stack_cfg_t b;
#define BAD(field, value) do { b = c; b.field = value; ck_assert_uint_eq(sock_stack_footprint(&b), 0); } while (0)
    BAD(max_conns, 0);
    BAD(max_conns, SOCK_CONNS_MAX + 1);
    BAD(rx_refs, 3);
    BAD(rx_refs, 512);
    BAD(req_credits, 2);
    BAD(evt_credits, 256);
    BAD(napps, 0);
    apps[1].tile = 5; /* two slots, one tile */
    ck_assert_uint_eq(sock_stack_footprint(&c), 0);
    apps[1].tile = 6;
    apps[1].tx_size = ~0ULL; /* region wraps */
    ck_assert_uint_eq(sock_stack_footprint(&c), 0);
    for (unsigned i = 0; i < SOCK_STACK_COUNTER_CNT; i++) {
        ck_assert_ptr_nonnull(sock_stack_counter_name(i));
        ck_assert_uint_gt(strlen(sock_stack_counter_text(i)), 8);
        for (unsigned j = 0; j < i; j++) ck_assert_str_ne(sock_stack_counter_name(i), sock_stack_counter_name(j));
    }
    ck_assert_ptr_null(sock_stack_counter_name(SOCK_STACK_COUNTER_CNT));
    ck_assert_str_eq(sock_stack_counter_name(offsetof(sock_stack_counters_t, sock_tx_range) / 8), "sock_tx_range");
}
END_TEST

Suite *sock_stack_suite(void)
{
    Suite *s = suite_create("sock_stack");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, honest_path);
    tcase_add_test(tc, send_release_batches);
    tcase_add_test(tc, accept_for_a_named_app);
    tcase_add_test(tc, credits_hold_and_return);
    tcase_add_test(tc, hostile_app);
    tcase_add_test(tc, forged_sender_limits);
    tcase_add_test(tc, close_crossing_reset_is_no_error);
    tcase_add_test(tc, forged_sender_recorded);
    tcase_add_test(tc, credits_never_deadlock);
    tcase_add_test(tc, config_and_counters);
    suite_add_tcase(s, tc);
    return s;
}
