/* httpd_core.c - the HTTP/1.1 server over sock_app (httpd_core.h), for both
 * deployments. Requests are parsed in place from the RX references (zero
 * copy: http_parse reads each byte once; a reference is released as soon as
 * its bytes are parsed); answers are written into the TX allocator's space
 * (the head, then the body copied from the document store built at start-up)
 * and sent by reference, a large body in several sends as the connection's
 * window and the TX region allow. Pipelined requests are answered in order,
 * one at a time; the connection closes after an answer without keep-alive
 * (Connection: close, HTTP/1.0 without keep-alive, or any error answer) or
 * once the peer has closed and every request it sent is answered.
 *
 * Per connection, unacknowledged answer bytes stay under CONN_INFLIGHT and
 * sends under CONN_SENDS: the stack refuses (and loses) a SEND beyond its
 * send buffer (64 KiB) or its 64 send references (stack_core.c, net). A
 * connection blocked by those waits for SENT; one blocked by the TX region,
 * the send records or the request queue (shared) is retried after the next
 * poll. Connections with work wait in a FIFO (`ready`), so none starves. */
#include "apps/httpd/httpd_core.h"

#include <stdio.h>
#include <string.h>

#include "apps/httpd/http_docs.h"
#include "apps/httpd/http_parse.h"

#define MAX_CONNS     512u          /* as the echo: 8 stack tiles x 64 */
#define RXQ           16u           /* DATA references a connection holds: the stack's rx_refs */
#define CONN_INFLIGHT (32u << 10)   /* unacknowledged bytes per connection */
#define CONN_SENDS    16u           /* unacknowledged sends per connection */
#define SEND_MAX      (16u << 10)   /* bytes per send */
#define REQ_QUEUE     256u
#define HEAD_MAX      256u

typedef struct rxbuf {
    const uint8_t *b;
    uint32_t len, off, ref;
} rxbuf_t;

typedef struct conn {
    uint8_t used, ready, peer_closed, closing, close_sent, wait_ack;
    uint8_t resp, head_pending, keep;
    uint16_t status;
    const char *head;              /* the answer's head (heads[]), head_len bytes */
    uint32_t head_len;
    const uint8_t *body;           /* body bytes (NULL: HEAD) */
    uint32_t body_len, body_off, content_length;
    uint32_t inflight, acked;      /* bytes sent not acknowledged; acknowledged of the oldest send */
    uint32_t send_len[CONN_SENDS], s_head, s_cnt;
    rxbuf_t rx[RXQ];
    uint32_t rx_head, rx_cnt;
    http_parser_t p;
} conn_t;

static sock_app_t *app;
static http_docs_t docs;
static char doc_len_str[HTTP_DOCS_MAX][12];
static _Alignas(64) uint8_t store[HTTP_DOCS_BYTES_MAX];
static conn_t conns[MAX_CONNS];
static uint32_t ready[MAX_CONNS], ready_head, ready_cnt;
static uint64_t rx_full, served, answered_error;
static char err_buf[160];

/* ---- answers ------------------------------------------------------------ */

static const uint16_t err_status[] = { 400, 404, 405, 414, 431, 505 };
#define N_ERR (sizeof err_status / sizeof err_status[0])
static char err_body[N_ERR][48];
static uint32_t err_body_len[N_ERR];
static char err_len_str[N_ERR][8];
/* Heads: documents and errors x (close, HTTP/1.0 keep-alive, HTTP/1.1
 * keep-alive); of the errors only 404 keeps the connection. */
static _Alignas(8) char doc_head[HTTP_DOCS_MAX][3][HEAD_MAX], err_head[N_ERR][3][HEAD_MAX];
static uint32_t doc_head_len[HTTP_DOCS_MAX][3], err_head_len[N_ERR][3];

