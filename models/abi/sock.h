/* sock.h - the asynchronous socket interface between app tiles and stack
 * tiles (DLibOS): the UDN messages an app sends a stack tile (requests) and
 * a stack tile sends an app (events), the connection handle, the credits.
 * The one source of truth for both sides (stack/sock/sock_app.c and
 * stack/sock/sock_stack.c); payload never travels in a message, only
 * references to bytes in the app's RX pool and TX region.
 *
 * Queues. A stack tile receives requests on demux queue SOCK_Q_REQ, an app
 * tile receives events on SOCK_Q_EVT; the other queues stay free. Every
 * message is one UDN message: the UDN header, then sock_msg_words(type)
 * payload words (1..SOCK_MSG_WORDS_MAX). The receiver sees only payload
 * words, so the length of a message is fixed by its type.
 *
 * Word 0 of every message ("w0"), bit 63 on the left:
 *
 *   63      56 55      48 47              32 31                            0
 *  +----------+----------+------------------+-------------------------------+
 *  |   type   | credits  |  sender tile     |  argument (type-specific)     |
 *  +----------+----------+------------------+-------------------------------+
 *   type     SOCK_REQ_* (app -> stack) or SOCK_EV_* (stack -> app)
 *   credits  messages of the other direction the sender gives back (0..255)
 *   sender   the tile the sender CLAIMS to be (y * width + x); see "Trust"
 *
 * Connection handle (one word, chosen by the stack tile that owns the
 * connection):
 *
 *   63                             32 31              16 15               0
 *  +---------------------------------+------------------+-----------------+
 *  |  nonce (seeded PRNG, never 0)   |  generation      |  index          |
 *  +---------------------------------+------------------+-----------------+
 *
 * Requests (app -> stack). "-" fields are reserved and must be 0.
 *
 *   LISTEN  w0.arg = backlog << 16 | port                        1 word
 *   SEND    w0.arg = len (bytes, > 0)                            3 words
 *           w1 = handle
 *           w2 = offset of the bytes in the app's TX region
 *   RELEASE w0.arg = rx ref (from the DATA event)                2 words
 *           w1 = handle
 *   CLOSE   w0.arg = -       w1 = handle                         2 words
 *   ABORT   w0.arg = -       w1 = handle                         2 words
 *   CREDIT  w0.arg = -  (only gives event credits back)          1 word
 *   SEND_RELEASE (batching: an echo's answer and the release of the
 *           request's bytes in one message)                      3 words
 *           w0.arg = len (bytes, > 0)     w1 = handle
 *           w2 = rx ref << 32 | offset in the TX region (below 2^32)
 *           a SEND, then a RELEASE of the ref, checked together: a
 *           failed check does neither; TCP refusing the bytes still
 *           releases the ref
 *
 * Events (stack -> app).
 *
 *   LISTENING   w0.arg = port                                    1 word
 *   ERROR       w0.arg = count << 16 | request type << 8 | code  2 words
 *               w1 = the request's handle, or its port (LISTEN), or 0
 *               count: requests this event stands for (NO_CREDIT is
 *               reported once for many), else 1
 *   ACCEPTED    w0.arg = local port                              3 words
 *               w1 = handle
 *               w2 = peer port << 32 | peer IPv4 address (host order)
 *   DATA        w0.arg = len                                     4 words
 *               w1 = handle
 *               w2 = address of the bytes (in the app's RX pool, read-only)
 *               w3 = rx ref (low 32 bits; give it back with RELEASE)
 *   SENT        w0.arg = bytes now acknowledged (TX space free)  2 words
 *               w1 = handle
 *   PEER_CLOSED w1 = handle (the peer will send no more)         2 words
 *   RESET       w1 = handle: reset or timed out; the stack holds 2 words
 *               no reference any more and the handle is dead
 *   CLOSED      w1 = handle: after CLOSE/ABORT, the stack is     2 words
 *               done with every reference; the handle is dead
 *   CREDIT      only gives request credits back                  1 word
 *
 * Connection life. ACCEPTED gives the app a handle; DATA references stay
 * readable until the app RELEASEs them (a connection holds at most a fixed
 * number; more data waits in TCP); SENT counts acknowledged bytes in send
 * order, so the app frees its TX space in order. CLOSE (FIN after the data
 * sent) and ABORT (RST) give up the handle: the stack releases the RX
 * references still held, and only CLOSED follows, once TCP holds nothing.
 * RESET and CLOSED end the handle (the stack reuses the slot with a new
 * generation and nonce). A request on a dead handle is an error (an honest
 * app can meet this only when its request crosses a RESET).
 *
 * Credits. An app tile may have at most C_req = sock_initial_credits(words
 * of a stack tile's queue, app tiles) requests outstanding toward each stack
 * tile; a stack tile at most C_evt = sock_initial_credits(words of an app
 * tile's queue, stack tiles) events toward each app tile. Every message
 * gives back, in w0.credits, the messages of the other direction its sender
 * has received and processed since its last message to that tile.
 * Ordinary messages need two credits: the last is kept, and spent only on a
 * message that gives credits back when the peer is itself down to its last
 * or none (it then holds all but one of the peer's credits); a CREDIT
 * message also goes when half the peer's credits are owed in real messages
 * (sock_credit_due). So the two sides can never both be left without
 * credit, and CREDIT messages never answer each other. A sender never
 * exceeds its credits, so no demux queue overflows and UDN_SEND never
 * stalls for long. (The stack tile polices the apps: a request beyond the
 * claimed sender's credits is counted and dropped, see stack/sock.)
 *
 * Trust: how the stack knows who is asking, and what an app can forge.
 * The TILE-Gx UDN delivers a message without its sender (the header, which
 * names only the destination, is consumed by the network; tmc/udn.h offers
 * no sender register), so the stack tile learns the asking tile only from
 * w0.sender, which the app writes. Therefore:
 *   - An app can forge the sender field. It can make LISTEN, CREDIT and
 *     invalid requests appear to come from another app tile: nuisance (a
 *     listen in its name, ERROR events to it, using up that tile's request
 *     credits at the stack so that its requests are counted as beyond
 *     credits while the forgery lasts: a denial of service).
 *   - It cannot touch another app's connection: every request on a
 *     connection names its 64-bit handle, which the stack gives only to the
 *     owner (index + generation + a 32-bit nonce from a seeded PRNG; a guess
 *     succeeds with probability 2^-32 per try, and each failed try is
 *     counted), and the stack also requires owner == claimed sender.
 *   - It cannot point outside the TX region of the connection's owner: the
 *     stack checks offset and length against that region, without overflow.
 *   - It cannot take another application's connections by listening on its
 *     port: tiles of one application share a port, a LISTEN by a tile of
 *     another is rejected (SOCK_ERR_PORT_TAKEN; before, it took every
 *     other new connection: tests/dlibos/test_hostile.c). The first
 *     application to listen on a port keeps it (first come, first served).
 *   - Message boundaries: the receiver sees a stream of words; a message
 *     shorter or longer than its type says shifts the stream, so the words
 *     that follow (possibly another app's request) are read as part of it or
 *     as a new w0. The stack then rejects what does not validate (an unknown
 *     type costs one word, counted); the harm is lost requests (denial of
 *     service), never an action on another app's connection or memory. A
 *     transport that knows the boundaries (the host fakes, direct calls in
 *     the baseline, or the hardware option below) reports the true length
 *     and the stack rejects a wrong one (sock_bad_len).
 *   - Credits given back are claims too: an app (or one forging its
 *     sender) can give back credits for events it has not read. The stack
 *     counts and ignores a give-back beyond the events it has sent that tile
 *     (sock_credit_excess), but cannot tell an early one from an honest one;
 *     an app that lies so and stops reading its queue can fill it, and the
 *     UDN gives a sender no way to see room at the destination, so the stack
 *     tile's next UDN_SEND to that tile then stalls. Known limitation: it
 *     needs a send that cannot stall (or a register showing room at the
 *     destination) to close; the sender option below does not.
 *   (All of the above holds for the real TILE-Gx; the option below changes
 *   the first two points only.)
 *   - An app tile can also send UDN messages to other app tiles (within its
 *     hardwall), posing as a stack tile; the app library checks what it can
 *     (known type, a handle it holds, bytes inside its own RX pool).
 * Hardware option (NOT a TILE-Gx feature, off by default, for measuring
 * both): mesh.sender_id = on makes each demux queue record the sending tile
 * and the length of every message it holds; UDN_SENDER(q) (abi/udn.h)
 * names them, and the words left, for the message at the head of queue q.
 * A transport that reads it fills sock_transport_t.sender, and both the
 * stack tile and the app library then use the recorded sender instead of
 * w0.sender (a mismatch is counted: sock_sender_forged). Under it:
 *   - Forging the sender field gains nothing: forged requests count against
 *     the forger's own credits and their ERRORs go to the forger, so the
 *     denial of service on another app's credits above disappears; an app
 *     posing as a stack tile to another app is ignored by its library.
 *   - Message boundaries are exact: the transport reads exactly the words
 *     left of each message, so a message of the wrong length is rejected
 *     whole (sock_bad_len) and the next starts where it should: the
 *     stream resynchronises at every message instead of being shifted.
 *   - Unchanged: the handle nonce, the TX range and state checks (still
 *     needed: a real sender can still name handles it does not own), and
 *     lying credit give-backs (the stall above).
 * The host fakes implement it (tests/sock: forged_sender_recorded); the
 * UDN transport of the firmware (stack/dlibos/dlibos.h, both sides) reads
 * UDN_SENDER when boot_info.flags has BOOT_FLAG_UDN_SENDER (abi/boot_info.h)
 * (tests/dlibos: message_attacks_with_sender_id).
 *
 * Freestanding C11: <stdint.h> only, helpers static inline.
 */
