/* sock_stack.h - the stack tile's side of the socket interface: decodes and
 * validates every request of the app tiles (abi/sock.h), keeps the credits
 * toward each app tile, maps connection handles (index, generation, nonce)
 * to their owner and state, and encodes events. It acts on TCP only through
 * sock_tcp_ops_t (wired to stack/net's zero-copy API on the tiles, a fake in
 * the tests), and on the UDN only through sock_transport_t.
 *
 * The stack never trusts an app: every check that fails is counted under
 * its own name (SOCK_STACK_COUNTERS) and answered by an ERROR event to the
 * claimed sender when it is an app tile (see abi/sock.h for what a forged
 * sender field can do). Nothing an app sends can crash it or make it wait.
 *
 * Memory: Firedancer verbs; the caller gives sock_stack_footprint(cfg) bytes
 * aligned to SOCK_STACK_ALIGN. No allocation, no OS call (freestanding). */
#ifndef DL_STACK_SOCK_STACK_H
#define DL_STACK_SOCK_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "abi/sock.h"
#include "sock/sock_transport.h"

#define SOCK_STACK_ALIGN 64UL
#define SOCK_STACK_MAGIC 0x444c534f434b5354ULL /* "DLSOCKST" */
#define SOCK_STACK_APPS_MAX 1024u
#define SOCK_STACK_LISTEN_MAX 64u

/* One app tile the stack serves: its tile, the TX region of its
 * application (from the boot-information block) that its SENDs may name,
 * and the application (tiles of one application share a port). */
typedef struct sock_stack_app {
    uint32_t tile;
    uint64_t tx_base; /* address of the TX region (what TCP gathers from) */
    uint64_t tx_size;
    uint32_t app;     /* its application: only tiles of one application share a listening port */
} sock_stack_app_t;

typedef struct sock_stack_cfg {
    uint32_t tile;          /* this stack tile (w0.sender of its events) */
    uint32_t max_conns;     /* 1..SOCK_CONNS_MAX */
    uint32_t rx_refs;       /* DATA references one connection may hold, power of 2, 1..256 */
    uint32_t req_credits;   /* requests each app tile may have outstanding here */
    uint32_t evt_credits;   /* events this tile may have outstanding at each app tile */
    uint32_t napps;         /* 1..SOCK_STACK_APPS_MAX */
    const sock_stack_app_t *apps;
    uint64_t seed;          /* handle nonces (deterministic per run) */
} sock_stack_cfg_t;

/* A reference to received bytes, from the TCP layer. */
typedef struct sock_rx {
    uint64_t addr;   /* in the owner's RX pool */
    uint32_t len;
    uint64_t token;  /* what the TCP layer needs to release it */
} sock_rx_t;

/* What the stack needs from TCP (stack/net's zero-copy API). tcp_conn is
 * the TCP layer's connection, given to sock_stack_tcp_accept. */
typedef struct sock_tcp_ops {
    void *ctx;
    int (*listen)(void *ctx, uint16_t port, uint32_t backlog);              /* 0 or < 0 */
    int (*send)(void *ctx, uint64_t tcp_conn, uint64_t addr, uint32_t len); /* by reference; 0 or < 0 */
    int (*recv)(void *ctx, uint64_t tcp_conn, sock_rx_t *out);              /* next in-order reference: 1, or 0 none */
    void (*release)(void *ctx, uint64_t tcp_conn, uint64_t token);
    void (*close)(void *ctx, uint64_t tcp_conn); /* FIN after the queued data; tcp_done follows */
    void (*abort)(void *ctx, uint64_t tcp_conn); /* RST; tcp_done follows */
} sock_tcp_ops_t;

