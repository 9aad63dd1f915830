/* echo_app.c - the DLibOS TCP echo application (deployment.app_firmware):
 * stack/sock's sock_app over the UDN, listening on port 7 at every stack
 * tile; every byte received is sent back: copied from the RX reference
 * (read in place, in the RX pool) into the TX allocator's space, sent by
 * reference, and the reference released. A peer's close is answered by a
 * close.
 *
 * When the TX region or the request queue is momentarily full, the data
 * event waits in a small FIFO (its reference still held, so TCP's window
 * holds the peer back) and is retried after the next poll.
 *
 * The mPIPE's buffer stacks live in application 0's RX pool (the stack
 * tiles set them up there), so only application 0 can read what arrives:
 * the app tiles of other applications print that and exit 0 (the next step
 * is a buffer stack per application, chosen by the classifier). */
#include <stdio.h>
#include <string.h>

#include "boot/tile_rt.h"
#include "dlibos/dlibos.h"
#include "sock/sock_app.h"

#define MAX_CONNS 64u
#define PENDING   64u

typedef struct pend {
    uint32_t conn, len, ref, stage; /* stage 0: copy and send, 1: release */
    const uint8_t *bytes;
} pend_t;

static sock_app_t *app;
static pend_t pend[PENDING];
static uint32_t pend_head, pend_cnt;
static uint64_t pend_full;

/* Echoes one data event; 0 when done, -1 to retry later (p updated). */
static int echo(pend_t *p)
{
    if (p->stage == 0) {
        uint8_t *b = sock_app_tx_alloc(app, p->len);
        if (!b) return -1;
        memcpy(b, p->bytes, p->len);
        if (sock_app_send(app, p->conn, b, p->len) != 0) {
            /* the allocation must be sent: give it back by sending nothing is
             * impossible, so the queue must have room; report it */
            printf("echo app: send refused on connection %u\n", (unsigned)p->conn);
        }
        p->stage = 1;
    }
    int rc = sock_app_release(app, p->conn, p->ref);
    return rc == SOCK_APP_EAGAIN ? -1 : 0;
}

static void on_data(void *ctx, uint32_t conn, const uint8_t *bytes, uint32_t len, uint32_t ref)
{
    (void)ctx;
    pend_t p = { conn, len, ref, 0, bytes };
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
static uint32_t stacks[SOCK_APP_STACKS_MAX];
static dl_udn_tp_t udn_tp;

int main(void)
{
    const boot_info *bi = tile_boot_info();
    unsigned tiles = bi->width * bi->height;
    if (bi->role != BOOT_ROLE_APP) {
        printf("echo app: not an app tile (deployment.app_firmware is for dlibos app tiles)\n");
        return 1;
    }
    if (bi->app != 0) {
        printf("echo app: application %u has no buffers of its own yet (only application 0 serves)\n",
               (unsigned)bi->app);
        return 0;
    }
    const boot_region *tx = tile_region(BOOT_REGION_TX, bi->app);
    const boot_region *pool = tile_region(BOOT_REGION_RX_POOL, bi->app);
    if (!tx || !pool || !(tx->rights & BOOT_RIGHT_W) || !(pool->rights & BOOT_RIGHT_R)) {
        printf("echo app: needs its TX region (rw) and RX pool (r)\n");
        return 1;
    }
    unsigned nstacks = bi->stack_tiles;
    if (nstacks == 0 || nstacks > SOCK_APP_STACKS_MAX) return 1;
    for (unsigned s = 0; s < nstacks; s++) stacks[s] = s;
    sock_app_cfg_t cfg = { .tile = bi->tile, .nstacks = nstacks, .stacks = stacks,
                           .req_credits = sock_initial_credits(DLIBOS_QUEUE_WORDS, dl_apps_serving(tiles, nstacks)),
                           .evt_credits = sock_initial_credits(DLIBOS_QUEUE_WORDS, nstacks),
                           .tx_base = (uint8_t *)(uintptr_t)tx->base, .tx_size = tx->size,
                           .rx_base = pool->base, .rx_size = pool->size, .max_conns = MAX_CONNS,
                           .tx_recs = 1024, .req_queue = 256 };
    udn_tp.width = bi->width;
    sock_transport_t tp = dl_udn_transport(&udn_tp);
    sock_app_cb_t cb = { .on_data = on_data, .on_peer_closed = on_peer_closed, .on_error = on_error };
    if (sock_app_footprint(&cfg) == 0 || sock_app_footprint(&cfg) > sizeof app_mem) {
        printf("echo app: configuration does not fit\n");
        return 1;
    }
    app = sock_app_join(sock_app_new(app_mem, &cfg, &tp, &cb));
    if (!app) return 1;
    for (unsigned s = 0; s < nstacks; s++) sock_app_listen(app, s, DLIBOS_ECHO_PORT, 64);
    for (;;) {
        if (pend_cnt) {
            sock_app_poll(app);
            retry();
        } else {
            sock_app_run_once(app);
        }
    }
}
