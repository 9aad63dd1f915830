/* net_priv.h - the stack's private state and the helpers its layers share:
 * big-endian loads and stores, the Internet checksum, wire constants.
 * Not for applications: they use net.h. */
#ifndef DL_STACK_NET_PRIV_H
#define DL_STACK_NET_PRIV_H

#include <string.h>

#include "net/net.h"

/* Wire constants. */
#define ETH_HLEN      14
#define ETH_TYPE_IP   0x0800
#define ETH_TYPE_ARP  0x0806
#define IP_HLEN       20
#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP  6
#define IP_PROTO_UDP  17
#define TCP_HLEN      20
#define UDP_HLEN      8
#define L4_OFF        (ETH_HLEN + IP_HLEN) /* where we build L4 in the tx buffer */

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* Sequence-number comparisons modulo 2^32. */
static inline int seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline int seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline uint32_t min_u32(uint32_t a, uint32_t b) { return a < b ? a : b; }
static inline uint32_t max_u32(uint32_t a, uint32_t b) { return a > b ? a : b; }

/* Ones'-complement sum of len bytes added to sum (not folded). */
uint64_t net_csum_add(uint64_t sum, const uint8_t *p, uint32_t len);
/* Folds and complements: the value to put in a checksum field, or 0 when a
 * sum over data including its checksum field verifies. */
uint16_t net_csum_fold(uint64_t sum);
/* Sum of the IPv4 pseudo header. */
uint64_t net_csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint32_t len);

/* TCP states (RFC 9293 names). LISTEN lives in the listener table. */
enum {
    TCP_FREE = 0, TCP_SYN_SENT, TCP_SYN_RCVD, TCP_ESTABLISHED, TCP_FIN_WAIT_1,
    TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK, TCP_TIME_WAIT,
    TCP_CLOSED /* reset or timed out, still held by the application */
};

/* Connection flags. */
#define TF_APP       0x0001 /* the application holds the handle */
#define TF_ACK_NOW   0x0002 /* send an ACK at the end of this input */
#define TF_DELACK    0x0004 /* an ACK is owed (delack timer armed) */
#define TF_FIN_Q     0x0008 /* the application closed: FIN after the data */
#define TF_WS        0x0010 /* window scaling agreed */
#define TF_RTT       0x0020 /* timing a segment (rtt_seq, rtt_start) */
#define TF_RECOVERY  0x0040 /* in fast recovery until `recover` */
#define TF_PASSIVE   0x0080 /* opened from a listener */
#define TF_FIN_RCVD  0x0100 /* the peer's FIN has been consumed */
#define TF_TS        0x0200 /* timestamps agreed (RFC 7323) */
#define TF_CLOSED    0x0400 /* the application closed it: tcp_done to come (tcp.c) */

/* A receive reference: len bytes of sequence space from seq, at p (in a
 * held frame, or in the copy ring when frame is 0). */
typedef struct rx_ref {
    uint32_t seq, len;
    const uint8_t *p;
    uint32_t frame;          /* frame slot + 1, 0 = copy ring */
    uint32_t out;            /* handed out to the application */
} rx_ref_t;

/* A held frame: its token and how many references point into it. */
typedef struct rx_frame {
    uint64_t token;
    uint32_t refs;           /* 0 = free slot */
    uint32_t next;           /* free list (slot + 1) */
} rx_frame_t;

/* A send reference: len bytes at p (sequence numbers implicit, in order). */
typedef struct tx_ref {
    const uint8_t *p;
    uint32_t len, pad;
} tx_ref_t;

