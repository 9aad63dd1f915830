/* trace_priv.h - the trace library's internals: per-direction reassembly
 * state and the connection table (not for the tools). */
#ifndef DL_TRACE_TRACE_PRIV_H
#define DL_TRACE_TRACE_PRIV_H

#include "trace.h"

#define TRACE_MAX_TYPES 512
/* Segments further than this ahead of the next expected byte are not
 * believed (a corrupt sequence number, not a hole). */
#define TRACE_MAX_AHEAD (64u << 20)

struct trace_pend {
    uint64_t off;
    uint8_t *data;
    size_t len;
    uint64_t frame;
};

struct trace_dir {
    int have_base;
    uint32_t base;                 /* sequence number of stream offset 0 */
    uint64_t next;                 /* next expected offset = bytes in order */
    uint8_t *buf;
    size_t cap;
    struct trace_chunk *chunks;
    size_t nchunks, chunkcap;
    struct trace_pend *pend;       /* held out-of-order segments */
    size_t npend, pendcap;
};

struct trace_conn {
    struct trace_dir d[2];
};

struct trace_priv {
    struct trace_conn *conns;
    int ccap;
    int *hash;
    size_t hcap;
    size_t txncap;
};

void *trace_xrealloc(void *p, size_t n);
void trace_rehash(struct trace *t);
int trace_type_other(struct trace *t);
void trace_dir_segment(struct trace *t, int c, int dir, uint32_t seq, int syn, const uint8_t *data, size_t len,
                       int64_t ns, uint64_t frame);
void trace_match_http(struct trace *t, int flow, const struct trace_stream *c, const struct trace_stream *s);
void trace_match_memcached(struct trace *t, int flow, const struct trace_stream *c, const struct trace_stream *s);
int trace_http_response(const uint8_t *req, size_t reqlen, const uint8_t *s, size_t slen, int eof, uint64_t *start,
                        uint64_t *end, char *status, size_t statuslen);
int trace_memcached_response(const uint8_t *req, size_t reqlen, const uint8_t *s, size_t slen, uint64_t *start,
                             uint64_t *end, char *status, size_t statuslen);
/* Appends a transaction (the parsers; earlier pointers into t->txns may
 * move). */
struct trace_txn *trace_add_txn(struct trace *t);

#endif
