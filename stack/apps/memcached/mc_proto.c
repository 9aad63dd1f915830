/* mc_proto.c - memcached's text and meta protocol over a byte stream
 * (mc_proto.h). The command dispatch, token rules, noreply handling and
 * error lines follow memcached 1.6's proto_text.c: a line is split at
 * spaces into at most 23 tokens (the rest stays for get's keys), "noreply"
 * as the last token silences the reply (errors of the meta commands are
 * always sent), numbers are read as memcached's safe_strto* read them. */
#include "mc_proto.h"

#include <stddef.h>
#include <string.h>

enum { MC_S_LINE = 0, MC_S_DATA, MC_S_SWALLOW, MC_S_CLOSED, MC_S_SKIP /* the rest of a line */ };

#define MAX_TOKENS      24
#define MFLAG_MAX_OPT   20
#define MFLAG_MAX_OPAQUE 32

static const char BCF[] = "CLIENT_ERROR bad command line format";

typedef struct tok { const char *p; uint32_t n; } tok_t;

/* ---- output ---------------------------------------------------------------- */

static int flush(mc_conn_t *c)
{
    if (!c->olen) return 1;
    uint8_t *p = c->out.reserve(c->out.ctx, c->olen);
    if (!p) return 0;
    memcpy(p, c->obuf, c->olen);
    c->out.commit(c->out.ctx, p, c->olen);
    c->olen = 0;
    return 1;
}

/* Appends to the reply buffer (room for MC_REPLY_MAX is ensured before
 * every command). */
static void put(mc_conn_t *c, const void *s, uint32_t n)
{
    if (c->olen + n > MC_OBUF) n = MC_OBUF - c->olen;   /* cannot happen: see MC_REPLY_MAX */
    memcpy(c->obuf + c->olen, s, n);
    c->olen += n;
}

static void put_line(mc_conn_t *c, const char *s)
{
    put(c, s, (uint32_t)strlen(s));
    put(c, "\r\n", 2);
}

/* memcached's out_string: silenced (once) by noreply. */
static void reply(mc_conn_t *c, const char *s)
{
    if (c->noreply) {
        c->noreply = 0;
        return;
    }
    put_line(c, s);
}

/* memcached's out_errstring: always sent. */
static void reply_err(mc_conn_t *c, const char *s)
{
    c->noreply = 0;
    put_line(c, s);
}

/* A value reply: head (a line) then the item's data (dlen bytes, 0: the
 * head only). 0: the output has no room (nothing was written); 1: written;
 * 2: the head was written and the data is being sent (c->sit): what
 * follows must wait for it. Called with the store locked. */
static int put_value(mc_conn_t *c, const char *head, uint32_t hlen, mc_item_t *it, uint32_t dlen)
{
    uint32_t total = hlen + dlen;
    if (c->olen + total > MC_OBUF) {
        if (!flush(c)) return 0;
    }
    if (total <= MC_OBUF) {
        put(c, head, hlen);
        put(c, mc_item_data(it), dlen);
        return 1;
    }
    put(c, head, hlen);   /* the buffer is empty: flushed above */
    if (!flush(c)) {
        c->olen = 0;
        return 0;
    }
    mc_store_ref(c->st, it);
    c->sit = it;
    c->soff = 0;
    c->slen = dlen;
    return 2;
}

/* Sends the rest of the value being sent; 0: the output has no room. */
static int send_value(mc_conn_t *c)
{
    while (c->soff < c->slen) {
        uint32_t n = c->slen - c->soff < MC_PIECE ? c->slen - c->soff : MC_PIECE;
        uint8_t *p = c->out.reserve(c->out.ctx, n);
        if (!p) return 0;
        memcpy(p, mc_item_data(c->sit) + c->soff, n);   /* referenced: unchanged without the lock */
        c->out.commit(c->out.ctx, p, n);
        c->soff += n;
    }
    mc_store_lock(c->st, c->now_ns);
    mc_store_release(c->st, c->sit);
    mc_store_unlock(c->st);
    c->sit = NULL;
    return 1;
}

/* ---- tokens ------------------------------------------------------------------ */

/* memcached's tokenize_command: returns ntokens (the terminal one counted);
 * *rest: what follows the 23rd token, or NULL. */
static uint32_t tokenize(const char *s, uint32_t len, tok_t *t, const char **rest)
{
    uint32_t n = 0, start = 0, i = 0;
    for (; i < len; i++) {
        if (s[i] != ' ') continue;
        if (start != i) {
            t[n].p = s + start;
            t[n].n = i - start;
            n++;
            if (n == MAX_TOKENS - 1) {
                i++;
                start = i;
                break;
            }
        }
        start = i + 1;
    }
    if (start < i) {
        t[n].p = s + start;
        t[n].n = i - start;
        n++;
    }
    *rest = i < len ? s + i : NULL;
    t[n].p = *rest;
    t[n].n = 0;
    return n + 1;
}

static int tok_is(const tok_t *t, const char *s)
{
    size_t n = strlen(s);
    return t->n == n && memcmp(t->p, s, n) == 0;
}

/* memcached's set_noreply_maybe */
static void noreply_maybe(mc_conn_t *c, const tok_t *t, uint32_t ntok)
{
    if (t[ntok - 2].p && tok_is(&t[ntok - 2], "noreply")) c->noreply = 1;
}

static char *put_u(char *p, uint64_t v) { return mc_utoa(v, p); }
static char *put_s(char *p, const char *s, uint32_t n) { memcpy(p, s, n); return p + n; }

/* ---- base64 keys (meta flag b), as memcached's base64.c reads them --------- */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_val(char ch)
{
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    return ch == '+' ? 62 : ch == '/' ? 63 : ch == '=' ? 0 : -1;
}

/* Decodes [s, s+n) into out (cap bytes): characters outside the alphabet
 * are skipped, the others must be a non-zero multiple of 4, at most two
 * '=' end it. Returns the bytes, 0 when it is not base64. */
