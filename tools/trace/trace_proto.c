/* trace_proto.c - which protocol a connection speaks (TCP echo on port 7;
 * else HTTP when the client starts with a request line, memcached when it
 * starts with a memcached command; else unknown), the dispatch to its
 * parser, and TCP echo: each in-order client segment is a request, whose
 * response is complete when the server has sent back as many bytes (status
 * ok when they are the same bytes, mismatch when not, none when they never
 * came). */
#include <stdio.h>
#include <string.h>

#include "trace.h"
#include "trace_priv.h"

static int starts_word(const uint8_t *c, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n > k && !memcmp(c, w, k) && (c[k] == ' ' || c[k] == '\r' || c[k] == '\n');
}

enum trace_proto trace_sniff(uint16_t port, const uint8_t *c, size_t n)
{
    static const char *http[] = { "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT" };
    static const char *mc[] = { "get", "gets", "gat", "gats", "set", "add", "replace", "append", "prepend",
                                "cas", "delete", "incr", "decr", "touch", "stats", "version", "flush_all",
                                "verbosity", "quit", "mg", "ms", "md", "ma", "mn", "me" };
    if (port == 7) return PROTO_ECHO;
    for (size_t i = 0; i < sizeof http / sizeof http[0]; i++)
        if (starts_word(c, n, http[i])) return PROTO_HTTP;
    for (size_t i = 0; i < sizeof mc / sizeof mc[0]; i++)
        if (starts_word(c, n, mc[i])) return PROTO_MEMCACHED;
    if (n == 0 && (port == 80 || port == 8080 || port == 8000)) return PROTO_HTTP;
    if (n == 0 && port == 11211) return PROTO_MEMCACHED;
    return PROTO_UNKNOWN;
}

static void match_echo(struct trace *t, int flow, const struct trace_stream *c, const struct trace_stream *s)
{
    struct trace_flow *f = &t->flows[flow];
    for (size_t i = 0; i < c->nchunks; i++) {
        uint64_t a = c->chunks[i].off, b = i + 1 < c->nchunks ? c->chunks[i + 1].off : c->len;
        struct trace_txn *x = trace_add_txn(t);
        x->flow = flow;
        x->type = trace_type(t, "echo");
        x->req_ns = c->chunks[i].ns;
        x->frame = c->chunks[i].frame;
        x->req_bytes = b - a;
        x->req_off = a;
        f->requests++;
        if (s->len < b) {
            snprintf(x->status, sizeof x->status, "none");
            x->error = 1;
            continue;
        }
        x->resp_ns = trace_stream_ns(s, b - 1, NULL);
        x->resp_bytes = b - a;
        x->resp_off = a;
        int same = !memcmp(c->data + a, s->data + a, (size_t)(b - a));
        snprintf(x->status, sizeof x->status, same ? "ok" : "mismatch");
        x->error = !same;
        f->responses++;
    }
    if (s->len > c->len) {
        uint64_t fr;
        trace_stream_ns(s, c->len, &fr);
        trace_issue(t, "echo: more bytes back than sent", fr);
        f->unparsed_bytes[1] += s->len - c->len;
    }
}

void trace_match(struct trace *t, int flow, enum trace_proto p, const struct trace_stream *c,
                 const struct trace_stream *s)
{
    struct trace_flow *f = &t->flows[flow];
    switch (p) {
    case PROTO_HTTP: trace_match_http(t, flow, c, s); break;
    case PROTO_MEMCACHED: trace_match_memcached(t, flow, c, s); break;
    case PROTO_ECHO: match_echo(t, flow, c, s); break;
    default:
        if (c->len || s->len) {
            uint64_t fr;
            trace_stream_ns(c->len ? c : s, 0, &fr);
            trace_issue(t, "TCP connection of an unknown protocol", fr);
            f->unparsed_bytes[0] += c->len;
            f->unparsed_bytes[1] += s->len;
        }
        break;
    }
}

int trace_response(enum trace_proto p, const uint8_t *req, size_t reqlen, const uint8_t *s, size_t slen, int eof,
                   uint64_t *start, uint64_t *end, char *status, size_t statuslen)
{
    switch (p) {
    case PROTO_HTTP: return trace_http_response(req, reqlen, s, slen, eof, start, end, status, statuslen);
    case PROTO_MEMCACHED: return trace_memcached_response(req, reqlen, s, slen, start, end, status, statuslen);
    case PROTO_ECHO:
        if (slen < reqlen) return 0;
        *start = 0;
        *end = reqlen;
        snprintf(status, statuslen, "%s", memcmp(req, s, reqlen) ? "mismatch" : "ok");
        return 1;
    default: return -1;
    }
}
