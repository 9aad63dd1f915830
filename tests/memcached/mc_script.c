/* mc_script.c - command scripts for the memcached tests (mc_script.h). */
#include "mc_script.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mc_buf_add(mc_buf_t *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) ck_abort_msg("out of memory");
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
}

void mc_buf_free(mc_buf_t *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void mc_script_load(const char *path, mc_script_t *s)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    memset(s, 0, sizeof *s);
    char line[65536];
    mc_buf_t cur = { 0 };
    int lineno = 0, start = 1, nosplit = 0, have = 0;
    for (;;) {
        char *r = fgets(line, sizeof line, f);
        if (r) lineno++;
        int sep = r && strncmp(line, "----", 4) == 0;
        if (!r || sep) {
            if (have) {
                s->steps = realloc(s->steps, (s->n + 1) * sizeof *s->steps);
                s->steps[s->n++] = (mc_step_t){ strdup(cur.p ? cur.p : ""), nosplit, start };
            }
            mc_buf_free(&cur);
            have = 0;
            if (!r) break;
            nosplit = strstr(line, "nosplit") != NULL;
            start = lineno + 1;
            continue;
        }
        if (line[0] == '#') continue;
        size_t n = strlen(line);
        ck_assert_msg(n > 0 && line[n - 1] == '\n', "%s:%d: line too long or unterminated", path, lineno);
        mc_buf_add(&cur, line, n);
        have = 1;
    }
    fclose(f);
    ck_assert_msg(s->n > 0, "%s: no steps", path);
}

void mc_script_free(mc_script_t *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->steps[i].text);
    free(s->steps);
    memset(s, 0, sizeof *s);
}

void mc_step_bytes(const mc_step_t *st, uint64_t last_cas, mc_buf_t *out)
{
    const char *p = st->text;
    while (*p) {
        if (*p == '\n') {   /* every script line ends in \r\n, unless it ends in \c */
            mc_buf_add(out, "\r\n", 2);
            p++;
        } else if (*p == '\\') {
            char e = p[1], c;
            p += 2;
            if (e == 'c' && *p == '\n') { p++; continue; }
            c = e == 'n' ? '\n' : e == 'r' ? '\r' : e == '0' ? '\0' : e == 't' ? '\t' : e;
            mc_buf_add(out, &c, 1);
        } else if (!strncmp(p, "{CAS}", 5)) {
            char num[24];
            int n = snprintf(num, sizeof num, "%llu", (unsigned long long)last_cas);
            mc_buf_add(out, num, (size_t)n);
            p += 5;
        } else if (*p == '{' && p[1] && p[1 + strcspn(p + 1, "*}\n")] == '*') {
            size_t k = strcspn(p + 1, "*}\n");   /* {x*N}, {text*N} */
            char *end;
            unsigned long n = strtoul(p + 2 + k, &end, 10);
            ck_assert_msg(end > p + 2 + k && *end == '}', "step at line %d: bad {x*N}", st->line);
            for (unsigned long i = 0; i < n; i++) mc_buf_add(out, p + 1, k);
            p = end + 1;
        } else {
            mc_buf_add(out, p++, 1);
        }
    }
}

uint64_t mc_last_cas(const char *r, size_t len, uint64_t cas)
{
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(r + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (r + i)) + 1 : len - i;
        const char *l = r + i;
        if (n > 6 && !memcmp(l, "VALUE ", 6)) {   /* VALUE key flags bytes [cas] */
            int words = 0;
            const char *last = NULL;
            for (size_t k = 0; k < n; k++)
                if (l[k] != ' ' && l[k] != '\r' && l[k] != '\n' && (k == 0 || l[k - 1] == ' ')) { words++; last = l + k; }
            if (words == 5) cas = strtoull(last, NULL, 10);
            /* skip the data block */
            unsigned long bytes = 0;
            const char *w = l;
            for (int k = 0; k < 3; k++) w = strchr(w, ' ') + 1;
            bytes = strtoul(w, NULL, 10);
            i += n + bytes + 2;
            continue;
        }
        if (n > 3 && (!memcmp(l, "HD", 2) || !memcmp(l, "VA ", 3))) {
            for (size_t k = 0; k + 2 < n; k++)
                if (l[k] == ' ' && l[k + 1] == 'c' && l[k + 2] >= '0' && l[k + 2] <= '9') cas = strtoull(l + k + 2, NULL, 10);
            if (!memcmp(l, "VA ", 3)) {
                i += n + strtoul(l + 3, NULL, 10) + 2;
                continue;
            }
        }
        i += n;
    }
    return cas;
}

