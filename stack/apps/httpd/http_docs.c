/* http_docs.c - the httpd's document set from deployment.app_args and the
 * bytes of each document (http_docs.h). A document's byte at offset o is
 * one of 64 printable characters chosen by a hash of its path and o / 8, so
 * bodies are text a client can check anywhere, and no division is needed
 * (a tile divides slowly). */
#include "apps/httpd/http_docs.h"

#include <stdio.h>
#include <string.h>

static const char alphabet[65] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int path_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '~' || c == '-' || c == '/';
}

static int fail(char *err, size_t errlen, const char *what, const char *at, size_t n)
{
    snprintf(err, errlen, "deployment.app_args: %s (at '%.*s')", what, (int)(n > 40 ? 40 : n), at);
    return -1;
}

static int ends_with(const char *s, uint32_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && !memcmp(s + n - k, suffix, k);
}

/* The docs= value s[0 .. n). */
static int parse_docs(const char *s, size_t n, http_docs_t *d, char *err, size_t errlen)
{
    size_t i = 0;
    d->n = 0;
    d->bytes = 0;
    for (;;) {
        const char *at = s + i;
        size_t left = n - i;
        if (i >= n || s[i] != '/')
            return fail(err, errlen, "docs: expected PATH:SIZE with PATH starting with '/'", at, left);
        if (d->n == HTTP_DOCS_MAX) {
            snprintf(err, errlen, "deployment.app_args: docs: more than %u documents", HTTP_DOCS_MAX);
            return -1;
        }
        http_doc_t *doc = &d->doc[d->n];
        uint32_t pl = 0;
        while (i < n && s[i] != ':' && s[i] != ',') {
            if (!path_char(s[i]))
                return fail(err, errlen, "docs: a path may hold only A-Z a-z 0-9 . _ ~ - /", s + i, n - i);
            if (pl == HTTP_DOC_PATH_MAX - 1) {
                snprintf(err, errlen, "deployment.app_args: docs: path '%.40s...' longer than %u bytes", at,
                         HTTP_DOC_PATH_MAX - 1);
                return -1;
            }
            doc->path[pl++] = s[i++];
        }
        doc->path[pl] = 0;
        doc->path_len = pl;
        if (i >= n || s[i] != ':') return fail(err, errlen, "docs: expected ':' and a size after the path", at, left);
        i++;
        uint64_t size = 0;
        size_t digits = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            size = size * 10 + (uint64_t)(s[i++] - '0');
            if (size > HTTP_DOC_SIZE_MAX) size = (uint64_t)HTTP_DOC_SIZE_MAX + 1; /* stays too large */
            digits++;
        }
        if (!digits) return fail(err, errlen, "docs: expected a size in bytes (such as 64, 1k or 1m)", at, left);
        if (i < n && (s[i] == 'k' || s[i] == 'K')) size <<= 10, i++;
        else if (i < n && (s[i] == 'm' || s[i] == 'M')) size <<= 20, i++;
        if (size > HTTP_DOC_SIZE_MAX) {
            snprintf(err, errlen, "deployment.app_args: docs: document %s is larger than %u bytes", doc->path,
                     HTTP_DOC_SIZE_MAX);
            return -1;
        }
        if (i < n && s[i] != ',') return fail(err, errlen, "docs: expected ',' or the end after a size", at, left);
        for (uint32_t k = 0; k < d->n; k++)
            if (d->doc[k].path_len == pl && !memcmp(d->doc[k].path, doc->path, pl)) {
                snprintf(err, errlen, "deployment.app_args: docs: path %s named twice", doc->path);
                return -1;
            }
        doc->size = (uint32_t)size;
        doc->offset = d->bytes;
        d->bytes += (size + 63) & ~63ULL;
        if (d->bytes > HTTP_DOCS_BYTES_MAX) {
            snprintf(err, errlen, "deployment.app_args: docs: the documents take more than %u bytes together",
                     HTTP_DOCS_BYTES_MAX);
            return -1;
        }
        uint64_t key = 0xcbf29ce484222325ULL; /* FNV-1a of the path */
        for (uint32_t k = 0; k < pl; k++) key = (key ^ (uint8_t)doc->path[k]) * 0x100000001b3ULL;
        doc->key = mix64(key);
        doc->type = ends_with(doc->path, pl, ".html") ? "text/html" : "text/plain";
        d->n++;
        if (i >= n) return 0;
        i++; /* ',' */
    }
}

int http_docs_parse(const char *args, http_docs_t *d, char *err, size_t errlen)
{
    if (!args) args = "";
    memset(d, 0, sizeof *d);
    int have_docs = 0;
    const char *s = args;
    for (;;) {
        while (*s == ' ') s++;
        if (!*s) break;
        const char *end = s;
        while (*end && *end != ' ') end++;
        const char *eq = memchr(s, '=', (size_t)(end - s));
        if (!eq) return fail(err, errlen, "expected NAME=VALUE settings separated by spaces", s, (size_t)(end - s));
        if (eq - s == 4 && !memcmp(s, "docs", 4)) {
            if (have_docs) return fail(err, errlen, "docs= given twice", s, (size_t)(end - s));
            if (parse_docs(eq + 1, (size_t)(end - eq - 1), d, err, errlen)) return -1;
            have_docs = 1;
        } else {
            return fail(err, errlen, "unknown setting (httpd knows docs=PATH:SIZE,...)", s, (size_t)(end - s));
        }
        s = end;
    }
    if (!have_docs) return http_docs_parse(HTTP_DOCS_DEFAULT, d, err, errlen);
    return 0;
}

const http_doc_t *http_docs_find(const http_docs_t *d, const char *path, uint32_t path_len)
{
    for (uint32_t i = 0; i < d->n; i++)
        if (d->doc[i].path_len == path_len && !memcmp(d->doc[i].path, path, path_len)) return &d->doc[i];
    return NULL;
}

static uint8_t doc_byte(uint64_t w, uint64_t off) { return (uint8_t)alphabet[(w >> (8 * (off & 7))) & 63]; }

void http_doc_fill(const http_doc_t *doc, uint64_t off, uint8_t *dst, size_t n)
{
    uint64_t w = mix64(doc->key + (off >> 3));
    for (; n && (off & 7); n--, off++) *dst++ = doc_byte(w, off);
    for (; n >= 8; n -= 8, off += 8, dst += 8) { /* a word at a time: the server fills its store at start-up */
        w = mix64(doc->key + (off >> 3));
        for (unsigned k = 0; k < 8; k++) dst[k] = (uint8_t)alphabet[(w >> (8 * k)) & 63];
    }
    if (n) w = mix64(doc->key + (off >> 3));
    for (; n; n--, off++) *dst++ = doc_byte(w, off);
}

size_t http_doc_check(const http_doc_t *doc, uint64_t off, const uint8_t *src, size_t n)
{
    uint64_t w = mix64(doc->key + (off >> 3));
    for (size_t i = 0; i < n; i++, off++) {
        if ((off & 7) == 0 && i) w = mix64(doc->key + (off >> 3));
        if (src[i] != doc_byte(w, off)) return i;
    }
    return n;
}
