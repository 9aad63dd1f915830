/* net_bench.c - the stack's cost on the tile core: two stack instances in
 * one tile program (client and server, joined by an in-memory wire, a fake
 * clock), a 64-byte request answered by a 64-byte response over an
 * established connection, repeated. Prints the RV64 instructions retired
 * per request, for the round trip and for the server's input path, and
 * exits 0 (dlsim --elf). The host twin is tests/net/bench_net.c. */
#include <stdio.h>
#include <string.h>

#include "boot/tile_rt.h"
#include "net/net.h"

#define REQ      64
#define REQUESTS 2000

typedef struct frame { uint32_t len, to; uint8_t b[1514]; } frame_t;

static _Alignas(64) uint8_t mem0[192 * 1024], mem1[192 * 1024];
static frame_t q[16];
static uint32_t qn, server_conn, responses;
static uint64_t now, server_instret;
static net_t *net[2];

static uint64_t now_ns(void *ctx) { (void)ctx; return now; }

static int wire_tx(void *ctx, const uint8_t *f, uint32_t len)
{
    uint32_t from = (uint32_t)(uintptr_t)ctx;
    if (qn == 16 || len > 1514) return -1;
    q[qn].len = len;
    q[qn].to = 1 - from;
    memcpy(q[qn++].b, f, len);
    return 0;
}

static void server_event(void *ctx, uint32_t conn, uint32_t ev)
{
    (void)ctx;
    if (ev & NET_EV_ACCEPT) server_conn = conn;
    uint8_t b[REQ];
    int64_t n;
    if (ev & NET_EV_READABLE)
        while ((n = net_tcp_recv(net[1], conn, b, sizeof b)) > 0) net_tcp_send(net[1], conn, b, (uint32_t)n);
}

static void client_event(void *ctx, uint32_t conn, uint32_t ev)
{
    (void)ctx;
    uint8_t b[REQ];
    int64_t n;
    if (ev & NET_EV_READABLE)
        while ((n = net_tcp_recv(net[0], conn, b, sizeof b)) > 0) responses += n == REQ;
}

static void deliver(void)
{
    while (qn) {
        static frame_t f;
        f = q[0];
        memmove(q, q + 1, (qn - 1) * sizeof q[0]);
        qn--;
        if (f.to == 1) {
            uint64_t t0 = tile_instret();
            net_input(net[1], f.b, f.len);
            server_instret += tile_instret() - t0;
        } else {
            net_input(net[0], f.b, f.len);
        }
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
    if (net_footprint(&c) > size) return NULL;
    net_hal_t hal = {.ctx = (void *)(uintptr_t)id, .now_ns = now_ns, .tx = wire_tx, .tcp_event = ev};
    return net_join(net_new(mem, &c, &hal));
}

int main(void)
{
    now = 1000000000ULL;
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
    uint8_t req[REQ];
    memset(req, 'q', sizeof req);
    uint64_t t0 = 0, s0 = 0;
    for (uint32_t i = 0; i < 100 + REQUESTS; i++) {
        if (i == 100) { /* after a warm-up */
            t0 = tile_instret();
            s0 = server_instret;
        }
        now += 10000;
        uint32_t before = responses;
        net_tcp_send(net[0], (uint32_t)h, req, REQ);
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
    printf("net_bench: RV64 instructions/request: %llu client+server round trip, %llu server stack input path"
           " (%u requests of %d bytes)\n",
           (unsigned long long)(all / REQUESTS), (unsigned long long)(srv / REQUESTS), REQUESTS, REQ);
    return 0;
}
