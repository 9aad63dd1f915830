/* net.h - the reference TCP/IP stack: Ethernet II, ARP, IPv4, ICMP echo, UDP
 * and TCP (RFC 9293; RFC 6298 retransmission; RFC 5681/6582 congestion
 * control with fast retransmit, NewReno recovery, RFC 3042 limited transmit
 * and RFC 5827 early retransmit; RFC 7323 window scaling and timestamps
 * (no PAWS); RFC 5961 challenge ACKs; RFC 1337; SYN cookies; no SACK), for
 * one interface and one address. IP fragments are counted and dropped;
 * packets waiting for ARP resolution are dropped (counted) and TCP
 * retransmits them.
 *
 * One stack instance is one `net_t` in memory the caller provides, with the
 * Firedancer verbs: net_footprint(cfg) says how many bytes (0 = bad config),
 * net_new() formats the region, net_join() checks the magic and returns the
 * handle, net_leave()/net_delete() undo them. Several stack tiles each run
 * their own instance; nothing mutable is shared between instances. Each tile
 * owns the flows the mPIPE steers to it, and its ephemeral port range
 * (cfg.port_lo..port_hi) is chosen so that its active opens come back to it.
 *
 * Driving it: the platform calls net_input() for every received frame and
 * net_timer() periodically (every millisecond or so; it is cheap when idle).
 * The stack calls the platform back through net_hal_t (net_hal.h).
 *
 * Limits (connections, backlog, buffers, out-of-order ranges, ARP entries)
 * are all in net_config_t; reaching one is counted in net_counters_t, never a
 * crash and never a silent loss. */
#ifndef DL_STACK_NET_H
#define DL_STACK_NET_H

#include <stddef.h>
#include <stdint.h>

#include "net/net_hal.h"

#define NET_ALIGN 64UL
#define NET_MAGIC 0x444c4e4554535431ULL /* "DLNETST1" */

typedef struct net_config {
    uint8_t  mac[6];
    uint32_t ip;            /* our address, host byte order */
    uint32_t netmask;       /* e.g. 0xffffff00 */
    uint32_t gateway;       /* next hop for off-link addresses; 0 = none */
    uint32_t mtu;           /* IP MTU, 576..9000 */
    uint32_t ttl;           /* of what we send, 1..255 */
    uint32_t max_conns;     /* TCP connections (all states), 1..1<<20 */
    uint32_t max_listeners; /* listening ports */
    uint32_t max_udp_ports; /* bound UDP ports */
    uint32_t arp_entries;   /* ARP cache size */
    uint32_t rcv_buf;       /* per-connection receive window: bytes held, power of 2, >= 2*mss */
    uint32_t snd_buf;       /* per-connection bytes queued unacknowledged, power of 2, >= mss */
    uint32_t ooo_ranges;    /* out-of-order ranges kept per connection, 0..16 */
    uint32_t hash_buckets;  /* connection hash table, power of 2 */
    uint16_t port_lo;       /* ephemeral ports for active opens */
    uint16_t port_hi;
    uint64_t secret;        /* keys ISNs, SYN cookies and the hash (deterministic) */
    uint64_t rto_init_ns;   /* RFC 6298 initial RTO */
    uint64_t rto_min_ns;
    uint64_t rto_max_ns;
    uint64_t delack_ns;     /* delayed ACK timeout */
    uint64_t msl_ns;        /* TIME_WAIT lasts 2 * msl */
    uint64_t arp_ttl_ns;    /* a resolved entry expires after this */
    uint64_t arp_retry_ns;  /* interval between ARP requests */
    uint32_t arp_tries;     /* requests before giving up */
    uint32_t max_retries;   /* retransmissions of one segment before reset */
    uint32_t syn_retries;   /* SYN / SYN-ACK retransmissions */
    uint32_t rx_refs;       /* receive references per connection, 2*ooo_ranges+4..4096: data
                             * beyond them is dropped (counted), so an application that
                             * accumulates many small segments must copy and release */
    uint32_t tx_refs;       /* send references per connection, 4..4096 */
    uint32_t rx_frames;     /* frames held at once (net_input_ref), 1..1<<20; shared by all
                             * connections: max_conns * rx_refs keeps one connection's
                             * application from starving the others */
    uint32_t copy_api;      /* 1: rings for net_input/net_tcp_recv/net_tcp_send (the copy API) */
} net_config_t;