static uint32_t b64_decode(const char *s, uint32_t n, char *out, uint32_t cap)
{
    uint32_t count = 0, o = 0, k = 0, pad = 0;
    for (uint32_t i = 0; i < n; i++) count += b64_val(s[i]) >= 0;
    if (count == 0 || count % 4 || count / 4 * 3 > cap) return 0;
    uint8_t b[4];
    for (uint32_t i = 0; i < n; i++) {
        int v = b64_val(s[i]);
        if (v < 0) continue;
        pad += s[i] == '=';
        b[k++] = (uint8_t)v;
        if (k < 4) continue;
        out[o++] = (char)(b[0] << 2 | b[1] >> 4);
        out[o++] = (char)(b[1] << 4 | b[2] >> 2);
        out[o++] = (char)(b[2] << 6 | b[3]);
        k = 0;
        if (pad) {
            if (pad > 2) return 0;
            o -= pad;
            break;
        }
    }
    return o;
}

/* " k<key>", in base64 and followed by " b" when it was given so. */
static char *put_key(char *p, const char *key, uint32_t n, int bin)
{
    p = put_s(p, " k", 2);
    if (!bin) return put_s(p, key, n);
    const uint8_t *k = (const uint8_t *)key;
    uint32_t i = 0;
    for (; i + 3 <= n; i += 3) {
        *p++ = B64[k[i] >> 2];
        *p++ = B64[(k[i] & 3) << 4 | k[i + 1] >> 4];
        *p++ = B64[(k[i + 1] & 15) << 2 | k[i + 2] >> 6];
        *p++ = B64[k[i + 2] & 63];
    }
    if (i < n) {
        *p++ = B64[k[i] >> 2];
        if (i + 1 == n) {
            *p++ = B64[(k[i] & 3) << 4];
            *p++ = '=';
        } else {
            *p++ = B64[(k[i] & 3) << 4 | k[i + 1] >> 4];
            *p++ = B64[(k[i + 1] & 15) << 2];
        }
        *p++ = '=';
    }
    return put_s(p, " b", 2);
}

/* ---- retrieval ------------------------------------------------------------------ */

/* The keys [p, end) of a get, gets, gat or gats (and bget): every
 * space-separated word; cas: gets, gats; touch: gat, gats (exptime e);
 * last: the line's end (END follows), else a part of a long get line
 * (stream_chunk). 0: answered; 1: blocked (c->resume says where to go on);
 * 2: a key over 250 bytes, answered by the error alone. */
static int get_keys(mc_conn_t *c, const char *p, const char *end, int cas, int touch, int32_t e, int last)
{
    mc_store_t *st = c->st;
    mc_store_stats_t *ss = mc_store_stats(st);
    for (const char *q = p; q < end;) {
        while (q < end && *q == ' ') q++;
        const char *k = q;
        while (q < end && *q != ' ') q++;
        if (q - k > (long)MC_KEY_MAX) {
            /* memcached answers only the error, and drops the replies it
             * had not sent yet (conn_release_items): those gathered in this
             * feed here */
            c->olen = 0;
            reply(c, BCF);
            return 2;
        }
    }
    uint32_t idx = 0;
    char head[MC_KEY_MAX + 64];
    mc_store_lock(st, c->now_ns);
    uint32_t exptime = touch ? mc_store_realtime(st, e) : 0;
    for (const char *q = p; q < end;) {
        while (q < end && *q == ' ') q++;
        const char *k = q;
        while (q < end && *q != ' ') q++;
        uint32_t nk = (uint32_t)(q - k);
        if (!nk) break;
        if (idx++ < c->resume) continue;
        mc_item_t *it = mc_store_get(st, k, nk, 1);
        int pv = 0;
        if (it) {
            char *h = put_s(head, "VALUE ", 6);
            h = put_s(h, mc_item_key(it), it->nkey);
            *h++ = ' ';
            h = put_u(h, it->flags);
            *h++ = ' ';
            h = put_u(h, it->nbytes - 2);
            if (cas) {
                *h++ = ' ';
                h = put_u(h, it->cas);
            }
            h = put_s(h, "\r\n", 2);
            pv = put_value(c, head, (uint32_t)(h - head), it, it->nbytes);
            if (!pv) {
                mc_store_unlock(st);
                c->resume = idx - 1;
                return 1;
            }
            if (touch) {
                it->exptime = exptime;
                ss->cmd_touch++;
                ss->touch_hits++;
            } else {
                ss->cmd_get++;
                ss->get_hits++;
            }
        } else if (touch) {
            ss->cmd_touch++;
            ss->touch_misses++;
        } else {
            ss->cmd_get++;
            ss->get_misses++;
        }
        if (it && pv == 2) {   /* the rest of the keys after this value */
            mc_store_unlock(st);
            c->resume = idx;
            return 1;
        }
        if (c->olen + MC_REPLY_MAX > MC_OBUF && !flush(c)) {
            mc_store_unlock(st);
            c->resume = idx;
            return 1;
        }
    }
    mc_store_unlock(st);
    c->resume = 0;
    if (last) put(c, "END\r\n", 5);
    return 0;
}

/* get, gets, gat, gats (and bget) of a whole line: keys from the tokens
 * after the first (gat: after the exptime). 1: blocked. */
static int do_get(mc_conn_t *c, const char *line, uint32_t len, const tok_t *t, int cas, int touch)
{
    int32_t e = 0;
    if (touch && !mc_strtol(t[1].p, t[1].n, &e)) {
        reply(c, "CLIENT_ERROR invalid exptime argument");
        return 0;
    }
    const char *p = t[touch ? 2 : 1].p, *end = line + len;
    return get_keys(c, p ? p : end, end, cas, touch, e, 1) == 1;
}

/* ---- storage ------------------------------------------------------------------- */

/* Allocation failed: the error, the data block skipped, a SET's old value
 * removed (memcached: no stale data after a failed set). */
static void alloc_failed(mc_conn_t *c, int err, const char *key, uint32_t nkey, int unlink, uint32_t vlen, int meta)
{
    mc_store_stats_t *ss = mc_store_stats(c->st);
    const char *msg = err == MC_ALLOC_TOO_LARGE ? "SERVER_ERROR object too large for cache"
                                                : "SERVER_ERROR out of memory storing object";
    if (err == MC_ALLOC_TOO_LARGE) ss->store_too_large++; else ss->store_no_memory++;
    if (unlink && nkey <= MC_KEY_MAX) {
        mc_item_t *old = mc_store_get(c->st, key, nkey, 0);
        if (old) mc_store_unlink(c->st, old);
    }
    if (meta) reply_err(c, msg); else reply(c, msg);
    c->swallow = vlen;
    c->state = MC_S_SWALLOW;
}

