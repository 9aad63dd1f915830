/* http_parse.c - the incremental HTTP/1.x request parser (http_parse.h): a
 * byte-at-a-time state machine over a fixed-size state, so a request may
 * arrive split at any byte and several may share one buffer. */
#include "apps/httpd/http_parse.h"

#include <string.h>

enum {
    S_START = 0, /* before a request line: empty lines skipped */
    S_METHOD,
    S_TARGET0,   /* the target's first byte */
    S_TARGET,    /* the path and query */
    S_SCHEME,    /* absolute form: "http://" */
    S_AUTHORITY, /* absolute form: up to the path */
    S_VERSION,   /* "HTTP/d.d" then the line end */
    S_LINE_END,  /* only CR LF or LF may follow */
    S_HDR_START, /* the start of a header line, or the empty line */
    S_HDR_NAME,
    S_HDR_VALUE,
    S_DONE,      /* an error answered: nothing more is read */
};

enum { H_OTHER = 0, H_CONNECTION, H_CONTENT_LENGTH, H_TRANSFER_ENCODING, H_HOST };

/* RFC 9110 tchar: digits, letters and !#$%&'*+-.^_`|~, as a bitmap */
static int is_tchar(uint8_t c)
{
    static const uint64_t map[2] = { 0x03ff6cfa00000000ULL, 0x57ffffffc7fffffeULL };
    return c < 128 && (map[c >> 6] >> (c & 63) & 1);
}

static uint8_t lower(uint8_t c) { return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c; }

/* Starts the next request: what a request sets, reset field by field (no
 * memset: picolibc's, in this build, writes a byte at a time). */
static void next_request(http_parser_t *p)
{
    p->state = S_START;
    p->sub = p->saw_cr = p->conn_close = p->conn_keep = p->hdr = p->host_count = p->cl_count = 0;
    p->te = p->in_query = p->method_len = p->major = 0;
    p->target_len = p->name_len = p->tok_len = 0;
    p->hdr_bytes = 0;
    p->content_length = 0;
    p->req.status = 0;
    p->req.method = HTTP_M_OTHER;
    p->req.minor = 1;
    p->req.keep_alive = p->req.path_long = 0;
    p->req.path_len = 0;
    p->req.path[0] = 0;
}

void http_parser_init(http_parser_t *p)
{
    memset(p, 0, sizeof *p);
    next_request(p);
}

const char *http_reason(unsigned status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 505: return "HTTP Version Not Supported";
    }
    return "";
}

/* The request ends with an error answer. */
static void fail(http_parser_t *p, uint16_t status)
{
    p->req.status = status;
    p->req.keep_alive = 0;
    p->state = S_DONE;
}

/* The end of a Connection token. */
static void conn_token(http_parser_t *p)
{
    if (p->tok_len == 5 && !memcmp(p->tok, "close", 5)) p->conn_close = 1;
    if (p->tok_len == 10 && !memcmp(p->tok, "keep-alive", 10)) p->conn_keep = 1;
    p->tok_len = 0;
}

/* The header name just read (lowercase in p->name), told by its length. */
static uint8_t header_kind(const http_parser_t *p)
{
    switch (p->name_len) {
    case 4: return !memcmp(p->name, "host", 4) ? H_HOST : H_OTHER;
    case 10: return !memcmp(p->name, "connection", 10) ? H_CONNECTION : H_OTHER;
    case 14: return !memcmp(p->name, "content-length", 14) ? H_CONTENT_LENGTH : H_OTHER;
    case 17: return !memcmp(p->name, "transfer-encoding", 17) ? H_TRANSFER_ENCODING : H_OTHER;
    }
    return H_OTHER;
}

/* The end of the request line: the version, then the method, decide. */
static int request_line_done(http_parser_t *p)
{
    if (p->major != 1) {
        fail(p, 505);
        return 1;
    }
    if (p->method_len == 3 && !memcmp(p->method, "GET", 3)) p->req.method = HTTP_M_GET;
    else if (p->method_len == 4 && !memcmp(p->method, "HEAD", 4)) p->req.method = HTTP_M_HEAD;
    else {
        fail(p, 405);
        return 1;
    }
    p->state = S_HDR_START;
    return 0;
}

/* The end of a header line. */
static void header_done(http_parser_t *p)
{
    if (p->hdr == H_CONNECTION && p->tok_len) conn_token(p);
    if (p->hdr == H_CONTENT_LENGTH && p->sub == 0) fail(p, 400); /* no digit */
    else p->state = S_HDR_START;
}

