/* bench_net.c - host cost of a small request/response over an established
 * TCP connection: two stack instances (client, server) joined by an
 * in-memory wire; the client sends a 64-byte request, the server's echo
 * application answers 64 bytes, the client reads it; repeat. Prints host
 * instructions per request (Linux perf counter, when the kernel allows it)
 * for both stacks together and for the server stack alone, and host ns per
 * request. With "zc", the same over the zero-copy API: frames given by
 * reference from a pool of wire buffers (released by the stack), segments
 * gathered (header + slices), the client sending its request by reference
 * and both reading by reference; the echo server writes its response into
 * its TX memory (the application's one copy) and sends it by reference.
 *   net_bench [REQUESTS] [zc] */
#define _GNU_SOURCE
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "net/net.h"

#define REQ 64

typedef struct frame { uint32_t len, to; uint8_t b[1514]; } frame_t;

#define POOL 64

static struct {
    net_t *net[2];
    frame_t q[64];
    uint32_t qn;
    int zc;
    frame_t pool[POOL];          /* zc: wire buffers, referenced by the stacks */
    uint32_t pool_free[POOL], npool_free;
    uint32_t zq[64], zqn;        /* zc: the wire's queue of pool slots */
    uint8_t txmem[2][4096];      /* zc: each side's TX memory (a ring of 64-byte slots) */
    uint32_t txhead[2];
    uint64_t now;
    uint32_t server_conn, client_conn;
    uint64_t responses;
    int counter_fd;
} B;

static uint64_t now_ns(void *ctx) { (void)ctx; return B.now; }

static int wire_tx(void *ctx, const uint8_t *f, uint32_t len)
{
    int from = (int)(intptr_t)ctx;
    if (B.qn == 64 || len > 1514) return -1;
    B.q[B.qn].len = len;
    B.q[B.qn].to = (uint32_t)(1 - from);
    memcpy(B.q[B.qn++].b, f, len);
    return 0;
}

/* zc: the wire takes a gather into a pool buffer, as egress DMA would. */
static int wire_gather(void *ctx, const uint8_t *hdr, uint32_t hlen, const net_iov_t *iov, uint32_t n)
{
    int from = (int)(intptr_t)ctx;
    if (!B.npool_free || B.zqn == 64) return -1;
    uint32_t slot = B.pool_free[--B.npool_free];
    frame_t *f = &B.pool[slot];
    memcpy(f->b, hdr, hlen);
    f->len = hlen + net_iov_copy(f->b + hlen, iov, n);
    f->to = (uint32_t)(1 - from);
    B.zq[B.zqn++] = slot;
    return 0;
}

static int wire_tx_zc(void *ctx, const uint8_t *fr, uint32_t len)
{
    int from = (int)(intptr_t)ctx;
    if (!B.npool_free || B.zqn == 64 || len > 1514) return -1;
    uint32_t slot = B.pool_free[--B.npool_free];
    memcpy(B.pool[slot].b, fr, len);
    B.pool[slot].len = len;
    B.pool[slot].to = (uint32_t)(1 - from);
    B.zq[B.zqn++] = slot;
    return 0;
}

static void rx_release(void *ctx, uint64_t token)
{
    (void)ctx;
    B.pool_free[B.npool_free++] = (uint32_t)token;
}

static void server_event_zc(void *ctx, uint32_t conn, uint32_t ev)
{
    (void)ctx;
    if (ev & NET_EV_ACCEPT) B.server_conn = conn;
    if (ev & NET_EV_SENT) net_tcp_sent(B.net[1], conn); /* TX slots are reused in turn */
    if (ev & NET_EV_READABLE) {
        net_rx_ref_t r;
        while (net_tcp_read_ref(B.net[1], conn, &r) > 0) {
            uint8_t *out = B.txmem[1] + (B.txhead[1]++ % 64) * REQ;
            memcpy(out, r.data, r.len < REQ ? r.len : REQ); /* the application writes its response */
            net_tcp_release(B.net[1], conn, r.id);
            net_tcp_send_ref(B.net[1], conn, out, r.len < REQ ? r.len : REQ);
        }
    }
}

static void client_event_zc(void *ctx, uint32_t conn, uint32_t ev)
{
    (void)ctx;
    if (ev & NET_EV_SENT) net_tcp_sent(B.net[0], conn);
    if (ev & NET_EV_READABLE) {
        net_rx_ref_t r;
        while (net_tcp_read_ref(B.net[0], conn, &r) > 0) {
            if (r.len == REQ) B.responses++;
            net_tcp_release(B.net[0], conn, r.id);
        }
    }
}

static void server_event(void *ctx, uint32_t conn, uint32_t ev)
{
    (void)ctx;
    if (ev & NET_EV_ACCEPT) B.server_conn = conn;
    if (ev & NET_EV_READABLE) {
        uint8_t b[REQ];
        int64_t n;
        while ((n = net_tcp_recv(B.net[1], conn, b, sizeof b)) > 0) net_tcp_send(B.net[1], conn, b, (uint32_t)n);
    }
}

static void client_event(void *ctx, uint32_t conn, uint32_t ev)
{
    (void)ctx;
    if (ev & NET_EV_READABLE) {
        uint8_t b[REQ];
        int64_t n;
        while ((n = net_tcp_recv(B.net[0], conn, b, sizeof b)) > 0)
            if (n == REQ) B.responses++;
    }
}

static void counter(int on)
{
    if (B.counter_fd >= 0) ioctl(B.counter_fd, on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE, 0);
}

/* The server stack's input path (with its application's upcalls): a
 * function of its own so that callgrind can count it (--toggle-collect). */