/* set, add, replace, append, prepend, cas */
static void do_update(mc_conn_t *c, const tok_t *t, uint32_t ntok, int cmd)
{
    noreply_maybe(c, t, ntok);
    if (t[1].n > MC_KEY_MAX) { reply(c, BCF); return; }
    uint32_t flags;
    int32_t e, vlen;
    uint64_t req_cas = 0;
    if (!(mc_strtoul(t[2].p, t[2].n, &flags) && mc_strtol(t[3].p, t[3].n, &e) && mc_strtol(t[4].p, t[4].n, &vlen))) {
        reply(c, BCF);
        return;
    }
    if (cmd == MC_CMD_CAS && !mc_strtoull(t[5].p, t[5].n, &req_cas)) { reply(c, BCF); return; }
    if (vlen < 0 || vlen > 0x7fffffff - 2) { reply(c, BCF); return; }
    vlen += 2;
    mc_store_lock(c->st, c->now_ns);
    int err;
    mc_item_t *it = mc_store_alloc(c->st, t[1].p, t[1].n, flags, mc_store_realtime(c->st, e), (uint32_t)vlen, &err);
    if (!it) alloc_failed(c, err, t[1].p, t[1].n, cmd == MC_CMD_SET, (uint32_t)vlen, 0);
    mc_store_unlock(c->st);
    if (!it) return;
    it->cas = req_cas;
    c->it = it;
    c->want = (uint32_t)vlen;
    c->got = 0;
    c->cmd = cmd;
    c->mset = 0;
    c->state = MC_S_DATA;
}

/* ms: the stashed return flags and the status. */
static void mset_reply(mc_conn_t *c, int ret, mc_item_t *it, uint64_t cas, const char *key, uint32_t nkey)
{
    static const char *const code[] = { "HD", "NS", "EX", "NF" };
    char line[MC_REPLY_MAX];
    char *p = put_s(line, code[ret], 2);
    (void)it;
    for (uint32_t i = 0; i < c->mret_len; i++) {
        char f = c->mret[i];
        if (f == 'O') {
            *p++ = ' ';
            while (i < c->mret_len && c->mret[i] != ' ') *p++ = c->mret[i++];
        } else if (f == 'k') {
            p = put_key(p, key, nkey, c->mset_bin);
        } else if (f == 'c') {
            p = put_s(p, " c", 2);
            p = put_u(p, cas);
        }
    }
    p = put_s(p, "\r\n", 2);
    if (ret == MC_STORED && c->noreply) {
        c->noreply = 0;
        return;
    }
    c->noreply = 0;
    put(c, line, (uint32_t)(p - line));
}

/* The data block is complete: store it. */
static void nread_done(mc_conn_t *c)
{
    mc_item_t *it = c->it;
    c->it = NULL;
    c->state = MC_S_LINE;
    mc_store_lock(c->st, c->now_ns);
    mc_store_stats(c->st)->cmd_set++;
    const char *d = mc_item_data(it) + it->nbytes - 2;
    if (d[0] != '\r' || d[1] != '\n') {
        mc_store_free(c->st, it);
        mc_store_unlock(c->st);
        if (c->mset) c->noreply = 0;
        reply(c, "CLIENT_ERROR bad data chunk");
        return;
    }
    char key[MC_KEY_MAX];
    uint32_t nkey = it->nkey;
    memcpy(key, mc_item_key(it), nkey);
    uint64_t cas = 0;
    int ret = mc_store_item(c->st, it, c->cmd, &cas);
    mc_store_unlock(c->st);
    if (c->mset) {
        mset_reply(c, ret, it, cas, key, nkey);
        return;
    }
    static const char *const text[] = { "STORED", "NOT_STORED", "EXISTS", "NOT_FOUND" };
    reply(c, text[ret]);
}

/* ---- meta commands ------------------------------------------------------------ */

typedef struct mflags {
    int error, value, no_update, no_reply, has_cas, new_ttl, locked, stale, key_binary;
    char mode;
    int32_t ttl;
    uint32_t client_flags;
    uint64_t req_cas, delta;
    const char *errstr;
} mflags_t;

/* memcached's _meta_flag_preparse; b decodes the key (t[1]) into kbuf.
 * Flags of memcached this engine does not implement (N: vivify, R:
 * recache) are invalid here. */
static int meta_preparse(tok_t *t, uint32_t start, mflags_t *of, char *kbuf)
{
    uint8_t seen[127] = { 0 };
    for (uint32_t i = start; t[i].n; i++) {
        uint8_t o = (uint8_t)t[i].p[0];
        if (o >= 127 || seen[o]) {
            of->errstr = "CLIENT_ERROR duplicate flag";
            return -1;
        }
        seen[o] = 1;
        uint64_t u;
        switch (o) {
        case 'b':
            t[1].n = b64_decode(t[1].p, t[1].n, kbuf, MC_KEY_MAX);
            t[1].p = kbuf;
            if (!t[1].n) {
                of->errstr = "CLIENT_ERROR error decoding key";
                of->error = 1;
            }
            of->key_binary = 1;
            break;
        case 'T':
            of->locked = 1;
            if (!mc_strtol(t[i].p + 1, t[i].n - 1, &of->ttl)) {
                of->errstr = "CLIENT_ERROR bad token in command line format";
                of->error = 1;
            } else {
                of->new_ttl = 1;
            }
            break;
        case 'l': case 'h': of->locked = 1; break;
        case 'O': case 'P': case 'L': case 'k': case 's': case 't': case 'c': case 'f': break;
        case 'v': of->value = 1; break;
        case 'u': of->no_update = 1; break;
        case 'q': of->no_reply = 1; break;
        case 'F':
            if (!mc_strtoul(t[i].p + 1, t[i].n - 1, &of->client_flags)) of->error = 1;
            break;
        case 'C':
            if (!mc_strtoull(t[i].p + 1, t[i].n - 1, &of->req_cas)) {
                of->errstr = "CLIENT_ERROR bad token in command line format";
                of->error = 1;
            } else {
                of->has_cas = 1;
            }
            break;
        case 'M':
            if (t[i].n != 2) {
                of->errstr = "CLIENT_ERROR incorrect length for M token";
                of->error = 1;
            } else {
                of->mode = t[i].p[1];
            }
            break;
        case 'J':
            if (!mc_strtoull(t[i].p + 1, t[i].n - 1, &u)) {
                of->errstr = "CLIENT_ERROR invalid numeric initial value";
                of->error = 1;
            }
            break;
        case 'D':
            if (!mc_strtoull(t[i].p + 1, t[i].n - 1, &of->delta)) {
                of->errstr = "CLIENT_ERROR invalid numeric delta value";
                of->error = 1;
            }
            break;
        case 'I': of->stale = 1; break;
        default:
            of->errstr = "CLIENT_ERROR invalid flag";
            return -1;
        }
    }
    return of->error ? -1 : 0;
}

