/* trace.h - protocol matching over a packet capture: TCP connections are
 * reassembled (retransmissions, out-of-order segments and holes counted and
 * reported, never fatal), each connection's two byte streams are split into
 * requests and responses (HTTP/1.x, the memcached text protocol, TCP echo
 * on port 7), and every request is paired with its response: request type,
 * time of the request's first byte, time its response was complete, sizes
 * and status. Used by dltrace, dlcompare and their tests.
 *
 * Use: trace_new, then either trace_read_pcap (a file, through libpcap) or
 * trace_frame for each frame, then trace_finish, then read the fields. */
#ifndef DL_TRACE_TRACE_H
#define DL_TRACE_TRACE_H

#include <stddef.h>
#include <stdint.h>

enum trace_proto { PROTO_UNKNOWN, PROTO_HTTP, PROTO_MEMCACHED, PROTO_ECHO, PROTO_COUNT };
const char *trace_proto_name(enum trace_proto p);

/* Link types trace_frame understands (the pcap LINKTYPE_ numbers). */
enum { TRACE_LINK_NULL = 0, TRACE_LINK_ETHERNET = 1, TRACE_LINK_RAW = 101,
       TRACE_LINK_LINUX_SLL = 113, TRACE_LINK_IPV4 = 228, TRACE_LINK_LINUX_SLL2 = 276 };
int trace_link_supported(int linktype);

/* Something that could not be parsed, by kind: how many, and the first
 * frame numbers (1-based, as tcpdump -# and Wireshark count). */
#define TRACE_FIRST_FRAMES 5
struct trace_issue {
    char what[64];
    uint64_t count;
    uint64_t first[TRACE_FIRST_FRAMES];
    int nfirst;
};

/* One request and its response. resp_ns < 0 when no response came. */
struct trace_txn {
    int flow;                 /* index into trace.flows */
    int type;                 /* index into trace.types ("GET /a", "get", "echo") */
    int64_t req_ns, resp_ns;  /* first byte of the request; last of the response */
    uint64_t req_bytes, resp_bytes;
    uint64_t frame;           /* frame of the request's first byte */
    char status[24];          /* "200", "hit", "miss", "STORED", "ok", "mismatch", "none" */
    int error;                /* an error status or no response */
    uint64_t order;           /* order of matching (ties of req_ns) */
    uint64_t req_off, resp_off; /* where the request and its response start in
                                 * their streams (trace_flow_stream) */
};

/* One TCP connection; [0] is the client's direction, [1] the server's. */
struct trace_flow {
    uint32_t ip[2];
    uint16_t port[2];
    enum trace_proto proto;
    int64_t first_ns, last_ns;
    uint64_t frames[2], bytes[2];    /* TCP payload bytes, retransmissions included */
    uint64_t retrans[2], ooo[2], holes[2], hole_bytes[2];
    uint64_t requests, responses, unparsed_bytes[2];
    int syn, fin, rst;
};

struct trace {
    /* Totals. */
    uint64_t frames, tcp_frames, bytes;      /* bytes: captured frame bytes */
    int64_t first_ns, last_ns;
    int linktype;
    /* Everything below is complete after trace_finish. */
    struct trace_flow *flows;
    int nflows;
    struct trace_txn *txns;                  /* ordered by req_ns */
    size_t ntxns;
    char **types;
    int ntypes;
    struct trace_issue *issues;
    int nissues;
    /* Private. */
    struct trace_priv *priv;
};

struct trace *trace_new(void);
void trace_free(struct trace *t);

/* Feeds one frame (frames numbered from 1 in the order given). */
void trace_frame(struct trace *t, int linktype, const uint8_t *data, size_t caplen, size_t wirelen, int64_t ts_ns);

/* Reads a whole pcap file into t (nanosecond timestamps). Returns 0, or -1
 * with a message in err naming the file and what is wrong: missing, not a
 * pcap, an unsupported link type, or truncated (saying after how many
 * frames; the frames before it stay in t). */
int trace_read_pcap(struct trace *t, const char *path, char *err, size_t errlen);

/* Ends every stream, splits them into requests and responses, pairs them. */
void trace_finish(struct trace *t);

/* Records an issue (used by the parsers; frame 0 means none known). */
void trace_issue(struct trace *t, const char *what, uint64_t frame);

/* The index of a request type, added when new. */
int trace_type(struct trace *t, const char *name);

/* A parser's view of one reassembled byte stream: bytes in order, and per
 * contiguous run the capture time and frame at which it became available. */
struct trace_chunk {
    uint64_t off;             /* stream offset of the run's first byte */
    int64_t ns;
    uint64_t frame;
};
struct trace_stream {
    const uint8_t *data;
    uint64_t len;             /* bytes up to the first hole (or the end) */
    const struct trace_chunk *chunks;
    size_t nchunks;
    int hole;                 /* a hole follows len: the rest is lost */
};
/* When byte off became available, and in which frame. */
int64_t trace_stream_ns(const struct trace_stream *s, uint64_t off, uint64_t *frame);

/* Splits one connection's streams (c: client, s: server) by protocol p and
 * appends the transactions to t. Used by trace_finish; exposed for tests
 * and the fuzzer. */
void trace_match(struct trace *t, int flow, enum trace_proto p, const struct trace_stream *c,
                 const struct trace_stream *s);

/* One direction of a flow (dir 0 client, 1 server) after trace_finish:
 * its bytes in order up to the first hole, from offset 0 (the byte after
 * the SYN, or the first seen), valid until trace_free. */
void trace_flow_stream(const struct trace *t, int flow, int dir, struct trace_stream *s);

/* The response of protocol p to one request (req, reqlen: its bytes) at the
 * start of the server's bytes s (slen of them; eof: nothing more will come).
 * Returns 1 when it is complete: the final response runs from *start
 * (after blank lines and interim 1xx responses) to *end, status as in
 * trace_txn (start = end = 0: the request expects no response, as
 * memcached's noreply, quit and quiet misses); 0 when more bytes are
 * needed; -1 when the bytes cannot be a response (or the request is not
 * one of p). Used by the replay of a capture (sim/client_replay.cpp). */
int trace_response(enum trace_proto p, const uint8_t *req, size_t reqlen, const uint8_t *s, size_t slen, int eof,
                   uint64_t *start, uint64_t *end, char *status, size_t statuslen);

/* Guesses the protocol from the server port and the client's first bytes. */
enum trace_proto trace_sniff(uint16_t server_port, const uint8_t *c, size_t clen);

#endif
