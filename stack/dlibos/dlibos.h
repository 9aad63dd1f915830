/* dlibos.h - what the DLibOS firmware images share (stack/dlibos): the
 * values both sides must agree on and the socket interface's transport
 * over the real UDN (sock_transport_t of stack/sock).
 *
 * The chip's clock, the words of a UDN demux queue (the credits of both
 * sides come from it) and the chip's address (net.address, net.mac) come
 * from the boot-information block. */
#ifndef DL_DLIBOS_DLIBOS_H
#define DL_DLIBOS_DLIBOS_H

#include <stdint.h>

#include "abi/sock.h"
#include "abi/tile_memmap.h"
#include "abi/udn.h"
#include "boot/tile_rt.h"
#include "sock/sock_transport.h"

/* chip.clock_mhz, mesh.queue_words and net.address, from the
 * boot-information block */
#define DLIBOS_CLOCK_MHZ   (tile_boot_info()->clock_mhz)
#define DLIBOS_QUEUE_WORDS (tile_boot_info()->udn_queue_words)
#define DLIBOS_IP          (tile_boot_info()->ip)
#define DLIBOS_NETMASK     (tile_boot_info()->netmask)
#define DLIBOS_ECHO_PORT   7u  /* every echo app tile listens on it */

/* Stack tiles tell each other the addresses they learn by ARP on demux
 * queue DLIBOS_Q_PEER (SOCK_Q_REQ is the apps'): flows are spread over the
 * stack tiles, but a host's ARP frames reach only one of them (the mPIPE
 * hashes non-IP frames by their MACs). Two words:
 *   w0  63..56 DLIBOS_PEER_ARP | 55..32 0 | 31..0 IPv4 address
 *   w1  47..0 its MAC (byte 0 in bits 47..40) */
#define DLIBOS_Q_PEER   1u
#define DLIBOS_PEER_ARP 0xa5u

/* A stack tile reads requests on three demux queues (all but
 * DLIBOS_Q_PEER): app tile a (its application index) sends them to
 * dl_req_queue(a), so a queue is shared by a third of the app tiles and the
 * credits (abi/sock.h sock_queue_credits) are three times larger. An app
 * tile reads events on all four: stack index s sends them to
 * dl_evt_queue(s) = s % 4. (mesh.queues must be 4, the TILE-Gx's.) */
#define DLIBOS_REQ_QUEUES 3u
#define DLIBOS_EVT_QUEUES 4u
static inline uint32_t dl_req_queue(uint32_t a)
{
    uint32_t k = a % DLIBOS_REQ_QUEUES;
    return k == 0 ? SOCK_Q_REQ : k + 1u; /* 0, 2, 3 */
}
static inline uint32_t dl_evt_queue(uint32_t s) { return s % DLIBOS_EVT_QUEUES; }
/* Request credits of each of `apps` app tiles at a stack tile; event credits
 * of each of `stacks` stack tiles at an app tile (0: not workable). */
static inline uint32_t dl_req_credits(uint32_t apps)
{
    return sock_queue_credits(DLIBOS_QUEUE_WORDS, DLIBOS_REQ_QUEUES, SOCK_REQ_WORDS_MAX, apps);
}
/* Event credits are capped: more let a stack tile send events one by one
 * that it would otherwise coalesce (measured on the TILE-Gx36, 8 stack
 * tiles: 16 credits gave 3.03 UDN messages and 1.26 M requests/s per
 * simulated second, 4 gave 2.33 and 1.36 M; stack/dlibos/README.md). */
#define DLIBOS_EVT_CREDITS_MAX 4u
static inline uint32_t dl_evt_credits(uint32_t stacks)
{
    uint32_t c = sock_queue_credits(DLIBOS_QUEUE_WORDS, DLIBOS_EVT_QUEUES, SOCK_EV_WORDS_MAX, stacks);
    return c > DLIBOS_EVT_CREDITS_MAX ? DLIBOS_EVT_CREDITS_MAX : c;
}

