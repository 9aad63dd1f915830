/* sock_direct.h - the socket interface's transport inside one tile, for the
 * baseline deployment: the app side and the stack side run in the same
 * address space (run to completion), and their messages (the words of
 * abi/sock.h, never a payload) go through two rings in memory, one per
 * direction, instead of the UDN. Each side gets its own sock_transport_t
 * (sock_direct_app, sock_direct_stack); a message sent by one is taken by
 * the other's next recv, with its true length (the ring keeps boundaries)
 * and its true sender (the transport knows it: sender() reports it).
 *
 * The credits of abi/sock.h still hold: a ring of `words` words takes
 * sock_initial_credits(words, 1) messages of either side, so it never
 * overflows while both respect them; a send that would overflow anyway is
 * dropped and counted (`dropped`), never written over a waiting message.
 * Freestanding C11, no allocation. */
#ifndef DL_STACK_SOCK_DIRECT_H
#define DL_STACK_SOCK_DIRECT_H

#include <stdint.h>

#include "sock/sock_transport.h"

#define SOCK_DIRECT_WORDS 1024u /* per ring: sock_initial_credits gives 204 messages */

typedef struct sock_direct_ring {
    uint64_t w[SOCK_DIRECT_WORDS];
    uint32_t head, used; /* first word, words waiting */
} sock_direct_ring_t;

typedef struct sock_direct {
    sock_direct_ring_t req, evt; /* app -> stack, stack -> app */
    uint32_t app_tile, stack_tile;
    uint64_t dropped;            /* sends beyond the ring (credits not respected) */
} sock_direct_t;

/* One tile's pair of rings; app_tile and stack_tile are what each side
 * reports as the sender of what it receives (for one tile: the same). */
void sock_direct_init(sock_direct_t *d, uint32_t app_tile, uint32_t stack_tile);
sock_transport_t sock_direct_app(sock_direct_t *d);   /* sends requests, receives events */
sock_transport_t sock_direct_stack(sock_direct_t *d); /* sends events, receives requests */
/* Messages waiting for the stack side / the app side. */
uint32_t sock_direct_req_waiting(const sock_direct_t *d);
uint32_t sock_direct_evt_waiting(const sock_direct_t *d);

#endif
