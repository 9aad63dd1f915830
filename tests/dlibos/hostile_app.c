/* hostile_app.c - a hostile app image, built only for the tests
 * (tests/dlibos/test_hostile.c): it runs on its own app tile (deployment.
 * tile_firmware) beside the honest echo app of tests/dlibos/echo_2x2.ini and
 * attacks stack tile 0 through raw UDN messages (abi/sock.h), printing what
 * each attempt got back, then (HOSTILE_MEM) touches memory it must not.
 *
 * HOSTILE_MEM (build flag):
 *   0  message attacks only, then "hostile: done" and idle
 *   1  message attacks, then a write into application 0's RX pool (the
 *      bytes the stack received for the honest app): must fault
 *   2  at once, a write into application 0's TX region: must fault
 *   3  at once, a read of application 0's RX pool: must fault
 *   4  (no memory attack) a SEND's first word alone, then idle: the stack
 *      tile must not wait for the rest
 *   5  (no memory attack) LISTEN on the honest app's port 7: must get
 *      none of the honest app's connections (their frames land in its pool)
 *
 * Message attacks, each answered (or not) by the stack tile; the line
 * "hostile: NAME: error CODE xCOUNT" (or "no answer") is what came back:
 *   guess_handle     CLOSE/ABORT/RELEASE/SEND on guessed handles of the
 *                    honest app's connections (index 0..7, guessed
 *                    generation and nonce), index out of range
 *   send_outside     SEND on a guessed handle with an offset outside the TX
 *                    region and offset + len overflowing 64 bits
 *   release_twice    RELEASE of a ref twice on a guessed handle
 *   bad_type         unknown type; an event type sent as a request
 *   reserved_bits    CLOSE and CREDIT with w0.arg set; LISTEN on port 0
 *   oversized        a CLOSE of 8 words (6 zero words too many)
 *   lying_credits    w0.credits = 255 (more than the events received)
 *   forged_sender    a bad-type request claiming to come from the honest
 *                    app's tile (its ERROR goes there: no answer here)
 *   not_app          a request claiming a stack tile as its sender
 *   beyond_credits   twice its credits of requests without reading events
 *   flood            2000 requests as fast as the UDN takes them */
#include <stdio.h>

#include "boot/tile_rt.h"
#include "dlibos/dl_tiles.h"
#include "dlibos/dlibos.h"

#ifndef HOSTILE_MEM
#define HOSTILE_MEM 0
#endif

static uint32_t target; /* stack tile attacked: stack index 0 */
#define TIMEOUT 400000u     /* cycles to wait for an answer */

static dl_udn_tp_t tp;
static uint32_t me, honest, credits, avail, held;

/* Sends n words to the target's request queue, giving back what we hold. */
static void send_raw(uint64_t *w, uint32_t n, int give_back)
{
    if (give_back) {
        uint32_t cr = held > SOCK_CREDITS_MAX ? SOCK_CREDITS_MAX : held;
        w[0] = (w[0] & ~(0xffULL << SOCK_W0_CREDITS_SHIFT)) | (uint64_t)cr << SOCK_W0_CREDITS_SHIFT;
        held -= cr;
    }
    dl_udn_send(&tp, target, SOCK_Q_REQ, w, n);
    if (avail) avail--;
}

/* Takes one event if one waits: returns its type (0: none) and, for an
 * ERROR, its code and count. */
static uint32_t take_event(uint32_t *code, uint32_t *count)
{
    uint64_t w[SOCK_MSG_WORDS_MAX];
    if (!dl_udn_recv(&tp, SOCK_Q_EVT, w, SOCK_MSG_WORDS_MAX)) return 0;
    held++;
    avail += sock_w0_credits(w[0]);
    if (avail > credits) avail = credits;
    uint32_t type = sock_w0_type(w[0]);
    if (type == SOCK_EV_ERROR) {
        *code = sock_w0_arg(w[0]) & 0xffu;
        *count = sock_w0_arg(w[0]) >> 16;
    }
    return type;
}

static uint64_t w0c(uint32_t type) { return sock_w0(type, 0, me, 0); }