/* The empty line: the request is complete (or a 400). */
static void headers_done(http_parser_t *p)
{
    if ((p->req.minor == 1 && p->host_count != 1) || p->host_count > 1 || p->te || p->cl_count > 1 ||
        p->content_length > 0) {
        fail(p, 400);
        return;
    }
    p->req.keep_alive = p->req.minor == 1 ? !p->conn_close : (p->conn_keep && !p->conn_close);
    p->state = S_DONE;
}

/* One byte of a header value. Returns 0, or 1 on an error. */
static int value_byte(http_parser_t *p, uint8_t c)
{
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
        fail(p, 400);
        return 1;
    }
    int ws = c == ' ' || c == '\t';
    switch (p->hdr) {
    case H_CONNECTION:
        if (c == ',' ) conn_token(p);
        else if (!ws) {
            if (p->tok_len < sizeof p->tok) p->tok[p->tok_len] = (char)lower(c);
            if (p->tok_len < 0xffff) p->tok_len++;
        } else if (p->tok_len) {
            conn_token(p); /* a space ends a token ("close ,x" or "close") */
        }
        break;
    case H_CONTENT_LENGTH:
        /* sub: 0 before the digits, 1 in them, 2 after (only spaces) */
        if (ws) {
            if (p->sub == 1) p->sub = 2;
        } else if (c >= '0' && c <= '9' && p->sub != 2) {
            p->sub = 1;
            if (p->content_length > (UINT64_MAX >> 8)) {
                fail(p, 400);
                return 1;
            }
            p->content_length = p->content_length * 10 + (uint64_t)(c - '0');
        } else {
            fail(p, 400);
            return 1;
        }
        break;
    }
    return 0;
}

