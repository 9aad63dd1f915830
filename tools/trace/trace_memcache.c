/* trace_memcache.c - the memcached text protocol over a reassembled
 * connection. Requests: get/gets/gat/gats (reply: VALUE blocks then END;
 * status hit when a value came, else miss), set/add/replace/append/prepend/
 * cas (a data block follows; reply STORED, NOT_STORED, EXISTS, NOT_FOUND),
 * delete, incr/decr, touch, flush_all, verbosity, version, stats (lines up
 * to END), quit (no reply), the meta commands mg/ms/md/ma/mn/me (reply
 * VA+data, HD, EN, NS, EX, NF, MN, ME; mg's VA/HD is a hit, EN a miss),
 * and any other command line (the server answers ERROR). noreply and the
 * meta q flag: no reply is expected; a quiet meta command takes the next
 * reply only when it is one quiet mode still sends for that command (and
 * its O opaque, when both have one, is the same). ERROR, CLIENT_ERROR and
 * SERVER_ERROR answer any request and are errors. Lines end with \r\n (or
 * \n). Request type: the command word. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "trace_priv.h"

enum mkind { MK_NONE, MK_LINE, MK_GET, MK_LINES_END, MK_META };

#define MC_MAX_LINE 8192
#define MC_MAX_TOK 24

struct mline {
    uint64_t start, next;     /* line start, offset after its newline */
    int ntok;
    char tok[MC_MAX_TOK][48]; /* tokens, cut at 47 characters */
};

/* One line from off; 0 incomplete, -1 too long or binary, 1 ok. */
static int line(const uint8_t *p, uint64_t len, uint64_t off, struct mline *l)
{
    uint64_t max = len - off < MC_MAX_LINE ? len - off : MC_MAX_LINE;
    const uint8_t *nl = memchr(p + off, '\n', (size_t)max);
    if (!nl) return len - off >= MC_MAX_LINE ? -1 : 0;
    uint64_t e = (uint64_t)(nl - p);
    l->start = off;
    l->next = e + 1;
    if (e > off && p[e - 1] == '\r') e--;
    l->ntok = 0;
    for (uint64_t i = off; i < e;) {
        if (p[i] == ' ') {
            i++;
            continue;
        }
        size_t n = 0;
        for (; i < e && p[i] != ' '; i++) {
            if (p[i] < 0x20 || p[i] >= 0x7f) return -1;
            if (n < sizeof l->tok[0] - 1) l->tok[l->ntok < MC_MAX_TOK ? l->ntok : MC_MAX_TOK - 1][n++] = (char)p[i];
        }
        if (l->ntok < MC_MAX_TOK) l->tok[l->ntok++][n] = 0;
        else l->tok[MC_MAX_TOK - 1][n] = 0;
    }
    return 1;
}

static int is(const char *a, const char *b) { return !strcmp(a, b); }

/* Copies s into d (n bytes), cut to fit. */
static void scopy(char *d, size_t n, const char *s)
{
    size_t k = strlen(s);
    if (k >= n) k = n - 1;
    memcpy(d, s, k);
    d[k] = 0;
}

static long long number(const char *s)
{
    if (!*s || strlen(s) > 18) return -1;
    for (const char *q = s; *q; q++)
        if (!isdigit((unsigned char)*q)) return -1;
    return atoll(s);
}

/* The O opaque flag of a meta line ("" when none). */
static const char *opaque(const struct mline *l, int from)
{
    for (int i = from; i < l->ntok; i++)
        if (l->tok[i][0] == 'O') return l->tok[i] + 1;
    return "";
}

struct mreq {
    enum mkind kind;
    int quiet;
    char cmd[8], opaque[48];
};

/* Classifies a request line; sets *data to the length of the data block
 * that follows (-1 none); 0 when the line is not a request. */