#ifndef DL_ABI_SOCK_H
#define DL_ABI_SOCK_H

#include <stdint.h>

#define SOCK_Q_REQ          0u   /* demux queue of a stack tile for requests */
#define SOCK_Q_EVT          0u   /* demux queue of an app tile for events */
#define SOCK_MSG_WORDS_MAX  4u   /* payload words of the longest message */
#define SOCK_CREDITS_MAX    255u /* what w0.credits can carry */
#define SOCK_CREDITS_MIN    3u   /* one kept for CREDIT; fewer would make CREDITs answer each other */

/* Requests (app -> stack). */
enum {
    SOCK_REQ_LISTEN = 1,
    SOCK_REQ_SEND = 2,
    SOCK_REQ_RELEASE = 3,
    SOCK_REQ_CLOSE = 4,
    SOCK_REQ_ABORT = 5,
    SOCK_REQ_CREDIT = 6,
    SOCK_REQ_SEND_RELEASE = 7,
};
/* Events (stack -> app). */
enum {
    SOCK_EV_LISTENING = 0x81,
    SOCK_EV_ERROR = 0x82,
    SOCK_EV_ACCEPTED = 0x83,
    SOCK_EV_DATA = 0x84,
    SOCK_EV_SENT = 0x85,
    SOCK_EV_PEER_CLOSED = 0x86,
    SOCK_EV_RESET = 0x87,
    SOCK_EV_CLOSED = 0x88,
    SOCK_EV_CREDIT = 0x89,
};

