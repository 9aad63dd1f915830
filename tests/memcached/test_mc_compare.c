/* test_mc_compare.c - the engine (stack/apps/memcached, built on the host)
 * against Debian's memcached: the test starts `memcached` on 127.0.0.1 at
 * a free port (killed at the end, and by the kernel if the test dies:
 * PR_SET_PDEATHSIG), runs tests/memcached/compare.txt against both, step by
 * step, and compares the replies line by line after mc_normalise, which
 * lists what legitimately differs (the version number and every STAT
 * line). CAS uniques are compared as they are: the engine hands them out as
 * memcached does. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mc_script.h"
#include "test_util.h"

#define MEMCACHED_BIN "/usr/bin/memcached"
#define SENTINEL      "md __sentinel__ Ofin\r\n"
#define SENTINEL_REPLY "NF Ofin\r\n"
#define STEP_TIMEOUT_MS 10000

static pid_t server;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t l = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &l);
    close(fd);
    return ntohs(a.sin_port);
}

static int try_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

/* Starts memcached (64 MiB, 1 MiB items: the engine's defaults); returns
 * its port. */
static int server_start(void)
{
    int port = free_port();
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    server = fork();
    ck_assert_int_ge(server, 0);
    if (server == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        if (geteuid() == 0)
            execl(MEMCACHED_BIN, "memcached", "-u", "root", "-l", "127.0.0.1", "-p", ps, "-U", "0", "-m", "64",
                  "-I", "1m", "-t", "1", (char *)NULL);
        else
            execl(MEMCACHED_BIN, "memcached", "-l", "127.0.0.1", "-p", ps, "-U", "0", "-m", "64", "-I", "1m", "-t",
                  "1", (char *)NULL);
        _exit(127);
    }
    double t0 = now_s();
    for (;;) {
        int fd = try_connect(port);
        if (fd >= 0) {
            close(fd);
            return port;
        }
        int st;
        ck_assert_msg(waitpid(server, &st, WNOHANG) == 0, "memcached exited at start (status %d)", st);
        ck_assert_msg(now_s() - t0 < 5.0, "memcached does not listen on port %d after 5 s", port);
        usleep(20000);
    }
}

static void server_stop(void)
{
    if (server > 0) {
        kill(server, SIGKILL);
        waitpid(server, NULL, 0);
        server = 0;
    }
}

static int ends_with(const mc_buf_t *b, const char *s)
{
    size_t n = strlen(s);
    return b->len >= n && memcmp(b->p + b->len - n, s, n) == 0;
}

/* Sends bytes and reads the replies up to the sentinel's, or until the
 * server closes (*closed). */
static void server_step(int fd, const mc_buf_t *bytes, mc_buf_t *out, int *closed, int line)
{
    size_t sent = 0;
    double t0 = now_s();
    char buf[65536];
    *closed = 0;
    while (!ends_with(out, SENTINEL_REPLY)) {
        ck_assert_msg((now_s() - t0) * 1000 < STEP_TIMEOUT_MS, "step at line %d: no reply from memcached in %d ms "
                      "(got %zu bytes)", line, STEP_TIMEOUT_MS, out->len);
        struct pollfd p = { fd, POLLIN | (sent < bytes->len ? POLLOUT : 0), 0 };
        poll(&p, 1, 100);
        if (p.revents & POLLOUT) {
            ssize_t n = send(fd, bytes->p + sent, bytes->len - sent, MSG_NOSIGNAL);
            if (n > 0) sent += (size_t)n;
            else if (n < 0 && errno != EAGAIN) { *closed = 1; break; }
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = recv(fd, buf, sizeof buf, 0);
            if (n > 0) mc_buf_add(out, buf, (size_t)n);
            else if (n == 0 || errno != EAGAIN) { *closed = 1; break; }
        }
    }
}

/* Strips the sentinel's reply (when there) and normalises. */
static void finish(const mc_buf_t *raw, mc_buf_t *norm)
{
    size_t len = raw->len;
    if (ends_with(raw, SENTINEL_REPLY)) len -= strlen(SENTINEL_REPLY);
    mc_normalise(raw->p ? raw->p : "", len, norm);
}