/* " O<opaque>" and " k<key>" of a reply; 0: an opaque too long. */
static int meta_ok_k(char **pp, const tok_t *t, const char *key, uint32_t nkey, int bin)
{
    char *p = *pp;
    for (uint32_t i = 2; t[i].n; i++) {
        if (t[i].p[0] == 'O') {
            if (t[i].n > MFLAG_MAX_OPAQUE) return 0;
            *p++ = ' ';
            p = put_s(p, t[i].p, t[i].n);
        } else if (t[i].p[0] == 'k') {
            p = put_key(p, key, nkey, bin);
        }
    }
    *pp = p;
    return 1;
}

/* mg; 1: blocked on the output. */
static int do_mget(mc_conn_t *c, tok_t *t, uint32_t ntok)
{
    if (c->resume) {   /* its value went out (put_value 2) */
        c->resume = 0;
        return 0;
    }
    if (ntok < 3) { reply(c, "ERROR"); return 0; }
    if (t[1].n > MC_KEY_MAX) { reply_err(c, BCF); return 0; }
    if (ntok > MFLAG_MAX_OPT) { reply_err(c, "CLIENT_ERROR options flags are too long"); return 0; }
    mflags_t of = { .errstr = BCF };
    if (meta_preparse(t, 2, &of, c->bkey)) { reply_err(c, of.errstr); return 0; }
    mc_store_t *st = c->st;
    mc_store_stats_t *ss = mc_store_stats(st);
    char line[MC_REPLY_MAX];
    char *p = line;
    mc_store_lock(st, c->now_ns);
    mc_item_t *it = mc_store_get(st, t[1].p, t[1].n, !of.locked && !of.no_update);
    if (it) {
        uint32_t now = mc_store_now(st);
        int ttl_set = 0;
        if (of.value) {
            p = put_s(p, "VA ", 3);
            p = put_u(p, it->nbytes - 2);
        } else {
            p = put_s(p, "HD", 2);
        }
        uint32_t old_exptime = it->exptime;
        for (uint32_t i = 2; i < ntok - 1; i++) {
            switch (t[i].p[0]) {
            case 'T': ttl_set = 1; it->exptime = mc_store_realtime(st, of.ttl); break;
            case 's': p = put_s(p, " s", 2); p = put_u(p, it->nbytes - 2); break;
            case 't':
                p = put_s(p, " t", 2);
                if (it->exptime == 0) p = put_s(p, "-1", 2);
                else p = put_u(p, (uint32_t)(it->exptime - now));
                break;
            case 'c': p = put_s(p, " c", 2); p = put_u(p, it->cas); break;
            case 'f': p = put_s(p, " f", 2); p = put_u(p, it->flags); break;
            case 'l': p = put_s(p, " l", 2); p = put_u(p, (uint32_t)(now - it->time)); break;
            case 'h': p = put_s(p, it->fetched ? " h1" : " h0", 3); break;
            case 'O':
                if (t[i].n > MFLAG_MAX_OPAQUE) {
                    mc_store_unlock(st);
                    reply_err(c, "CLIENT_ERROR opaque token too long");
                    return 0;
                }
                *p++ = ' ';
                p = put_s(p, t[i].p, t[i].n);
                break;
            case 'k': p = put_key(p, mc_item_key(it), it->nkey, it->kbin); break;
            }
        }
        p = put_s(p, "\r\n", 2);
        int pv = put_value(c, line, (uint32_t)(p - line), it, of.value ? it->nbytes : 0);
        if (!pv) {
            it->exptime = old_exptime;   /* done again when resumed */
            mc_store_unlock(st);
            return 1;
        }
        if (of.locked && !of.no_update) mc_store_get(st, t[1].p, t[1].n, 1);   /* the delayed bump */
        if (ttl_set) { ss->cmd_touch++; ss->touch_hits++; }
        else { ss->cmd_get++; ss->get_hits++; }
        mc_store_unlock(st);
        c->noreply = 0;
        if (pv == 2) {   /* done once the value is out: the line is run again to pass it */
            c->resume = 1;
            return 1;
        }
        return 0;
    }
    ss->cmd_get++;
    ss->get_misses++;
    mc_store_unlock(st);
    p = put_s(p, "EN", 2);
    if (!meta_ok_k(&p, t, t[1].p, t[1].n, of.key_binary)) {
        reply_err(c, "CLIENT_ERROR opaque token too long");
        return 0;
    }
    p = put_s(p, "\r\n", 2);
    if (!of.no_reply) put(c, line, (uint32_t)(p - line));
    return 0;
}

