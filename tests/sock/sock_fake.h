/* sock_fake.h - host fakes for the socket interface tests: a message fabric
 * (one FIFO of whole messages per tile, the sender recorded so the tests can
 * check that nobody exceeds its credits) behind sock_transport_t, and a fake
 * TCP layer behind sock_tcp_ops_t that records every call. */
#ifndef DL_TESTS_SOCK_FAKE_H
#define DL_TESTS_SOCK_FAKE_H

#include <stdint.h>

#include "sock/sock_stack.h"

#define FAB_TILES 128u
#define FAB_DEPTH 4096u

typedef struct fab_msg { uint32_t src, n; uint64_t w[8]; } fab_msg_t;

typedef struct fab_q {
    fab_msg_t m[FAB_DEPTH];
    uint32_t head, cnt;
    uint32_t from[FAB_TILES];     /* messages of each sender waiting now */
    uint32_t max_from[FAB_TILES]; /* the most ever waiting */
} fab_q_t;

typedef struct fab {
    fab_q_t q[FAB_TILES];
    uint64_t sent;
    uint64_t accepted[FAB_TILES]; /* handle of the last ACCEPTED taken by each tile */
} fab_t;

/* A transport's ctx. hw_sender: the transport reports the recorded sender
 * of each message (sock_transport_t.sender, as with mesh.sender_id = on). */
typedef struct fab_port { fab_t *fab; uint32_t tile; int hw_sender; uint32_t last_src; } fab_port_t;

fab_t *fab_new(void);
void fab_free(fab_t *f);
sock_transport_t fab_transport(fab_port_t *p);
/* Puts a raw message (any n up to 8) from src into tile's queue. */
void fab_push(fab_t *f, uint32_t src, uint32_t tile, const uint64_t *w, uint32_t n);
/* Takes the next message of tile's queue: its length, 0 when empty. */
uint32_t fab_pop(fab_t *f, uint32_t tile, uint64_t *w, uint32_t *src);

/* The fake TCP layer. */
#define FT_CONNS 64u
#define FT_LOG 4096u
typedef struct ft_rx { uint64_t addr, token; uint32_t len; } ft_rx_t;
typedef struct ft_conn {
    ft_rx_t rx[64];
    uint32_t rx_head, rx_cnt;
    int closed, aborted;
} ft_conn_t;
typedef struct ft_send { uint64_t conn, addr; uint32_t len; } ft_send_t;
typedef struct ftcp {
    ft_conn_t c[FT_CONNS];
    uint16_t listen_port[16];
    uint32_t listens;
    int listen_fail, send_fail;
    ft_send_t sends[FT_LOG];
    uint32_t nsends;
    uint64_t released[FT_LOG];
    uint32_t nreleased;
} ftcp_t;

sock_tcp_ops_t ftcp_ops(ftcp_t *t);
/* Queues received bytes for conn (a reference the stack will read). */
void ftcp_rx(ftcp_t *t, uint64_t conn, uint64_t addr, uint32_t len, uint64_t token);
/* 1 when token was released exactly once, 0 never, -1 more than once. */
int ftcp_released(const ftcp_t *t, uint64_t token);

#endif