/* Fills cfg with working defaults (address 0: set ip, netmask and mac). */
void net_config_default(net_config_t *cfg);

/* Every counter, in order: X(name, meaning). Drop causes are named *_drop or
 * after the check that failed. */
#define NET_COUNTERS(X) \
    X(eth_rx, "frames received") \
    X(eth_tx, "frames transmitted") \
    X(eth_tx_fail, "frames the link refused") \
    X(eth_short, "drop: frame shorter than an Ethernet header") \
    X(eth_not_us, "drop: destination MAC neither ours nor broadcast") \
    X(eth_bad_type, "drop: EtherType not IPv4 or ARP") \
    X(arp_rx, "ARP packets received") \
    X(arp_bad, "drop: malformed ARP packet") \
    X(arp_not_us, "ARP requests for another address") \
    X(arp_req_tx, "ARP requests sent") \
    X(arp_reply_tx, "ARP replies sent") \
    X(arp_learn, "ARP cache entries created or refreshed") \
    X(arp_evict, "ARP entries evicted because the cache was full") \
    X(arp_fail, "ARP resolutions that timed out") \
    X(arp_miss_drop, "drop: outgoing packet waiting for ARP resolution") \
    X(ip_rx, "IPv4 packets received") \
    X(ip_tx, "IPv4 packets sent") \
    X(ip_short, "drop: shorter than an IPv4 header") \
    X(ip_bad_version, "drop: IP version not 4") \
    X(ip_bad_hlen, "drop: IP header length < 20 or beyond the packet") \
    X(ip_bad_len, "drop: IP total length inconsistent with the frame") \
    X(ip_bad_csum, "drop: IP header checksum") \
    X(ip_not_us, "drop: destination not our address") \
    X(ip_bad_src, "drop: source address broadcast, multicast or ours") \
    X(ip_frag_drop, "drop: IP fragment (reassembly not supported)") \
    X(ip_bad_proto, "drop: protocol not ICMP, UDP or TCP") \
    X(ip_no_route, "drop: outgoing to an off-link address without gateway") \
    X(ip_too_big, "drop: outgoing packet larger than the MTU") \
    X(icmp_rx, "ICMP messages received") \
    X(icmp_bad, "drop: ICMP message short or bad checksum") \
    X(icmp_echo_tx, "ICMP echo replies sent") \
    X(icmp_other, "ICMP messages other than echo request (ignored)") \
    X(icmp_unreach_tx, "ICMP port unreachable sent") \
    X(udp_rx, "UDP datagrams received") \
    X(udp_tx, "UDP datagrams sent") \
    X(udp_bad, "drop: UDP header short or length inconsistent") \
    X(udp_bad_csum, "drop: UDP checksum") \
    X(udp_no_port, "drop: UDP port not bound") \
    X(tcp_rx, "TCP segments received") \
    X(tcp_tx, "TCP segments sent") \
    X(tcp_short, "drop: TCP header short or data offset bad") \
    X(tcp_bad_csum, "drop: TCP checksum") \
    X(tcp_bad_opt, "drop: malformed TCP options") \
    X(tcp_bad_flags, "drop: impossible flag combination") \
    X(tcp_no_conn_rst, "segments for no connection answered by RST") \
    X(tcp_no_conn_drop, "drop: segment for no connection, not answered") \
    X(tcp_backlog_full, "SYNs beyond the backlog (answered by SYN cookie)") \
    X(tcp_conn_full, "drop: no free connection") \
    X(tcp_cookie_tx, "SYN cookies sent") \
    X(tcp_cookie_ok, "connections established from a SYN cookie") \
    X(tcp_cookie_bad, "ACKs with an invalid SYN cookie (answered by RST)") \
    X(tcp_tw_recycle, "TIME_WAIT connections reused for a new one") \
    X(tcp_accept, "passive opens completed") \
    X(tcp_connect, "active opens completed") \
    X(tcp_seq_bad, "drop: segment outside the receive window (ACKed)") \
    X(tcp_ack_bad, "drop: ACK for data not sent") \
    X(tcp_dupack, "duplicate ACKs received") \
    X(tcp_rst_rx, "resets accepted") \
    X(tcp_challenge_ack, "challenge ACKs sent (RFC 5961)") \
    X(tcp_ooo_queued, "out-of-order segments kept") \
    X(tcp_ooo_drop, "drop: out-of-order segment, no range slot left") \
    X(tcp_rcv_trim, "segments trimmed to the receive window") \
    X(tcp_old_data, "segments entirely already received (ACKed)") \
    X(tcp_fin_rx, "FINs received in order") \
    X(tcp_rto, "retransmission timeouts") \
    X(tcp_fast_rexmit, "fast retransmits") \
    X(tcp_rexmit_seg, "segments retransmitted") \
    X(tcp_probe, "zero-window probes sent") \
    X(tcp_timeout_drop, "connections reset after too many retransmissions") \
    X(tcp_delack, "delayed ACKs sent by the timer") \
    X(tcp_win_update, "window updates sent after the application read") \
    X(tcp_rst_tx, "resets sent") \
    X(tcp_tw_expire, "TIME_WAIT connections expired") \
    X(tcp_tw_rst, "resets ignored in TIME_WAIT (RFC 1337)") \
    X(tcp_rx_bytes, "payload bytes delivered in order") \
    X(tcp_rx_ref_full, "drop: segment data, no receive reference left in the connection") \
    X(tcp_rx_frame_full, "drop: segment data, no frame slot left (rx_frames)") \
    X(tcp_rx_release_bad, "releases of a reference not held by the application") \
    X(tcp_tx_bytes, "payload bytes sent (retransmissions included)")