size_t http_parse(http_parser_t *restrict p, const uint8_t *restrict buf, size_t len, int *restrict done)
{
    *done = 0;
    if (p->state == S_DONE) {
        if (p->req.status) {
            *done = 1;
            return 0;
        }
        next_request(p); /* the previous request was handed out */
    }
    size_t i = 0;
    while (i < len) {
        uint8_t c = buf[i++];
        if (p->state >= S_HDR_START || (p->state == S_START && (c == '\r' || c == '\n'))) {
            if (++p->hdr_bytes > HTTP_HEADERS_MAX) {
                fail(p, 431);
                break;
            }
        }
        if (p->saw_cr) { /* a CR must end a line */
            p->saw_cr = 0;
            if (c != '\n') {
                fail(p, 400);
                break;
            }
        }
        if (c == '\r') {
            if (p->state == S_START || p->state == S_LINE_END || p->state == S_HDR_START ||
                p->state == S_HDR_VALUE || (p->state == S_VERSION && p->sub == 8)) {
                p->saw_cr = 1;
                continue;
            }
            fail(p, 400);
            break;
        }
        switch (p->state) {
        case S_START:
            if (c == '\n') break;
            p->state = S_METHOD;
            /* fall through */
        case S_METHOD:
            if (c == ' ' && p->method_len) {
                p->state = S_TARGET0;
            } else if (is_tchar(c)) {
                if (p->method_len < HTTP_METHOD_MAX) p->method[p->method_len++] = (char)c;
                else p->method_len = HTTP_METHOD_MAX; /* too long for any we know: 405 */
            } else {
                fail(p, 400);
            }
            break;
        case S_TARGET0:
            if (lower(c) == 'h') { /* absolute form (RFC 9112 3.2.2: a server must accept it) */
                p->state = S_SCHEME;
                p->sub = 1;
                p->target_len = 1;
                break;
            }
            if (c != '/') {
                fail(p, 400); /* origin form or absolute form only */
                break;
            }
            p->state = S_TARGET;
            goto target;
        case S_SCHEME:
            /* sub: bytes of "http://" matched; the scheme's letters in any case */
            if ((p->sub < 4 ? lower(c) : c) != (uint8_t)"http://"[p->sub]) {
                fail(p, 400);
                break;
            }
            p->target_len++;
            if (++p->sub == 7) {
                p->state = S_AUTHORITY;
                p->sub = 0;
            }
            break;
        case S_AUTHORITY:
            /* sub: authority bytes (saturating); the path starts at '/', an
             * empty path is "/" */
            if ((c == '/' || c == '?' || c == '#' || c == ' ') && p->sub) {
                p->req.path[0] = '/';
                p->req.path_len = 1;
                p->state = S_TARGET;
                if (c == '/') {
                    p->req.path_len = 0;
                    goto target;
                }
                if (c == ' ') {
                    p->state = S_VERSION;
                    p->sub = 0;
                    break;
                }
                p->in_query = 1;
                goto target;
            }
            if (c <= 0x20 || c >= 0x7f || c == '/' || c == '?' || c == '#') {
                fail(p, 400); /* no authority, or a byte no URI has */
                break;
            }
            if (++p->target_len > HTTP_TARGET_MAX) {
                fail(p, 414);
                break;
            }
            if (p->sub < 255) p->sub++;
            break;
        case S_TARGET:
        target:
            if (c == ' ') {
                p->state = S_VERSION;
                p->sub = 0;
                break;
            }
            if (c <= 0x20 || c >= 0x7f) {
                fail(p, 400);
                break;
            }
            if (++p->target_len > HTTP_TARGET_MAX) {
                fail(p, 414);
                break;
            }
            if (c == '?' || c == '#') p->in_query = 1;
            if (!p->in_query) {
                if (p->req.path_len < HTTP_PATH_MAX - 1) p->req.path[p->req.path_len++] = (char)c;
                else p->req.path_long = 1;
            }
            break;
        case S_VERSION:
            /* sub: bytes of "HTTP/d.d" read */
            if (p->sub < 5) {
                if (c != (uint8_t)"HTTP/"[p->sub]) {
                    fail(p, 400);
                    break;
                }
            } else if (p->sub == 5 || p->sub == 7) {
                if (c < '0' || c > '9') {
                    fail(p, 400);
                    break;
                }
                if (p->sub == 5) p->major = (uint8_t)(c - '0');
                else p->req.minor = c == '0' ? 0 : 1;
            } else if (p->sub == 6) {
                if (c != '.') {
                    fail(p, 400);
                    break;
                }
            } else { /* after the version: the line end */
                if (c != '\n') {
                    fail(p, 400);
                    break;
                }
                request_line_done(p);
                break;
            }
            p->sub++;
            break;
        case S_LINE_END:
            if (c != '\n') fail(p, 400);
            else p->state = S_HDR_START;
            break;
        case S_HDR_START:
            if (c == '\n') {
                headers_done(p);
                break;
            }
            if (!is_tchar(c)) { /* obs-fold (a space) or a bad name */
                fail(p, 400);
                break;
            }
            p->state = S_HDR_NAME;
            p->name_len = 0;
            /* fall through */
        case S_HDR_NAME:
            if (c == ':') {
                p->hdr = header_kind(p);
                p->sub = 0;
                p->tok_len = 0;
                if (p->hdr == H_HOST) p->host_count++;
                if (p->hdr == H_CONTENT_LENGTH) p->cl_count++;
                if (p->hdr == H_TRANSFER_ENCODING) p->te = 1;
                p->state = S_HDR_VALUE;
            } else if (is_tchar(c)) {
                if (p->name_len < sizeof p->name) p->name[p->name_len] = (char)lower(c);
                if (p->name_len < 0xffff) p->name_len++;
            } else {
                fail(p, 400); /* space before the colon, or a bad byte */
            }
            break;
        case S_HDR_VALUE:
            if (c == '\n') header_done(p);
            else if (!value_byte(p, c) && (p->hdr == H_OTHER || p->hdr == H_HOST)) {
                /* the rest of an ordinary value at once: up to a control
                 * byte (the line end, or an error the next round finds) */
                size_t j = i;
                while (j < len && (buf[j] >= 0x20 || buf[j] == '\t') && buf[j] != 0x7f) j++;
                if (p->hdr_bytes + (j - i) > HTTP_HEADERS_MAX) { /* where byte by byte would stop */
                    i += HTTP_HEADERS_MAX - p->hdr_bytes + 1;
                    fail(p, 431);
                    break;
                }
                p->hdr_bytes += (uint32_t)(j - i);
                i = j;
            }
            break;
        }
        if (p->state == S_DONE) break;
    }
    if (p->state == S_DONE) {
        p->req.path[p->req.path_len] = 0;
        if (p->req.status) {
            p->req.keep_alive = 0;
            if (p->req.status != 405) p->req.method = p->req.method == HTTP_M_HEAD ? HTTP_M_HEAD : HTTP_M_OTHER;
        }
        *done = 1;
    }
    return i;
}
