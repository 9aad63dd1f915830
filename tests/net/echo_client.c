/* echo_client.c - a Linux socket client for the interoperability test: sends
 * BYTES of a known pattern to an echo service while reading the echo back,
 * half-closes, reads to the end, and checks every byte.
 *
 *   net_echo_client ADDR PORT BYTES TIMEOUT_S     exit 0 when all came back */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint8_t pat(uint64_t i) { return (uint8_t)(i * 31 + (i >> 10)); }

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: net_echo_client ADDR PORT BYTES TIMEOUT_S\n");
        return 2;
    }
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2]))};
    if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) return 2;
    uint64_t total = strtoull(argv[3], NULL, 10);
    double deadline = now() + atof(argv[4]);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        fprintf(stderr, "echo_client: connect: %s\n", strerror(errno));
        return 1;
    }
    fcntl(fd, F_SETFL, O_NONBLOCK);
    uint64_t sent = 0, got = 0;
    int wr_closed = 0;
    uint8_t buf[65536];
    while (got < total || !wr_closed) {
        if (now() > deadline) {
            fprintf(stderr, "echo_client: timeout: sent %llu, received %llu of %llu\n", (unsigned long long)sent,
                    (unsigned long long)got, (unsigned long long)total);
            return 1;
        }
        struct pollfd p = {fd, (short)(POLLIN | (sent < total ? POLLOUT : 0)), 0};
        if (poll(&p, 1, 100) < 0) return 1;
        if (sent < total && (p.revents & POLLOUT)) {
            size_t k = total - sent < sizeof buf ? (size_t)(total - sent) : sizeof buf;
            for (size_t i = 0; i < k; i++) buf[i] = pat(sent + i);
            ssize_t n = send(fd, buf, k, MSG_NOSIGNAL);
            if (n > 0) sent += (uint64_t)n;
            else if (n < 0 && errno != EAGAIN) {
                fprintf(stderr, "echo_client: send: %s\n", strerror(errno));
                return 1;
            }
        }
        if (sent == total && !wr_closed) {
            shutdown(fd, SHUT_WR);
            wr_closed = 1;
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = recv(fd, buf, sizeof buf, 0);
            if (n == 0) break;
            if (n < 0 && errno != EAGAIN) {
                fprintf(stderr, "echo_client: recv: %s\n", strerror(errno));
                return 1;
            }
            for (ssize_t i = 0; i < n; i++)
                if (buf[i] != pat(got + (uint64_t)i)) {
                    fprintf(stderr, "echo_client: byte %llu differs\n", (unsigned long long)(got + (uint64_t)i));
                    return 1;
                }
            if (n > 0) got += (uint64_t)n;
        }
    }
    /* The server closes after echoing everything: expect EOF now. */
    while (now() < deadline) {
        struct pollfd p = {fd, POLLIN, 0};
        poll(&p, 1, 100);
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n == 0) break;
        if (n > 0) {
            fprintf(stderr, "echo_client: %zd bytes more than sent\n", n);
            return 1;
        }
        if (errno != EAGAIN) break;
    }
    close(fd);
    if (got != total) {
        fprintf(stderr, "echo_client: received %llu of %llu\n", (unsigned long long)got, (unsigned long long)total);
        return 1;
    }
    printf("echo_client: %llu bytes echoed intact\n", (unsigned long long)total);
    return 0;
}
