/* dlnet.c - the host build of the stack on a Linux TAP device, with a TCP
 * echo service (port 7) or a static HTTP server (port 80), so that ordinary
 * clients can talk to it:
 *
 *   dlnet --tap IFNAME --ip ADDR/LEN --app echo|http [--drop-every N]
 *
 * The TAP glue drops every Nth frame (both directions) to exercise loss
 * recovery. SIGINT/SIGTERM stop it cleanly (counters on stderr, exit 0);
 * bad options print the usage and exit 2; a runtime failure exits 1.
 *
 * HTTP: GET /N answers N bytes of "0123456789" repeated; any other path a
 * short page. Every response closes the connection. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "net/net.h"

#define MAX_CONNS 256

typedef struct app_conn {
    int used, peer_fin, responding, closed;
    uint32_t h;
    char req[2048];
    uint32_t reqlen;
    uint64_t body_left, body_off; /* HTTP response body still to send */
    char head[256];
    uint32_t head_len, head_off;
} app_conn_t;

static struct {
    net_t *net;
    int fd;
    int http;
    uint32_t drop_every, nframes, dropped;
    app_conn_t conns[MAX_CONNS];
} D;

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static uint64_t now_ns(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Counts a frame; returns 1 when the glue drops it. */
static int glue_drop(void)
{
    D.nframes++;
    if (D.drop_every && D.nframes % D.drop_every == 0) {
        D.dropped++;
        return 1;
    }
    return 0;
}

static int tap_tx(void *ctx, const uint8_t *frame, uint32_t len)
{
    (void)ctx;
    if (glue_drop()) return 0;
    return write(D.fd, frame, len) == (ssize_t)len ? 0 : -1;
}

static app_conn_t *conn_of(uint32_t h) { return &D.conns[(h & 0xfffff) % MAX_CONNS]; }

static void app_close(app_conn_t *a)
{
    if (a->closed) return;
    a->closed = 1;
    a->used = 0;
    net_tcp_close(D.net, a->h);
}

/* Echo: read only what can be sent back, so TCP flow control reaches the
 * client; close after the client's FIN once everything is echoed. */
static void echo_pump(app_conn_t *a)
{
    uint8_t buf[16384];
    for (;;) {
        int64_t space = net_tcp_send_space(D.net, a->h);
        if (space <= 0) return; /* NET_EV_WRITABLE brings us back */
        int64_t n = net_tcp_recv(D.net, a->h, buf, (uint32_t)(space < (int64_t)sizeof buf ? space : (int64_t)sizeof buf));
        if (n < 0) return;
        if (n == 0) {
            if (a->peer_fin) app_close(a);
            return;
        }
        net_tcp_send(D.net, a->h, buf, (uint32_t)n);
    }
}

static void http_start(app_conn_t *a)
{
    a->req[a->reqlen] = 0;
    unsigned long long n = 0;
    int sized = sscanf(a->req, "GET /%llu ", &n) == 1;
    if (!sized) n = strlen("<html><body>dlnet: DLibOS reference stack</body></html>\n");
    a->head_len = (uint32_t)snprintf(a->head, sizeof a->head,
                                     "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %llu\r\n"
                                     "Connection: close\r\n\r\n", sized ? "application/octet-stream" : "text/html", n);
    a->head_off = 0;
    a->body_left = n;
    a->body_off = sized ? 0 : UINT64_MAX;
    a->responding = 1;
}

static void http_pump(app_conn_t *a)
{
    if (!a->responding) {
        int64_t n = net_tcp_recv(D.net, a->h, a->req + a->reqlen, (uint32_t)(sizeof a->req - 1 - a->reqlen));
        if (n > 0) a->reqlen += (uint32_t)n;
        a->req[a->reqlen] = 0;
        if (strstr(a->req, "\r\n\r\n")) http_start(a);
        else if (a->reqlen == sizeof a->req - 1 || a->peer_fin) app_close(a);
        if (!a->responding) return;
    } else {
        uint8_t sink[4096]; /* ignore anything after the request */
        while (net_tcp_recv(D.net, a->h, sink, sizeof sink) > 0) {}
    }
    if (a->head_off < a->head_len) {
        int64_t n = net_tcp_send(D.net, a->h, a->head + a->head_off, a->head_len - a->head_off);
        if (n > 0) a->head_off += (uint32_t)n;
        if (a->head_off < a->head_len) return;
    }
    static const char page[] = "<html><body>dlnet: DLibOS reference stack</body></html>\n";
    char buf[16384];
    while (a->body_left) {
        uint32_t k = a->body_left < sizeof buf ? (uint32_t)a->body_left : (uint32_t)sizeof buf;
        if (a->body_off == UINT64_MAX) {
            k = (uint32_t)a->body_left;
            memcpy(buf, page + (sizeof page - 1 - a->body_left), k);
        } else {
            for (uint32_t i = 0; i < k; i++) buf[i] = (char)('0' + (a->body_off + i) % 10);
        }
        int64_t n = net_tcp_send(D.net, a->h, buf, k);
        if (n <= 0) return;
        a->body_left -= (uint64_t)n;
        if (a->body_off != UINT64_MAX) a->body_off += (uint64_t)n;
    }
    app_close(a);
}

static void tcp_event(void *ctx, uint32_t h, uint32_t ev)
{
    (void)ctx;
    app_conn_t *a = conn_of(h);
    if (ev & NET_EV_ACCEPT) {
        if (a->used) { /* slot taken (more connections than MAX_CONNS) */
            net_tcp_abort(D.net, h);
            return;
        }
        memset(a, 0, sizeof *a);
        a->used = 1;
        a->h = h;
    }
    if (!a->used || a->h != h) return;
    if (ev & NET_EV_RESET) {
        app_close(a);
        return;
    }
    if (ev & NET_EV_PEER_FIN) a->peer_fin = 1;
    if (D.http) http_pump(a); else echo_pump(a);
}

static void usage(const char *msg)
{
    FILE *out = msg ? stderr : stdout;
    if (msg) fprintf(stderr, "dlnet: %s\n", msg);
    fprintf(out, "usage: dlnet --tap IFNAME --ip ADDR/LEN --app echo|http [--drop-every N]\n"
                    "  Runs the DLibOS reference stack on a TAP device: TCP echo on port 7 or\n"
                    "  HTTP on port 80 (GET /N returns N bytes). --drop-every N drops every\n"
                    "  Nth frame in either direction. SIGINT or SIGTERM stops it.\n");
    exit(msg ? 2 : 0);
}

static int tap_open(const char *name)
{
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "dlnet: /dev/net/tun: %s\n", strerror(errno));
        return -1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        fprintf(stderr, "dlnet: TUNSETIFF %s: %s\n", name, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* What the command line asked for. */
typedef struct dlnet_opts {
    const char *tap, *ipstr;
    int http;
    uint32_t drop_every;
    uint32_t ip;
    int plen;
} dlnet_opts_t;

/* Reads the options; a bad one prints the usage and exits 2. */
static void parse_options(int argc, char **argv, dlnet_opts_t *o)
{
    const char *app = NULL;
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) usage(NULL);
        if (i + 1 >= argc) usage("option needs a value, or unknown option");
        const char *v = argv[++i];
        if (!strcmp(opt, "--tap")) o->tap = v;
        else if (!strcmp(opt, "--ip")) o->ipstr = v;
        else if (!strcmp(opt, "--app")) app = v;
        else if (!strcmp(opt, "--drop-every")) {
            char *end;
            long drop = strtol(v, &end, 10);
            if (*end || drop < 2 || drop > 1000000) usage("--drop-every needs a number from 2 to 1000000");
            o->drop_every = (uint32_t)drop;
        } else {
            usage("unknown option");
        }
    }
    if (!o->tap || !o->ipstr || !app) usage("--tap, --ip and --app are required");
    if (strlen(o->tap) >= IFNAMSIZ) usage("interface name too long");
    if (strcmp(app, "echo") && strcmp(app, "http")) usage("--app must be echo or http");
    o->http = !strcmp(app, "http");
    char addr[32];
    const char *slash = strchr(o->ipstr, '/');
    char *end;
    long plen = slash ? strtol(slash + 1, &end, 10) : -1;
    if (!slash || (size_t)(slash - o->ipstr) >= sizeof addr || *end || plen < 1 || plen > 30)
        usage("--ip must be ADDR/LEN with LEN 1..30");
    memcpy(addr, o->ipstr, (size_t)(slash - o->ipstr));
    addr[slash - o->ipstr] = 0;
    struct in_addr in;
    if (inet_pton(AF_INET, addr, &in) != 1) usage("--ip: not an IPv4 address");
    o->ip = ntohl(in.s_addr);
    o->plen = (int)plen;
}

