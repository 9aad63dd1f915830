/* net_hal.h - what the network stack needs from the platform it runs on:
 * a clock, a way to put a frame on the wire, and the application's upcalls.
 *
 * The stack is plain C11 over <stdint.h>/<stddef.h>/<string.h>: no OS calls,
 * no malloc, no globals. The same sources build as RV64 firmware over the
 * tile runtime (clock = cycle counter, tx = mPIPE egress) and on the host over
 * in-memory fakes (tests, fuzzing, bench) or a TAP device (build/dlnet).
 *
 * Ownership (zero copy). Incoming frames: net_input_ref() hands the stack a
 * frame and a token; the stack keeps references into the frame for the
 * payload the application has not released yet, and calls rx_release(token)
 * exactly once when the last one goes (at once when it keeps none, possibly
 * before net_input_ref returns). net_input() is the copy variant: the frame
 * is only read during the call (payload is copied into a per-connection ring
 * kept for the copy API). Outgoing frames: the stack writes headers into a
 * transmit buffer of its own (its header buffer) and, for TCP segments with
 * payload, hands tx_gather() the header plus slices of the application's
 * memory (net_tcp_send_ref); without tx_gather, or for frames shorter than
 * 60 bytes, the stack copies the slices behind the header and calls tx().
 * Both calls are synchronous: the platform transmits (or copies) before it
 * returns and never keeps the pointers. The stack needs no allocator from the
 * platform: its memory (connections, reference tables, the copy rings, ARP
 * cache, the header buffer) is the region the caller hands to net_new().
 *
 * Upcalls. tcp_event() is called after the stack has finished processing an
 * input frame or a timer tick, never in the middle of it, so the application
 * may call any net_* function from inside it. udp_rx() is called during input
 * with a pointer into the frame, valid only until it returns; it may send.
 * rx_release() and tcp_done() are called from inside the stack and must not
 * call it. */
#ifndef DL_STACK_NET_HAL_H
#define DL_STACK_NET_HAL_H

#include <stdint.h>
#include <string.h>

typedef struct net_udp_meta {
    uint32_t src_ip;   /* host byte order */
    uint32_t dst_ip;
    uint16_t src_port;
    uint16_t dst_port;
} net_udp_meta_t;

/* One slice of a gather: len bytes at p. */
typedef struct net_iov {
    const uint8_t *p;
    uint32_t len;
} net_iov_t;

/* At most this many payload slices per gathered segment (the stack sends a
 * shorter segment rather than more slices). */
#define NET_IOV_MAX 8

/* Copies the n slices of iov to dst, one after the other, and returns the
 * bytes copied: what a HAL without gather (or a test wire) makes of a
 * gathered segment behind its header. dst must have room for them all. */
static inline uint32_t net_iov_copy(uint8_t *dst, const net_iov_t *iov, uint32_t n)
{
    uint32_t len = 0;
    for (uint32_t i = 0; i < n; i++) {
        memcpy(dst + len, iov[i].p, iov[i].len);
        len += iov[i].len;
    }
    return len;
}

typedef struct net_hal {
    void *ctx; /* passed back to every call */

    /* Now, in nanoseconds of a monotonic clock (firmware: cycles scaled by
     * the tile frequency). Read once per net_* entry point. */
    uint64_t (*now_ns)(void *ctx);

    /* Transmits one Ethernet frame (no FCS) of len bytes, len <= 14 + mtu.
     * Returns 0 when the frame was taken, non-zero when the link could not
     * take it (counted as tx_fail; TCP recovers by retransmission). */
    int (*tx)(void *ctx, const uint8_t *frame, uint32_t len);

    /* TCP events (NET_EV_* bits) for a connection handle the application
     * owns. May be NULL. */
    void (*tcp_event)(void *ctx, uint32_t conn, uint32_t events);

    /* A datagram for a bound UDP port. May be NULL. */
    void (*udp_rx)(void *ctx, const net_udp_meta_t *meta, const uint8_t *data, uint32_t len);

    /* Transmits one frame as hdr[0..hlen) followed by the n slices (n >= 1,
     * n <= NET_IOV_MAX); same return as tx(). The header buffer is the
     * stack's; the slices point into memory given to net_tcp_send_ref (or
     * the copy API's ring). May be NULL: the stack then copies and calls tx. */
    int (*tx_gather)(void *ctx, const uint8_t *hdr, uint32_t hlen, const net_iov_t *iov, uint32_t n);

    /* The stack holds no more reference into the frame of this token
     * (net_input_ref). Called exactly once per frame. Required for
     * net_input_ref, unused otherwise. */
    void (*rx_release)(void *ctx, uint64_t token);

    /* A connection the application closed (net_tcp_close) is gone, or all
     * it sent, FIN included, is acknowledged (FIN_WAIT_2, TIME_WAIT, which
     * hold nothing of the application's): the stack will not read its send
     * references any more, so that memory (and the room for the connection
     * above) may be reused. Once per connection. conn is the handle it had.
     * May be NULL. */
    void (*tcp_done)(void *ctx, uint32_t conn);
} net_hal_t;

#endif
