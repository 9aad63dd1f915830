/* eth_wire.h - Ethernet wire arithmetic shared by the port model and its
 * tests: what a frame costs on the wire in bits and femtoseconds.
 *
 * Frames are handled without their FCS (as pcap stores them and as the
 * mPIPE writes them to memory); on the wire each frame also carries the
 * 4-byte FCS, is padded to the 64-byte minimum (FCS included), is preceded
 * by 8 bytes of preamble and start delimiter and followed by a 12-byte
 * inter-frame gap. A 60-byte frame (64 with FCS) thus takes 84 bytes = 672
 * bits = 67.2 ns at 10 Gb/s. */
#ifndef DL_MPIPE_ETH_WIRE_H
#define DL_MPIPE_ETH_WIRE_H

#include <stdint.h>

#define ETH_FCS_BYTES      4
#define ETH_MIN_FRAME      60      /* without FCS */
#define ETH_PREAMBLE_BYTES 8
#define ETH_IFG_BYTES      12

/* Femtoseconds per bit at rate_gbps (100000 at 10 Gb/s), rounded. */
static inline uint64_t eth_bit_fs(double rate_gbps)
{
    return (uint64_t)(1e6 / rate_gbps + 0.5);
}

/* Bytes from the first preamble byte to the last FCS byte, for a frame of
 * len bytes without FCS. A runt (below the minimum) is not padded: it is on
 * the wire as it came. */
static inline uint64_t eth_frame_wire_bytes(uint64_t len, int runt)
{
    uint64_t body = len + ETH_FCS_BYTES;
    if (!runt && body < ETH_MIN_FRAME + ETH_FCS_BYTES) body = ETH_MIN_FRAME + ETH_FCS_BYTES;
    return ETH_PREAMBLE_BYTES + body;
}

/* Bytes of wire a frame occupies before the next may start (with the gap). */
static inline uint64_t eth_slot_bytes(uint64_t len, int runt)
{
    return eth_frame_wire_bytes(len, runt) + ETH_IFG_BYTES;
}

#endif