static inline uint64_t dl_udn_read(uint64_t off)
{
    return *(volatile uint64_t *)(uintptr_t)(TILE_UDN_BASE + off);
}
static inline void dl_udn_write(uint64_t off, uint64_t v)
{
    *(volatile uint64_t *)(uintptr_t)(TILE_UDN_BASE + off) = v;
}

/* The transport's context: the mesh width (tile -> x, y); with
 * mesh.sender_id = on (boot_info.flags BOOT_FLAG_UDN_SENDER, a research
 * option, NOT a TILE-Gx feature) also the sender the mesh recorded for the
 * message the last recv returned. */
typedef struct dl_udn_tp {
    uint32_t width;
    int sender_id;      /* 1: read UDN_SENDER(q) (it exists) */
    int have_sender;    /* the last recv recorded last_sender */
    uint32_t last_sender;
    uint32_t out_queue; /* where sends to queue 0 go (SOCK_Q_REQ = SOCK_Q_EVT):
                         * an app tile's dl_req_queue, a stack tile's dl_evt_queue */
    uint32_t in_queues; /* recv(0) reads these (round robin): 0 = queue 0 only,
                         * DLIBOS_REQ_QUEUES (stack tile) or DLIBOS_EVT_QUEUES (app) */
    uint32_t next_in;   /* the one of them read first next time */
} dl_udn_tp_t;

/* Fills tp from the boot-information block (queue 0 only, both ways). */
static inline void dl_udn_tp_init(dl_udn_tp_t *tp, const boot_info *bi)
{
    tp->width = bi->width;
    tp->sender_id = (bi->flags & BOOT_FLAG_UDN_SENDER) != 0;
    tp->have_sender = 0;
    tp->last_sender = 0;
    tp->out_queue = 0;
    tp->in_queues = 0;
    tp->next_in = 0;
}

static inline void dl_udn_send(void *ctx, uint32_t tile, uint32_t queue, const uint64_t *w, uint32_t n)
{
    const dl_udn_tp_t *tp = (const dl_udn_tp_t *)ctx;
    uint32_t width = tp->width;
    if (queue == 0) queue = tp->out_queue; /* a request or an event: its queue at the receiver */
    dl_udn_write(UDN_SEND, udn_header(tile % width, tile / width, queue, n));
    for (uint32_t i = 0; i < n; i++) dl_udn_write(UDN_SEND, w[i]);
}

/* Cycles the receiver waits for the rest of a message whose first word it
 * has read: the words of one message follow each other on the mesh (one a
 * cycle), so only a message sent short (a hostile app's) takes longer. */
#define DLIBOS_RECV_WAIT_CYCLES 2000u

/* Waits (up to DLIBOS_RECV_WAIT_CYCLES) until queue q holds n words;
 * returns the words it holds then (n or fewer). */
static inline uint32_t dl_udn_await(uint32_t queue, uint32_t n)
{
    uint64_t have = dl_udn_read(UDN_COUNT(queue));
    if (have >= n) return n;
    uint64_t t0 = tile_cycles();
    while ((have = dl_udn_read(UDN_COUNT(queue))) < n && tile_cycles() - t0 < DLIBOS_RECV_WAIT_CYCLES) {}
    return have < n ? (uint32_t)have : n;
}

/* With mesh.sender_id = on: UDN_SENDER(q) gives the message's true length
 * and sender, and exactly that many words are read (a message sent long or
 * short no longer shifts the next). Words still on their way are waited for
 * up to the deadline; a message whose rest has not come by then is returned
 * short (the stack rejects it: sock_bad_len), and the rest, when it comes,
 * is discarded as the tail of a message already returned. */