/* Error codes (ERROR events). Each matches a counter of the stack tile. */
enum {
    SOCK_ERR_BAD_TYPE = 1,  /* unknown request type */
    SOCK_ERR_BAD_LEN = 2,   /* message length wrong for its type */
    SOCK_ERR_BAD_ARG = 3,   /* reserved bits set, port 0, length 0 */
    SOCK_ERR_BAD_HANDLE = 4,/* index out of range, or generation/nonce of no live connection */
    SOCK_ERR_NOT_OWNER = 5, /* the connection belongs to another app tile */
    SOCK_ERR_TX_RANGE = 6,  /* bytes not inside the owner's TX region (or overflow) */
    SOCK_ERR_BAD_STATE = 7, /* the connection's state does not allow it */
    SOCK_ERR_BAD_REF = 8,   /* rx ref not held (never given, or released) */
    SOCK_ERR_NO_CREDIT = 9, /* requests beyond the sender's credits, dropped */
    SOCK_ERR_NOT_APP = 10,  /* the claimed sender is no app tile */
    SOCK_ERR_TCP = 11,      /* the TCP layer refused (no listener slot, port in use, queue full) */
    SOCK_ERR_PORT_TAKEN = 12, /* LISTEN on a port another application listens on */
};

/* w0 fields. */
#define SOCK_W0_TYPE_SHIFT    56
#define SOCK_W0_CREDITS_SHIFT 48
#define SOCK_W0_SENDER_SHIFT  32
#define SOCK_W0_ARG_MASK      0xffffffffULL

