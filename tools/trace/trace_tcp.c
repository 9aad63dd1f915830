/* trace_tcp.c - one direction of a TCP connection reassembled into a byte
 * stream (offsets from the first byte after the SYN, or from the first data
 * seen when the capture starts mid-connection), then at trace_finish the
 * streams handed to the protocol parsers and the transactions sorted. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "trace_priv.h"

static void append(struct trace_dir *d, const uint8_t *p, size_t n, int64_t ns, uint64_t frame)
{
    if (d->next + n > d->cap) {
        size_t cap = d->cap ? d->cap : 4096;
        while (cap < d->next + n) cap *= 2;
        d->buf = trace_xrealloc(d->buf, cap);
        d->cap = cap;
    }
    memcpy(d->buf + d->next, p, n);
    if (d->nchunks == d->chunkcap) {
        d->chunkcap = d->chunkcap ? d->chunkcap * 2 : 64;
        d->chunks = trace_xrealloc(d->chunks, d->chunkcap * sizeof *d->chunks);
    }
    d->chunks[d->nchunks++] = (struct trace_chunk){ d->next, ns, frame };
    d->next += n;
}

void trace_dir_segment(struct trace *t, int c, int dir, uint32_t seq, int syn, const uint8_t *data, size_t len,
                       int64_t ns, uint64_t frame)
{
    struct trace_dir *d = &t->priv->conns[c].d[dir];
    struct trace_flow *f = &t->flows[c];
    if (syn) {
        seq++;
        if (!d->have_base || (d->next == 0 && d->npend == 0)) {
            d->base = seq;
            d->have_base = 1;
        }
    }
    if (len == 0) return;
    f->bytes[dir] += len;
    if (!d->have_base) {
        d->base = seq;
        d->have_base = 1;
    }
    int64_t off = (int64_t)d->next + (int32_t)(seq - (uint32_t)(d->base + (uint32_t)d->next));
    if (off + (int64_t)len <= (int64_t)d->next) {
        f->retrans[dir]++;
        return;
    }
    if (off < (int64_t)d->next) {
        size_t skip = (size_t)((int64_t)d->next - off);
        data += skip;
        len -= skip;
        off = (int64_t)d->next;
        f->retrans[dir]++;
    }
    if ((uint64_t)off > d->next) {
        if ((uint64_t)off - d->next > TRACE_MAX_AHEAD) {
            trace_issue(t, "TCP segment far beyond the window", frame);
            return;
        }
        for (size_t i = 0; i < d->npend; i++)
            if (d->pend[i].off == (uint64_t)off && d->pend[i].len >= len) {
                f->retrans[dir]++;
                return;
            }
        f->ooo[dir]++;
        if (d->npend == d->pendcap) {
            d->pendcap = d->pendcap ? d->pendcap * 2 : 16;
            d->pend = trace_xrealloc(d->pend, d->pendcap * sizeof *d->pend);
        }
        uint8_t *copy = trace_xrealloc(NULL, len);
        memcpy(copy, data, len);
        d->pend[d->npend++] = (struct trace_pend){ (uint64_t)off, copy, len, frame };
        return;
    }
    append(d, data, len, ns, frame);
    /* Held segments the new bytes reach become in order now (at this time). */
    for (;;) {
        size_t best = d->npend;
        for (size_t i = 0; i < d->npend; i++)
            if (d->pend[i].off <= d->next && (best == d->npend || d->pend[i].off < d->pend[best].off)) best = i;
        if (best == d->npend) break;
        struct trace_pend p = d->pend[best];
        d->pend[best] = d->pend[--d->npend];
        if (p.off + p.len > d->next) {
            size_t skip = (size_t)(d->next - p.off);
            append(d, p.data + skip, p.len - skip, ns, p.frame);
        }
        free(p.data);
    }
}

