/* trace_http.c - HTTP/1.x over a reassembled connection: requests (request
 * line, headers, a Content-Length or chunked body; pipelined requests one
 * after the other) from the client's stream, responses (status line,
 * headers, body by Content-Length, chunked, none for HEAD, 1xx, 204 and
 * 304, else up to the end of the stream) from the server's, paired in
 * order; interim 1xx responses are skipped. Request type "METHOD /path"
 * (query string left out), status the three-digit code; 4xx and 5xx are
 * errors. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "trace.h"
#include "trace_priv.h"

struct hmsg {
    uint64_t end;          /* offset after the message */
    int code;              /* responses */
    char method[16], path[64];
};

enum { H_INCOMPLETE = 0, H_OK = 1, H_BAD = -1 };
#define H_MAX_HEAD 65536

/* The offset just after the blank line that ends a header block from off. */
static int head_end(const uint8_t *p, uint64_t len, uint64_t off, uint64_t *end)
{
    for (uint64_t i = off; i + 1 < len; i++) {
        if (i - off > H_MAX_HEAD) return H_BAD;
        if (p[i] != '\n') continue;
        if (p[i + 1] == '\n') {
            *end = i + 2;
            return H_OK;
        }
        if (p[i + 1] == '\r' && i + 2 < len && p[i + 2] == '\n') {
            *end = i + 3;
            return H_OK;
        }
    }
    return len - off > H_MAX_HEAD ? H_BAD : H_INCOMPLETE;
}

/* Parses a decimal or hex number of at most 18 digits; -1 if none. */
static long long num(const uint8_t *p, const uint8_t *e, int base, const uint8_t **after)
{
    long long v = 0;
    int n = 0;
    while (p < e && *p == ' ') p++;
    for (; p < e && n < 18; p++, n++) {
        int d = isdigit(*p) ? *p - '0' : base == 16 && isxdigit(*p) ? (tolower(*p) - 'a' + 10) : -1;
        if (d < 0) break;
        v = v * base + d;
    }
    if (after) *after = p;
    return n ? v : -1;
}

/* A chunked body from off: its end, or incomplete/bad. */
static int chunked(const uint8_t *p, uint64_t len, uint64_t off, uint64_t *end)
{
    for (;;) {
        const uint8_t *a;
        long long n = num(p + off, p + len, 16, &a);
        const uint8_t *nl = memchr(p + off, '\n', (size_t)(len - off));
        if (!nl) return len - off > 1024 ? H_BAD : H_INCOMPLETE;
        if (n < 0 || a > nl) return H_BAD;
        off = (uint64_t)(nl - p) + 1;
        if (n == 0) return head_end(p, len, off - 1, end) == H_OK ? H_OK : (len - off > H_MAX_HEAD ? H_BAD : H_INCOMPLETE);
        if (len - off < (uint64_t)n + 2) return H_INCOMPLETE;
        off += (uint64_t)n;
        if (p[off] == '\r') off++;
        if (off >= len) return H_INCOMPLETE;
        if (p[off] != '\n') return H_BAD;
        off++;
    }
}

/* One message from off: request (resp 0) or response (resp 1, head: the
 * request was HEAD; eof: the stream ended cleanly). */
static int message(const uint8_t *p, uint64_t len, uint64_t off, int resp, int head, int eof, struct hmsg *m)
{
    uint64_t he;
    int r = head_end(p, len, off, &he);
    if (r != H_OK) return r;
    const uint8_t *l = p + off, *nl = memchr(l, '\n', (size_t)(he - off));
    memset(m, 0, sizeof *m);
    if (!resp) {
        const uint8_t *sp = memchr(l, ' ', (size_t)(nl - l));
        if (!sp || sp == l || sp - l >= (long)sizeof m->method) return H_BAD;
        for (const uint8_t *q = l; q < sp; q++)
            if (!isupper(*q)) return H_BAD;
        memcpy(m->method, l, (size_t)(sp - l));
        const uint8_t *tg = sp + 1, *sp2 = memchr(tg, ' ', (size_t)(nl - tg));
        if (!sp2 || sp2 == tg || nl - sp2 < 9 || memcmp(sp2 + 1, "HTTP/1.", 7)) return H_BAD;
        size_t n = 0;
        for (const uint8_t *q = tg; q < sp2 && *q != '?' && n + 1 < sizeof m->path; q++) m->path[n++] = isprint(*q) ? (char)*q : '?';
    } else {
        if (nl - l < 12 || memcmp(l, "HTTP/1.", 7) || l[8] != ' ') return H_BAD;
        if (!isdigit(l[9]) || !isdigit(l[10]) || !isdigit(l[11])) return H_BAD;
        m->code = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
    }
    long long clen = -1;
    int chunk = 0;
    for (const uint8_t *h = nl + 1; h < p + he;) {
        const uint8_t *e = memchr(h, '\n', (size_t)(p + he - h));
        if (!e) break;
        const uint8_t *colon = memchr(h, ':', (size_t)(e - h));
        if (colon) {
            size_t nlen = (size_t)(colon - h);
            if (nlen == 14 && !strncasecmp((const char *)h, "Content-Length", 14)) {
                const uint8_t *a;
                clen = num(colon + 1, e, 10, &a);
                if (clen < 0) return H_BAD;
            } else if (nlen == 17 && !strncasecmp((const char *)h, "Transfer-Encoding", 17)) {
                for (const uint8_t *q = colon + 1; q + 7 <= e; q++)
                    if (!strncasecmp((const char *)q, "chunked", 7)) chunk = 1;
            }
        }
        h = e + 1;
    }
    if (resp && (head || m->code / 100 == 1 || m->code == 204 || m->code == 304)) {
        m->end = he;
        return H_OK;
    }
    if (chunk) return chunked(p, len, he, &m->end);
    if (clen >= 0) {
        if (len - he < (uint64_t)clen) return H_INCOMPLETE;
        m->end = he + (uint64_t)clen;
        return H_OK;
    }
    if (!resp) {
        m->end = he;
        return H_OK;
    }
    if (!eof) return H_INCOMPLETE;   /* body until the connection closes */
    m->end = len;
    return H_OK;
}