static uint32_t fmt_u32(char *dst, uint32_t v) /* decimal; start-up only (a tile divides slowly) */
{
    char t[12];
    uint32_t n = 0;
    do t[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
    for (uint32_t i = 0; i < n; i++) dst[i] = t[n - 1 - i];
    dst[n] = 0;
    return n;
}

static unsigned err_index(uint16_t status)
{
    for (unsigned i = 0; i < N_ERR; i++)
        if (err_status[i] == status) return i;
    return 0;
}

/* memcpy for the bodies: picolibc's (this build) copies a byte at a time;
 * the head's padding keeps both sides word aligned, so copy words. */
static void copy(uint8_t *dst, const uint8_t *src, uint32_t n)
{
    if ((((uintptr_t)dst | (uintptr_t)src) & 7) == 0) {
        uint64_t *d = (uint64_t *)dst;
        const uint64_t *s = (const uint64_t *)src;
        for (; n >= 32; n -= 32, d += 4, s += 4) {
            uint64_t a = s[0], b = s[1], c = s[2], e = s[3];
            d[0] = a, d[1] = b, d[2] = c, d[3] = e;
        }
        for (; n >= 8; n -= 8) *d++ = *s++;
        dst = (uint8_t *)d;
        src = (const uint8_t *)s;
    }
    memcpy(dst, src, n);
}

static char *put(char *d, const char *s)
{
    size_t n = strlen(s);
    memcpy(d, s, n);
    return d + n;
}

/* An answer's head into dst (HEAD_MAX bytes), made at start-up for every
 * document and error and each way of ending (heads[]); returns its length,
 * a multiple of 8: the Server value is padded with spaces (optional white
 * space, RFC 9110 5.5), so the body that follows in the allocation is word
 * aligned like the document store and the copies move words, not bytes. */
static uint32_t make_head(uint16_t status, unsigned doc, int keep, int minor, char *dst)
{
    char rest[HEAD_MAX], *d = dst;
    unsigned ei = status == 200 ? 0 : err_index(status);
    d = put(d, "HTTP/1.1 ");
    if (status == 200) d = put(d, "200 OK");
    else {
        d += fmt_u32(d, status);
        *d++ = ' ';
        d = put(d, http_reason(status));
    }
    d = put(d, "\r\nServer: dlibos-httpd");
    char *first_end = d;
    d = rest;
    d = put(d, "\r\nContent-Type: ");
    d = put(d, status == 200 ? docs.doc[doc].type : "text/plain");
    d = put(d, "\r\nContent-Length: ");
    d = put(d, status == 200 ? doc_len_str[doc] : err_len_str[ei]);
    if (status == 405) d = put(d, "\r\nAllow: GET, HEAD");
    if (!keep) d = put(d, "\r\nConnection: close");
    else if (minor == 0) d = put(d, "\r\nConnection: keep-alive");
    d = put(d, "\r\n\r\n");
    uint32_t n1 = (uint32_t)(first_end - dst), n2 = (uint32_t)(d - rest), pad = (8 - ((n1 + n2) & 7)) & 7;
    memset(first_end, ' ', pad);
    memcpy(first_end + pad, rest, n2);
    return n1 + pad + n2;
}

/* Sets up the answer to the request the parser just completed. */
static void start_answer(conn_t *c)
{
    const http_req_t *r = &c->p.req;
    c->resp = 1;
    c->head_pending = 1;
    c->keep = r->keep_alive;
    c->body_off = 0;
    c->status = r->status;
    const http_doc_t *d = NULL;
    uint32_t v = !c->keep ? 0 : r->minor == 0 ? 1 : 2; /* the way the answer ends (heads) */
    if (!c->status) {
        d = r->path_long ? NULL : http_docs_find(&docs, r->path, r->path_len);
        c->status = d ? 200 : 404;
    }
    if (c->status == 200) {
        uint32_t di = (uint32_t)(d - docs.doc);
        c->head = doc_head[di][v];
        c->head_len = doc_head_len[di][v];
        c->body = store + d->offset;
        c->body_len = d->size;
        served++;
    } else {
        unsigned ei = err_index(c->status);
        c->head = err_head[ei][v];
        c->head_len = err_head_len[ei][v];
        c->body = (const uint8_t *)err_body[ei];
        c->body_len = err_body_len[ei];
        answered_error++;
    }
    if (r->method == HTTP_M_HEAD) c->body_len = 0;
}

/* Sends what it can of the answer. 0: sent whole; 1: blocked by what all
 * connections share; 2: blocked by its own window (waits for SENT). */
static int push_answer(uint32_t ci, conn_t *c)
{
    while (c->resp) {
        if (c->s_cnt == CONN_SENDS || c->inflight >= CONN_INFLIGHT) {
            c->wait_ack = 1;
            return 2;
        }
        if (sock_app_req_waiting(app) + 2 > REQ_QUEUE) return 1;
        uint32_t hl = c->head_pending ? c->head_len : 0;
        uint32_t room = CONN_INFLIGHT - c->inflight, body = c->body_len - c->body_off;
        uint32_t cap = SEND_MAX - hl;
        if (room > hl && room - hl < cap) cap = room - hl;
        else if (room <= hl) cap = 0;
        if (body > cap) body = cap & ~7u; /* a part: whole words, the next stays aligned */
        if (hl + body == 0) {
            c->wait_ack = 1;
            return 2;
        }
        uint8_t *b = sock_app_tx_alloc(app, hl + body);
        if (!b) return 1;
        copy(b, (const uint8_t *)c->head, hl);
        copy(b + hl, c->body + c->body_off, body);
        if (sock_app_send(app, ci, b, hl + body) != 0) {
            printf("httpd: send refused on connection %u\n", (unsigned)ci); /* the queue was checked */
            return 1;
        }
        c->inflight += hl + body;
        c->send_len[(c->s_head + c->s_cnt++) % CONN_SENDS] = hl + body;
        c->head_pending = 0;
        c->body_off += body;
        if (c->body_off == c->body_len) {
            c->resp = 0;
            if (!c->keep) c->closing = 1;
        }
    }
    return 0;
}

/* Releases the oldest RX reference. 0, or 1 when the queue is full. */
static int release_head(uint32_t ci, conn_t *c)
{
    if (sock_app_req_waiting(app) + 2 > REQ_QUEUE) return 1;
    if (sock_app_release(app, ci, c->rx[c->rx_head].ref) == SOCK_APP_EAGAIN) return 1;
    c->rx_head = (c->rx_head + 1) % RXQ;
    c->rx_cnt--;
    return 0;
}

/* Works on a connection until it waits. 0: waits for an event; 1: blocked
 * by a shared resource (retry after the next poll). */
static int run_conn(uint32_t ci)
{
    conn_t *c = &conns[ci];
    for (;;) {
        if (!c->used || c->close_sent) return 0;
        if (c->resp) {
            int r = push_answer(ci, c);
            if (r) return r == 1;
        }
        if (c->closing) { /* what is left unread is dropped */
            while (c->rx_cnt)
                if (release_head(ci, c)) return 1;
            if (sock_app_req_waiting(app) + 2 > REQ_QUEUE) return 1;
            if (sock_app_close(app, ci) == SOCK_APP_EAGAIN) return 1;
            c->close_sent = 1;
            return 0;
        }
        if (!c->rx_cnt) {
            if (!c->peer_closed) return 0;
            c->closing = 1;
            continue;
        }
        rxbuf_t *r = &c->rx[c->rx_head];
        if (r->off < r->len) {
            int done;
            r->off += (uint32_t)http_parse(&c->p, r->b + r->off, r->len - r->off, &done);
            if (done) start_answer(c);
        }
        if (r->off == r->len && release_head(ci, c)) return 1;
    }
}

static void make_ready(uint32_t ci)
{
    conn_t *c = &conns[ci];
    if (c->ready) return;
    c->ready = 1;
    ready[(ready_head + ready_cnt++) % MAX_CONNS] = ci;
}

/* ---- callbacks ---------------------------------------------------------- */

static void on_accept(void *ctx, uint32_t ci, uint32_t ip, uint16_t port, uint16_t lport)
{
    (void)ctx, (void)ip, (void)port, (void)lport;
    if (ci >= MAX_CONNS) return;
    conn_t *c = &conns[ci];
    uint8_t rd = c->ready; /* still queued from an earlier connection: stays queued once */
    memset(c, 0, sizeof *c);
    c->ready = rd;
    c->used = 1;
    http_parser_init(&c->p);
}

static void on_data(void *ctx, uint32_t ci, const uint8_t *bytes, uint32_t len, uint32_t ref)
{
    (void)ctx;
    conn_t *c = ci < MAX_CONNS ? &conns[ci] : NULL;
    if (!c || !c->used || c->rx_cnt == RXQ) { /* more than the stack lets us hold */
        rx_full++;
        if (c && c->used) {
            sock_app_abort(app, ci);
            c->close_sent = 1;
        }
        return;
    }
    c->rx[(c->rx_head + c->rx_cnt++) % RXQ] = (rxbuf_t){ bytes, len, 0, ref };
    make_ready(ci);
}

static void on_sent(void *ctx, uint32_t ci, uint32_t bytes)
{
    (void)ctx;
    if (ci >= MAX_CONNS || !conns[ci].used) return;
    conn_t *c = &conns[ci];
    c->inflight -= bytes < c->inflight ? bytes : c->inflight;
    c->acked += bytes;
    while (c->s_cnt && c->acked >= c->send_len[c->s_head]) {
        c->acked -= c->send_len[c->s_head];
        c->s_head = (c->s_head + 1) % CONN_SENDS;
        c->s_cnt--;
    }
    if (c->wait_ack) {
        c->wait_ack = 0;
        make_ready(ci);
    }
}

static void on_peer_closed(void *ctx, uint32_t ci)
{
    (void)ctx;
    if (ci >= MAX_CONNS || !conns[ci].used) return;
    conns[ci].peer_closed = 1;
    make_ready(ci);
}

static void on_gone(void *ctx, uint32_t ci) /* reset or closed: the stack holds nothing of it */
{
    (void)ctx;
    if (ci >= MAX_CONNS) return;
    conns[ci].used = 0;
}

static void on_error(void *ctx, uint32_t conn, uint32_t req, uint32_t code, uint32_t count)
{
    (void)ctx;
    printf("httpd: error %u on request %u (connection %d, %u times)\n", (unsigned)code, (unsigned)req,
           conn == SOCK_APP_NOCONN ? -1 : (int)conn, (unsigned)count);
}

/* ---- start and loop ----------------------------------------------------- */

static _Alignas(64) uint8_t app_mem[256 * 1024];

const char *httpd_check_args(const char *args)
{
    if (http_docs_parse(args, &docs, err_buf, sizeof err_buf)) return err_buf;
    return NULL;
}

const char *httpd_start(const sock_app_cfg_t *given, const sock_transport_t *tp, uint16_t port, const char *args)
{
    const char *e = httpd_check_args(args);
    if (e) return e;
    for (uint32_t i = 0; i < docs.n; i++) {
        http_doc_fill(&docs.doc[i], 0, store + docs.doc[i].offset, docs.doc[i].size);
        fmt_u32(doc_len_str[i], docs.doc[i].size);
    }
    for (unsigned i = 0; i < N_ERR; i++) {
        char *d = err_body[i];
        d += fmt_u32(d, err_status[i]);
        *d++ = ' ';
        d = put(d, http_reason(err_status[i]));
        *d++ = '\n';
        err_body_len[i] = (uint32_t)(d - err_body[i]);
        fmt_u32(err_len_str[i], err_body_len[i]);
        for (int v = 0; v < 3; v++) err_head_len[i][v] = make_head(err_status[i], 0, v != 0, v == 2, err_head[i][v]);
    }
    for (uint32_t i = 0; i < docs.n; i++)
        for (int v = 0; v < 3; v++) doc_head_len[i][v] = make_head(200, i, v != 0, v == 2, doc_head[i][v]);
    sock_app_cfg_t c = *given;
    c.max_conns = MAX_CONNS;
    c.tx_recs = 1024;
    c.req_queue = REQ_QUEUE;
    sock_app_cb_t cb = { .on_accept = on_accept, .on_data = on_data, .on_sent = on_sent,
                         .on_peer_closed = on_peer_closed, .on_reset = on_gone, .on_closed = on_gone,
                         .on_error = on_error };
    if (sock_app_footprint(&c) == 0 || sock_app_footprint(&c) > sizeof app_mem) return "configuration does not fit";
    app = sock_app_join(sock_app_new(app_mem, &c, tp, &cb));
    if (!app) return "sock_app_new failed";
    for (unsigned s = 0; s < c.nstacks; s++) sock_app_listen(app, s, port, 64);
    printf("httpd: %u documents (%lu bytes) on port %u\n", (unsigned)docs.n, (unsigned long)docs.bytes,
           (unsigned)port);
    return NULL;
}

/* A limit reached is printed when it grows, never silent. */
static void report_limits(void)
{
    static uint64_t last_bad, last;
    uint64_t bad = sock_app_counters(app)->ev_bad;
    if (bad != last_bad) {
        last_bad = bad;
        printf("httpd: %lu bad events (data outside its RX pool? check mpipe.rules)\n", (unsigned long)bad);
    }
    uint64_t full = sock_app_counters(app)->accept_full;
    if (full + rx_full == last) return;
    last = full + rx_full;
    printf("httpd: limits reached: accept_full=%lu rx_full=%lu\n", (unsigned long)full, (unsigned long)rx_full);
}

uint32_t httpd_step(void)
{
    report_limits();
    uint32_t n = ready_cnt ? sock_app_poll(app) : sock_app_run_once(app);
    uint32_t todo = ready_cnt;
    for (uint32_t k = 0; k < todo; k++) {
        uint32_t ci = ready[ready_head];
        ready_head = (ready_head + 1) % MAX_CONNS;
        ready_cnt--;
        conns[ci].ready = 0;
        if (run_conn(ci)) make_ready(ci);
        n++;
    }
    return n;
}

const app_core_t app_core = { "httpd", HTTPD_PORT, httpd_start, httpd_step, httpd_check_args };