static int request(const struct mline *l, struct mreq *r, long long *data)
{
    *data = -1;
    memset(r, 0, sizeof *r);
    if (l->ntok == 0) return 0;
    const char *c = l->tok[0];
    int nr = is(l->tok[l->ntok - 1], "noreply");
    scopy(r->cmd, sizeof r->cmd, strlen(c) < sizeof r->cmd ? c : "other");
    if (is(c, "get") || is(c, "gets") || is(c, "gat") || is(c, "gats")) {
        r->kind = MK_GET;
        return l->ntok >= 2;
    }
    if (is(c, "set") || is(c, "add") || is(c, "replace") || is(c, "append") || is(c, "prepend") || is(c, "cas")) {
        int need = is(c, "cas") ? 6 : 5;
        if (l->ntok < need) return 0;
        *data = number(l->tok[4]);
        r->kind = nr ? MK_NONE : MK_LINE;
        return *data >= 0;
    }
    if (is(c, "delete") || is(c, "incr") || is(c, "decr") || is(c, "touch") || is(c, "flush_all") ||
        is(c, "verbosity")) {
        r->kind = nr ? MK_NONE : MK_LINE;
        return 1;
    }
    if (is(c, "stats")) {
        r->kind = MK_LINES_END;
        return 1;
    }
    if (is(c, "quit")) {
        r->kind = MK_NONE;
        return 1;
    }
    if (c[0] == 'm' && strlen(c) == 2 && strchr("gsdanme", c[1])) {
        r->kind = MK_META;
        for (int i = 2; i < l->ntok; i++)
            if (is(l->tok[i], "q")) r->quiet = 1;
        scopy(r->opaque, sizeof r->opaque, opaque(l, 2));
        if (c[1] == 's') {
            if (l->ntok < 3) return 0;
            *data = number(l->tok[2]);
            return *data >= 0;
        }
        return c[1] == 'n' || l->ntok >= 2;
    }
    /* Anything else made of letters is a command the server may reject. */
    for (const char *q = c; *q; q++)
        if (!islower((unsigned char)*q) && *q != '_') return 0;
    snprintf(r->cmd, sizeof r->cmd, "other");
    r->kind = MK_LINE;
    return 1;
}

static int is_error(const char *w) { return is(w, "ERROR") || is(w, "CLIENT_ERROR") || is(w, "SERVER_ERROR"); }

/* Would quiet mode still send reply word w to command cmd? */
static int quiet_sends(const char *cmd, const char *w)
{
    if (is_error(w)) return 1;
    switch (cmd[1]) {
    case 'g': return is(w, "VA") || is(w, "HD");
    case 's': return is(w, "NS") || is(w, "EX") || is(w, "NF");
    case 'd': return is(w, "NF") || is(w, "EX");
    case 'a': return is(w, "NF") || is(w, "NS") || is(w, "EX") || is(w, "VA");
    default: return 0;
    }
}

/* Parses the reply to r from off. 1 with *end and status, 0 incomplete,
 * -1 malformed. */
static int reply(const struct trace_stream *s, uint64_t off, const struct mreq *r, uint64_t *end, char *status,
                 size_t slen, int *err)
{
    struct mline l;
    int hit = 0;
    *err = 0;
    for (;;) {
        int k = line(s->data, s->len, off, &l);
        if (k <= 0) return k;
        const char *w = l.ntok ? l.tok[0] : "";
        if (is_error(w)) {
            scopy(status, slen, w);
            *err = 1;
            *end = l.next;
            return 1;
        }
        if (r->kind == MK_GET || r->kind == MK_LINES_END) {
            if (is(w, "END")) {
                snprintf(status, slen, "%s", r->kind == MK_GET ? (hit ? "hit" : "miss") : "END");
                *end = l.next;
                return 1;
            }
            if (r->kind == MK_GET) {
                long long n = l.ntok >= 4 && is(w, "VALUE") ? number(l.tok[3]) : -1;
                if (n < 0) return -1;
                if (s->len - l.next < (uint64_t)n + 2) return 0;
                off = l.next + (uint64_t)n;
                if (s->data[off] == '\r') off++;
                if (s->data[off] != '\n') return -1;
                off++;
                hit = 1;
            } else {
                if (!is(w, "STAT") && !is(w, "ITEM")) return -1;
                off = l.next;
            }
            continue;
        }
        if (r->kind == MK_META && is(w, "VA")) {
            long long n = l.ntok >= 2 ? number(l.tok[1]) : -1;
            if (n < 0) return -1;
            if (s->len - l.next < (uint64_t)n + 1) return 0;
            off = l.next + (uint64_t)n;
            if (off < s->len && s->data[off] == '\r') off++;
            if (off >= s->len) return 0;
            if (s->data[off] != '\n') return -1;
            *end = off + 1;
        } else {
            if (l.ntok == 0) return -1;
            *end = l.next;
        }
        if (r->kind == MK_META && is(r->cmd, "mg")) snprintf(status, slen, "%s", is(w, "EN") ? "miss" : "hit");
        else if (number(w) >= 0) snprintf(status, slen, "value");
        else scopy(status, slen, w);
        return 1;
    }
}