/* A stack for the options' address, listening on the app's port; NULL when
 * it cannot be made. */
static net_t *stack_open(const dlnet_opts_t *o)
{
    net_config_t cfg;
    net_config_default(&cfg);
    cfg.ip = o->ip;
    cfg.netmask = 0xffffffffu << (32 - o->plen);
    uint8_t mac[6] = {0x02, 0xd1, (uint8_t)(cfg.ip >> 24), (uint8_t)(cfg.ip >> 16), (uint8_t)(cfg.ip >> 8),
                      (uint8_t)cfg.ip};
    memcpy(cfg.mac, mac, 6);
    cfg.max_conns = MAX_CONNS;
    cfg.hash_buckets = 256;
    cfg.rcv_buf = 32768;
    cfg.snd_buf = 65536;
    cfg.secret = now_ns(NULL) ^ (uint64_t)getpid() << 32; /* a live tool: not deterministic */
    size_t fp = net_footprint(&cfg);
    if (!fp) usage("--ip: unusable address");
    void *mem = aligned_alloc(net_align(), (fp + net_align() - 1) / net_align() * net_align());
    if (!mem) return NULL;
    net_hal_t hal = {.now_ns = now_ns, .tx = tap_tx, .tcp_event = tcp_event};
    net_t *net = net_join(net_new(mem, &cfg, &hal));
    if (!net) {
        free(mem);
        return NULL;
    }
    if (net_tcp_listen(net, o->http ? 80 : 7, 64)) {
        free(net_delete(net_leave(net)));
        return NULL;
    }
    return net;
}

