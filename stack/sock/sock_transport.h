/* sock_transport.h - how both sides of the socket interface move messages:
 * a small struct of function pointers, so the same code runs over the UDN
 * on the tiles, over in-memory fakes on the host (tests), and over direct
 * calls in the baseline deployment. A message is the words of abi/sock.h
 * (w0 first), never a payload. */
#ifndef DL_STACK_SOCK_TRANSPORT_H
#define DL_STACK_SOCK_TRANSPORT_H

#include <stdint.h>

typedef struct sock_transport {
    void *ctx; /* passed back to every call */

    /* Sends one message of n words (1..SOCK_MSG_WORDS_MAX) to demux queue
     * `queue` of tile `tile`. May block briefly (the caller respects its
     * credits, so the destination queue has room). */
    void (*send)(void *ctx, uint32_t tile, uint32_t queue, const uint64_t *w, uint32_t n);

    /* Takes the next message of demux queue `queue` without blocking: puts
     * up to `max` words in w and returns the message's length in words (more
     * than max when it was longer: the rest is discarded), 0 when none is
     * waiting. A transport that cannot see message boundaries (the plain
     * UDN) returns the length its w0 type gives (abi/sock.h), 1 for an
     * unknown type, and must not wait long for the rest of a message. */
    uint32_t (*recv)(void *ctx, uint32_t queue, uint64_t *w, uint32_t max);

    /* Sleeps until a message may be waiting (or something else woke the
     * tile); may return at once. May be NULL (then the caller polls). */
    void (*wait)(void *ctx);

    /* Optional (may be NULL; then the claimed w0.sender is all there is):
     * the tile the hardware recorded as the sender of the message the last
     * recv returned. Only a mesh with mesh.sender_id = on records it
     * (UDN_SENDER in abi/udn.h: a research option, NOT a TILE-Gx feature).
     * Returns 1 with *tile, or 0 when it cannot tell. When it tells, both
     * sides use it instead of w0.sender (a mismatch is counted). Such a
     * transport also knows where each message ends (UDN_SENDER's words
     * left): its recv returns the true length and reads exactly that many
     * words, so a message of the wrong length no longer shifts the next. */
    int (*sender)(void *ctx, uint32_t *tile);
} sock_transport_t;

#endif