static inline uint64_t sock_w0(uint32_t type, uint32_t credits, uint32_t sender, uint32_t arg)
{
    return ((uint64_t)(type & 0xffu) << SOCK_W0_TYPE_SHIFT) |
           ((uint64_t)(credits & 0xffu) << SOCK_W0_CREDITS_SHIFT) |
           ((uint64_t)(sender & 0xffffu) << SOCK_W0_SENDER_SHIFT) | (uint64_t)arg;
}
static inline uint32_t sock_w0_type(uint64_t w0)    { return (uint32_t)(w0 >> SOCK_W0_TYPE_SHIFT) & 0xffu; }
static inline uint32_t sock_w0_credits(uint64_t w0) { return (uint32_t)(w0 >> SOCK_W0_CREDITS_SHIFT) & 0xffu; }
static inline uint32_t sock_w0_sender(uint64_t w0)  { return (uint32_t)(w0 >> SOCK_W0_SENDER_SHIFT) & 0xffffu; }
static inline uint32_t sock_w0_arg(uint64_t w0)     { return (uint32_t)(w0 & SOCK_W0_ARG_MASK); }

/* Payload words of a message of this type; 0 for an unknown type. */
static inline uint32_t sock_msg_words(uint32_t type)
{
    switch (type) {
    case SOCK_REQ_LISTEN: case SOCK_REQ_CREDIT:
    case SOCK_EV_LISTENING: case SOCK_EV_CREDIT: return 1;
    case SOCK_REQ_RELEASE: case SOCK_REQ_CLOSE: case SOCK_REQ_ABORT:
    case SOCK_EV_ERROR: case SOCK_EV_SENT: case SOCK_EV_PEER_CLOSED:
    case SOCK_EV_RESET: case SOCK_EV_CLOSED: return 2;
    case SOCK_REQ_SEND: case SOCK_REQ_SEND_RELEASE: case SOCK_EV_ACCEPTED: return 3;
    case SOCK_EV_DATA: return 4;
    default: return 0;
    }
}
static inline int sock_is_request(uint32_t type) { return type >= SOCK_REQ_LISTEN && type <= SOCK_REQ_SEND_RELEASE; }
static inline int sock_is_event(uint32_t type)   { return type >= SOCK_EV_LISTENING && type <= SOCK_EV_CREDIT; }

/* Handles. */
static inline uint64_t sock_handle(uint32_t nonce, uint32_t gen, uint32_t index)
{
    return ((uint64_t)nonce << 32) | ((uint64_t)(gen & 0xffffu) << 16) | (index & 0xffffu);
}
static inline uint32_t sock_handle_nonce(uint64_t h) { return (uint32_t)(h >> 32); }
static inline uint32_t sock_handle_gen(uint64_t h)   { return (uint32_t)(h >> 16) & 0xffffu; }
static inline uint32_t sock_handle_index(uint64_t h) { return (uint32_t)h & 0xffffu; }
#define SOCK_CONNS_MAX 65536u /* what the index can name, per stack tile */