static uint64_t skip_blank(const uint8_t *p, uint64_t len, uint64_t off)
{
    while (off < len && (p[off] == '\r' || p[off] == '\n')) off++;
    return off;
}

void trace_match_http(struct trace *t, int flow, const struct trace_stream *c, const struct trace_stream *s)
{
    struct trace_flow *f = &t->flows[flow];
    size_t first = t->ntxns;
    uint64_t off = 0;
    struct hmsg m;
    for (;;) {
        off = skip_blank(c->data, c->len, off);
        if (off >= c->len) break;
        int r = message(c->data, c->len, off, 0, 0, 0, &m);
        if (r != H_OK) {
            uint64_t fr;
            trace_stream_ns(c, off, &fr);
            if (r == H_BAD || !c->hole) trace_issue(t, r == H_BAD ? "HTTP: malformed request" : "HTTP: incomplete request at the end", fr);
            f->unparsed_bytes[0] += c->len - off;
            break;
        }
        char type[96];
        snprintf(type, sizeof type, "%s %s", m.method, m.path);
        struct trace_txn *x = trace_add_txn(t);
        x->flow = flow;
        x->type = trace_type(t, type);
        x->req_ns = trace_stream_ns(c, off, &x->frame);
        x->req_bytes = m.end - off;
        x->req_off = off;
        x->error = !strcmp(m.method, "HEAD");   /* remembered for the response; cleared below */
        snprintf(x->status, sizeof x->status, "none");
        f->requests++;
        off = m.end;
    }
    off = 0;
    int eof = !s->hole && (f->fin || f->rst);
    for (size_t i = first; i < t->ntxns;) {
        off = skip_blank(s->data, s->len, off);
        if (off >= s->len) break;
        int head = t->txns[i].error;
        int r = message(s->data, s->len, off, 1, head, eof, &m);
        if (r != H_OK) {
            uint64_t fr;
            trace_stream_ns(s, off, &fr);
            if (r == H_BAD || !s->hole) trace_issue(t, r == H_BAD ? "HTTP: malformed response" : "HTTP: incomplete response at the end", fr);
            f->unparsed_bytes[1] += s->len - off;
            off = s->len;
            break;
        }
        if (m.code / 100 == 1 && m.code != 101) {   /* interim: the final one follows */
            off = m.end;
            continue;
        }
        struct trace_txn *x = &t->txns[i++];
        x->resp_ns = trace_stream_ns(s, m.end - 1, NULL);
        x->resp_bytes = m.end - off;
        x->resp_off = off;
        snprintf(x->status, sizeof x->status, "%d", m.code);
        x->error = m.code >= 400;
        f->responses++;
        off = m.end;
    }
    for (size_t i = first; i < t->ntxns; i++)
        if (t->txns[i].resp_ns < 0) t->txns[i].error = 1;
    off = skip_blank(s->data, s->len, off);
    if (off < s->len) {
        uint64_t fr;
        trace_stream_ns(s, off, &fr);
        trace_issue(t, "HTTP: response without a request", fr);
        f->unparsed_bytes[1] += s->len - off;
    }
}

int trace_http_response(const uint8_t *req, size_t reqlen, const uint8_t *s, size_t slen, int eof, uint64_t *start,
                        uint64_t *end, char *status, size_t statuslen)
{
    struct hmsg m;
    uint64_t off = skip_blank(req, reqlen, 0);
    if (off >= reqlen || message(req, reqlen, off, 0, 0, 0, &m) != H_OK) return -1;
    int head = !strcmp(m.method, "HEAD");
    off = 0;
    for (;;) {
        off = skip_blank(s, slen, off);
        if (off >= slen) return 0;
        int r = message(s, slen, off, 1, head, eof, &m);
        if (r != H_OK) return r == H_BAD ? -1 : 0;
        if (m.code / 100 == 1 && m.code != 101) {
            off = m.end;
            continue;
        }
        *start = off;
        *end = m.end;
        snprintf(status, statuslen, "%d", m.code);
        return 1;
    }
}