/* Waits for `want` ERROR events (or the timeout) and prints what came. */
static void expect(const char *name, uint32_t want)
{
    uint64_t t0 = tile_cycles();
    uint32_t got = 0, code = 0, count = 0, last = 0, same = 1;
    while (got < want && tile_cycles() - t0 < TIMEOUT) {
        uint32_t c = 0, k = 0;
        uint32_t type = take_event(&c, &k);
        if (held >= credits - 2) { /* give back, so that the stack can go on answering */
            uint64_t cw = w0c(SOCK_REQ_CREDIT);
            send_raw(&cw, 1, 1);
        }
        if (type != SOCK_EV_ERROR) continue;
        if (got && c != last) same = 0;
        last = c;
        code = c;
        count += k;
        got++;
    }
    unsigned long us = (unsigned long)(tile_cycles() / DLIBOS_CLOCK_MHZ);
    if (!got) printf("hostile: %s: no answer (%lu us)\n", name, us);
    else if (!same) printf("hostile: %s: mixed errors x%u (%lu us)\n", name, (unsigned)got, us);
    else printf("hostile: %s: error %u x%u (%lu us)\n", name, (unsigned)code, (unsigned)count, us);
}

/* One request of n words from `sender`, then wait for `want` errors. */
static void attack(const char *name, uint64_t *w, uint32_t n, uint32_t want)
{
    send_raw(w, n, 1);
    expect(name, want);
}

static uint64_t w0(uint32_t type, uint32_t sender, uint32_t arg) { return sock_w0(type, 0, sender, arg); }

__attribute__((unused)) static void message_attacks(void)
{
    uint64_t w[8];
    /* another app's connections: the handles are guessed (the nonce is a
     * seeded 32-bit PRNG output the hostile never sees) */
    uint32_t guesses = 0;
    for (uint32_t idx = 0; idx < 8; idx++) {
        uint64_t h = sock_handle(0x9e3779b9u * (idx + 1), idx, idx);
        w[0] = w0(SOCK_REQ_CLOSE, me, 0); w[1] = h;
        send_raw(w, 2, 1); guesses++;
        w[0] = w0(SOCK_REQ_ABORT, me, 0); w[1] = h;
        send_raw(w, 2, 1); guesses++;
        expect("guess_handle", 2);
    }
    w[0] = w0(SOCK_REQ_CLOSE, me, 0); w[1] = sock_handle(1, 0, 0xffff);
    attack("guess_handle_index", w, 2, 1);
    /* bytes outside the TX region, and an offset + len that overflows */
    w[0] = w0(SOCK_REQ_SEND, me, 64); w[1] = sock_handle(1, 0, 0); w[2] = 1ULL << 40;
    attack("send_outside", w, 3, 1);
    w[0] = w0(SOCK_REQ_SEND, me, 0xffffffffu); w[1] = sock_handle(1, 0, 1); w[2] = ~0ULL - 16;
    attack("send_overflow", w, 3, 1);
    /* release a reference twice, and one never given */
    w[0] = w0(SOCK_REQ_RELEASE, me, 0); w[1] = sock_handle(7, 1, 0);
    attack("release_once", w, 2, 1);
    w[0] = w0(SOCK_REQ_RELEASE, me, 0); w[1] = sock_handle(7, 1, 0);
    attack("release_twice", w, 2, 1);
    w[0] = w0(SOCK_REQ_RELEASE, me, 12345); w[1] = sock_handle(7, 1, 2);
    attack("release_not_held", w, 2, 1);
    /* malformed */
    w[0] = w0(0x7f, me, 0);
    attack("bad_type", w, 1, 1);
    w[0] = w0(SOCK_EV_CREDIT, me, 0); /* an event's type (1 word) as a request */
    attack("event_type", w, 1, 1);
    w[0] = w0(SOCK_REQ_CLOSE, me, 1); w[1] = sock_handle(1, 0, 0);
    attack("reserved_close", w, 2, 1);
    w[0] = w0(SOCK_REQ_CREDIT, me, 0x100);
    attack("reserved_credit", w, 1, 1);
    w[0] = w0(SOCK_REQ_LISTEN, me, 64u << 16); /* port 0 */
    attack("listen_port0", w, 1, 1);
    /* oversized: a CLOSE followed by 6 zero words, read as 6 messages of
     * type 0 (the plain UDN shows no boundaries) */
    w[0] = w0(SOCK_REQ_CLOSE, me, 0); w[1] = sock_handle(3, 3, 3);
    for (int i = 2; i < 8; i++) w[i] = 0;
    attack("oversized", w, 8, 1); /* the zero words: sender tile 0, no app: dropped unanswered */
    /* credits given back beyond the events received */
    w[0] = sock_w0(SOCK_REQ_CREDIT, 255, me, 0);
    send_raw(w, 1, 0);
    w[0] = w0(0x7e, me, 0);
    attack("lying_credits", w, 1, 1);
    /* the sender field forged as the honest app: its ERROR goes there */
    w[0] = w0(0x7d, honest, 0);
    attack("forged_sender", w, 1, 1);
    /* a stack tile as the sender: dropped, no one to answer */
    w[0] = w0(0x7c, target, 0);
    attack("not_app", w, 1, 1);
    /* beyond credits: 2 x credits requests before reading any event */
    uint32_t n = 2 * credits;
    for (uint32_t i = 0; i < n; i++) {
        w[0] = w0(0x7b, me, 0);
        send_raw(w, 1, 0);
    }
    expect("beyond_credits", credits + 1); /* credits BAD_TYPE, one NO_CREDIT */
    /* flood, reading events now and then so that the stack's answers flow */
    for (uint32_t i = 0; i < 2000; i++) {
        w[0] = w0(0x7a, me, 0);
        send_raw(w, 1, (i & 15) == 0);
        uint32_t c, k;
        while (take_event(&c, &k)) {}
    }
    expect("flood", 1);
    printf("hostile: sent %u guesses; done\n", (unsigned)guesses);
}

