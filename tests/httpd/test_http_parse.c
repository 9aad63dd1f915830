/* test_http_parse.c - the httpd's request parser (stack/apps/httpd/
 * http_parse.h) and document set (http_docs.h) on the host: well-formed
 * requests of both versions and methods, keep-alive rules, every error
 * answer (400 405 414 431 505) with the limits at their edges, truncated
 * input, requests split at every byte, pipelined requests in one buffer and
 * across buffers, input placed before an unreadable page (a read past it
 * faults), and the docs= syntax of deployment.app_args with its errors. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "apps/httpd/http_docs.h"
#include "apps/httpd/http_parse.h"

/* Copies s to the end of a readable page followed by an unreadable one, so
 * that reading one byte past it faults (Check reports the signal). */
static const uint8_t *guarded(const void *s, size_t n)
{
    static uint8_t *area;
    static size_t area_len;
    long pg = sysconf(_SC_PAGESIZE);
    size_t need = ((n + (size_t)pg - 1) / (size_t)pg + 1) * (size_t)pg;
    if (area) munmap(area, area_len);
    area = mmap(NULL, need, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(area, MAP_FAILED);
    area_len = need;
    ck_assert_int_eq(mprotect(area + need - (size_t)pg, (size_t)pg, PROT_NONE), 0);
    uint8_t *p = area + need - (size_t)pg - n;
    memcpy(p, s, n);
    return p;
}

/* Parses a whole string as one piece; returns the request (done must be 1). */
static http_req_t parse1(const char *s, size_t *used)
{
    http_parser_t p;
    http_parser_init(&p);
    size_t n = strlen(s);
    int done;
    size_t u = http_parse(&p, guarded(s, n), n, &done);
    ck_assert_msg(done, "no request found in '%s'", s);
    if (used) *used = u;
    return p.req;
}

static uint16_t status_of(const char *s) { return parse1(s, NULL).status; }

/* The same request (the path compared up to its end). */
static void same_req(const http_req_t *a, const http_req_t *b)
{
    ck_assert_uint_eq(a->status, b->status);
    ck_assert_uint_eq(a->method, b->method);
    ck_assert_uint_eq(a->minor, b->minor);
    ck_assert_uint_eq(a->keep_alive, b->keep_alive);
    ck_assert_uint_eq(a->path_long, b->path_long);
    ck_assert_uint_eq(a->path_len, b->path_len);
    ck_assert_str_eq(a->path, b->path);
}

START_TEST(get_and_head)
{
    size_t used;
    const char *s = "GET /1k HTTP/1.1\r\nHost: 10.0.0.1\r\nAccept: */*\r\n\r\n";
    http_req_t r = parse1(s, &used);
    ck_assert_uint_eq(used, strlen(s));
    ck_assert_uint_eq(r.status, 0);
    ck_assert_uint_eq(r.method, HTTP_M_GET);
    ck_assert_uint_eq(r.minor, 1);
    ck_assert_uint_eq(r.keep_alive, 1);
    ck_assert_str_eq(r.path, "/1k");
    r = parse1("HEAD /index.html?x=1&y=2 HTTP/1.1\r\nhost: a\r\n\r\n", NULL);
    ck_assert_uint_eq(r.status, 0);
    ck_assert_uint_eq(r.method, HTTP_M_HEAD);
    ck_assert_str_eq(r.path, "/index.html");
    /* leading empty lines skipped, bare LF line ends accepted */
    r = parse1("\r\n\nGET / HTTP/1.0\n\n", NULL);
    ck_assert_uint_eq(r.status, 0);
    ck_assert_str_eq(r.path, "/");
    ck_assert_uint_eq(r.minor, 0);
    /* a later 1.x is served as 1.1 */
    r = parse1("GET / HTTP/1.7\r\nHost: a\r\n\r\n", NULL);
    ck_assert_uint_eq(r.status, 0);
    ck_assert_uint_eq(r.minor, 1);
    /* the absolute form: the path taken, an empty one is "/" */
    r = parse1("GET http://10.0.0.1:80/1k?x=/y HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n", NULL);
    ck_assert_uint_eq(r.status, 0);
    ck_assert_str_eq(r.path, "/1k");
    r = parse1("HEAD HTTP://a HTTP/1.1\r\nHost: a\r\n\r\n", NULL);
    ck_assert_uint_eq(r.status, 0);
    ck_assert_str_eq(r.path, "/");
    ck_assert_str_eq(parse1("GET hTTp://a?q HTTP/1.1\r\nHost: a\r\n\r\n", NULL).path, "/");
    /* Content-Length: 0 is no content */
    ck_assert_uint_eq(status_of("GET / HTTP/1.1\r\nHost: a\r\nContent-Length:  0 \r\n\r\n"), 0);
}
END_TEST

START_TEST(keep_alive_rules)
{
    ck_assert_uint_eq(parse1("GET / HTTP/1.1\r\nHost: a\r\n\r\n", NULL).keep_alive, 1);
    ck_assert_uint_eq(parse1("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", NULL).keep_alive, 0);
    ck_assert_uint_eq(parse1("GET / HTTP/1.1\r\nHost: a\r\nconnection: Upgrade, CLOSE\r\n\r\n", NULL).keep_alive, 0);
    ck_assert_uint_eq(parse1("GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n", NULL).keep_alive, 1);
    ck_assert_uint_eq(parse1("GET / HTTP/1.0\r\n\r\n", NULL).keep_alive, 0);
    ck_assert_uint_eq(parse1("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", NULL).keep_alive, 1);
    ck_assert_uint_eq(parse1("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", NULL).keep_alive, 0);
}
END_TEST

static const struct { const char *req; uint16_t status; } errors[] = {
    { "POST / HTTP/1.1\r\nHost: a\r\n\r\n", 405 },
    { "get / HTTP/1.1\r\nHost: a\r\n\r\n", 405 },
    { "DELETEEVERYTHINGNOW / HTTP/1.1\r\nHost: a\r\n\r\n", 405 },
    { "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505 },
    { "GET / HTTP/0.9\r\n\r\n", 505 },
    { "GET / HTTX/1.1\r\n\r\n", 400 },
    { "GET / HTTP/1.1x\r\n\r\n", 400 },
    { "GET / HTTP/1\r\n\r\n", 400 },
    { "GET /  HTTP/1.1\r\n\r\n", 400 },
    { "GET  / HTTP/1.1\r\n\r\n", 400 },
    { " GET / HTTP/1.1\r\n\r\n", 400 },
    { "GET /\r\n\r\n", 400 },
    { "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
    { "GET http:/a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
    { "GET http:///a HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
    { "GET http:// HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
    { "GET http://a\x01/ HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
    { "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
    { "GET /a\x01 HTTP/1.1\r\n\r\n", 400 },
    { "GET /\xc3\xa9 HTTP/1.1\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\n\r\n", 400 },                                 /* no Host */
    { "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },          /* two */
    { "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400 },                    /* space before the colon */
    { "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n folded\r\n\r\n", 400 },  /* obs-fold */
    { "GET / HTTP/1.1\r\nHost: a\r\n\tX: 1\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: a\r\nX: a\x01 b\r\n\r\n", 400 },        /* a control byte */
    { "GET / HTTP/1.1\r\nHost: a\r\nX: a\x7f\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: a\r\n: empty name\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: a\r\nNo colon\r\n\r\n", 400 },
    { "GET / HTTP/1.1\rHost: a\r\n\r\n", 400 },                       /* a CR not before LF */
    { "GET / HTTP/1.1\r\nHost: a\r\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", 400 },
    { "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400 },
    { "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
};

START_TEST(error_answers)
{
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        http_req_t r = parse1(errors[i].req, NULL);
        ck_assert_msg(r.status == errors[i].status, "'%s': %u, expected %u", errors[i].req, r.status,
                      errors[i].status);
        ck_assert_uint_eq(r.keep_alive, 0);
    }
    ck_assert_str_eq(http_reason(431), "Request Header Fields Too Large");
    ck_assert_str_eq(http_reason(414), "URI Too Long");
}
END_TEST

/* After an error the parser reads nothing more. */
START_TEST(nothing_read_after_an_error)
{
    http_parser_t p;
    http_parser_init(&p);
    const char *s = "GET / HTTP/1.1\r\nHost : a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";
    int done;
    size_t used = http_parse(&p, (const uint8_t *)s, strlen(s), &done);
    ck_assert(done);
    ck_assert_uint_eq(p.req.status, 400);
    ck_assert_uint_lt(used, strlen(s) / 2);
    ck_assert_uint_eq(http_parse(&p, (const uint8_t *)s + used, strlen(s) - used, &done), 0);
    ck_assert(done);
    ck_assert_uint_eq(p.req.status, 400);
}
END_TEST

/* A request line of n target bytes. */
static char *with_target(size_t n)
{
    char *s = malloc(n + 64);
    strcpy(s, "GET /");
    memset(s + 5, 'a', n - 1);
    strcpy(s + 4 + n, " HTTP/1.1\r\nHost: a\r\n\r\n");
    return s;
}

START_TEST(target_limit_414)
{
    char *s = with_target(HTTP_TARGET_MAX);
    http_req_t r = parse1(s, NULL);
    ck_assert_uint_eq(r.status, 0);
    ck_assert_uint_eq(r.path_long, 1); /* no document has such a name */
    free(s);
    s = with_target(HTTP_TARGET_MAX + 1);
    ck_assert_uint_eq(status_of(s), 414);
    free(s);
    s = with_target(HTTP_PATH_MAX - 1);
    r = parse1(s, NULL);
    ck_assert_uint_eq(r.path_long, 0);
    ck_assert_uint_eq(r.path_len, HTTP_PATH_MAX - 1);
    free(s);
}
END_TEST

/* A request whose header block (after the request line) is n bytes. */
static char *with_headers(size_t n)
{
    const char *line = "GET / HTTP/1.1\r\n", *host = "Host: a\r\n";
    char *s = malloc(n + 64);
    strcpy(s, line);
    strcat(s, host);
    size_t have = strlen(host) + 2, pad = n - have;  /* + the empty line */
    char *d = s + strlen(s);
    memcpy(d, "X: ", 3);
    memset(d + 3, 'v', pad - 5);
    memcpy(d + pad - 2, "\r\n\r\n", 5);
    return s;
}

START_TEST(header_limit_431)
{
    char *s = with_headers(HTTP_HEADERS_MAX);
    ck_assert_uint_eq(status_of(s), 0);
    free(s);
    s = with_headers(HTTP_HEADERS_MAX + 1);
    ck_assert_uint_eq(status_of(s), 431);
    free(s);
    /* empty lines before a request count too: an endless stream of them ends */
    char *blank = malloc(2 * HTTP_HEADERS_MAX + 8);
    for (size_t i = 0; i < HTTP_HEADERS_MAX + 2; i++) blank[i] = '\n';
    blank[HTTP_HEADERS_MAX + 2] = 0;
    ck_assert_uint_eq(status_of(blank), 431);
    free(blank);
}
END_TEST

static const char *valid[] = {
    "GET /1k HTTP/1.1\r\nHost: 10.0.0.1\r\nUser-Agent: x\r\nAccept: */*\r\n\r\n",
    "HEAD /index.html HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    "\r\nGET /a?b HTTP/1.1\nHost: h\nContent-Length: 0\n\n",
    "GET http://h:8/x HTTP/1.1\r\nHost: h\r\n\r\n",
};

/* Every proper prefix: nothing complete, all of it consumed. */
START_TEST(truncated_input_waits)
{
    for (size_t v = 0; v < sizeof valid / sizeof valid[0]; v++) {
        size_t n = strlen(valid[v]);
        for (size_t k = 0; k < n; k++) {
            http_parser_t p;
            http_parser_init(&p);
            int done;
            ck_assert_uint_eq(http_parse(&p, guarded(valid[v], k), k, &done), k);
            ck_assert_msg(!done, "request %zu complete after %zu of %zu bytes", v, k, n);
        }
    }
}
END_TEST

/* Split in two at every byte, and fed a byte at a time: the same request. */
START_TEST(split_at_every_byte)
{
    for (size_t v = 0; v < sizeof valid / sizeof valid[0]; v++) {
        http_req_t whole = parse1(valid[v], NULL);
        size_t n = strlen(valid[v]);
        for (size_t k = 0; k <= n; k++) {
            http_parser_t p;
            http_parser_init(&p);
            int done;
            size_t a = http_parse(&p, guarded(valid[v], k), k, &done);
            ck_assert_uint_eq(a, k);
            ck_assert(!done || k == n);
            if (!done) a += http_parse(&p, guarded(valid[v] + k, n - k), n - k, &done);
            ck_assert(done);
            ck_assert_uint_eq(a, n);
            same_req(&p.req, &whole);
        }
        http_parser_t p;
        http_parser_init(&p);
        int done = 0;
        for (size_t k = 0; k < n; k++) {
            ck_assert(!done);
            ck_assert_uint_eq(http_parse(&p, guarded(valid[v] + k, 1), 1, &done), 1);
        }
        ck_assert(done);
        same_req(&p.req, &whole);
    }
}
END_TEST

/* The three valid requests back to back, cut in two at every byte: each is
 * found in order, whole, and the parser stops at each end. */
START_TEST(pipelined_requests)
{
    char all[512] = "";
    size_t ends[3], n = 0; /* the first three */
    for (size_t v = 0; v < 3; v++) {
        strcat(all, valid[v]);
        ends[v] = n += strlen(valid[v]);
    }
    for (size_t cut = 0; cut <= n; cut++) {
        http_parser_t p;
        http_parser_init(&p);
        size_t off = 0, found = 0;
        while (off < n && found < 3) {
            size_t lim = off < cut ? cut : n;
            int done;
            size_t used = http_parse(&p, guarded(all + off, lim - off), lim - off, &done);
            off += used;
            if (done) {
                ck_assert_uint_eq(p.req.status, 0);
                ck_assert_uint_eq(off, ends[found]);
                http_req_t whole = parse1(valid[found], NULL);
                same_req(&p.req, &whole);
                found++;
            } else {
                ck_assert_uint_eq(off, lim);
            }
        }
        ck_assert_uint_eq(found, 3);
    }
}
END_TEST

/* ---- the document set ---- */

START_TEST(docs_syntax)
{
    http_docs_t d;
    char err[256];
    ck_assert_int_eq(http_docs_parse("docs=/64:64,/1k:1k,/index.html:4096,/big/x_y-z.~1:1m", &d, err, sizeof err), 0);
    ck_assert_uint_eq(d.n, 4);
    ck_assert_str_eq(d.doc[1].path, "/1k");
    ck_assert_uint_eq(d.doc[1].size, 1024);
    ck_assert_uint_eq(d.doc[3].size, 1u << 20);
    ck_assert_str_eq(d.doc[2].type, "text/html");
    ck_assert_str_eq(d.doc[0].type, "text/plain");
    ck_assert_ptr_eq(http_docs_find(&d, "/1k", 3), &d.doc[1]);
    ck_assert_ptr_null(http_docs_find(&d, "/1", 2));
    ck_assert_uint_eq(d.doc[1].offset % 64, 0);
    /* empty: the default set */
    ck_assert_int_eq(http_docs_parse("", &d, err, sizeof err), 0);
    http_docs_t def;
    ck_assert_int_eq(http_docs_parse(HTTP_DOCS_DEFAULT, &def, err, sizeof err), 0);
    ck_assert_uint_eq(d.n, def.n);
    ck_assert_uint_gt(d.n, 1);
    ck_assert_int_eq(http_docs_parse("  docs=/:0  ", &d, err, sizeof err), 0);
    ck_assert_uint_eq(d.doc[0].size, 0);
}
END_TEST

START_TEST(docs_errors)
{
    static const struct { const char *args, *says; } bad[] = {
        { "docs=64:64", "starting with '/'" },
        { "docs=/a b:1", "expected ':'" },
        { "docs=/a%20:1", "a path may hold only" },
        { "docs=/a", "expected ':'" },
        { "docs=/a:", "expected a size" },
        { "docs=/a:1x", "expected ',' or the end" },
        { "docs=/a:2m", "larger than" },
        { "docs=/a:99999999999999999999", "larger than" },
        { "docs=/a:1,/a:2", "named twice" },
        { "docs=/a:1,", "starting with '/'" },
        { "docs=/a:1 docs=/b:1", "given twice" },
        { "files=/a:1", "unknown setting" },
        { "docs", "NAME=VALUE" },
        { "docs=/a:1m,/b:1m,/c:1m,/d:1m,/e:1", "together" },
        { "docs=/0123456789012345678901234567890123456789012345678901234567890123:1", "longer than" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        http_docs_t d;
        char err[256] = "";
        ck_assert_msg(http_docs_parse(bad[i].args, &d, err, sizeof err) == -1, "'%s' accepted", bad[i].args);
        ck_assert_msg(strstr(err, "deployment.app_args") && strstr(err, bad[i].says), "'%s': '%s'", bad[i].args, err);
    }
    char many[1024] = "docs=";
    for (int i = 0; i <= (int)HTTP_DOCS_MAX; i++) sprintf(many + strlen(many), "%s/%d:1", i ? "," : "", i);
    http_docs_t d;
    char err[256];
    ck_assert_int_eq(http_docs_parse(many, &d, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "more than"));
}
END_TEST

/* The bytes of a document: filled in pieces or whole alike, printable, a
 * function of the path; check finds the first wrong byte. */
START_TEST(docs_bytes)
{
    http_docs_t d;
    char err[256];
    ck_assert_int_eq(http_docs_parse("docs=/a:100,/b:100", &d, err, sizeof err), 0);
    uint8_t whole[100], part[100];
    http_doc_fill(&d.doc[0], 0, whole, 100);
    for (size_t cut = 0; cut <= 100; cut++) {
        http_doc_fill(&d.doc[0], 0, part, cut);
        http_doc_fill(&d.doc[0], cut, part + cut, 100 - cut);
        ck_assert(!memcmp(whole, part, 100));
        ck_assert_uint_eq(http_doc_check(&d.doc[0], cut, whole + cut, 100 - cut), 100 - cut);
    }
    for (int i = 0; i < 100; i++) ck_assert(whole[i] > ' ' && whole[i] < 0x7f);
    http_doc_fill(&d.doc[1], 0, part, 100);
    ck_assert(memcmp(whole, part, 100) != 0);
    whole[57] ^= 1;
    ck_assert_uint_eq(http_doc_check(&d.doc[0], 0, whole, 100), 57);
    ck_assert_uint_eq(http_doc_check(&d.doc[0], 50, whole + 50, 50), 7);
}
END_TEST

Suite *http_parse_suite(void)
{
    Suite *s = suite_create("http_parse");
    TCase *t = tcase_create("parse");
    tcase_add_test(t, get_and_head);
    tcase_add_test(t, keep_alive_rules);
    tcase_add_test(t, error_answers);
    tcase_add_test(t, nothing_read_after_an_error);
    tcase_add_test(t, target_limit_414);
    tcase_add_test(t, header_limit_431);
    tcase_add_test(t, truncated_input_waits);
    tcase_add_test(t, split_at_every_byte);
    tcase_add_test(t, pipelined_requests);
    suite_add_tcase(s, t);
    TCase *d = tcase_create("docs");
    tcase_add_test(d, docs_syntax);
    tcase_add_test(d, docs_errors);
    tcase_add_test(d, docs_bytes);
    suite_add_tcase(s, d);
    return s;
}