/* Credits: messages one sender may have outstanding in a demux queue of
 * queue_words words shared by `senders` tiles. The +1 counts the UDN header
 * word, so the share is conservative. Below SOCK_CREDITS_MIN the deployment
 * cannot work: the caller reports it as a configuration error (returns 0). */
static inline uint32_t sock_initial_credits(uint32_t queue_words, uint32_t senders)
{
    if (senders == 0) return 0;
    uint32_t c = queue_words / (SOCK_MSG_WORDS_MAX + 1u) / senders;
    if (c > SOCK_CREDITS_MAX) c = SOCK_CREDITS_MAX;
    return c < SOCK_CREDITS_MIN ? 0 : c;
}
/* The exact share, for a receiver whose demux queues hold payload words
 * only (the UDN header is consumed by the network): `senders` tiles spread
 * evenly over `queues` demux queues of queue_words words each (sender i on
 * queue i % queues: at most ceil(senders / queues) on one), each message at
 * most msg_words words (SOCK_REQ_WORDS_MAX toward a stack tile,
 * SOCK_EV_WORDS_MAX toward an app tile). 0 below SOCK_CREDITS_MIN. The
 * TILE-Gx36 (128-word queues) with 8 stack tiles and 28 app tiles: requests
 * spread over 3 queues, 128 / 3 / 10 = 4 each; events over 4 queues,
 * 128 / 4 / 2 = 16 (stack/dlibos caps them at 4). */
#define SOCK_REQ_WORDS_MAX 3u /* SEND */
#define SOCK_EV_WORDS_MAX  4u /* DATA */
static inline uint32_t sock_queue_credits(uint32_t queue_words, uint32_t queues, uint32_t msg_words, uint32_t senders)
{
    if (senders == 0 || queues == 0 || msg_words == 0) return 0;
    uint32_t per_queue = (senders + queues - 1u) / queues;
    uint32_t c = queue_words / msg_words / per_queue;
    if (c > SOCK_CREDITS_MAX) c = SOCK_CREDITS_MAX;
    return c < SOCK_CREDITS_MIN ? 0 : c;
}
/* Owed credits at which a side with nothing else to send sends CREDIT. */
static inline uint32_t sock_credit_threshold(uint32_t credits)
{
    return credits / 2u > 0 ? credits / 2u : 1u;
}
/* The credit rules (both sides). `held`: messages of the peer this side
 * holds (received, not yet given back); `owed`: of those, what it can give
 * back now; `peer_credits`: the peer's credits in all.
 * - The peer is at its last credit or none when held >= peer_credits - 1:
 *   then this side may spend its own last credit too, on a message that
 *   gives some back (owed >= 1), and sends a CREDIT if it has nothing else.
 * - Otherwise ordinary messages need two credits (the last is kept), and a
 *   CREDIT goes when half the peer's credits are owed in real messages
 *   (CREDIT messages received never make a CREDIT alone: no ping-pong).
 * The last credit is only ever spent giving some back, so the two sides
 * cannot both end with none. */
static inline int sock_peer_low(uint32_t held, uint32_t peer_credits) { return held + 1u >= peer_credits; }
static inline uint32_t sock_min_avail(uint32_t held, uint32_t owed, uint32_t peer_credits)
{
    return sock_peer_low(held, peer_credits) && owed >= 1u ? 1u : 2u;
}
static inline int sock_credit_due(uint32_t avail, uint32_t held, uint32_t owed, uint32_t owed_real,
                                  uint32_t peer_credits)
{
    return avail >= 1u && owed >= 1u &&
           (sock_peer_low(held, peer_credits) || owed_real >= sock_credit_threshold(peer_credits));
}

/* Encoders: fill w[] (SOCK_MSG_WORDS_MAX words) and return the word count.
 * cr = credits given back, me = the sender's tile. */
