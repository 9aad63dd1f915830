/* echo_core.c - the TCP echo application over stack/sock's sock_app,
 * shared by both deployments (moved here from echo_app.c): echo_app.c runs
 * it on a dlibos app tile (requests and events over the UDN),
 * baseline_tile.c beside the stack on every baseline tile (through the
 * in-process sock_direct transport). Every byte received is sent back:
 * copied from the RX reference (read in place, in the RX pool) into the TX
 * allocator's space, sent by reference and the reference released in one
 * request (SEND_RELEASE: one message instead of two). A
 * peer's close is answered by a close.
 *
 * When the TX region or the request queue is momentarily full, the data
 * event waits in a small FIFO (its reference still held, so TCP's window
 * holds the peer back) and is retried after the next poll. */
#include <stdio.h>
#include <string.h>

#include "dlibos/app_core.h"
#include "dlibos/echo_core.h"

#define MAX_CONNS 512u  /* one application serves every stack tile's connections
                          * (up to 64 each, stack_core.c): 8 stack tiles */
#define PENDING   1024u

typedef struct pend {
    uint32_t conn, len, ref, stage; /* stage 0: copy, 1: send and release */
    const uint8_t *bytes;
    uint8_t *tx;                    /* the copy, from stage 1 */
} pend_t;

static sock_app_t *app;
static void register_counters(void);
static pend_t pend[PENDING];
static uint32_t pend_head, pend_cnt;
static uint64_t pend_full;

/* Echoes one data event: the answer and the release of the request's
 * bytes in one request (SEND_RELEASE); 0 when done, -1 to retry later (p
 * updated). */
static int echo(pend_t *p)
{
    if (p->stage == 0) {
        p->tx = sock_app_tx_alloc(app, p->len);
        if (!p->tx) return -1;
        memcpy(p->tx, p->bytes, p->len);
        p->stage = 1;
    }
    int rc = sock_app_send_release(app, p->conn, p->tx, p->len, p->ref);
    if (rc == SOCK_APP_EAGAIN) return -1;
    if (rc != 0) /* the connection is gone: its bytes with it */
        printf("echo app: send refused on connection %u\n", (unsigned)p->conn);
    return 0;
}

static void on_data(void *ctx, uint32_t conn, const uint8_t *bytes, uint32_t len, uint32_t ref)
{
    (void)ctx;
    pend_t p = { conn, len, ref, 0, bytes, NULL };
    if (!pend_cnt && echo(&p) == 0) return;
    if (pend_cnt == PENDING) { pend_full++; return; }
    pend[(pend_head + pend_cnt++) % PENDING] = p;
}

static void retry(void)
{
    while (pend_cnt && echo(&pend[pend_head]) == 0) {
        pend_head = (pend_head + 1) % PENDING;
        pend_cnt--;
    }
}

/* The first connection is printed (which tiles serve: tests/dlibos). */
static uint32_t my_tile;
static uint64_t accepted;
static void on_accept(void *ctx, uint32_t conn, uint32_t peer_ip, uint16_t peer_port, uint16_t lport)
{
    (void)ctx, (void)conn, (void)peer_ip, (void)peer_port, (void)lport;
    if (accepted++ == 0) printf("echo app on tile %u: first connection\n", (unsigned)my_tile);
}

static void on_peer_closed(void *ctx, uint32_t conn)
{
    (void)ctx;
    sock_app_close(app, conn);
}

static void on_error(void *ctx, uint32_t conn, uint32_t req, uint32_t code, uint32_t count)
{
    (void)ctx;
    printf("echo app: error %u on request %u (connection %d, %u times)\n", (unsigned)code, (unsigned)req,
           conn == SOCK_APP_NOCONN ? -1 : (int)conn, (unsigned)count);
}

static _Alignas(64) uint8_t app_mem[256 * 1024];

const char *echo_start(const sock_app_cfg_t *given, const sock_transport_t *tp, uint16_t port)
{
    sock_app_cfg_t c = *given, *cfg = &c;
    c.max_conns = MAX_CONNS;
    c.tx_recs = 1024;
    c.req_queue = 256;
    sock_app_cb_t cb = { .on_accept = on_accept, .on_data = on_data, .on_peer_closed = on_peer_closed,
                         .on_error = on_error };
    my_tile = c.tile;
    if (sock_app_footprint(cfg) == 0 || sock_app_footprint(cfg) > sizeof app_mem)
        return "configuration does not fit";
    app = sock_app_join(sock_app_new(app_mem, cfg, tp, &cb));
    if (!app) return "sock_app_new failed";
    register_counters();
    for (unsigned s = 0; s < cfg->nstacks; s++) sock_app_listen(app, s, port, 64);
    return NULL;
}

/* Connections aborted for a full table and data events that found the
 * FIFO full (their bytes never echoed), printed when they grow: a limit
 * reached is never silent. */
static void report_limits(void)
{
    /* data events pointing outside this app's RX pool: the mPIPE rules put
     * its flows in another application's buffer stacks (mpipe.rules) */
    static uint64_t last_bad;
    uint64_t bad = sock_app_counters(app)->ev_bad;
    if (bad != last_bad) {
        last_bad = bad;
        printf("echo app: %lu bad events (data outside its RX pool? check mpipe.rules)\n", (unsigned long)bad);
    }
    static uint64_t last;
    uint64_t full = sock_app_counters(app)->accept_full;
    if (full + pend_full == last) return;
    last = full + pend_full;
    printf("echo app: limits reached: accept_full=%lu pend_full=%lu\n", (unsigned long)full,
           (unsigned long)pend_full);
}

/* The app's counters (app.*: sock_app's, pend_full) reach stats.json
 * (results.tiles[t].firmware): the simulator reads them at the end. */
static void register_counters(void)
{
    static const char *const names[] = {
#define NAME(name, text) #name,
        SOCK_APP_COUNTERS(NAME)
#undef NAME
    };
    static const char *const pend_name[] = { "pend_full" };
    static tile_stat_set sets[2];
    sets[0] = (tile_stat_set){ (uintptr_t)"app.", (uintptr_t)names, (uintptr_t)sock_app_counters(app),
                               sizeof names / sizeof names[0] };
    sets[1] = (tile_stat_set){ (uintptr_t)"app.", (uintptr_t)pend_name, (uintptr_t)&pend_full, 1 };
    tile_stat_register(&sets[0]);
    tile_stat_register(&sets[1]);
}

uint32_t echo_step(void)
{
    report_limits();
    if (pend_cnt) {
        uint32_t n = sock_app_poll(app);
        uint32_t before = pend_cnt;
        retry();
        return n + (before - pend_cnt);
    }
    return sock_app_run_once(app);
}

/* The echo as the images' application (app_core.h): it takes no settings. */
static const char *echo_check_args(const char *args)
{
    return args && *args ? "the echo takes no settings: leave deployment.app_args empty" : NULL;
}
static const char *echo_start_args(const sock_app_cfg_t *cfg, const sock_transport_t *tp, uint16_t port,
                                   const char *args)
{
    (void)args;
    return echo_start(cfg, tp, port);
}
const app_core_t app_core = { "echo app", DLIBOS_ECHO_PORT, echo_start_args, echo_step, echo_check_args };
