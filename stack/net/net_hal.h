/* net_hal.h - what the network stack needs from the platform it runs on:
 * a clock, a way to put a frame on the wire, and the application's upcalls.
 *
 * The stack is plain C11 over <stdint.h>/<stddef.h>/<string.h>: no OS calls,
 * no malloc, no globals. The same sources build as RV64 firmware over the
 * tile runtime (clock = cycle counter, tx = mPIPE egress) and on the host over
 * in-memory fakes (tests, fuzzing, bench) or a TAP device (build/dlnet).
 *
 * Ownership. The stack builds every outgoing frame in a transmit buffer of its
 * own and calls tx() synchronously; the platform copies or transmits the
 * bytes before it returns and never keeps the pointer. Incoming frames are
 * owned by the caller of net_input() and only read during that call. So the
 * stack needs no buffer allocator from the platform: its memory (connections,
 * per-connection rings, ARP cache, the transmit buffer) is the region the
 * caller hands to net_new().
 *
 * Upcalls. tcp_event() is called after the stack has finished processing an
 * input frame or a timer tick, never in the middle of it, so the application
 * may call any net_* function from inside it. udp_rx() is called during input
 * with a pointer into the frame, valid only until it returns; it may send. */
#ifndef DL_STACK_NET_HAL_H
#define DL_STACK_NET_HAL_H

#include <stdint.h>

typedef struct net_udp_meta {
    uint32_t src_ip;   /* host byte order */
    uint32_t dst_ip;
    uint16_t src_port;
    uint16_t dst_port;
} net_udp_meta_t;

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
} net_hal_t;

#endif