/* ms */
static void do_mset(mc_conn_t *c, tok_t *t, uint32_t ntok)
{
    if (ntok < 3) { reply(c, "ERROR"); return; }
    if (t[1].n > MC_KEY_MAX || ntok == 3) { reply_err(c, BCF); return; }
    if (ntok > MFLAG_MAX_OPT) { reply_err(c, "CLIENT_ERROR options flags too long"); return; }
    int32_t vlen;
    if (!mc_strtol(t[2].p, t[2].n, &vlen) || vlen < 0 || vlen > 0x7fffffff - 2) { reply_err(c, BCF); return; }
    vlen += 2;
    mflags_t of = { .errstr = BCF };
    const char *err = NULL;
    if (meta_preparse(t, 3, &of, c->bkey)) err = of.errstr;
    if (!err) {
        c->noreply = (uint32_t)of.no_reply;
        c->mret_len = 0;
        const char *has_error = NULL;
        for (uint32_t i = 2; i < ntok - 1; i++) {
            char f = t[i].p[0];
            if (f == 'O') {
                if (t[i].n > MFLAG_MAX_OPAQUE) { has_error = "CLIENT_ERROR opaque token too long"; continue; }
                if (c->mret_len + t[i].n + 1 > sizeof c->mret) continue;
                memcpy(c->mret + c->mret_len, t[i].p, t[i].n);
                c->mret_len += t[i].n;
                c->mret[c->mret_len++] = ' ';
            } else if ((f == 'k' || f == 'c') && c->mret_len < sizeof c->mret) {
                c->mret[c->mret_len++] = f;
            }
        }
        int cmd = MC_CMD_SET;
        switch (of.mode) {
        case 0: case 'S': break;
        case 'E': cmd = MC_CMD_ADD; break;
        case 'A': cmd = MC_CMD_APPEND; break;
        case 'P': cmd = MC_CMD_PREPEND; break;
        case 'R': cmd = MC_CMD_REPLACE; break;
        default: err = "CLIENT_ERROR invalid mode for ms M token";
        }
        if (!err && of.has_cas && (cmd == MC_CMD_SET || cmd == MC_CMD_REPLACE)) cmd = MC_CMD_CAS;
        if (!err) err = has_error;
        if (!err) {
            mc_store_lock(c->st, c->now_ns);
            int aerr;
            uint32_t exptime = of.new_ttl ? mc_store_realtime(c->st, of.ttl) : 0;
            mc_item_t *it = mc_store_alloc(c->st, t[1].p, t[1].n, of.client_flags, exptime, (uint32_t)vlen, &aerr);
            if (!it) alloc_failed(c, aerr, t[1].p, t[1].n, 1, (uint32_t)vlen, 1);
            mc_store_unlock(c->st);
            if (!it) return;
            it->cas = of.req_cas;
            it->kbin = (uint8_t)of.key_binary;
            c->it = it;
            c->want = (uint32_t)vlen;
            c->got = 0;
            c->cmd = cmd;
            c->mset = 1;
            c->mset_bin = of.key_binary;
            c->state = MC_S_DATA;
            return;
        }
    }
    c->swallow = (uint32_t)vlen;
    c->state = MC_S_SWALLOW;
    reply_err(c, err);
}

/* md */
static void do_mdelete(mc_conn_t *c, tok_t *t, uint32_t ntok)
{
    if (ntok < 3) { reply(c, "ERROR"); return; }
    if (t[1].n > MC_KEY_MAX) { reply(c, BCF); return; }
    if (ntok > MFLAG_MAX_OPT) { reply(c, "CLIENT_ERROR options flags too long"); return; }
    mflags_t of = { .errstr = BCF };
    /* I (mark stale instead of deleting) is not implemented here */
    if (meta_preparse(t, 2, &of, c->bkey) || of.stale) { reply_err(c, "CLIENT_ERROR invalid or duplicate flag"); return; }
    c->noreply = (uint32_t)of.no_reply;
    char line[MC_REPLY_MAX], *p = line + 2;
    if (!meta_ok_k(&p, t, t[1].p, t[1].n, of.key_binary)) {
        reply_err(c, "CLIENT_ERROR opaque token too long");
        return;
    }
    mc_store_stats_t *ss = mc_store_stats(c->st);
    mc_store_lock(c->st, c->now_ns);
    mc_item_t *it = mc_store_get(c->st, t[1].p, t[1].n, 0);
    int skip = 0;
    if (it && of.has_cas && it->cas != of.req_cas) {
        ss->delete_misses++;
        memcpy(line, "EX", 2);
    } else if (it) {
        ss->delete_hits++;
        mc_store_unlink(c->st, it);
        skip = c->noreply;
        memcpy(line, "HD", 2);
    } else {
        ss->delete_misses++;
        memcpy(line, "NF", 2);
    }
    mc_store_unlock(c->st);
    c->noreply = 0;
    p = put_s(p, "\r\n", 2);
    if (!skip) put(c, line, (uint32_t)(p - line));
}

/* ma: incr (mode I or +, the default) or decr (D or -) by D<delta> (1) */
static void do_marith(mc_conn_t *c, tok_t *t, uint32_t ntok)
{
    if (ntok < 3) { reply(c, "ERROR"); return; }
    if (t[1].n > MC_KEY_MAX) { reply(c, BCF); return; }
    if (ntok > MFLAG_MAX_OPT) { reply(c, "CLIENT_ERROR options flags too long"); return; }
    mflags_t of = { .errstr = BCF, .delta = 1 };
    if (meta_preparse(t, 2, &of, c->bkey)) { reply_err(c, "CLIENT_ERROR invalid or duplicate flag"); return; }
    c->noreply = (uint32_t)of.no_reply;
    int incr = 1;
    switch (of.mode) {
    case 0: case 'I': case '+': break;
    case 'D': case '-': incr = 0; break;
    default: reply_err(c, "CLIENT_ERROR invalid mode for ma M token"); return;
    }
    char buf[24], line[MC_REPLY_MAX], *p = line;
    mc_item_t *it;
    mc_store_lock(c->st, c->now_ns);
    int r = mc_store_delta(c->st, t[1].p, t[1].n, incr, of.delta, buf, of.has_cas ? of.req_cas : 0, &it);
    if (r == MC_DELTA_NON_NUMERIC || r == MC_DELTA_EOM) {
        mc_store_unlock(c->st);
        reply_err(c, r == MC_DELTA_EOM ? "SERVER_ERROR out of memory"
                                       : "CLIENT_ERROR cannot increment or decrement non-numeric value");
        return;
    }
    int skip = 0;
    uint32_t vlen = (uint32_t)strlen(buf);
    if (r == MC_DELTA_OK) {
        skip = (int)c->noreply;
        if (of.value) {
            p = put_s(p, "VA ", 3);
            p = put_u(p, vlen);
        } else {
            p = put_s(p, "HD", 2);
        }
        uint32_t now = mc_store_now(c->st);
        for (uint32_t i = 2; i < ntok - 1; i++) {
            switch (t[i].p[0]) {
            case 'c': p = put_s(p, " c", 2); p = put_u(p, it->cas); break;
            case 't':
                p = put_s(p, " t", 2);
                if (it->exptime == 0) p = put_s(p, "-1", 2);
                else p = put_u(p, (uint32_t)(it->exptime - now));
                break;
            case 'T': it->exptime = mc_store_realtime(c->st, of.ttl); break;
            case 'O':
                if (t[i].n > MFLAG_MAX_OPAQUE) {
                    mc_store_unlock(c->st);
                    reply_err(c, "CLIENT_ERROR opaque token too long");
                    return;
                }
                *p++ = ' ';
                p = put_s(p, t[i].p, t[i].n);
                break;
            case 'k': p = put_key(p, t[1].p, t[1].n, of.key_binary); break;
            }
        }
        if (of.value) {
            p = put_s(p, "\r\n", 2);
            p = put_s(p, buf, vlen);
        }
    } else {
        p = put_s(p, r == MC_DELTA_NOT_FOUND ? "NF" : "EX", 2);
        if (!meta_ok_k(&p, t, t[1].p, t[1].n, of.key_binary)) {
            mc_store_unlock(c->st);
            reply_err(c, "CLIENT_ERROR opaque token too long");
            return;
        }
    }
    mc_store_unlock(c->st);
    c->noreply = 0;
    p = put_s(p, "\r\n", 2);
    if (!skip) put(c, line, (uint32_t)(p - line));
}

