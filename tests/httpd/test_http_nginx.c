/* test_http_nginx.c - the httpd's request parser beside a real server:
 * each request of a table (well formed, malformed, oversized) is sent to
 * Debian's nginx on loopback (started by the test in its own folder, on a
 * port of its own, stopped by its pid) and parsed by http_parse with the
 * same two documents; the status codes must be the same, except where the
 * table names nginx's different answer (a documented choice of ours,
 * stack/apps/httpd/README.md): then nginx must still give exactly that, and
 * ours must differ, so a change on either side shows. Skipped (saying why)
 * without nginx. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "apps/httpd/http_docs.h"
#include "apps/httpd/http_parse.h"
#include "test_util.h"

#define H "Host: a\r\n"

static const struct {
    const char *req;
    unsigned nginx;   /* 0: nginx answers as we do; else nginx's other answer */
    const char *why;
} cases[] = {
    { "GET / HTTP/1.1\r\n" H "\r\n", 0, NULL },
    { "GET /a HTTP/1.1\r\n" H "\r\n", 0, NULL },
    { "GET /nothere HTTP/1.1\r\n" H "\r\n", 0, NULL },
    { "HEAD /a HTTP/1.0\r\n\r\n", 0, NULL },
    { "\r\nGET / HTTP/1.0\n\n", 0, NULL },
    { "GET / HTTP/1.7\r\n" H "\r\n", 0, NULL },
    { "GET http://a/a HTTP/1.1\r\n" H "\r\n", 0, NULL },
    { "GET /a?x=1 HTTP/1.1\r\n" H "\r\n", 0, NULL },
    { "GET / HTTP/1.1\r\n" H "Content-Length: 0\r\n\r\n", 0, NULL },
    { "POST / HTTP/1.1\r\n" H "\r\n", 0, NULL },
    { "DELETEEVERYTHINGNOW / HTTP/1.1\r\n" H "\r\n", 0, NULL },
    { "GET / HTTP/2.0\r\n" H "\r\n", 0, NULL },
    { "GET / HTTX/1.1\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.1x\r\n\r\n", 0, NULL },
    { "GET / HTTP/1\r\n\r\n", 0, NULL },
    { "GET /  HTTP/1.1\r\n\r\n", 0, NULL },
    { "GET  / HTTP/1.1\r\n\r\n", 0, NULL },
    { " GET / HTTP/1.1\r\n\r\n", 0, NULL },
    { "GET * HTTP/1.1\r\n" H "\r\n", 0, NULL },
    { "GET /a\x01 HTTP/1.1\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.1\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.1\r\n" H "Host: b\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.0\r\n" H "Host: b\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.1\r\n" H "X: 1\r\n folded\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.1\r\n" H "\tX: 1\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.1\r\n" H ": empty name\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.1\r\n" H "No colon\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.1\rHost: a\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.1\r\n" H "Content-Length: 0\r\nContent-Length: 0\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.1\r\n" H "Content-Length: 1x\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.1\r\n" H "Content-Length: 1 2\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.1\r\n" H "Content-Length:\r\n\r\n", 0, NULL },
    { "GET / HTTP/1.1\r\n" H "Content-Length: 99999999999999999999999\r\n\r\n", 0, NULL },
    /* our choices */
    { "get / HTTP/1.1\r\n" H "\r\n", 400, "nginx wants an upper-case method; ours: an unknown method, 405" },
    { "GET / HTTP/0.9\r\n\r\n", 400, "ours: a version we do not serve, 505" },
    { "GET /\xc3\xa9 HTTP/1.1\r\n" H "\r\n", 404, "nginx takes non-ASCII bytes in a target; ours: 400" },
    { "GET / HTTP/1.1\r\n" H "X: a\x01 b\r\n\r\n", 200, "nginx takes control bytes in a value; ours: 400" },
    { "GET / HTTP/1.1\r\n" H "X: a\x7f\r\n\r\n", 200, "nginx takes DEL in a value; ours: 400" },
    { "GET / HTTP/1.1\r\nHost: a\r\r\n\r\n", 200, "nginx takes CR CR LF; ours: a CR not before LF, 400" },
    { "GET / HTTP/1.1\r\n" H "Content-Length: 5\r\n\r\nhello", 200,
      "nginx reads and drops a GET's content; ours: no content on GET, 400" },
    { "GET / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 200,
      "nginx reads and drops a GET's content; ours: no content on GET, 400" },
};

/* Our answer: the parser's error, else 200 for a document, 404 for none. */
static unsigned ours(const char *req, const http_docs_t *docs)
{
    http_parser_t p;
    http_parser_init(&p);
    int done;
    http_parse(&p, (const uint8_t *)req, strlen(req), &done);
    ck_assert_msg(done, "no request in '%s'", req);
    if (p.req.status) return p.req.status;
    return !p.req.path_long && http_docs_find(docs, p.req.path, p.req.path_len) ? 200 : 404;
}