static inline uint32_t sock_enc_listen(uint64_t *w, uint32_t cr, uint32_t me, uint16_t port, uint16_t backlog)
{ w[0] = sock_w0(SOCK_REQ_LISTEN, cr, me, (uint32_t)backlog << 16 | port); return 1; }
static inline uint32_t sock_enc_send(uint64_t *w, uint32_t cr, uint32_t me, uint64_t h, uint64_t off, uint32_t len)
{ w[0] = sock_w0(SOCK_REQ_SEND, cr, me, len); w[1] = h; w[2] = off; return 3; }
static inline uint32_t sock_enc_release(uint64_t *w, uint32_t cr, uint32_t me, uint64_t h, uint32_t ref)
{ w[0] = sock_w0(SOCK_REQ_RELEASE, cr, me, ref); w[1] = h; return 2; }
static inline uint32_t sock_enc_close(uint64_t *w, uint32_t cr, uint32_t me, uint64_t h)
{ w[0] = sock_w0(SOCK_REQ_CLOSE, cr, me, 0); w[1] = h; return 2; }
static inline uint32_t sock_enc_abort(uint64_t *w, uint32_t cr, uint32_t me, uint64_t h)
{ w[0] = sock_w0(SOCK_REQ_ABORT, cr, me, 0); w[1] = h; return 2; }
static inline uint32_t sock_enc_credit_req(uint64_t *w, uint32_t cr, uint32_t me)
{ w[0] = sock_w0(SOCK_REQ_CREDIT, cr, me, 0); return 1; }
static inline uint32_t sock_enc_send_release(uint64_t *w, uint32_t cr, uint32_t me, uint64_t h, uint32_t off,
                                             uint32_t len, uint32_t ref)
{ w[0] = sock_w0(SOCK_REQ_SEND_RELEASE, cr, me, len); w[1] = h; w[2] = (uint64_t)ref << 32 | off; return 3; }

static inline uint32_t sock_enc_listening(uint64_t *w, uint32_t cr, uint32_t me, uint16_t port)
{ w[0] = sock_w0(SOCK_EV_LISTENING, cr, me, port); return 1; }
static inline uint32_t sock_enc_error(uint64_t *w, uint32_t cr, uint32_t me, uint32_t req_type, uint32_t code,
                                      uint32_t count, uint64_t what)
{
    if (count > 0xffffu) count = 0xffffu;
    w[0] = sock_w0(SOCK_EV_ERROR, cr, me, count << 16 | (req_type & 0xffu) << 8 | (code & 0xffu));
    w[1] = what;
    return 2;
}
static inline uint32_t sock_enc_accepted(uint64_t *w, uint32_t cr, uint32_t me, uint64_t h, uint32_t peer_ip,
                                         uint16_t peer_port, uint16_t lport)
{ w[0] = sock_w0(SOCK_EV_ACCEPTED, cr, me, lport); w[1] = h; w[2] = (uint64_t)peer_port << 32 | peer_ip; return 3; }
static inline uint32_t sock_enc_data(uint64_t *w, uint32_t cr, uint32_t me, uint64_t h, uint64_t addr, uint32_t len,
                                     uint32_t ref)
{ w[0] = sock_w0(SOCK_EV_DATA, cr, me, len); w[1] = h; w[2] = addr; w[3] = ref; return 4; }
static inline uint32_t sock_enc_sent(uint64_t *w, uint32_t cr, uint32_t me, uint64_t h, uint32_t bytes)
{ w[0] = sock_w0(SOCK_EV_SENT, cr, me, bytes); w[1] = h; return 2; }
static inline uint32_t sock_enc_conn_ev(uint64_t *w, uint32_t type, uint32_t cr, uint32_t me, uint64_t h)
{ w[0] = sock_w0(type, cr, me, 0); w[1] = h; return 2; } /* PEER_CLOSED, RESET, CLOSED */
static inline uint32_t sock_enc_credit_ev(uint64_t *w, uint32_t cr, uint32_t me)
{ w[0] = sock_w0(SOCK_EV_CREDIT, cr, me, 0); return 1; }

/* Decoders of the type-specific fields (the handle is w[1] wherever a
 * message has one). */
