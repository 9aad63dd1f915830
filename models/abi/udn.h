/* udn.h - the UDN (user dynamic network) as a tile sees it: the header word
 * that starts every message and the registers of the per-tile UDN MMIO page.
 * Shared by the mesh model (models/mesh) and the firmware; no number of this
 * interface is written anywhere else.
 *
 * A message is one header word followed by 0..126 payload words, all 64 bits
 * wide. The network routes it by the header and consumes the header at the
 * destination: the receiving tile's demux queue gets only the payload words,
 * in order, and never words of two messages interleaved inside one queue.
 *
 * The header word (bit 63 on the left):
 *
 *   63            32 31      24 23      16 15   12 11    8 7 6        0
 *  +----------------+----------+----------+-------+-------+-+----------+
 *  |  reserved (0)  |  dest y  |  dest x  |  (0)  | queue |0|  length  |
 *  +----------------+----------+----------+-------+-------+-+----------+
 *
 *   length  payload words that follow the header, 0..UDN_MAX_PAYLOAD (126)
 *   queue   demux queue at the destination, 0..queues-1 (config mesh.queues)
 *   dest x  destination column, 0..width-1
 *   dest y  destination row, 0..height-1
 *   (0)     reserved, must be zero
 *
 * Register access (offsets from TILE_UDN_BASE, aligned 64-bit loads/stores).
 * Like the TILE-Gx network registers they cost the instruction only, plus
 * stalls: a store to UDN_SEND stalls while the network cannot take the word
 * (backpressure from a full queue reaches the sender); a load of UDN_RECV(q)
 * stalls while queue q is empty.
 *
 *   UDN_SEND       W  the header, then exactly `length` payload words
 *   UDN_RECV(q)    R  blocking: dequeue the next word of demux queue q
 *   UDN_COUNT(q)   R  words waiting in queue q (never blocks)
 *   UDN_AVAIL      R  bit q set when queue q holds at least one word
 *   UDN_WAIT       R  blocks until UDN_AVAIL != 0 or another device wakes
 *                     the tile; returns what ended the wait (below)
 *   UDN_FAULT      R  the tile's oldest unread UDN fault code (UDN_FAULT_*)
 *                     and clears it; 0 when none is pending
 *   UDN_SENDER(q)  R  only with mesh.sender_id = on (below): who sent the
 *                     message at the head of queue q (never blocks)
 *
 * The value of UDN_WAIT says what ended the wait; both parts may be set:
 *
 *   bits 0..3   UDN_WAIT_AVAIL_MASK: UDN_AVAIL at that moment (bit q: queue
 *               q holds at least one word)
 *   bit 32      UDN_WAIT_WOKEN: another device woke the tile since the
 *               previous UDN_WAIT returned (the mPIPE landed a descriptor on
 *               a notification ring of the tile, or completed an egress
 *               descriptor that asked for a notification). The mark is
 *               taken by the UDN_WAIT that returns it; a wake that came while
 *               the tile was not waiting makes the next UDN_WAIT return at
 *               once, so none is lost (a wake may thus be stale: recheck the
 *               rings, then wait again).
 *   bit 33      UDN_WAIT_DEADLINE: the tile's wake-up deadline
 *               (TILE_SYS_WAKE_AT, tile_memmap.h) came while it slept: the
 *               wait returned at that cycle (or at once, if the deadline had
 *               passed before the wait). The deadline is then disarmed
 *               (one-shot). Like WOKEN, the mark is taken by the UDN_WAIT
 *               that returns it; a deadline that ended another sleep (wfi,
 *               a blocked UDN_RECV) leaves it for the next UDN_WAIT.
 *   others      0
 *
 * UDN_SENDER(q): a research option, NOT a TILE-Gx feature. The real UDN
 * does not tell a receiver who sent a message (the header, which alone
 * names the destination, is consumed by the network; tmc/udn.h has no
 * sender register), so firmware for the real chip must not use it. With
 * mesh.sender_id = on, every demux queue records, for each message it
 * holds, the sending tile and the message's length; the record becomes
 * visible in the cycle the message's first payload word does (zero-length
 * messages leave no word and no record). UDN_SENDER(q) describes the message
 * whose next word is at the head of queue q:
 *
 *   63            32 31               16 15       8 7         0
 *  +----------------+-------------------+----------+-----------+
 *  |      (0)       |    sender tile    |  length  |   left    |
 *  +----------------+-------------------+----------+-----------+
 *
 *   left         words of that message not yet read, 1..length (it counts
 *                words still on their way too: the next `left` reads of q
 *                return the rest of this message, then the next begins)
 *   length       the message's payload words, 1..UDN_MAX_PAYLOAD
 *   sender tile  index of the sending tile, y * width + x
 *
 * and is UDN_SENDER_EMPTY (0) while queue q holds no word (a non-empty
 * queue always reads non-zero: left >= 1). With mesh.sender_id = off (the
 * default) the register does not exist: a load of it is an access fault,
 * so firmware cannot depend on it by accident.
 *
 * A stack tile sleeps with UDN_WAIT until a frame descriptor or a UDN
 * message arrives or its next TCP timer tick is due (TILE_SYS_WAKE_AT), and
 * learns from the value which to serve.
 *
 * A bad header (length > 126, queue out of range, destination outside the
 * mesh, reserved bits set) is a fault at the sender: the message is dropped,
 * the `length` payload words the tile writes next are swallowed, and the
 * fault is reported (the core model stops the tile's program). A message
 * that would cross the edge of its hardwall rectangle is dropped at the edge
 * and raises UDN_FAULT_HARDWALL at the sending tile.
 */