void mc_normalise(const char *in, size_t len, mc_buf_t *out)
{
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(in + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (in + i)) + 1 : len - i;
        const char *l = in + i;
        i += n;
        /* legitimately different: the server's version, every statistic */
        if (n >= 8 && !memcmp(l, "VERSION ", 8)) { mc_buf_add(out, "VERSION <version>\r\n", 19); continue; }
        if (n >= 5 && !memcmp(l, "STAT ", 5)) continue;
        mc_buf_add(out, l, n);
    }
}

/* ---- the engine ----------------------------------------------------------------- */

static uint8_t *eng_reserve(void *ctx, uint32_t len)
{
    mc_engine_t *e = ctx;
    if (e->refuse && ++e->calls % e->refuse == 0) return NULL;
    if (len > e->scratch_cap) {
        e->scratch = realloc(e->scratch, len);
        e->scratch_cap = len;
    }
    return e->scratch;
}

static void eng_commit(void *ctx, uint8_t *p, uint32_t len)
{
    mc_engine_t *e = ctx;
    /* plain checks: every Check assertion writes to the runner (slow here) */
    if (p != e->scratch || len == 0) ck_abort_msg("commit of %u bytes not of the last reservation", len);
    mc_buf_add(&e->out, p, len);
}

static void eng_connect(mc_engine_t *e)
{
    mc_out_t out = { e, eng_reserve, eng_commit };
    mc_conn_init(e->conn, e->st, &out);
    e->closed = 0;
}

void mc_engine_init(mc_engine_t *e, const mc_args_t *a)
{
    memset(e, 0, sizeof *e);
    size_t fp = mc_store_footprint(&a->s);
    ck_assert_uint_gt(fp, 0);
    e->mem = aligned_alloc(MC_STORE_ALIGN, (fp + MC_STORE_ALIGN - 1) & ~(size_t)(MC_STORE_ALIGN - 1));
    ck_assert_ptr_nonnull(e->mem);
    e->st = mc_store_new(e->mem, &a->s, 0);
    ck_assert_ptr_nonnull(e->st);
    e->conn = malloc(sizeof *e->conn);
    eng_connect(e);
}

void mc_engine_free(mc_engine_t *e)
{
    mc_conn_end(e->conn, e->now_ns);
    free(e->conn);
    free(e->mem);
    free(e->scratch);
    mc_buf_free(&e->out);
}

void mc_engine_feed(mc_engine_t *e, const void *in, size_t len, size_t piece)
{
    const uint8_t *b = in;
    if (e->closed) eng_connect(e);
    size_t off = 0;
    if (!piece) piece = len ? len : 1;
    while (off < len || len == 0) {
        size_t n = len - off < piece ? len - off : piece;
        size_t done = 0;
        for (int tries = 0;; tries++) {
            uint32_t used;
            int rc = mc_conn_feed(e->conn, b + off + done, (uint32_t)(n - done), e->now_ns, &used);
            done += used;
            if (rc == MC_CLOSE) {
                mc_conn_end(e->conn, e->now_ns);
                e->closed = 1;
                return;
            }
            if (rc == MC_OK) break;
            if (tries >= 100000) ck_abort_msg("the engine stays blocked");
        }
        if (done != n) ck_abort_msg("MC_OK with %zu of %zu bytes taken", done, n);
        off += n;
        if (len == 0) break;
    }
}
