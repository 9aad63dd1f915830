/* parse_loop.c - the httpd's request parser as tile firmware (built only for
 * the tests, run by dlsim --elf): parses the HTTP client driver's request
 * (sim/client_http.cpp) 1000 times, pipelined in one buffer, checks each
 * result, and prints the instructions per request; exits 0, or names what
 * failed and exits 1 (tests/httpd/test_httpd.c). */
#include <stdio.h>
#include <string.h>

#include "apps/httpd/http_parse.h"
#include "boot/tile_rt.h"

#define REQS 1000u

static const char req[] = "GET /64 HTTP/1.1\r\nHost: 10.0.0.1\r\nUser-Agent: dlsim-client\r\nAccept: */*\r\n\r\n";
static char buf[REQS * (sizeof req - 1)];

int main(void)
{
    size_t n = sizeof req - 1;
    for (unsigned i = 0; i < REQS; i++) memcpy(buf + i * n, req, n);
    static http_parser_t p;
    http_parser_init(&p);
    size_t off = 0;
    unsigned found = 0;
    uint64_t i0 = tile_instret();
    while (off < sizeof buf) {
        int done;
        off += http_parse(&p, (const uint8_t *)buf + off, sizeof buf - off, &done);
        if (!done) break;
        if (p.req.status || p.req.method != HTTP_M_GET || p.req.path_len != 3 || !p.req.keep_alive) break;
        found++;
    }
    uint64_t i1 = tile_instret();
    if (found != REQS) {
        printf("parse_loop: %u of %u requests parsed right\n", found, REQS);
        return 1;
    }
    printf("parse_loop: %lu instructions per %u-byte request\n", (unsigned long)((i1 - i0) / REQS), (unsigned)n);
    return 0;
}
