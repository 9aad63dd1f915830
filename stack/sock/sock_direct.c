/* sock_direct.c - the in-tile transport of the baseline deployment (see
 * sock_direct.h): two rings of length-prefixed messages. */
#include "sock/sock_direct.h"

#include <string.h>

/* A message is one header word (its length n) and n words. */
static void ring_put(sock_direct_t *d, sock_direct_ring_t *r, const uint64_t *w, uint32_t n)
{
    if (n == 0 || r->used + 1 + n > SOCK_DIRECT_WORDS) { d->dropped++; return; }
    uint32_t at = (r->head + r->used) % SOCK_DIRECT_WORDS;
    r->w[at] = n;
    for (uint32_t i = 0; i < n; i++) r->w[(at + 1 + i) % SOCK_DIRECT_WORDS] = w[i];
    r->used += 1 + n;
}

static uint32_t ring_take(sock_direct_ring_t *r, uint64_t *w, uint32_t max)
{
    if (!r->used) return 0;
    uint32_t n = (uint32_t)r->w[r->head];
    for (uint32_t i = 0; i < n; i++)
        if (i < max) w[i] = r->w[(r->head + 1 + i) % SOCK_DIRECT_WORDS];
    r->head = (r->head + 1 + n) % SOCK_DIRECT_WORDS;
    r->used -= 1 + n;
    return n;
}

static uint32_t msgs(const sock_direct_ring_t *r)
{
    uint32_t m = 0;
    for (uint32_t at = r->head, left = r->used; left;) {
        uint32_t n = (uint32_t)r->w[at];
        at = (at + 1 + n) % SOCK_DIRECT_WORDS;
        left -= 1 + n;
        m++;
    }
    return m;
}

/* queue and tile are the socket interface's (one tile, one queue per
 * direction): the side decides the ring. */
static void app_send(void *ctx, uint32_t tile, uint32_t queue, const uint64_t *w, uint32_t n)
{
    (void)tile, (void)queue;
    sock_direct_t *d = ctx;
    ring_put(d, &d->req, w, n);
}
static uint32_t app_recv(void *ctx, uint32_t queue, uint64_t *w, uint32_t max)
{
    (void)queue;
    return ring_take(&((sock_direct_t *)ctx)->evt, w, max);
}
static int app_sender(void *ctx, uint32_t *tile)
{
    *tile = ((sock_direct_t *)ctx)->stack_tile;
    return 1;
}
static void stack_send(void *ctx, uint32_t tile, uint32_t queue, const uint64_t *w, uint32_t n)
{
    (void)tile, (void)queue;
    sock_direct_t *d = ctx;
    ring_put(d, &d->evt, w, n);
}
static uint32_t stack_recv(void *ctx, uint32_t queue, uint64_t *w, uint32_t max)
{
    (void)queue;
    return ring_take(&((sock_direct_t *)ctx)->req, w, max);
}
static int stack_sender(void *ctx, uint32_t *tile)
{
    *tile = ((sock_direct_t *)ctx)->app_tile;
    return 1;
}

void sock_direct_init(sock_direct_t *d, uint32_t app_tile, uint32_t stack_tile)
{
    memset(d, 0, sizeof *d);
    d->app_tile = app_tile;
    d->stack_tile = stack_tile;
}

sock_transport_t sock_direct_app(sock_direct_t *d)
{
    sock_transport_t t = { .ctx = d, .send = app_send, .recv = app_recv, .wait = NULL, .sender = app_sender };
    return t;
}
sock_transport_t sock_direct_stack(sock_direct_t *d)
{
    sock_transport_t t = { .ctx = d, .send = stack_send, .recv = stack_recv, .wait = NULL, .sender = stack_sender };
    return t;
}

uint32_t sock_direct_req_waiting(const sock_direct_t *d) { return msgs(&d->req); }
uint32_t sock_direct_evt_waiting(const sock_direct_t *d) { return msgs(&d->evt); }