static inline uint16_t sock_listen_port(const uint64_t *w)    { return (uint16_t)(sock_w0_arg(w[0]) & 0xffffu); }
static inline uint16_t sock_listen_backlog(const uint64_t *w) { return (uint16_t)(sock_w0_arg(w[0]) >> 16); }
static inline uint32_t sock_send_len(const uint64_t *w)       { return sock_w0_arg(w[0]); }
static inline uint64_t sock_send_off(const uint64_t *w)       { return w[2]; }
static inline uint32_t sock_release_ref(const uint64_t *w)    { return sock_w0_arg(w[0]); }
static inline uint64_t sock_sendrel_off(const uint64_t *w)    { return (uint32_t)w[2]; }
static inline uint32_t sock_sendrel_ref(const uint64_t *w)    { return (uint32_t)(w[2] >> 32); }
static inline uint64_t sock_msg_handle(const uint64_t *w)     { return w[1]; }
static inline uint16_t sock_listening_port(const uint64_t *w) { return (uint16_t)(sock_w0_arg(w[0]) & 0xffffu); }
static inline uint32_t sock_error_code(const uint64_t *w)     { return sock_w0_arg(w[0]) & 0xffu; }
static inline uint32_t sock_error_req(const uint64_t *w)      { return (sock_w0_arg(w[0]) >> 8) & 0xffu; }
static inline uint32_t sock_error_count(const uint64_t *w)    { return sock_w0_arg(w[0]) >> 16; }
static inline uint64_t sock_error_what(const uint64_t *w)     { return w[1]; }
static inline uint16_t sock_accepted_lport(const uint64_t *w) { return (uint16_t)(sock_w0_arg(w[0]) & 0xffffu); }
static inline uint32_t sock_accepted_ip(const uint64_t *w)    { return (uint32_t)w[2]; }
static inline uint16_t sock_accepted_port(const uint64_t *w)  { return (uint16_t)(w[2] >> 32); }
static inline uint32_t sock_data_len(const uint64_t *w)       { return sock_w0_arg(w[0]); }
static inline uint64_t sock_data_addr(const uint64_t *w)      { return w[2]; }
static inline uint32_t sock_data_ref(const uint64_t *w)       { return (uint32_t)w[3]; }
static inline uint32_t sock_sent_bytes(const uint64_t *w)     { return sock_w0_arg(w[0]); }

/* Reserved bits of a request (must be 0): per type, w0.arg bits not used. */
static inline uint32_t sock_req_arg_reserved(uint32_t type)
{
    switch (type) {
    case SOCK_REQ_CLOSE: case SOCK_REQ_ABORT: case SOCK_REQ_CREDIT: return 0xffffffffu;
    default: return 0;
    }
}

#ifdef __cplusplus
#define SOCK_STATIC_ASSERT static_assert
#else
#define SOCK_STATIC_ASSERT _Static_assert
#endif
SOCK_STATIC_ASSERT(SOCK_REQ_WORDS_MAX == 3u && SOCK_EV_WORDS_MAX == SOCK_MSG_WORDS_MAX,
                   "the longest request (SEND) and event (DATA)");
SOCK_STATIC_ASSERT(SOCK_MSG_WORDS_MAX <= 126u, "a message fits the UDN's payload limit (udn.h)");
SOCK_STATIC_ASSERT(SOCK_CREDITS_MAX == 0xffu, "credits fill the 8-bit w0 field");
SOCK_STATIC_ASSERT(SOCK_EV_CREDIT <= 0xff && (int)SOCK_REQ_CREDIT < (int)SOCK_EV_LISTENING, "types fit 8 bits, requests and events apart");
SOCK_STATIC_ASSERT(SOCK_CONNS_MAX == (1u << 16), "the handle's index is 16 bits");
SOCK_STATIC_ASSERT(SOCK_W0_TYPE_SHIFT == SOCK_W0_CREDITS_SHIFT + 8 && SOCK_W0_CREDITS_SHIFT == SOCK_W0_SENDER_SHIFT + 16,
                   "w0 fields are adjacent");

#endif