int main(void)
{
    const boot_info *bi = tile_boot_info();
    dl_udn_tp_init(&tp, bi);
    tp.out_queue = dl_req_queue(bi->app); /* its own request queue, as an honest app's; it reads
                                           * stack index 0's events, on queue 0 */
    me = bi->tile;
    target = dl_stack_tile(bi, 0);
    honest = dl_app_tile(bi, 0); /* application 0's tile */
    credits = avail = dl_req_credits(dl_app_count(bi));
    const boot_region *rx0 = tile_region(BOOT_REGION_RX_POOL, 0);
    const boot_region *tx0 = tile_region(BOOT_REGION_TX, 0);
    printf("hostile: tile %u, application %u, %u credits\n", me, (unsigned)bi->app, (unsigned)credits);
    if (!rx0 || !tx0 || bi->role != BOOT_ROLE_APP || bi->app == 0) {
        printf("hostile: expected an app tile beside application 0\n");
        return 1;
    }
#if HOSTILE_MEM == 2
    printf("hostile: writing into application 0's TX region\n");
    *(volatile uint64_t *)(uintptr_t)tx0->base = 0xbad;
    printf("hostile: the write went through\n");
    return 0;
#elif HOSTILE_MEM == 3
    printf("hostile: reading application 0's RX pool\n");
    uint64_t v = *(volatile uint64_t *)(uintptr_t)rx0->base;
    printf("hostile: the read went through (%lx)\n", (unsigned long)v);
    return 0;
#elif HOSTILE_MEM == 4
    while (tile_cycles() < 800000u) {}
    uint64_t t = w0(SOCK_REQ_SEND, me, 64); /* a SEND's first word alone */
    send_raw(&t, 1, 0);
    printf("hostile: sent a truncated SEND\n");
    for (;;) (void)dl_udn_read(UDN_WAIT);
#elif HOSTILE_MEM == 5
    while (tile_cycles() < 700000u) {}
    uint64_t l = w0(SOCK_REQ_LISTEN, me, 64u << 16 | DLIBOS_ECHO_PORT);
    send_raw(&l, 1, 0);
    uint32_t c = 0, k = 0, n = 0;
    for (;;) {
        uint32_t type = take_event(&c, &k);
        if (type == SOCK_EV_LISTENING) printf("hostile: listening on the echo port\n");
        if (type == SOCK_EV_ERROR) printf("hostile: listen on the echo port: error %u\n", (unsigned)c);
        if (type == SOCK_EV_ACCEPTED) printf("hostile: accepted connection %u of the honest app's clients\n", ++n);
    }
#else
    while (tile_cycles() < 800000u) {} /* the stack tile is ready, the clients connected */
    message_attacks();
#if HOSTILE_MEM == 1
    printf("hostile: writing into application 0's RX pool\n");
    *(volatile uint64_t *)(uintptr_t)(rx0->base + rx0->size / 2) = 0xbad;
    printf("hostile: the write went through\n");
    return 0;
#endif
    for (;;) (void)dl_udn_read(UDN_WAIT);
#endif
}