/* ---- the other commands ----------------------------------------------------- */

static void do_delta(mc_conn_t *c, const tok_t *t, uint32_t ntok, int incr)
{
    noreply_maybe(c, t, ntok);
    if (t[1].n > MC_KEY_MAX) { reply(c, BCF); return; }
    uint64_t delta;
    if (!mc_strtoull(t[2].p, t[2].n, &delta)) { reply(c, "CLIENT_ERROR invalid numeric delta argument"); return; }
    char buf[24];
    mc_item_t *it;
    mc_store_lock(c->st, c->now_ns);
    int r = mc_store_delta(c->st, t[1].p, t[1].n, incr, delta, buf, 0, &it);
    mc_store_unlock(c->st);
    switch (r) {
    case MC_DELTA_OK: reply(c, buf); break;
    case MC_DELTA_NON_NUMERIC: reply(c, "CLIENT_ERROR cannot increment or decrement non-numeric value"); break;
    case MC_DELTA_EOM: reply(c, "SERVER_ERROR out of memory"); break;
    default: reply(c, "NOT_FOUND"); break;
    }
}

static void do_delete(mc_conn_t *c, const tok_t *t, uint32_t ntok)
{
    if (ntok > 3) {
        int hold0 = tok_is(&t[2], "0");
        noreply_maybe(c, t, ntok);
        int nr = (int)c->noreply;
        if (!((ntok == 4 && (hold0 || nr)) || (ntok == 5 && hold0 && nr))) {
            reply(c, "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]");
            return;
        }
    }
    if (t[1].n > MC_KEY_MAX) { reply(c, BCF); return; }
    mc_store_stats_t *ss = mc_store_stats(c->st);
    mc_store_lock(c->st, c->now_ns);
    mc_item_t *it = mc_store_get(c->st, t[1].p, t[1].n, 0);
    if (it) { mc_store_unlink(c->st, it); ss->delete_hits++; }
    else ss->delete_misses++;
    mc_store_unlock(c->st);
    reply(c, it ? "DELETED" : "NOT_FOUND");
}

static void do_touch(mc_conn_t *c, const tok_t *t, uint32_t ntok)
{
    noreply_maybe(c, t, ntok);
    if (t[1].n > MC_KEY_MAX) { reply(c, BCF); return; }
    int32_t e;
    if (!mc_strtol(t[2].p, t[2].n, &e)) { reply(c, "CLIENT_ERROR invalid exptime argument"); return; }
    mc_store_stats_t *ss = mc_store_stats(c->st);
    mc_store_lock(c->st, c->now_ns);
    uint32_t exptime = mc_store_realtime(c->st, e);
    mc_item_t *it = mc_store_get(c->st, t[1].p, t[1].n, 1);
    if (it) it->exptime = exptime;
    ss->cmd_touch++;
    if (it) ss->touch_hits++; else ss->touch_misses++;
    mc_store_unlock(c->st);
    reply(c, it ? "TOUCHED" : "NOT_FOUND");
}

static void do_flush_all(mc_conn_t *c, const tok_t *t, uint32_t ntok)
{
    noreply_maybe(c, t, ntok);
    int32_t e = 0;
    if (ntok != (c->noreply ? 3u : 2u) && !mc_strtol(t[1].p, t[1].n, &e)) {
        reply(c, "CLIENT_ERROR invalid exptime argument");
        return;
    }
    mc_store_lock(c->st, c->now_ns);
    mc_store_flush(c->st, e);
    mc_store_unlock(c->st);
    reply(c, "OK");
}

static void do_verbosity(mc_conn_t *c, const tok_t *t, uint32_t ntok)
{
    noreply_maybe(c, t, ntok);
    uint32_t level;
    reply(c, mc_strtoul(t[1].p, t[1].n, &level) ? "OK" : BCF);
}

static void stat_line(mc_conn_t *c, const char *name, uint64_t v)
{
    char line[96], *p = put_s(line, "STAT ", 5);
    p = put_s(p, name, (uint32_t)strlen(name));
    *p++ = ' ';
    p = put_u(p, v);
    p = put_s(p, "\r\n", 2);
    put(c, line, (uint32_t)(p - line));
}