#define SOCK_STACK_COUNTERS(X) \
    X(sock_req, "requests received (every message, valid or not)") \
    X(sock_req_ok, "requests carried out") \
    X(sock_ev, "events sent") \
    X(sock_bad_type, "rejected: unknown request type (one word dropped)") \
    X(sock_bad_len, "rejected: message length wrong for its type") \
    X(sock_bad_arg, "rejected: reserved bits set, port 0 or length 0") \
    X(sock_not_app, "dropped: claimed sender is no app tile (no one to answer)") \
    X(sock_sender_forged, "claimed sender differs from the one the hardware recorded (the recorded one is used)") \
    X(sock_bad_handle, "rejected: handle index out of range or generation/nonce of no live connection") \
    X(sock_not_owner, "rejected: connection owned by another app tile than the claimed sender") \
    X(sock_tx_range, "rejected: bytes outside the owner's TX region, or offset + length overflows") \
    X(sock_bad_state, "rejected: connection state does not allow the request") \
    X(sock_bad_ref, "rejected: RX reference not held (never given or already released)") \
    X(sock_no_credit, "dropped: request beyond the claimed sender's credits") \
    X(sock_credit_excess, "credits given back beyond the events sent (ignored)") \
    X(sock_tcp_refused, "requests the TCP layer refused (listen, send)") \
    X(sock_err_ev, "ERROR events sent") \
    X(sock_accept_drop, "connections accepted with no listener or no slot (aborted)") \
    X(sock_listen_full, "LISTEN requests beyond the listener table") \
    X(sock_port_taken, "rejected: LISTEN on a port another application listens on") \
    X(sock_close_after_reset, "CLOSE or ABORT that crossed the peer's reset (nothing to do: no error)")

typedef struct sock_stack_counters {
#define SOCK_STACK_COUNTER_FIELD(name, text) uint64_t name;
    SOCK_STACK_COUNTERS(SOCK_STACK_COUNTER_FIELD)
#undef SOCK_STACK_COUNTER_FIELD
} sock_stack_counters_t;

#define SOCK_STACK_COUNTER_CNT (sizeof(sock_stack_counters_t) / sizeof(uint64_t))
const char *sock_stack_counter_name(unsigned i);
const char *sock_stack_counter_text(unsigned i);

typedef struct sock_stack sock_stack_t;

size_t        sock_stack_footprint(const sock_stack_cfg_t *cfg); /* 0: bad cfg */
void         *sock_stack_new(void *mem, const sock_stack_cfg_t *cfg, const sock_transport_t *tp,
                             const sock_tcp_ops_t *tcp);
sock_stack_t *sock_stack_join(void *mem);
void         *sock_stack_leave(sock_stack_t *ss);

/* Processes at most `budget` waiting requests (never blocks); returns how
 * many messages it took. */
uint32_t sock_stack_input(sock_stack_t *ss, uint32_t budget);
/* Sends what events the credits allow (pending connection events, replies,
 * errors, credit give-backs); returns how many. */
uint32_t sock_stack_output(sock_stack_t *ss);

/* Upcalls from the TCP layer. accept returns the connection's index (>= 0,
 * give it to the other upcalls) or -1 when no app tile listens on lport or
 * no slot is free (counted; the caller aborts the TCP connection). */
int32_t sock_stack_tcp_accept(sock_stack_t *ss, uint64_t tcp_conn, uint16_t lport, uint32_t peer_ip,
                              uint16_t peer_port);
/* The same, for app slot `app` only (the tile whose RX pool the
 * connection's bytes land in) when it listens on lport; -1 (counted) when it
 * does not. app = SOCK_STACK_ANY_APP: as sock_stack_tcp_accept. */
#define SOCK_STACK_ANY_APP 0xffffffffu
int32_t sock_stack_tcp_accept_app(sock_stack_t *ss, uint64_t tcp_conn, uint16_t lport, uint32_t peer_ip,
                                  uint16_t peer_port, uint32_t app);
/* The app slot owning live connection idx. */
uint32_t sock_stack_conn_app(const sock_stack_t *ss, uint32_t idx);
void sock_stack_tcp_readable(sock_stack_t *ss, uint32_t idx);
void sock_stack_tcp_sent(sock_stack_t *ss, uint32_t idx, uint32_t bytes);
void sock_stack_tcp_peer_fin(sock_stack_t *ss, uint32_t idx);
void sock_stack_tcp_reset(sock_stack_t *ss, uint32_t idx);
void sock_stack_tcp_done(sock_stack_t *ss, uint32_t idx); /* after close/abort: TCP holds nothing */

const sock_stack_counters_t *sock_stack_counters(const sock_stack_t *ss);
uint32_t sock_stack_conns_used(const sock_stack_t *ss);
/* Credits the stack holds toward app slot a (for tests and stats). */
uint32_t sock_stack_evt_avail(const sock_stack_t *ss, uint32_t a);
/* Requests of app slot a counted as outstanding here. */
uint32_t sock_stack_req_outstanding(const sock_stack_t *ss, uint32_t a);
/* Replies (LISTENING, ERROR) waiting for credit toward app slot a. */
uint32_t sock_stack_replies_waiting(const sock_stack_t *ss, uint32_t a);

#endif