void trace_match_memcached(struct trace *t, int flow, const struct trace_stream *c, const struct trace_stream *s)
{
    struct trace_flow *f = &t->flows[flow];
    uint64_t co = 0, so = 0;
    int server_bad = 0;
    struct mline l;
    struct mreq r;
    long long data;
    while (co < c->len) {
        int k = line(c->data, c->len, co, &l);
        if (k > 0 && !request(&l, &r, &data)) k = -1;
        uint64_t end = k > 0 ? l.next : 0;
        if (k > 0 && data >= 0) {
            if (c->len - l.next < (uint64_t)data + 2) k = 0;
            else {
                end = l.next + (uint64_t)data;
                if (c->data[end] == '\r') end++;
                if (c->data[end] != '\n') k = -1;
                end++;
            }
        }
        if (k <= 0) {
            uint64_t fr;
            trace_stream_ns(c, co, &fr);
            if (k < 0 || !c->hole) trace_issue(t, k < 0 ? "memcached: unparsable request" : "memcached: incomplete request at the end", fr);
            f->unparsed_bytes[0] += c->len - co;
            break;
        }
        struct trace_txn *x = trace_add_txn(t);
        x->flow = flow;
        x->type = trace_type(t, r.cmd);
        x->req_ns = trace_stream_ns(c, co, &x->frame);
        x->req_bytes = end - co;
        x->req_off = co;
        f->requests++;
        co = end;
        if (r.kind == MK_NONE || server_bad) {
            snprintf(x->status, sizeof x->status, r.kind != MK_NONE ? "none" : is(r.cmd, "quit") ? "quit" : "noreply");
            x->error = r.kind != MK_NONE;
            continue;
        }
        if (r.quiet) {
            struct mline nl;
            if (line(s->data, s->len, so, &nl) <= 0 || nl.ntok == 0 || !quiet_sends(r.cmd, nl.tok[0]) ||
                (r.opaque[0] && *opaque(&nl, 1) && strcmp(r.opaque, opaque(&nl, 1)))) {
                snprintf(x->status, sizeof x->status, "quiet");
                continue;
            }
        }
        uint64_t rend;
        int err;
        int k2 = so < s->len ? reply(s, so, &r, &rend, x->status, sizeof x->status, &err) : 0;
        if (k2 <= 0) {
            if (k2 < 0 || (so < s->len && !s->hole)) {
                uint64_t fr;
                trace_stream_ns(s, so, &fr);
                trace_issue(t, k2 < 0 ? "memcached: unparsable reply" : "memcached: incomplete reply at the end", fr);
                f->unparsed_bytes[1] += s->len - so;
                so = s->len;
            }
            server_bad = 1;
            snprintf(x->status, sizeof x->status, "none");
            x->error = 1;
            continue;
        }
        x->resp_ns = trace_stream_ns(s, rend - 1, NULL);
        x->resp_bytes = rend - so;
        x->resp_off = so;
        x->error = err;
        f->responses++;
        so = rend;
    }
    if (so < s->len) {
        uint64_t fr;
        trace_stream_ns(s, so, &fr);
        trace_issue(t, "memcached: reply without a request", fr);
        f->unparsed_bytes[1] += s->len - so;
    }
}

int trace_memcached_response(const uint8_t *req, size_t reqlen, const uint8_t *s, size_t slen, uint64_t *start,
                             uint64_t *end, char *status, size_t statuslen)
{
    struct mline l;
    struct mreq r;
    long long data;
    if (line(req, reqlen, 0, &l) <= 0 || !request(&l, &r, &data)) return -1;
    *start = *end = 0;
    if (r.kind == MK_NONE) {
        snprintf(status, statuslen, "%s", is(r.cmd, "quit") ? "quit" : "noreply");
        return 1;
    }
    if (r.quiet) {
        struct mline nl;
        int k = line(s, slen, 0, &nl);
        if (k <= 0) return k;
        if (nl.ntok == 0 || !quiet_sends(r.cmd, nl.tok[0]) ||
            (r.opaque[0] && *opaque(&nl, 1) && strcmp(r.opaque, opaque(&nl, 1)))) {
            snprintf(status, statuslen, "quiet");
            return 1;
        }
    }
    struct trace_stream st = { s, slen, NULL, 0, 0 };
    int err;
    if (slen == 0) return 0;
    return reply(&st, 0, &r, end, status, statuslen, &err);
}