typedef struct net_counters {
#define NET_COUNTER_FIELD(name, text) uint64_t name;
    NET_COUNTERS(NET_COUNTER_FIELD)
#undef NET_COUNTER_FIELD
} net_counters_t;

#define NET_COUNTER_CNT (sizeof(net_counters_t) / sizeof(uint64_t))

/* Name and meaning of counter i (< NET_COUNTER_CNT); NULL beyond. */
const char *net_counter_name(unsigned i);
const char *net_counter_text(unsigned i);

typedef struct net net_t;

/* Construction. footprint returns 0 when cfg is invalid. */
size_t  net_align(void);
size_t  net_footprint(const net_config_t *cfg);
void   *net_new(void *mem, const net_config_t *cfg, const net_hal_t *hal);
net_t  *net_join(void *shnet);
void   *net_leave(net_t *net);
void   *net_delete(void *shnet);

/* Processes one received Ethernet frame (no FCS). Never fails: whatever is
 * wrong with the frame is counted. Zero copy: the frame stays valid and
 * unmodified until the stack calls hal->rx_release(token), exactly once per
 * frame, as soon as it holds no reference into it (before returning when it
 * keeps no payload). */
void net_input_ref(net_t *net, const uint8_t *frame, uint32_t len, uint64_t token);

/* The copy variant: the frame is only read during the call; TCP payload is
 * copied into the connection's ring (cfg.copy_api) and referenced there.
 * Neither is re-entrant: never call them from an upcall. */
void net_input(net_t *net, const uint8_t *frame, uint32_t len);

/* Runs the timers (retransmission, delayed ACK, TIME_WAIT, ARP). */
void net_timer(net_t *net);

const net_counters_t *net_counters(const net_t *net);

/* Connections in use (every state, TIME_WAIT included) and ARP entries in
 * use; tests use them to check that nothing leaked. */
uint32_t net_conns_used(const net_t *net);
uint32_t net_arp_used(const net_t *net);
/* Frames held (net_input_ref tokens not yet released) and receive
 * references held, over all connections: 0 and 0 when nothing leaked. */
uint32_t net_rx_frames_held(const net_t *net);
uint32_t net_rx_refs_held(const net_t *net);

/* Checks the internal invariants (free list, hash chains, sequence
 * ordering); returns 0 when they hold, else a number naming the broken one. */
int net_check(const net_t *net);

/* Errors returned (negated) by the API below. */
enum { NET_EINVAL = 1, NET_ENOMEM, NET_EADDRINUSE, NET_ENOTCONN, NET_ENOROUTE };

/* TCP events passed to hal->tcp_event. */
enum {
    NET_EV_ACCEPT    = 1,  /* new connection on a listening port */
    NET_EV_CONNECTED = 2,  /* active open completed */
    NET_EV_READABLE  = 4,  /* data to read */
    NET_EV_WRITABLE  = 8,  /* send space freed */
    NET_EV_PEER_FIN  = 16, /* peer closed its direction (after all its data) */
    NET_EV_RESET     = 32, /* connection reset or timed out; close the handle */
    NET_EV_SENT      = 64, /* sent bytes acknowledged: net_tcp_sent() says how many */
};