int64_t trace_stream_ns(const struct trace_stream *s, uint64_t off, uint64_t *frame)
{
    size_t lo = 0, hi = s->nchunks;
    if (hi == 0) {
        if (frame) *frame = 0;
        return -1;
    }
    while (hi - lo > 1) {   /* the last chunk starting at or before off */
        size_t mid = (lo + hi) / 2;
        if (s->chunks[mid].off <= off) lo = mid;
        else hi = mid;
    }
    if (frame) *frame = s->chunks[lo].frame;
    return s->chunks[lo].ns;
}

struct trace_txn *trace_add_txn(struct trace *t)
{
    if (t->ntxns == t->priv->txncap) {
        t->priv->txncap = t->priv->txncap ? t->priv->txncap * 2 : 256;
        t->txns = trace_xrealloc(t->txns, t->priv->txncap * sizeof *t->txns);
    }
    struct trace_txn *x = &t->txns[t->ntxns];
    memset(x, 0, sizeof *x);
    x->resp_ns = -1;
    x->order = t->ntxns++;
    return x;
}

static int by_time(const void *a, const void *b)
{
    const struct trace_txn *x = a, *y = b;
    if (x->req_ns != y->req_ns) return x->req_ns < y->req_ns ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void stream_of(const struct trace_dir *d, struct trace_stream *s)
{
    s->data = d->buf;
    s->len = d->next;
    s->chunks = d->chunks;
    s->nchunks = d->nchunks;
    s->hole = d->npend > 0;
}

/* A capture that starts mid-connection may begin with the replies to
 * requests it does not hold: the server's bytes that came before the
 * client's first byte are set aside (reported). Returns the new chunk array
 * of s (malloc'd) when it changed. */
static struct trace_chunk *skip_early_replies(struct trace *t, struct trace_flow *f, const struct trace_stream *c,
                                              struct trace_stream *s)
{
    int64_t first = c->nchunks ? c->chunks[0].ns : INT64_MAX;
    size_t k = 0;
    while (k < s->nchunks && s->chunks[k].ns < first) k++;
    if (k == 0) return NULL;
    uint64_t skip = k < s->nchunks ? s->chunks[k].off : s->len;
    trace_issue(t, "bytes before the first request (capture started mid-connection)", s->chunks[0].frame);
    f->unparsed_bytes[1] += skip;
    struct trace_chunk *n = trace_xrealloc(NULL, (s->nchunks - k + 1) * sizeof *n);
    for (size_t i = k; i < s->nchunks; i++) {
        n[i - k] = s->chunks[i];
        n[i - k].off -= skip;
    }
    s->data += skip;
    s->len -= skip;
    s->chunks = n;
    s->nchunks -= k;
    return n;
}

void trace_flow_stream(const struct trace *t, int flow, int dir, struct trace_stream *s)
{
    stream_of(&t->priv->conns[flow].d[dir], s);
}

void trace_finish(struct trace *t)
{
    for (int c = 0; c < t->nflows; c++) {
        struct trace_flow *f = &t->flows[c];
        struct trace_stream st[2];
        for (int dir = 0; dir < 2; dir++) {
            struct trace_dir *d = &t->priv->conns[c].d[dir];
            if (d->npend) {
                size_t first = 0;
                for (size_t i = 1; i < d->npend; i++)
                    if (d->pend[i].off < d->pend[first].off) first = i;
                f->holes[dir]++;
                f->hole_bytes[dir] += d->pend[first].off - d->next;
                trace_issue(t, "hole in a TCP stream (segments missing)", d->pend[first].frame);
            }
            stream_of(d, &st[dir]);
        }
        f->proto = trace_sniff(f->port[1], st[0].data, (size_t)st[0].len);
        const uint8_t *s0 = st[1].data;
        struct trace_chunk *moved = f->syn ? NULL : skip_early_replies(t, f, &st[0], &st[1]);
        size_t first = t->ntxns;
        trace_match(t, c, f->proto, &st[0], &st[1]);
        for (size_t i = first; i < t->ntxns; i++)   /* offsets in the whole stream */
            t->txns[i].resp_off += (uint64_t)(st[1].data - s0);
        free(moved);
    }
    if (t->ntxns) qsort(t->txns, t->ntxns, sizeof *t->txns, by_time);
}
