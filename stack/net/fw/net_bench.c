/* net_bench.c - the stack's cost on the tile core: two stack instances in
 * one tile program (client and server, joined by an in-memory wire, a fake
 * clock), a 64-byte request answered by a 64-byte response over an
 * established connection, repeated. Prints the RV64 instructions retired
 * per request, for the round trip and for the server's input path, and
 * exits 0 (dlsim --elf). Run twice: over the copy API (net_input,
 * net_tcp_recv/send: the stack copies payload into and out of its rings)
 * and over the zero-copy API (frames by reference from a pool of wire
 * buffers released by the stack, segments gathered, reads and sends by
 * reference; the echo server writes its response into its TX memory, the
 * application's one copy). The host twin is tests/net/bench_net.c. */
#include <stdio.h>
#include <string.h>

#include "boot/tile_rt.h"
#include "net/net.h"

#define REQ      64
#define REQUESTS 2000
#define POOL     16

typedef struct frame { uint32_t len, to; uint8_t b[1514]; } frame_t;

static _Alignas(64) uint8_t mem0[192 * 1024], mem1[192 * 1024];
static frame_t pool[POOL];        /* the wire's buffers */
static uint32_t pool_free[POOL], npool_free;
static uint32_t q[POOL], qn;      /* the wire: pool slots in flight */
static uint32_t server_conn, responses, txhead, zc;
static uint64_t now, server_instret;
static net_t *net[2];
static uint8_t txmem[POOL * REQ]; /* the server's TX memory */
static uint8_t req[REQ];          /* the client's request, sent by reference */

static uint64_t now_ns(void *ctx) { (void)ctx; return now; }

static frame_t *wire_take(void *ctx)
{
    if (!npool_free || qn == POOL) return NULL;
    uint32_t slot = pool_free[--npool_free];
    pool[slot].to = 1 - (uint32_t)(uintptr_t)ctx;
    q[qn++] = slot;
    return &pool[slot];
}

static int wire_tx(void *ctx, const uint8_t *f, uint32_t len)
{
    frame_t *fr = len <= 1514 ? wire_take(ctx) : NULL;
    if (!fr) return -1;
    fr->len = len;
    memcpy(fr->b, f, len);
    return 0;
}

/* Egress DMA: header and slices into one wire buffer. */
static int wire_gather(void *ctx, const uint8_t *hdr, uint32_t hlen, const net_iov_t *iov, uint32_t n)
{
    frame_t *fr = wire_take(ctx);
    if (!fr) return -1;
    memcpy(fr->b, hdr, hlen);
    fr->len = hlen + net_iov_copy(fr->b + hlen, iov, n);
    return 0;
}

static void rx_release(void *ctx, uint64_t token)
{
    (void)ctx;
    pool_free[npool_free++] = (uint32_t)token;
}

static void server_event(void *ctx, uint32_t conn, uint32_t ev)
{
    (void)ctx;
    if (ev & NET_EV_ACCEPT) server_conn = conn;
    if (ev & NET_EV_SENT) net_tcp_sent(net[1], conn);
    if (!(ev & NET_EV_READABLE)) return;
    if (zc) {
        net_rx_ref_t r;
        while (net_tcp_read_ref(net[1], conn, &r) > 0) {
            uint32_t n = r.len < REQ ? r.len : REQ;
            uint8_t *out = txmem + (txhead++ % POOL) * REQ;
            memcpy(out, r.data, n);
            net_tcp_release(net[1], conn, r.id);
            net_tcp_send_ref(net[1], conn, out, n);
        }
        return;
    }
    uint8_t b[REQ];
    int64_t n;
    while ((n = net_tcp_recv(net[1], conn, b, sizeof b)) > 0) net_tcp_send(net[1], conn, b, (uint32_t)n);
}

static void client_event(void *ctx, uint32_t conn, uint32_t ev)
{
    (void)ctx;
    if (ev & NET_EV_SENT) net_tcp_sent(net[0], conn);
    if (!(ev & NET_EV_READABLE)) return;
    if (zc) {
        net_rx_ref_t r;
        while (net_tcp_read_ref(net[0], conn, &r) > 0) {
            responses += r.len == REQ;
            net_tcp_release(net[0], conn, r.id);
        }
        return;
    }
    uint8_t b[REQ];
    int64_t n;
    while ((n = net_tcp_recv(net[0], conn, b, sizeof b)) > 0) responses += n == REQ;
}