/* stats (general) and stats reset; other subcommands are not implemented. */
static void do_stats(mc_conn_t *c, const tok_t *t, uint32_t ntok)
{
    mc_store_stats_t *ss = mc_store_stats(c->st);
    if (ntok > 2) {
        if (!tok_is(&t[1], "reset")) { reply(c, "ERROR"); return; }
        mc_store_lock(c->st, c->now_ns);
        uint64_t keep[5] = { ss->curr_items, ss->bytes, ss->pages_used, ss->curr_connections, ss->total_connections };
        memset(ss, 0, sizeof *ss);
        ss->curr_items = keep[0]; ss->bytes = keep[1]; ss->pages_used = keep[2];
        ss->curr_connections = keep[3]; ss->total_connections = keep[4];
        mc_store_unlock(c->st);
        reply(c, "RESET");
        return;
    }
    mc_store_lock(c->st, c->now_ns);
    mc_store_stats_t s = *ss;
    const mc_settings_t *set = mc_store_settings(c->st);
    stat_line(c, "pid", 0);
    stat_line(c, "uptime", mc_store_uptime(c->st));
    stat_line(c, "time", (uint64_t)mc_store_unix_now(c->st));
    mc_store_unlock(c->st);
    put_line(c, "STAT version " MC_VERSION);
    stat_line(c, "pointer_size", 8 * sizeof(void *));
#define MC_STAT_LINE(n) stat_line(c, #n, s.n);
    MC_STORE_STATS(MC_STAT_LINE)
#undef MC_STAT_LINE
    stat_line(c, "limit_maxbytes", set->mem_bytes);
    stat_line(c, "item_size_max", set->item_max);
    stat_line(c, "threads", 1);
    put(c, "END\r\n", 5);
}

/* ---- one command line ------------------------------------------------------- */

/* memcached's process_command_ascii; 1: blocked on the output. */
static int command(mc_conn_t *c, const char *line, uint32_t len)
{
    const char *nul = memchr(line, 0, len);   /* memcached reads the line as a C string */
    if (nul) len = (uint32_t)(nul - line);
    tok_t t[MAX_TOKENS + 1];
    const char *rest;
    uint32_t ntok = tokenize(line, len, t, &rest);
    c->noreply = 0;
    if (ntok < 2 || t[0].n < 2) { reply(c, "ERROR"); return 0; }
    char first = t[0].p[0];
    if (first == 'm' && t[0].n == 2) {
        switch (t[0].p[1]) {
        case 'g': return do_mget(c, t, ntok);
        case 's': do_mset(c, t, ntok); return 0;
        case 'd': do_mdelete(c, t, ntok); return 0;
        case 'n': reply(c, "MN"); return 0;
        case 'a': do_marith(c, t, ntok); return 0;
        default: reply(c, "ERROR"); return 0;   /* me (debug) is not implemented */
        }
    }
    if (first == 'g') {
        if (ntok < 3) { reply(c, "ERROR"); return 0; }
        if (tok_is(&t[0], "get")) return do_get(c, line, len, t, 0, 0);
        if (tok_is(&t[0], "gets")) return do_get(c, line, len, t, 1, 0);
        if (tok_is(&t[0], "gat")) return do_get(c, line, len, t, 0, 1);
        if (tok_is(&t[0], "gats")) return do_get(c, line, len, t, 1, 1);
        reply(c, "ERROR");
        return 0;
    }
    int cmd = -1, want_a = 6, want_b = 7;
    if (tok_is(&t[0], "set")) cmd = MC_CMD_SET;
    else if (tok_is(&t[0], "add")) cmd = MC_CMD_ADD;
    else if (tok_is(&t[0], "append")) cmd = MC_CMD_APPEND;
    else if (tok_is(&t[0], "replace")) cmd = MC_CMD_REPLACE;
    else if (tok_is(&t[0], "prepend")) cmd = MC_CMD_PREPEND;
    else if (tok_is(&t[0], "cas")) { cmd = MC_CMD_CAS; want_a = 7; want_b = 8; }
    if (cmd >= 0) {
        if (ntok != (uint32_t)want_a && ntok != (uint32_t)want_b) reply(c, "ERROR");
        else do_update(c, t, ntok, cmd);
        return 0;
    }
    if (tok_is(&t[0], "stats")) {
        if (c->olen && !flush(c)) return 1;   /* stats needs the whole reply buffer */
        do_stats(c, t, ntok);
    }
    else if (tok_is(&t[0], "shutdown")) reply(c, "ERROR: shutdown not enabled");
    else if (tok_is(&t[0], "incr") || tok_is(&t[0], "decr")) {
        if (ntok != 4 && ntok != 5) reply(c, "ERROR");
        else do_delta(c, t, ntok, t[0].p[0] == 'i');
    } else if (tok_is(&t[0], "delete")) {
        if (ntok < 3 || ntok > 5) reply(c, "ERROR");
        else do_delete(c, t, ntok);
    } else if (tok_is(&t[0], "touch")) {
        if (ntok != 4 && ntok != 5) reply(c, "ERROR");
        else do_touch(c, t, ntok);
    } else if (tok_is(&t[0], "bget")) {
        if (ntok < 3) reply(c, "ERROR");
        else return do_get(c, line, len, t, 0, 0);
    } else if (tok_is(&t[0], "flush_all")) {
        if (ntok < 2 || ntok > 4) reply(c, "ERROR");
        else do_flush_all(c, t, ntok);
    } else if (tok_is(&t[0], "version")) reply(c, "VERSION " MC_VERSION);
    else if (tok_is(&t[0], "quit")) c->state = MC_S_CLOSED;
    else if (tok_is(&t[0], "verbosity")) {
        if (ntok != 3 && ntok != 4) reply(c, "ERROR");
        else do_verbosity(c, t, ntok);
    } else reply(c, "ERROR");
    (void)rest;
    return 0;
}

/* ---- the byte stream -------------------------------------------------------- */

void mc_conn_init(mc_conn_t *c, mc_store_t *st, const mc_out_t *out)
{
    memset(c, 0, offsetof(mc_conn_t, obuf));
    c->st = st;
    c->out = *out;
    mc_store_lock(st, 0);
    mc_store_stats(st)->curr_connections++;
    mc_store_stats(st)->total_connections++;
    mc_store_unlock(st);
}

