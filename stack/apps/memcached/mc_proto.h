/* mc_proto.h - memcached's text protocol (and its meta commands mg, ms,
 * md, ma, mn) as memcached 1.6 speaks it, over a byte stream, one instance
 * per connection: get, gets, gat, gats (several keys), set, add, replace,
 * append, prepend, cas, delete, incr, decr, touch, flush_all, version,
 * stats, verbosity, quit, noreply; memcached's limits and error lines.
 *
 * Incremental: mc_conn_feed takes whatever bytes arrived (pipelined
 * commands, a command line or a data block split anywhere) and never reads
 * past them. Replies go to the caller's output (mc_out_t): small ones are
 * gathered in the connection's buffer and handed over at the end of a feed
 * (or when it fills); a value too large for it goes out in pieces of
 * MC_PIECE bytes, from the item (referenced meanwhile), before anything
 * that follows it. When the output has no room the feed stops (MC_BLOCKED)
 * where it can resume: the caller feeds again from *used with the same
 * bytes, after room was made. A get or gets line of any length is served
 * (as memcached's, which grows its read buffer for them): once it overflows
 * the line buffer its keys are answered as they arrive. Store accesses
 * lock the store (mc_store.h). */
#ifndef DL_APPS_MC_PROTO_H
#define DL_APPS_MC_PROTO_H

#include <stdint.h>

#include "mc_store.h"

#define MC_LINE_MAX   8192u  /* a line split across reads; a get line longer is answered as it comes */
#define MC_LINE_JUNK  2048u  /* memcached: an unfinished line this long that is not a get is junk */
#define MC_RBUF       16384u /* memcached's read buffer: a line longer that is not a get is junk */
#define MC_OBUF       4096u  /* small replies gathered per connection */
#define MC_REPLY_MAX  1024u  /* the longest reply line but stats and values */
#define MC_PIECE      16384u /* a value larger than the reply buffer goes out in reservations of this */

typedef struct mc_out {
    void *ctx;
    /* len bytes of contiguous output space, or NULL when there is none now */
    uint8_t *(*reserve)(void *ctx, uint32_t len);
    /* sends the first len (1 .. reserved) bytes of the last reservation */
    void (*commit)(void *ctx, uint8_t *p, uint32_t len);
} mc_out_t;

enum { MC_OK = 0, MC_BLOCKED = 1, MC_CLOSE = 2 };

typedef struct mc_conn {
    mc_store_t *st;
    mc_out_t out;
    uint64_t now_ns;
    uint32_t state;          /* MC_S_* (mc_proto.c) */
    uint32_t llen;           /* bytes of an unfinished line in line[] */
    uint32_t line_ready;     /* line[] holds a line (1) or a long get line's keys (2) not yet done */
    uint32_t stream;         /* line[] holds the rest of a get line whose first keys were answered */
    uint32_t skip_end;       /* MC_S_SKIP: END once the line's newline is read */
    uint32_t resume;         /* keys of a blocked retrieval already answered */
    uint32_t noreply;
    /* a data block being read (set, ..., ms) */
    mc_item_t *it;
    uint32_t want, got;
    int cmd, mset;
    uint64_t swallow;        /* bytes of a refused data block still to skip */
    mc_item_t *sit;          /* a value being sent, referenced (mc_store_ref) */
    uint32_t soff, slen;
    uint32_t mret_len;       /* ms: the return flags asked for, in order */
    char mret[64];
    int mset_bin;            /* ms: its key was given in base64 */
    char bkey[MC_KEY_MAX];   /* a meta command's key decoded from base64 (flag b) */
    uint32_t olen;
    uint8_t obuf[MC_OBUF];
    char line[MC_LINE_MAX + 1];
} mc_conn_t;

void mc_conn_init(mc_conn_t *c, mc_store_t *st, const mc_out_t *out);
/* Takes bytes [in, in+len) at the caller's time now_ns: *used of them were
 * taken. MC_OK: all taken and answered; MC_BLOCKED: the output had no room,
 * feed again from in + *used (also with len 0 when all were taken);
 * MC_CLOSE: quit, or a line memcached would drop the connection for, once
 * the replies before it went out: close the connection. */
int  mc_conn_feed(mc_conn_t *c, const uint8_t *in, uint32_t len, uint64_t now_ns, uint32_t *used);
/* The connection is gone: frees what it held in the store. */
void mc_conn_end(mc_conn_t *c, uint64_t now_ns);

#endif
