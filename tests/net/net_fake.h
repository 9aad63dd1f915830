/* net_fake.h - the host HAL of in-memory fakes for the stack's tests and
 * fuzzer: a settable clock, a queue of transmitted frames, an event log, and
 * builders and parsers of crafted Ethernet/IPv4/TCP/UDP/ICMP/ARP frames.
 *
 * The stack under test is 10.0.0.2 (MAC 02:00:00:00:00:02); the simulated
 * peer is 10.0.0.1 (MAC 02:00:00:00:00:01). fake_new() teaches the stack the
 * peer's MAC with an ARP request, so replies go out at once. */
#ifndef DL_TESTS_NET_FAKE_H
#define DL_TESTS_NET_FAKE_H

#include <stdint.h>

#include "net/net.h"

#define FAKE_IP      0x0a000002u
#define FAKE_PEER_IP 0x0a000001u
#define FAKE_QCAP    512
#define FAKE_EVCAP   256
#define FAKE_HELDCAP 4096

extern const uint8_t fake_mac[6], fake_peer_mac[6];

typedef struct fake_frame {
    uint32_t len;
    uint8_t  b[9100];
} fake_frame_t;

typedef struct fake {
    net_t *net;
    void *mem;
    uint64_t now;
    int tx_fail;                 /* tx() refuses frames while set */
    fake_frame_t *q;             /* transmitted frames, oldest first */
    uint32_t qhead, qn;
    uint32_t ev_conn[FAKE_EVCAP], ev_bits[FAKE_EVCAP], nev;
    uint32_t last_accept;        /* handle of the last NET_EV_ACCEPT */
    uint32_t udp_n;              /* datagrams seen by udp_rx */
    uint8_t  udp_last[2048];
    uint32_t udp_last_len;
    net_udp_meta_t udp_meta;
    int udp_echo;                /* udp_rx echoes each datagram back */
    /* Zero copy. fake_input gives the stack a heap copy of each frame by
     * reference (net_input_ref); rx_release poisons and frees it, and fails
     * the test on an unknown or twice-released token. */
    int copy_input;              /* fake_input uses net_input (copy) instead */
    uint8_t *held[FAKE_HELDCAP]; /* frames given and not released */
    uint32_t nheld;
    uint64_t rx_given, rx_released;
    /* Gathers seen by tx_gather (the last one's slices kept). */
    uint64_t gathers;
    uint32_t g_hlen, g_n;
    net_iov_t g_iov[NET_IOV_MAX];
    uint64_t sent_bytes;         /* sum of net_tcp_sent on NET_EV_SENT */
    uint32_t done_n, done_last;  /* tcp_done calls */
} fake_t;

/* A stack over the fakes; cfg NULL for the defaults (with our address). */
fake_t *fake_new(const net_config_t *cfg);
/* Checks the invariants, that no connection is left and frees it all;
 * returns 0 when clean, else a description (static storage). */
const char *fake_done(fake_t *f);
void fake_free(fake_t *f);

void fake_advance(fake_t *f, uint64_t ns); /* clock += ns, then net_timer */
void fake_input(fake_t *f, const uint8_t *frame, uint32_t len);
void fake_clear(fake_t *f);                /* forget transmitted frames */
/* Pops the oldest transmitted frame into buf; returns its length or 0. */
uint32_t fake_pop(fake_t *f, uint8_t *buf);
/* Events recorded for a handle since the last call (bits OR'ed), cleared. */
uint32_t fake_events(fake_t *f, uint32_t conn);

/* A crafted TCP segment from the peer. */
typedef struct tcp_pkt {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t  flags;
    uint16_t wnd;
    const uint8_t *opt;
    uint32_t optlen;         /* multiple of 4 for a valid header */
    const void *data;
    uint32_t dlen;
} tcp_pkt_t;

/* Builds frames; return the frame length. */
uint32_t build_tcp(uint8_t *buf, const tcp_pkt_t *p);
uint32_t build_udp(uint8_t *buf, uint16_t sport, uint16_t dport, const void *data, uint32_t len);
uint32_t build_icmp_echo(uint8_t *buf, uint16_t id, uint16_t seq, const void *data, uint32_t len);
uint32_t build_arp(uint8_t *buf, uint16_t op, const uint8_t sha[6], uint32_t spa, uint32_t tpa);
/* Recomputes the IPv4 header checksum of a built frame (after tampering). */
void fix_ip_csum(uint8_t *frame);

void fake_tcp(fake_t *f, const tcp_pkt_t *p);

/* A TCP segment the stack sent, parsed; every checksum verified. */
typedef struct tcp_out {
    uint32_t src, dst;
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t  flags;
    uint16_t wnd;
    uint16_t mss;            /* option, 0 if absent */
    int      ws;             /* option, -1 if absent */
    int      has_ts;         /* timestamps option present */
    uint32_t tsval, tsecr;
    uint32_t dlen;
    uint8_t  data[9000];
} tcp_out_t;

/* Pops frames until a TCP segment; returns 1 with it in *o, 0 when the
 * queue held none. A bad checksum fails the Check test. */
int fake_pop_tcp(fake_t *f, tcp_out_t *o);
/* Counts TCP segments in the queue without popping them. */
uint32_t fake_count_tcp(const fake_t *f);

/* Opens a connection from the peer to port with the peer's ISN; returns
 * the accepted handle, our ISN in *iss. wscale < 0: no window scaling. */
uint32_t fake_passive_open(fake_t *f, uint16_t port, uint16_t pport, uint32_t pisn, int wscale, uint32_t *iss);

#endif
