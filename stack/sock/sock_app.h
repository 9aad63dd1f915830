/* sock_app.h - the app tile's side of the socket interface: an event loop
 * with callbacks, zero-copy reads (DATA hands the app a pointer into its RX
 * pool, read-only, until it releases the reference), an allocator over the
 * app's TX region (bytes are written in place, sent by reference and not
 * reused before the stack reports them acknowledged), and the credits
 * toward every stack tile (abi/sock.h). Requests that find no credit wait in
 * a bounded queue and go out as credits come back.
 *
 * Memory: Firedancer verbs; the caller gives sock_app_footprint(cfg) bytes
 * aligned to SOCK_APP_ALIGN. Freestanding C11: no allocation, no OS call.
 * Connections are found by a scan of the table (max_conns is small per app
 * tile). */
#ifndef DL_STACK_SOCK_APP_H
#define DL_STACK_SOCK_APP_H

#include <stddef.h>
#include <stdint.h>

#include "abi/sock.h"
#include "sock/sock_transport.h"

#define SOCK_APP_ALIGN 64UL
#define SOCK_APP_MAGIC 0x444c534f434b4150ULL /* "DLSOCKAP" */
#define SOCK_APP_STACKS_MAX 256u
#define SOCK_APP_NOCONN 0xffffffffu

enum { SOCK_APP_EAGAIN = -1, SOCK_APP_EINVAL = -2 };

typedef struct sock_app_cfg {
    uint32_t tile;            /* this tile (w0.sender) */
    uint32_t nstacks;         /* 1..SOCK_APP_STACKS_MAX */
    const uint32_t *stacks;   /* their tiles */
    uint32_t req_credits;     /* per stack tile, from sock_initial_credits */
    uint32_t evt_credits;     /* what each stack tile holds toward us (for the give-back threshold) */
    uint8_t *tx_base;         /* the app's TX region */
    uint64_t tx_size;
    uint64_t rx_base;         /* the app's RX pool: DATA must point inside */
    uint64_t rx_size;
    uint32_t max_conns;       /* 1..65536 */
    uint32_t tx_recs;         /* sends in flight, power of 2 */
    uint32_t req_queue;       /* requests waiting for credit, 1.. */
} sock_app_cfg_t;

/* conn: the app's connection number (0..max_conns-1), stable until its
 * reset or closed callback returns. */
typedef struct sock_app_cb {
    void *ctx;
    void (*on_listening)(void *ctx, uint32_t stack, uint16_t port);
    void (*on_accept)(void *ctx, uint32_t conn, uint32_t peer_ip, uint16_t peer_port, uint16_t lport);
    void (*on_data)(void *ctx, uint32_t conn, const uint8_t *bytes, uint32_t len, uint32_t ref);
    void (*on_sent)(void *ctx, uint32_t conn, uint32_t bytes);
    void (*on_peer_closed)(void *ctx, uint32_t conn);
    void (*on_reset)(void *ctx, uint32_t conn);
    void (*on_closed)(void *ctx, uint32_t conn);
    /* conn is SOCK_APP_NOCONN when the error names no connection of ours */
    void (*on_error)(void *ctx, uint32_t conn, uint32_t req_type, uint32_t code, uint32_t count);
} sock_app_cb_t;

#define SOCK_APP_COUNTERS(X) \
    X(ev, "events received") \
    X(ev_bad, "events ignored: unknown type, wrong length, not from a stack tile, or bytes outside the RX pool") \
    X(ev_stale, "events ignored: handle of no connection of ours") \
    X(credit_excess, "request credits given back beyond ours (ignored)") \
    X(req, "requests sent") \
    X(req_credit, "CREDIT requests sent") \
    X(accept_full, "connections aborted: the table was full")

typedef struct sock_app_counters {
#define SOCK_APP_COUNTER_FIELD(name, text) uint64_t name;
    SOCK_APP_COUNTERS(SOCK_APP_COUNTER_FIELD)
#undef SOCK_APP_COUNTER_FIELD
} sock_app_counters_t;

typedef struct sock_app sock_app_t;

size_t      sock_app_footprint(const sock_app_cfg_t *cfg); /* 0: bad cfg */
void       *sock_app_new(void *mem, const sock_app_cfg_t *cfg, const sock_transport_t *tp, const sock_app_cb_t *cb);
sock_app_t *sock_app_join(void *mem);
void       *sock_app_leave(sock_app_t *app);

/* Requests; 0, or SOCK_APP_EAGAIN (queue full: retry after poll),
 * SOCK_APP_EINVAL (bad argument or connection). */
int sock_app_listen(sock_app_t *app, uint32_t stack, uint16_t port, uint16_t backlog);
/* len bytes of TX space (8-byte aligned, contiguous), or NULL when the
 * region or the send records are used up until SENT frees some. Every
 * allocation must be sent. */
uint8_t *sock_app_tx_alloc(sock_app_t *app, uint32_t len);
/* Sends the first len bytes of an allocation made by sock_app_tx_alloc. */
int sock_app_send(sock_app_t *app, uint32_t conn, const uint8_t *p, uint32_t len);
int sock_app_release(sock_app_t *app, uint32_t conn, uint32_t ref);
/* sock_app_send and sock_app_release of `ref` in one request (SEND_RELEASE:
 * one message instead of two; p within the first 4 GiB of the region). */
int sock_app_send_release(sock_app_t *app, uint32_t conn, const uint8_t *p, uint32_t len, uint32_t ref);
int sock_app_close(sock_app_t *app, uint32_t conn);
int sock_app_abort(sock_app_t *app, uint32_t conn);

/* Handles every waiting event (callbacks), sends waiting requests and
 * credit give-backs; never blocks. Returns the events handled. */
uint32_t sock_app_poll(sock_app_t *app);
/* poll, and if there was nothing, the transport's wait. */
uint32_t sock_app_run_once(sock_app_t *app);

const sock_app_counters_t *sock_app_counters(const sock_app_t *app);
uint64_t sock_app_tx_used(const sock_app_t *app);     /* bytes allocated, not yet freed */
uint32_t sock_app_req_avail(const sock_app_t *app, uint32_t stack);
uint32_t sock_app_conns_used(const sock_app_t *app);
uint32_t sock_app_req_waiting(const sock_app_t *app); /* requests waiting for credit */

#endif