typedef struct tcp_conn {
    uint8_t  state;
    uint8_t  snd_ws, rcv_ws; /* window scale shifts */
    uint8_t  dupacks;
    uint8_t  retries;
    uint8_t  in_evq;         /* on the event list (kept across reuse) */
    uint16_t gen;            /* handle generation, 1..4095 */
    uint16_t flags;
    uint16_t events;         /* pending NET_EV_* */
    uint16_t lport, rport;
    uint16_t mss;            /* what we send at most per segment */
    uint16_t listener;       /* listener index + 1 for passive opens */
    uint32_t rip;
    uint32_t hnext;          /* hash chain or free list (index + 1, 0 = end) */
    uint32_t evnext;         /* event list (index + 1) */
    /* send side */
    uint32_t iss, snd_una, snd_nxt, snd_max, snd_wr; /* snd_wr: end of queued data */
    uint32_t snd_wnd, snd_wl1, snd_wl2, max_wnd;
    uint32_t cwnd, ssthresh, recover;
    uint32_t rtt_seq;
    uint64_t rtt_start, srtt, rttvar, rto;
    uint64_t rto_at;         /* retransmission / persist / TIME_WAIT deadline, 0 = off */
    uint64_t delack_at;
    /* receive side */
    uint32_t irs, rcv_nxt, rcv_rd; /* rcv_rd: next byte the application reads */
    uint32_t rcv_adv;        /* right edge last advertised */
    uint32_t ooo_cnt;        /* ranges in use in this connection's ooo slots */
    uint32_t ts_recent;      /* the peer's timestamp to echo (RFC 7323) */
    uint32_t nrx;            /* receive references, sorted by seq */
    uint32_t tx_head, ntx;   /* send references: ring of tx_refs */
    uint32_t tx_seq;         /* sequence number of the first referenced byte */
    uint64_t sent;           /* bytes acknowledged, not yet reported by net_tcp_sent */
} tcp_conn_t;

typedef struct tcp_listener {
    uint16_t port;           /* 0 = free slot */
    uint16_t pad;
    uint32_t backlog, pending;
} tcp_listener_t;

/* ARP entry states. REFRESH: expired while in use; still used while
 * requests confirm it (as Linux's STALE/PROBE), freed if none answers. */
enum { ARP_FREE = 0, ARP_PENDING, ARP_RESOLVED, ARP_REFRESH };

typedef struct arp_entry {
    uint32_t ip;
    uint8_t  mac[6];
    uint8_t  state, tries;
    uint8_t  used;           /* resolved for output since it was (re)learnt */
    uint64_t deadline;
} arp_entry_t;

struct net {
    uint64_t magic;
    net_config_t cfg;
    net_hal_t hal;
    net_counters_t cnt;
    uint64_t now;
    uint32_t mss;            /* our MSS: mtu - 40 */
    uint8_t  rcv_ws;         /* the window scale we offer */
    uint16_t ip_id;
    uint16_t next_port;
    uint32_t conns_used;
    uint32_t free_head;      /* index + 1 */
    uint32_t ev_head, ev_tail;
    tcp_conn_t *conns;
    uint32_t *ooo;           /* max_conns * ooo_ranges * 2 (start, end) */
    uint8_t *rcv_mem, *snd_mem;
    uint32_t *buckets;       /* index + 1 */
    tcp_listener_t *lis;
    uint16_t *udp_ports;
    arp_entry_t *arp;
    uint8_t *tx;             /* ETH_HLEN + mtu: frames, and headers of gathers */
    rx_ref_t *rxr;           /* max_conns * rx_refs */
    tx_ref_t *txr;           /* max_conns * tx_refs */
    rx_frame_t *frames;      /* rx_frames */
    uint32_t frame_free;     /* slot + 1 */
    uint32_t frames_held;
    /* The frame being processed: copy (net_input) or by reference. */
    int in_ref;
    uint32_t in_slot;        /* slot + 1 once a reference into it is kept */
    uint64_t in_token;
    /* Payload slices of the segment being sent (tcp_send_seg -> ip_output). */
    net_iov_t iov[NET_IOV_MAX];
    uint32_t niov, iov_len;
};

/* Layers. */
void arp_input(net_t *net, const uint8_t *p, uint32_t len);
void arp_timer(net_t *net);
/* Fills mac for next hop ip; returns 0, or -1 after starting resolution. */
int  arp_resolve(net_t *net, uint32_t ip, uint8_t mac[6]);

void ip_input(net_t *net, const uint8_t *p, uint32_t len);
/* Sends the L4 payload already at net->tx + L4_OFF; returns 0 or -1. */
int  ip_output(net_t *net, uint32_t dst, uint8_t proto, uint32_t l4len);
int  net_tx_frame(net_t *net, uint32_t len);

/* Frame slots (net.c): a slot for the frame being processed (lazily
 * taken, 0 when none is left), and dropping one reference into a slot. */
uint32_t net_frame_hold(net_t *net);
void net_frame_put(net_t *net, uint32_t slot);

void tcp_input(net_t *net, uint32_t src, uint32_t dst, const uint8_t *p, uint32_t len);
void tcp_timer(net_t *net);
void tcp_deliver_events(net_t *net);

/* Keyed hashes (SipHash-2-4 with the configured secret). */
uint64_t net_hash(const net_t *net, uint64_t a, uint64_t b);

#endif
