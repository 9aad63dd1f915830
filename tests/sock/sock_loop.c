/* sock_loop.c - both sides of the socket interface as tile firmware (built
 * only for the tests): a stack side and an echo app joined by an in-memory
 * loopback on one tile, with a fake TCP layer. Proves the libraries build and
 * link freestanding for RV64 with picolibc and behave there as on the host:
 * 1000 echoes of 64 bytes checked byte for byte, a few hostile requests each
 * counted. Prints instructions per echo (both sides) and exits 0, or names
 * what failed and exits 1 (dlsim --elf; tests/sock/test_sock_fw.c). */
#include <stdio.h>
#include <string.h>

#include "boot/tile_rt.h"
#include "sock/sock_app.h"
#include "sock/sock_stack.h"

#define STACK 1u
#define APP   2u
#define ECHOES 1000u

typedef struct msg { uint32_t n; uint64_t w[SOCK_MSG_WORDS_MAX]; } msg_t;
typedef struct q { msg_t m[64]; uint32_t head, cnt; } q_t;
static q_t qs[3];
static int failed;

static void lo_send(void *ctx, uint32_t tile, uint32_t queue, const uint64_t *w, uint32_t n)
{
    (void)ctx; (void)queue;
    q_t *q = &qs[tile];
    if (q->cnt == 64 || n > SOCK_MSG_WORDS_MAX) { failed = 1; return; } /* credits must prevent this */
    msg_t *m = &q->m[(q->head + q->cnt++) % 64];
    m->n = n;
    memcpy(m->w, w, n * sizeof *w);
}
static uint32_t lo_recv(void *ctx, uint32_t queue, uint64_t *w, uint32_t max)
{
    (void)queue;
    q_t *q = &qs[(uint32_t)(uintptr_t)ctx];
    if (!q->cnt) return 0;
    msg_t *m = &q->m[q->head];
    q->head = (q->head + 1) % 64;
    q->cnt--;
    memcpy(w, m->w, (m->n < max ? m->n : max) * sizeof *w);
    return m->n;
}

/* The fake TCP layer: one connection, one pending reference. */
static _Alignas(64) uint8_t rx_pool[4096], tx_region[4096];
static sock_rx_t pending;
static int have_pending, listened;
static uint64_t sent_addr, released;
static uint32_t sent_len;
static int t_listen(void *c, uint16_t port, uint32_t b) { (void)c; (void)b; listened = port; return 0; }
static int t_send(void *c, uint64_t conn, uint64_t addr, uint32_t len) { (void)c; (void)conn; sent_addr = addr; sent_len = len; return 0; }
static int t_recv(void *c, uint64_t conn, sock_rx_t *out)
{ (void)c; (void)conn; if (!have_pending) return 0; *out = pending; have_pending = 0; return 1; }
static void t_release(void *c, uint64_t conn, uint64_t tok) { (void)c; (void)conn; released = tok; }
static void t_close(void *c, uint64_t conn) { (void)c; (void)conn; }

static sock_app_t *app;
static void on_data(void *x, uint32_t c, const uint8_t *b, uint32_t len, uint32_t ref)
{
    (void)x;
    uint8_t *p = sock_app_tx_alloc(app, len);
    if (!p) { failed = 2; return; }
    memcpy(p, b, len);
    if (sock_app_send(app, c, p, len) || sock_app_release(app, c, ref)) failed = 3;
}

static _Alignas(64) uint8_t stack_mem[16384], app_mem[16384];

int main(void)
{
    sock_stack_app_t apps[1] = { { APP, (uint64_t)(uintptr_t)tx_region, sizeof tx_region, 0 } };
    sock_stack_cfg_t sc = { .tile = STACK, .max_conns = 8, .rx_refs = 4, .req_credits = 8, .evt_credits = 8,
                            .napps = 1, .apps = apps, .seed = 7 };
    static const uint32_t stacks[] = { STACK };
    sock_app_cfg_t ac = { .tile = APP, .nstacks = 1, .stacks = stacks, .req_credits = 8, .evt_credits = 8,
                          .tx_base = tx_region, .tx_size = sizeof tx_region, .rx_base = (uint64_t)(uintptr_t)rx_pool,
                          .rx_size = sizeof rx_pool, .max_conns = 8, .tx_recs = 16, .req_queue = 16 };
    if (sock_stack_footprint(&sc) > sizeof stack_mem || sock_app_footprint(&ac) > sizeof app_mem) {
        printf("sock_loop: configuration does not fit\n");
        return 1;
    }
    sock_transport_t stp = { (void *)(uintptr_t)STACK, lo_send, lo_recv, NULL, NULL };
    sock_transport_t atp = { (void *)(uintptr_t)APP, lo_send, lo_recv, NULL, NULL };
    sock_tcp_ops_t ops = { NULL, t_listen, t_send, t_recv, t_release, t_close, t_close };
    sock_app_cb_t cb = { .on_data = on_data };
    sock_stack_t *ss = sock_stack_join(sock_stack_new(stack_mem, &sc, &stp, &ops));
    app = sock_app_join(sock_app_new(app_mem, &ac, &atp, &cb));
    if (!ss || !app) { printf("sock_loop: new failed\n"); return 1; }
    sock_app_listen(app, 0, 7, 8);
    for (int i = 0; i < 4; i++) { sock_stack_input(ss, 16); sock_stack_output(ss); sock_app_poll(app); }
    int32_t idx = sock_stack_tcp_accept(ss, 1, 7, 0x0a000002, 40000);
    if (listened != 7 || idx < 0) { printf("sock_loop: no listen or accept\n"); return 1; }
    uint64_t i0 = tile_instret();
    for (uint32_t k = 0; k < ECHOES && !failed; k++) {
        uint8_t *b = rx_pool + (k % 32) * 128;
        for (int j = 0; j < 64; j++) b[j] = (uint8_t)(k + (uint32_t)j);
        pending = (sock_rx_t){ (uint64_t)(uintptr_t)b, 64, 1000 + k };
        have_pending = 1;
        sock_stack_tcp_readable(ss, (uint32_t)idx);
        for (int i = 0; i < 3; i++) { sock_stack_input(ss, 16); sock_stack_output(ss); sock_app_poll(app); }
        const uint8_t *s = (const uint8_t *)(uintptr_t)sent_addr;
        if (sent_len != 64 || released != 1000 + k || memcmp(s, b, 64) != 0) failed = 4;
        sock_stack_tcp_sent(ss, (uint32_t)idx, 64);
    }
    uint64_t per = (tile_instret() - i0) / ECHOES;
    /* hostile words in the app's name: a guessed handle, bytes outside */
    uint64_t w[SOCK_MSG_WORDS_MAX];
    lo_send(NULL, STACK, 0, w, sock_enc_close(w, 0, APP, 12345));
    lo_send(NULL, STACK, 0, w, sock_enc_send(w, 0, APP, 0, ~0ULL - 3, 8));
    w[0] = sock_w0(0x55, 0, APP, 0);
    lo_send(NULL, STACK, 0, w, 1);
    for (int i = 0; i < 4; i++) { sock_stack_input(ss, 16); sock_stack_output(ss); sock_app_poll(app); }
    const sock_stack_counters_t *c = sock_stack_counters(ss);
    if (c->sock_bad_handle != 2 || c->sock_bad_type != 1 || c->sock_err_ev != 3) failed = 5;
    if (failed) { printf("sock_loop: failed (%d)\n", failed); return 1; }
    printf("sock_loop: %u echoes ok, %lu instructions per 64-byte echo (stack side + app side)\n", ECHOES,
           (unsigned long)per);
    return 0;
}