static inline uint32_t dl_udn_recv_sender(dl_udn_tp_t *tp, uint32_t queue, uint64_t *w, uint32_t max)
{
    uint64_t s = dl_udn_read(UDN_SENDER(queue));
    if (s == UDN_SENDER_EMPTY) return 0;
    uint32_t left = udn_sender_left(s), len = udn_sender_length(s);
    if (left < len) { /* the tail of a message returned short: drop what came */
        uint32_t k = (uint32_t)dl_udn_read(UDN_COUNT(queue));
        for (uint32_t i = 0; i < k && i < left; i++) (void)dl_udn_read(UDN_RECV(queue));
        return 0;
    }
    uint32_t take = dl_udn_await(queue, len);
    for (uint32_t i = 0; i < take; i++) {
        uint64_t v = dl_udn_read(UDN_RECV(queue));
        if (i < max) w[i] = v;
    }
    tp->have_sender = 1;
    tp->last_sender = udn_sender_tile(s);
    return take;
}

/* Without it, the UDN shows no message boundaries: the length comes from
 * w0's type (abi/sock.h); an unknown type is taken as one word. Never blocks
 * for good: UDN_RECV would wait for words that may never come (a message
 * sent short stalled the stack tile: tests/dlibos/test_hostile.c), so the
 * rest is read only once UDN_COUNT shows it, or what came by the deadline
 * is returned as a short message (the stack rejects it: sock_bad_len). */
static inline uint32_t dl_udn_recv(void *ctx, uint32_t queue, uint64_t *w, uint32_t max)
{
    dl_udn_tp_t *tp = (dl_udn_tp_t *)ctx;
    tp->have_sender = 0;
    if (!dl_udn_read(UDN_COUNT(queue))) return 0;
    if (tp->sender_id) return dl_udn_recv_sender(tp, queue, w, max);
    uint64_t w0 = dl_udn_read(UDN_RECV(queue));
    uint32_t n = sock_msg_words(sock_w0_type(w0));
    if (max) w[0] = w0;
    if (n <= 1) return 1;
    n = 1u + dl_udn_await(queue, n - 1u);
    for (uint32_t i = 1; i < n; i++) {
        uint64_t v = dl_udn_read(UDN_RECV(queue));
        if (i < max) w[i] = v;
    }
    return n;
}

/* recv of requests (stack tile) or events (app tile): the next message of
 * the first of its queues holding one, starting after the queue read last. */
static inline uint32_t dl_udn_recv_any(void *ctx, uint32_t queue, uint64_t *w, uint32_t max)
{
    dl_udn_tp_t *tp = (dl_udn_tp_t *)ctx;
    uint32_t n = tp->in_queues;
    if (queue != 0 || !n) return dl_udn_recv(ctx, queue, w, max);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = tp->next_in + k;
        if (i >= n) i -= n;
        uint32_t q = n == DLIBOS_REQ_QUEUES ? dl_req_queue(i) : i;
        if (!dl_udn_read(UDN_COUNT(q))) continue;
        tp->next_in = i + 1 == n ? 0 : i + 1;
        return dl_udn_recv(ctx, q, w, max);
    }
    tp->have_sender = 0;
    return 0;
}

/* The tile the mesh recorded as the sender of the last message recv
 * returned (only with mesh.sender_id = on). */
static inline int dl_udn_sender(void *ctx, uint32_t *tile)
{
    const dl_udn_tp_t *tp = (const dl_udn_tp_t *)ctx;
    if (!tp->have_sender) return 0;
    *tile = tp->last_sender;
    return 1;
}

static inline void dl_udn_wait(void *ctx)
{
    (void)ctx;
    (void)dl_udn_read(UDN_WAIT);
}

static inline sock_transport_t dl_udn_transport(dl_udn_tp_t *tp)
{
    sock_transport_t t = { .ctx = tp, .send = dl_udn_send, .recv = dl_udn_recv_any, .wait = dl_udn_wait,
                           .sender = tp->sender_id ? dl_udn_sender : NULL };
    return t;
}

#endif