/* Frames from the TAP device into the stack, timers every millisecond,
 * until a signal. Returns 0, or -1 when polling fails. */
static int serve(void)
{
    static uint8_t frame[65536];
    uint64_t next_timer = 0;
    while (!stop) {
        struct pollfd p = {D.fd, POLLIN, 0};
        int r = poll(&p, 1, 2);
        if (r < 0 && errno != EINTR) {
            perror("dlnet: poll");
            return -1;
        }
        if (r > 0 && (p.revents & POLLIN)) {
            for (int k = 0; k < 64; k++) { /* a batch, then the timers */
                ssize_t n = read(D.fd, frame, sizeof frame);
                if (n <= 0) break;
                if (!glue_drop()) net_input(D.net, frame, (uint32_t)n);
                struct pollfd q = {D.fd, POLLIN, 0};
                if (poll(&q, 1, 0) <= 0) break;
            }
        }
        uint64_t t = now_ns(NULL);
        if (t >= next_timer) {
            net_timer(D.net);
            next_timer = t + 1000000;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    dlnet_opts_t o;
    parse_options(argc, argv, &o);
    D.http = o.http;
    D.drop_every = o.drop_every;
    D.fd = tap_open(o.tap);
    if (D.fd < 0) return 1;
    D.net = stack_open(&o);
    if (!D.net) return 1;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    fprintf(stderr, "dlnet: %s on %s, %s port %d%s\n", o.ipstr, o.tap, o.http ? "http" : "echo",
            o.http ? 80 : 7, o.drop_every ? " (dropping frames)" : "");
    if (serve()) return 1;

    const net_counters_t *c = net_counters(D.net);
    fprintf(stderr, "dlnet: stopped; %u frames dropped by --drop-every\n", D.dropped);
    for (unsigned i = 0; i < NET_COUNTER_CNT; i++) {
        uint64_t v = ((const uint64_t *)c)[i];
        if (v) fprintf(stderr, "  %-18s %llu\n", net_counter_name(i), (unsigned long long)v);
    }
    close(D.fd);
    free(net_delete(net_leave(D.net)));
    return 0;
}