void mc_conn_end(mc_conn_t *c, uint64_t now_ns)
{
    mc_store_lock(c->st, now_ns);
    if (c->it) mc_store_free(c->st, c->it);
    if (c->sit) mc_store_release(c->st, c->sit);
    c->it = c->sit = NULL;
    mc_store_stats(c->st)->curr_connections--;
    mc_store_unlock(c->st);
    c->state = MC_S_CLOSED;
}

/* The end of the command of a line memcached reads at any length: "get "
 * or "gets " after at most 100 spaces (its try_read_command_ascii); 0: the
 * line is not one. */
static uint32_t get_cmd_end(const char *s, uint32_t n)
{
    uint32_t i = 0;
    while (i < n && s[i] == ' ') i++;
    if (i > 100) return 0;
    if (n - i >= 4 && !memcmp(s + i, "get ", 4)) return i + 3;
    if (n - i >= 5 && !memcmp(s + i, "gets ", 5)) return i + 4;
    return 0;
}

/* An unfinished line memcached would drop the connection for: longer than
 * MC_LINE_JUNK and not a get. */
static int line_junk(const mc_conn_t *c)
{
    return c->llen > MC_LINE_JUNK && !get_cmd_end(c->line, c->llen);
}

/* The keys of a long get line in line[] (full): those complete are
 * answered, the command and the unfinished key stay for the rest of the
 * line (c->stream). A NUL ends the keys (memcached reads the line as a C
 * string), a key over 250 bytes ends the line with the error: the rest of
 * the line is then skipped. 1: blocked. */
static int stream_chunk(mc_conn_t *c)
{
    uint32_t cmd = get_cmd_end(c->line, c->llen), n = c->llen, end = n;
    const char *nul = memchr(c->line, 0, n);
    if (nul) {
        end = (uint32_t)(nul - c->line);
    } else {
        while (end > cmd && c->line[end - 1] != ' ') end--;
        if (n - end > MC_KEY_MAX) end = n;   /* the unfinished key is too long already */
    }
    int r = get_keys(c, c->line + cmd, c->line + end, c->line[cmd - 1] == 's', 0, 0, 0);
    if (r == 1) return 1;
    if (r == 2 || nul) {
        c->state = MC_S_SKIP;
        c->skip_end = r != 2;
        c->stream = 0;
        c->llen = 0;
        return 0;
    }
    memmove(c->line + cmd + 1, c->line + end, n - end);   /* after "get " */
    c->llen = cmd + 1 + n - end;
    c->stream = 1;
    return 0;
}

/* A whole line [s, s+n) (its '\n' not included). */
static int run_line(mc_conn_t *c, const char *s, uint32_t n)
{
    if (n > 1 && s[n - 1] == '\r') n--;
    if (!c->stream) return command(c, s, n);
    /* the rest of a long get line: its keys, then END */
    const char *nul = memchr(s, 0, n);
    if (nul) n = (uint32_t)(nul - s);
    uint32_t cmd = get_cmd_end(s, n);
    if (get_keys(c, s + cmd, s + n, s[cmd - 1] == 's', 0, 0, 1) == 1) return 1;
    c->stream = 0;
    return 0;
}

int mc_conn_feed(mc_conn_t *c, const uint8_t *in, uint32_t len, uint64_t now_ns, uint32_t *used)
{
    uint32_t pos = 0;
    c->now_ns = now_ns;
    for (;;) {
        if (c->olen + MC_REPLY_MAX > MC_OBUF && !flush(c)) break;
        if (c->sit && !send_value(c)) break;
        if (c->state == MC_S_CLOSED) {
            pos = len;
            break;
        }
        if (c->state == MC_S_SWALLOW) {
            uint32_t n = (uint32_t)(c->swallow < len - pos ? c->swallow : len - pos);
            pos += n;
            c->swallow -= n;
            if (c->swallow) break;
            c->state = MC_S_LINE;
            continue;
        }
        if (c->state == MC_S_DATA) {
            uint32_t n = c->want - c->got < len - pos ? c->want - c->got : len - pos;
            memcpy(mc_item_data(c->it) + c->got, in + pos, n);
            c->got += n;
            pos += n;
            if (c->got < c->want) break;
            nread_done(c);
            continue;
        }
        if (c->state == MC_S_SKIP) {
            const uint8_t *nl = memchr(in + pos, '\n', len - pos);
            pos = nl ? (uint32_t)(nl - in) + 1 : len;
            if (!nl) break;
            if (c->skip_end) put(c, "END\r\n", 5);
            c->state = MC_S_LINE;
            continue;
        }
        if (c->line_ready == 1) {
            if (run_line(c, c->line, c->llen)) break;
            c->line_ready = 0;
            c->llen = 0;
            continue;
        }
        if (c->line_ready == 2) {
            if (stream_chunk(c)) break;
            c->line_ready = 0;
            continue;
        }
        if (pos == len) break;
        const uint8_t *nl = memchr(in + pos, '\n', len - pos);
        uint32_t n = nl ? (uint32_t)(nl - (in + pos)) : len - pos;
        if (c->llen == 0 && nl) {   /* the whole line is in the input: read in place */
            if (n >= MC_RBUF && !get_cmd_end((const char *)in + pos, n)) {
                c->state = MC_S_CLOSED;   /* memcached's buffer filled without a newline */
                continue;
            }
            if (run_line(c, (const char *)in + pos, n)) break;   /* blocked: fed again from here */
            pos += n + 1;
            continue;
        }
        uint32_t room = MC_LINE_MAX - c->llen;
        if (n > room) {   /* longer than the line buffer: only a get line goes on */
            memcpy(c->line + c->llen, in + pos, room);
            c->llen = MC_LINE_MAX;
            pos += room;
            if (get_cmd_end(c->line, c->llen)) c->line_ready = 2;
            else c->state = MC_S_CLOSED;
            continue;
        }
        memcpy(c->line + c->llen, in + pos, n);
        c->llen += n;
        pos += n;
        if (nl) {
            pos++;
            c->line_ready = 1;
            continue;
        }
        if (line_junk(c)) c->state = MC_S_CLOSED;
        break;
    }
    *used = pos;
    if (!flush(c)) return MC_BLOCKED;
    if (c->state == MC_S_CLOSED) return MC_CLOSE;
    if (c->sit || c->line_ready || pos < len) return MC_BLOCKED;
    return MC_OK;
}