/* The first line where a and b differ, for the failure message. */
static void first_diff(const mc_buf_t *a, const mc_buf_t *b, char *msg, size_t n)
{
    size_t i = 0, line = 1, start = 0;
    while (i < a->len && i < b->len && a->p[i] == b->p[i]) {
        if (a->p[i] == '\n') { line++; start = i + 1; }
        i++;
    }
    snprintf(msg, n, "reply line %zu: memcached '%.120s' | engine '%.120s'", line,
             a->len > start ? a->p + start : "<end>", b->len > start ? b->p + start : "<end>");
}

START_TEST(test_compare_with_memcached)
{
    if (access(MEMCACHED_BIN, X_OK) != 0) {
        test_skip("memcached is not installed (" MEMCACHED_BIN "; make deps installs it)");
        return;
    }
    mc_script_t s;
    mc_script_load("tests/memcached/compare.txt", &s);
    int port = server_start();
    int fd = try_connect(port);
    ck_assert_int_ge(fd, 0);
    mc_args_t a;
    mc_args_default(&a);
    mc_engine_t e;
    mc_engine_init(&e, &a);
    uint64_t cas_s = 0, cas_e = 0;
    unsigned lines = 0;
    /* MC_COMPARE_LOG=FILE: memcached's normalised replies, step by step */
    FILE *log = getenv("MC_COMPARE_LOG") ? fopen(getenv("MC_COMPARE_LOG"), "w") : NULL;
    for (size_t i = 0; i < s.n; i++) {
        mc_buf_t bs = { 0 }, be = { 0 }, rs = { 0 }, ns = { 0 }, ne = { 0 };
        mc_step_bytes(&s.steps[i], cas_s, &bs);
        mc_buf_add(&bs, SENTINEL, strlen(SENTINEL));
        mc_step_bytes(&s.steps[i], cas_e, &be);
        mc_buf_add(&be, SENTINEL, strlen(SENTINEL));
        int closed;
        server_step(fd, &bs, &rs, &closed, s.steps[i].line);
        if (closed) {
            close(fd);
            fd = try_connect(port);
            ck_assert_int_ge(fd, 0);
        }
        e.out.len = 0;
        mc_engine_feed(&e, be.p, be.len, 0);
        cas_s = mc_last_cas(rs.p ? rs.p : "", rs.len, cas_s);
        cas_e = mc_last_cas(e.out.p ? e.out.p : "", e.out.len, cas_e);
        finish(&rs, &ns);
        finish(&e.out, &ne);
        ck_assert_msg(closed == e.closed, "step at line %d: memcached %s the connection, the engine %s",
                      s.steps[i].line, closed ? "closed" : "kept", e.closed ? "closed it" : "kept it");
        char msg[512];
        if (ns.len != ne.len || (ns.len && memcmp(ns.p, ne.p, ns.len))) first_diff(&ns, &ne, msg, sizeof msg);
        ck_assert_msg(ns.len == ne.len && (!ns.len || !memcmp(ns.p, ne.p, ns.len)), "step at line %d: %s",
                      s.steps[i].line, msg);
        for (size_t k = 0; k < ns.len; k++) lines += ns.p[k] == '\n';
        if (log) fprintf(log, "---- step at line %d\n%.*s", s.steps[i].line, (int)(ns.len < 4000 ? ns.len : 4000),
                         ns.p ? ns.p : "");
        mc_buf_free(&bs); mc_buf_free(&be); mc_buf_free(&rs); mc_buf_free(&ns); mc_buf_free(&ne);
    }
    close(fd);
    server_stop();
    if (log) fclose(log);
    ck_assert_uint_gt(lines, 300);   /* the script was really run */
    mc_engine_free(&e);
    mc_script_free(&s);
}
END_TEST

Suite *mc_compare_suite(void);
Suite *mc_compare_suite(void)
{
    Suite *s = suite_create("mc_compare");
    TCase *tc = tcase_create("memcached");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_compare_with_memcached);
    suite_add_tcase(s, tc);
    return s;
}
