/* http_parse.h - an incremental HTTP/1.x request parser (RFC 9112) for the
 * httpd firmware (httpd_core.c) and its host tests: fed the bytes of a
 * connection in pieces of any size, it reads each byte once, never past the
 * piece, keeps only what the server needs (method, path, version,
 * keep-alive, limits) in a fixed-size state, and stops at the end of each
 * request's header block, so pipelined requests are taken one at a time.
 *
 * Decisions (stack/apps/httpd/README.md):
 * - GET and HEAD are served; any other well-formed method is answered 405.
 * - Origin-form targets ("/path?query") and absolute-form ones
 *   ("http://host/path", which a server must accept: the path is taken, an
 *   empty one is "/"); other forms: 400. The query is ignored; the path is
 *   matched byte for byte (no percent-decoding). A target longer than
 *   HTTP_TARGET_MAX: 414. A header block (after the request line) longer
 *   than HTTP_HEADERS_MAX: 431.
 * - HTTP/1.0 and 1.1 (1.x above 1 is served as 1.1); another major: 505.
 * - Keep-alive: 1.1 unless "Connection: close", 1.0 only with
 *   "Connection: keep-alive".
 * - A request with content (Content-Length above 0, or any
 *   Transfer-Encoding) is answered 400: GET and HEAD carry none and the
 *   server reads no bodies. "Content-Length: 0" is accepted.
 * - HTTP/1.1 without exactly one Host header: 400 (RFC 9112 3.2).
 * - Lines may end in CRLF or a bare LF; a CR not before LF, a control byte
 *   in a value, space before a header's colon, obs-fold: 400. Empty lines
 *   before a request line are skipped (they count toward 431).
 * - After any error answer the connection is closed: the parser stops at
 *   the error and reads no more of that connection.
 * Freestanding C11. */
#ifndef DL_APPS_HTTP_PARSE_H
#define DL_APPS_HTTP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_TARGET_MAX  1024u  /* bytes of request-target; longer: 414 */
#define HTTP_HEADERS_MAX 8192u  /* bytes of header lines and the empty line; more: 431 */
#define HTTP_PATH_MAX    64u    /* path bytes kept (longer paths name no document) */
#define HTTP_METHOD_MAX  16u

enum { HTTP_M_OTHER = 0, HTTP_M_GET, HTTP_M_HEAD };

/* A parsed request, valid when http_parse reports one complete. */
typedef struct http_req {
    uint16_t status;      /* 0: well formed (serve it); else the error answer: 400 405 414 431 505 */
    uint8_t method;       /* HTTP_M_* (HTTP_M_OTHER with 405, or when the error came first) */
    uint8_t minor;        /* HTTP/1.minor, 0 or 1 (1 too when the version was not read) */
    uint8_t keep_alive;   /* the connection stays open after the answer (0 after any error) */
    uint8_t path_long;    /* the path had more than HTTP_PATH_MAX - 1 bytes: no document */
    uint16_t path_len;
    char path[HTTP_PATH_MAX]; /* NUL-terminated, without the query */
} http_req_t;

typedef struct http_parser {
    uint8_t state, sub, saw_cr, conn_close, conn_keep, hdr, host_count, cl_count, te, in_query;
    uint16_t target_len, name_len, tok_len;
    uint32_t hdr_bytes;
    uint64_t content_length;
    char name[24];        /* the header name being read, lowercase, while it may be one we know */
    char tok[16];         /* the Connection token being read, lowercase */
    char method[HTTP_METHOD_MAX];
    uint8_t method_len, major;
    http_req_t req;
} http_parser_t;

void http_parser_init(http_parser_t *p);

/* Reads buf[0 .. len) up to the end of the next request (its header block)
 * or an error. Returns the bytes consumed (<= len); *done is 1 when p->req
 * holds a complete request or an error answer, else 0 (all len bytes
 * consumed, more needed). After a request, call again with the rest (the
 * parser starts the next request itself); after an error (req.status != 0)
 * the parser consumes nothing more until http_parser_init. */
size_t http_parse(http_parser_t *restrict p, const uint8_t *restrict buf, size_t len, int *restrict done);

/* The reason phrase of an answer status ("OK", "Not Found", ...), or "". */
const char *http_reason(unsigned status);

#endif
