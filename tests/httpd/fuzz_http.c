/* fuzz_http.c - libFuzzer harness of the httpd's request parser
 * (stack/apps/httpd/http_parse.h). The first input byte seeds how the rest
 * is cut into pieces; each piece is a heap copy of exactly its size, so
 * AddressSanitizer reports any read past it. The requests (or error) found
 * must be the same, at the same offsets, as when the whole input is parsed
 * at once; every result must be sane (a known status, no keep-alive after
 * an error, a NUL-terminated path starting with '/' for a request served,
 * nothing consumed past an error). Any violation aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/httpd/http_parse.h"

#define MAXREQ 64

typedef struct found {
    size_t end;   /* offset after the request */
    http_req_t req;
} found_t;

static void bad(const char *what)
{
    fprintf(stderr, "fuzz_http: %s\n", what);
    abort();
}

static void sane(const http_req_t *r)
{
    switch (r->status) {
    case 0: case 400: case 405: case 414: case 431: case 505: break;
    default: bad("unknown status");
    }
    if (r->status && r->keep_alive) bad("keep-alive after an error");
    if (r->path_len >= HTTP_PATH_MAX || r->path[r->path_len] != 0) bad("path not terminated");
    if (!r->status && (r->method != HTTP_M_GET && r->method != HTTP_M_HEAD)) bad("served another method");
    if (!r->status && (r->path_len == 0 || r->path[0] != '/')) bad("served a path without '/'");
}

/* Parses data in pieces (step: 0 = all at once); returns the requests found. */
static size_t run(const uint8_t *data, size_t len, uint32_t seed, found_t *out)
{
    http_parser_t p;
    http_parser_init(&p);
    size_t off = 0, n = 0;
    while (off < len && n < MAXREQ) {
        size_t piece = len - off;
        if (seed) {
            seed = seed * 1103515245u + 12345u;
            piece = 1 + (seed >> 16) % (piece < 40 ? piece : 40);
        }
        uint8_t *copy = malloc(piece);
        memcpy(copy, data + off, piece);
        size_t used = 0;
        while (used < piece && n < MAXREQ) {
            int done;
            size_t u = http_parse(&p, copy + used, piece - used, &done);
            if (u > piece - used) bad("consumed more than given");
            used += u;
            if (!done) {
                if (used != piece) bad("stopped early without a request");
                break;
            }
            sane(&p.req);
            out[n].end = off + used;
            out[n].req = p.req;
            n++;
            if (p.req.status) { /* nothing more after an error */
                int d2;
                if (http_parse(&p, copy + used, piece - used, &d2) != 0 || !d2) bad("read after an error");
                free(copy);
                return n;
            }
        }
        free(copy);
        off += used;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len < 1) return 0;
    uint32_t seed = data[0] | 1u;
    static found_t whole[MAXREQ], parts[MAXREQ];
    size_t a = run(data + 1, len - 1, 0, whole), b = run(data + 1, len - 1, seed, parts);
    if (a != b) bad("pieces found another number of requests");
    for (size_t i = 0; i < a; i++) {
        const http_req_t *x = &whole[i].req, *y = &parts[i].req;
        if (whole[i].end != parts[i].end || x->status != y->status || x->method != y->method ||
            x->minor != y->minor || x->keep_alive != y->keep_alive || x->path_long != y->path_long ||
            x->path_len != y->path_len || memcmp(x->path, y->path, x->path_len + 1))
            bad("pieces found another request");
    }
    return 0;
}