/* nginx's status for one request on a new connection (0: none; no
 * assertion here, so that a failure still stops nginx). */
static unsigned theirs(int port, const char *req, size_t len)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return 0;
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = { 2, 0 };
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int rc = -1;
    for (int tries = 0; tries < 50 && rc != 0; tries++) { /* nginx may still be starting */
        rc = connect(s, (struct sockaddr *)&a, sizeof a);
        if (rc) {
            close(s);
            usleep(100000);
            s = socket(AF_INET, SOCK_STREAM, 0);
            setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        }
    }
    if (rc != 0 || send(s, req, len, 0) != (ssize_t)len) {
        fprintf(stderr, "cannot reach nginx on port %d: %s\n", port, strerror(errno));
        close(s);
        return 0;
    }
    char buf[64] = "";
    ssize_t n = recv(s, buf, sizeof buf - 1, 0);
    close(s);
    unsigned st = 0;
    if (n > 12) sscanf(buf, "HTTP/1.1 %u", &st);
    return st;
}

START_TEST(same_answers_as_nginx)
{
    if (access("/usr/sbin/nginx", X_OK) != 0) {
        test_skip("no /usr/sbin/nginx (Debian's nginx-light)");
        return;
    }
    const char *dir = test_temp_dir();
    int port = 20000 + (int)(getpid() % 20000);
    char path[700], cmd[1600];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/www %s/logs && echo x > %s/www/index.html && echo y > %s/www/a", dir, dir,
             dir, dir);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(path, sizeof path, "%s/nginx.conf", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%sworker_processes 1;\ndaemon on;\npid %s/nginx.pid;\nerror_log %s/error.log;\n"
               "events { worker_connections 64; }\nhttp {\n  access_log off;\n"
               "  client_body_temp_path %s/b; proxy_temp_path %s/p; fastcgi_temp_path %s/f;\n"
               "  uwsgi_temp_path %s/u; scgi_temp_path %s/s;\n"
               "  server { listen 127.0.0.1:%d; root %s/www; }\n}\n",
            geteuid() == 0 ? "user root;\n" : "", dir, dir, dir, dir, dir, dir, dir, port, dir);
    fclose(f);
    snprintf(cmd, sizeof cmd, "/usr/sbin/nginx -p %s -c %s 2>&1", dir, path);
    char out[2048];
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "nginx did not start (%d):\n%s", rc, out);

    http_docs_t docs;
    char err[256];
    ck_assert_int_eq(http_docs_parse("docs=/:2,/a:2", &docs, err, sizeof err), 0);
    char failures[8192] = "";
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned us = ours(cases[i].req, &docs), them = theirs(port, cases[i].req, strlen(cases[i].req));
        int ok = cases[i].nginx ? (them == cases[i].nginx && us != them) : us == them;
        if (!ok)
            snprintf(failures + strlen(failures), sizeof failures - strlen(failures),
                     "case %zu: ours %u, nginx %u (table: %u%s%s)\n", i, us, them, cases[i].nginx,
                     cases[i].why ? ", " : "", cases[i].why ? cases[i].why : "");
    }
    /* the limits: nginx's are per line (8 KiB), ours on the target and the head */
    char *big = malloc(16384);
    strcpy(big, "GET /");
    memset(big + 5, 'a', 1089);
    strcpy(big + 5 + 1089, " HTTP/1.1\r\n" H "\r\n");
    unsigned us = ours(big, &docs), them = theirs(port, big, strlen(big));
    if (us != 414 || them != 404)
        snprintf(failures + strlen(failures), sizeof failures - strlen(failures),
                 "a 1090-byte target: ours %u (414 expected), nginx %u (404 expected)\n", us, them);
    strcpy(big, "GET / HTTP/1.1\r\n" H "X: ");
    memset(big + strlen(big), 'v', 9000);
    strcpy(big + strlen(big), "\r\n\r\n");
    us = ours(big, &docs), them = theirs(port, big, strlen(big));
    if (us != 431 || them != 400)
        snprintf(failures + strlen(failures), sizeof failures - strlen(failures),
                 "a 9000-byte header: ours %u (431 expected), nginx %u (400 expected)\n", us, them);
    free(big);

    char pid[700];
    snprintf(pid, sizeof pid, "%s/nginx.pid", dir);
    char *p = test_read_file(pid);
    ck_assert_ptr_nonnull(p);
    kill((pid_t)atoi(p), SIGTERM);
    free(p);
    ck_assert_msg(failures[0] == 0, "answers differ from nginx's:\n%s", failures);
}
END_TEST

Suite *http_nginx_suite(void)
{
    Suite *s = suite_create("http_nginx");
    TCase *t = tcase_create("nginx");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, same_answers_as_nginx);
    suite_add_tcase(s, t);
    return s;
}