#ifndef DL_ABI_UDN_H
#define DL_ABI_UDN_H

#include <stdint.h>

#define UDN_MAX_PAYLOAD      126u   /* payload words per message (tmc/udn.h) */
#define UDN_QUEUES_MAX       4u     /* demux queues per tile on the TILE-Gx UDN */
#define UDN_COORD_MAX        255u   /* largest x or y the header can name */

/* Header fields. */
#define UDN_HDR_LEN_SHIFT    0
#define UDN_HDR_LEN_MASK     0x7fULL
#define UDN_HDR_QUEUE_SHIFT  8
#define UDN_HDR_QUEUE_MASK   0xfULL
#define UDN_HDR_X_SHIFT      16
#define UDN_HDR_X_MASK       0xffULL
#define UDN_HDR_Y_SHIFT      24
#define UDN_HDR_Y_MASK       0xffULL
#define UDN_HDR_RESERVED     0xffffffff0000f080ULL

static inline uint64_t udn_header(uint32_t x, uint32_t y, uint32_t queue, uint32_t length)
{
    return ((uint64_t)(length & UDN_HDR_LEN_MASK) << UDN_HDR_LEN_SHIFT) |
           ((uint64_t)(queue & UDN_HDR_QUEUE_MASK) << UDN_HDR_QUEUE_SHIFT) |
           ((uint64_t)(x & UDN_HDR_X_MASK) << UDN_HDR_X_SHIFT) |
           ((uint64_t)(y & UDN_HDR_Y_MASK) << UDN_HDR_Y_SHIFT);
}
static inline uint32_t udn_header_length(uint64_t h) { return (uint32_t)((h >> UDN_HDR_LEN_SHIFT) & UDN_HDR_LEN_MASK); }
static inline uint32_t udn_header_queue(uint64_t h)  { return (uint32_t)((h >> UDN_HDR_QUEUE_SHIFT) & UDN_HDR_QUEUE_MASK); }
static inline uint32_t udn_header_x(uint64_t h)      { return (uint32_t)((h >> UDN_HDR_X_SHIFT) & UDN_HDR_X_MASK); }
static inline uint32_t udn_header_y(uint64_t h)      { return (uint32_t)((h >> UDN_HDR_Y_SHIFT) & UDN_HDR_Y_MASK); }

/* Register offsets inside the UDN page (TILE_UDN_BASE, tile_memmap.h). */
#define UDN_SEND             0x000u
#define UDN_RECV(q)          (0x100u + 8u * (q))
#define UDN_COUNT(q)         (0x200u + 8u * (q))
#define UDN_AVAIL            0x300u
#define UDN_WAIT             0x308u
#define UDN_FAULT            0x310u
#define UDN_SENDER(q)        (0x400u + 8u * (q))   /* only with mesh.sender_id = on */

/* The value of UDN_SENDER(q) (see above). */
#define UDN_SENDER_EMPTY      0ULL
#define UDN_SENDER_LEFT_SHIFT 0
#define UDN_SENDER_LEN_SHIFT  8
#define UDN_SENDER_TILE_SHIFT 16
static inline uint32_t udn_sender_left(uint64_t v)   { return (uint32_t)(v & 0xffu); }
static inline uint32_t udn_sender_length(uint64_t v) { return (uint32_t)((v >> UDN_SENDER_LEN_SHIFT) & 0xffu); }
static inline uint32_t udn_sender_tile(uint64_t v)   { return (uint32_t)((v >> UDN_SENDER_TILE_SHIFT) & 0xffffu); }

/* The value of UDN_WAIT (see above). */
#define UDN_WAIT_AVAIL_MASK  ((1ULL << UDN_QUEUES_MAX) - 1)
#define UDN_WAIT_WOKEN       (1ULL << 32)
#define UDN_WAIT_DEADLINE    (1ULL << 33)

/* Fault codes (UDN_FAULT, and the fault records of the mesh statistics). */
#define UDN_FAULT_NONE       0u
#define UDN_FAULT_LENGTH     1u   /* header length field > UDN_MAX_PAYLOAD */
#define UDN_FAULT_QUEUE      2u   /* demux queue >= configured queues */
#define UDN_FAULT_DEST       3u   /* destination outside the mesh */
#define UDN_FAULT_RESERVED   4u   /* reserved header bits set */
#define UDN_FAULT_HARDWALL   5u   /* message tried to leave its hardwall rectangle */

#endif