static void deliver(void)
{
    while (qn) {
        uint32_t slot = q[0];
        memmove(q, q + 1, (qn - 1) * sizeof q[0]);
        qn--;
        frame_t *f = &pool[slot];
        uint64_t t0 = tile_instret();
        if (zc) {
            net_input_ref(net[f->to], f->b, f->len, slot);
        } else {
            net_input(net[f->to], f->b, f->len);
            pool_free[npool_free++] = slot;
        }
        if (f->to == 1) server_instret += tile_instret() - t0;
    }
}

static net_t *make(uint32_t id, void *mem, size_t size, void (*ev)(void *, uint32_t, uint32_t))
{
    net_config_t c;
    net_config_default(&c);
    c.ip = 0x0a000001u + id;
    uint8_t mac[6] = {2, 0, 0, 0, 0, (uint8_t)(1 + id)};
    memcpy(c.mac, mac, 6);
    c.max_conns = 4;
    c.max_listeners = 1;
    c.max_udp_ports = 1;
    c.arp_entries = 2;
    c.rcv_buf = 16384;
    c.snd_buf = 16384;
    c.hash_buckets = 4;
    c.rx_frames = 64;
    c.copy_api = !zc;
    if (net_footprint(&c) > size) return NULL;
    net_hal_t hal = {.ctx = (void *)(uintptr_t)id, .now_ns = now_ns, .tx = wire_tx, .tcp_event = ev};
    if (zc) {
        hal.tx_gather = wire_gather;
        hal.rx_release = rx_release;
    }
    return net_join(net_new(mem, &c, &hal));
}

static int run(void)
{
    now = 1000000000ULL;
    qn = npool_free = responses = server_conn = txhead = 0;
    server_instret = 0;
    for (uint32_t i = 0; i < POOL; i++) pool_free[npool_free++] = POOL - 1 - i;
    net[0] = make(0, mem0, sizeof mem0, client_event);
    net[1] = make(1, mem1, sizeof mem1, server_event);
    if (!net[0] || !net[1]) {
        printf("net_bench: configuration does not fit\n");
        return 1;
    }
    net_tcp_listen(net[1], 7, 4);
    int64_t h = net_tcp_connect(net[0], 0x0a000002u, 7);
    deliver();              /* ARP */
    now += 2000000000ULL;   /* the SYN went while ARP resolved: retransmit */
    net_timer(net[0]);
    deliver();
    if (h <= 0 || !server_conn) {
        printf("net_bench: no connection\n");
        return 1;
    }
    memset(req, 'q', sizeof req);
    uint64_t t0 = 0, s0 = 0;
    for (uint32_t i = 0; i < 100 + REQUESTS; i++) {
        if (i == 100) { /* after a warm-up */
            t0 = tile_instret();
            s0 = server_instret;
        }
        now += 10000;
        uint32_t before = responses;
        if (zc) net_tcp_send_ref(net[0], (uint32_t)h, req, REQ);
        else net_tcp_send(net[0], (uint32_t)h, req, REQ);
        deliver();
        if (responses != before + 1) {
            printf("net_bench: request %u got no response\n", i);
            return 1;
        }
        if (i % 64 == 63) {
            net_timer(net[0]);
            net_timer(net[1]);
            deliver();
        }
    }
    uint64_t all = tile_instret() - t0, srv = server_instret - s0;
    printf("net_bench: %s API: RV64 instructions/request: %llu client+server round trip, %llu server stack input"
           " path (%u requests of %d bytes)\n",
           zc ? "zero-copy" : "copy", (unsigned long long)(all / REQUESTS), (unsigned long long)(srv / REQUESTS),
           REQUESTS, REQ);
    return 0;
}

int main(void)
{
    zc = 0;
    if (run()) return 1;
    zc = 1;
    return run();
}