__attribute__((noinline)) void bench_server_input(const uint8_t *f, uint32_t len) { net_input(B.net[1], f, len); }
__attribute__((noinline)) void bench_server_input_ref(const uint8_t *f, uint32_t len, uint64_t token)
{
    net_input_ref(B.net[1], f, len, token);
}

/* Delivers queued frames until the wire is quiet; server input counted
 * separately when count_server is set. */
static void deliver(int count_server)
{
    while (B.zqn) {
        uint32_t slot = B.zq[0];
        memmove(B.zq, B.zq + 1, (B.zqn - 1) * sizeof B.zq[0]);
        B.zqn--;
        frame_t *f = &B.pool[slot];
        if (f->to == 1) {
            if (count_server) counter(1);
            bench_server_input_ref(f->b, f->len, slot);
            if (count_server) counter(0);
        } else {
            net_input_ref(B.net[0], f->b, f->len, slot);
        }
    }
    while (B.qn) {
        frame_t f = B.q[0];
        memmove(B.q, B.q + 1, (B.qn - 1) * sizeof B.q[0]);
        B.qn--;
        if (f.to == 1) {
            if (count_server) counter(1);
            bench_server_input(f.b, f.len);
            if (count_server) counter(0);
        } else {
            net_input(B.net[0], f.b, f.len);
        }
    }
}

static net_t *make(int id, void (*ev)(void *, uint32_t, uint32_t))
{
    net_config_t c;
    net_config_default(&c);
    c.ip = 0x0a000001u + (uint32_t)id;
    uint8_t mac[6] = {2, 0, 0, 0, 0, (uint8_t)(1 + id)};
    memcpy(c.mac, mac, 6);
    size_t fp = net_footprint(&c);
    void *mem = aligned_alloc(net_align(), (fp + 63) / 64 * 64);
    net_hal_t hal = {.ctx = (void *)(intptr_t)id, .now_ns = now_ns, .tx = wire_tx, .tcp_event = ev};
    if (B.zc) {
        c.copy_api = 0;
        hal.tx = wire_tx_zc;
        hal.tx_gather = wire_gather;
        hal.rx_release = rx_release;
    }
    return net_join(net_new(mem, &c, &hal));
}

static int open_counter(void)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.type = PERF_TYPE_HARDWARE;
    a.size = sizeof a;
    a.config = PERF_COUNT_HW_INSTRUCTIONS;
    a.disabled = 1;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static uint64_t read_counter(void)
{
    uint64_t v = 0;
    if (B.counter_fd < 0 || read(B.counter_fd, &v, sizeof v) != sizeof v) return 0;
    return v;
}

/* Runs n request/responses; returns host ns used. */
static uint64_t run(uint64_t n, int count_all, int count_server)
{
    static uint8_t req[REQ]; /* sent by reference: never changes */
    memset(req, 'q', sizeof req);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (count_all) counter(1);
    for (uint64_t i = 0; i < n; i++) {
        B.now += 10000; /* 10 us per round trip of simulated time */
        uint64_t before = B.responses;
        if (B.zc) net_tcp_send_ref(B.net[0], B.client_conn, req, REQ);
        else net_tcp_send(B.net[0], B.client_conn, req, REQ);
        deliver(count_server);
        if (B.responses != before + 1) {
            fprintf(stderr, "net_bench: request %llu got no response\n", (unsigned long long)i);
            exit(1);
        }
        if (i % 64 == 63) { /* timers run now and then, as a driver loop would */
            net_timer(B.net[0]);
            net_timer(B.net[1]);
            deliver(count_server);
        }
    }
    if (count_all) counter(0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ULL + (uint64_t)(t1.tv_nsec - t0.tv_nsec);
}

/* The measured loop, for callgrind's --toggle-collect. */
__attribute__((noinline)) uint64_t bench_measured(uint64_t n) { return run(n, 0, 0); }

int main(int argc, char **argv)
{
    uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 200000;
    if (!n) n = 1;
    B.zc = argc > 2 && !strcmp(argv[2], "zc");
    for (uint32_t i = 0; i < POOL; i++) B.pool_free[B.npool_free++] = POOL - 1 - i;
    B.now = 1000000000ULL;
    B.net[0] = make(0, B.zc ? client_event_zc : client_event);
    B.net[1] = make(1, B.zc ? server_event_zc : server_event);
    net_tcp_listen(B.net[1], 7, 4);
    int64_t h = net_tcp_connect(B.net[0], 0x0a000002u, 7);
    deliver(0);              /* ARP */
    B.now += 2000000000ULL;  /* the SYN went while ARP resolved: retransmit */
    net_timer(B.net[0]);
    deliver(0);
    if (h <= 0 || !B.server_conn) {
        fprintf(stderr, "net_bench: no connection\n");
        return 1;
    }
    B.client_conn = (uint32_t)h;
    B.counter_fd = open_counter();
    run(1000, 0, 0); /* warm up */
    uint64_t ns = bench_measured(n);
    printf("bench-net: %s API: %llu requests of %d bytes, host %.0f ns/request (client+server stacks)\n",
           B.zc ? "zero-copy" : "copy", (unsigned long long)n, REQ, (double)ns / (double)n);
    if (B.counter_fd < 0) {
        printf("bench-net: perf counter unavailable; instructions come from callgrind\n");
        return 0;
    }
    uint64_t c0 = read_counter();
    run(n, 1, 0);
    uint64_t all = read_counter() - c0;
    c0 = read_counter();
    run(n, 0, 1);
    uint64_t server = read_counter() - c0;
    printf("bench-net: host instructions/request: %.0f client+server, %.0f server stack input path\n",
           (double)all / (double)n, (double)server / (double)n);
    return 0;
}