/* Listens on a TCP port with a backlog of half-open connections; SYNs beyond
 * it are answered with SYN cookies. Returns 0 or -NET_E*. */
int net_tcp_listen(net_t *net, uint16_t port, uint32_t backlog);

/* Active open; returns a connection handle (> 0) or -NET_E*. */
int64_t net_tcp_connect(net_t *net, uint32_t ip, uint16_t port);

/* ---- zero-copy receive ----
 * In-order payload is held as references into the received frames (or the
 * copy ring). The receive window counts every held byte: the right edge
 * moves only when the application releases the oldest bytes. */
typedef struct net_rx_ref {
    const uint8_t *data; /* read only; valid until released */
    uint32_t len;
    uint32_t id;         /* names the reference in net_tcp_release */
} net_rx_ref_t;

/* Hands out the next in-order reference not yet handed out: returns its
 * length (> 0), 0 when there is none now, or -NET_ENOTCONN. */
int64_t net_tcp_read_ref(net_t *net, uint32_t conn, net_rx_ref_t *ref);

/* Releases a handed-out reference (any order); the frame goes back to the
 * platform when its last reference goes, and the window reopens as the
 * oldest bytes are released. Returns 0, -NET_ENOTCONN, or -NET_EINVAL when
 * id names no reference the application holds (counted). References are
 * still valid after NET_EV_RESET until released or the handle is closed;
 * net_tcp_close and net_tcp_abort release them all. */
int net_tcp_release(net_t *net, uint32_t conn, uint32_t id);

/* Bytes held for the connection (in order, handed out or not, and out of
 * order), or -NET_ENOTCONN. */
int64_t net_tcp_rx_held(const net_t *net, uint32_t conn);

/* ---- zero-copy send ----
 * Queues len bytes at data by reference: the memory must stay valid and
 * unchanged until those bytes are reported acknowledged (NET_EV_SENT and
 * net_tcp_sent; bytes are acknowledged in the order they were queued), or,
 * after net_tcp_close, until hal->tcp_done; after net_tcp_abort the stack
 * drops them at once. All or nothing: returns len, 0 when the queue (snd_buf
 * bytes, tx_refs references) has no room now (wait for NET_EV_SENT), or
 * -NET_E*. Adjacent memory queued in order is merged into one reference. */
int64_t net_tcp_send_ref(net_t *net, uint32_t conn, const void *data, uint32_t len);

/* Bytes acknowledged since the last call (what the application may free),
 * or -NET_ENOTCONN. */
int64_t net_tcp_sent(net_t *net, uint32_t conn);

/* ---- copy API (cfg.copy_api), a layer over the above ----
 * Copies up to len received bytes out of the held references and releases
 * them; returns the count (0: nothing now), or -NET_ENOTCONN for a bad
 * handle. Do not mix with net_tcp_read_ref on one connection: it returns 0
 * while a reference is handed out. */
int64_t net_tcp_recv(net_t *net, uint32_t conn, void *buf, uint32_t len);

/* Copies up to len bytes into the connection's send ring and queues them
 * by reference; returns how many were taken (0: full, wait for
 * NET_EV_WRITABLE) or -NET_E* (-NET_EINVAL without cfg.copy_api). */
int64_t net_tcp_send(net_t *net, uint32_t conn, const void *data, uint32_t len);

/* Bytes that may be queued now (either API), or -NET_ENOTCONN. */
int64_t net_tcp_send_space(const net_t *net, uint32_t conn);

/* Closes our direction after the queued data (FIN) and gives up the handle;
 * the stack finishes the close on its own. Returns 0 or -NET_ENOTCONN. */
int net_tcp_close(net_t *net, uint32_t conn);

/* Resets the connection (RST) and gives up the handle. */
int net_tcp_abort(net_t *net, uint32_t conn);

/* Peer address and local port of a connection; 0 or -NET_ENOTCONN. */
int net_tcp_peer(const net_t *net, uint32_t conn, uint32_t *ip, uint16_t *port, uint16_t *lport);

/* UDP: bind a port (datagrams arrive through hal->udp_rx) and send one. */
int net_udp_bind(net_t *net, uint16_t port);
int net_udp_send(net_t *net, uint16_t src_port, uint32_t dst_ip, uint16_t dst_port,
                 const void *data, uint32_t len);

#endif
