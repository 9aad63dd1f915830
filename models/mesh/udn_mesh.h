/* udn_mesh.h - the cycle-exact UDN mesh engine: W x H wormhole routers with
 * dimension-ordered routing, links, per-tile injection and demux queues.
 * Plain C++ (no SystemC): the SystemC wrapper (udn_mesh_sc.h) drives it, and
 * tests drive it directly.
 *
 * Timing, all in integer chip cycles. In cycle c every component reads the
 * state at the start of c and its effects land at c+1 or later (BookSim-style
 * read / evaluate / write), so the order in which routers are visited and
 * whether a tile acts before or after the routers in cycle c never matter.
 *
 *   send      a word the tile writes in cycle t sits in its router's local
 *             input buffer from t+1 (injection: 1 cycle);
 *   hop       a word at the head of an input buffer in cycle c that wins (or
 *             owns) its output, with room in the buffer behind it, moves in
 *             cycle c and is in the next router's input buffer from
 *             c + hop_latency;
 *   eject     a payload word moved to the local output in cycle c is in the
 *             demux queue from c+1 (ejection: 1 cycle) and may be read then;
 *             the header is consumed by the ejection port and takes no slot;
 *   room      a slot freed in cycle c (word moved on, or read by the tile) can
 *             be used by the upstream sender from c+1 (credit-style flow
 *             control with a one-cycle credit return). A slot counts as used
 *             from the cycle its word leaves upstream (words on the link
 *             included).
 *
 * Zero-load latency, from the cycle the header is written to the cycle the
 * last payload word can be read (a message with n payload words, H router
 * to router hops between source and destination, hop latency L):
 *
 *     latency = 1 (injection) + H*L (hops) + 1 (ejection) + n (serialisation)
 *
 * (for n = 0 the message counts as delivered one cycle after its header is
 * consumed, which the same formula gives). With router_buffer >= 1 + L a
 * link carries one word per cycle; smaller buffers throttle it (credit round
 * trip). H = |dx| + |dy| for XY and YX routing alike.
 *
 * Wormhole switching: a header at the head of an input asks for the output
 * its route gives; among the inputs asking for a free output, round robin
 * (starting after the last input granted that output; mesh.arbitration =
 * round_robin) or fixed priority (E, W, S, N, LOCAL; = fixed) picks one,
 * which then owns the output until its tail word has passed. The ejection
 * port is one output: a worm whose demux queue is full stops there, holds
 * every link behind it, and the sender's writes block when its injection
 * buffer is full.
 *
 * Router ports are numbered E, W, S, N, LOCAL (0..4): input port d holds the
 * words that came from the neighbour in direction d; output d leads to it.
 * +x is east, +y is south; tile index = y * width + x.
 *
 * Hardwall: when enabled, the links that cross the edge of the rectangle
 * [x0..x1] x [y0..y1] are protected in both directions. A worm routed onto
 * such a link is swallowed by the router at the edge (one word per cycle, no
 * room needed) and UDN_FAULT_HARDWALL is recorded for its sending tile.
 *
 * Sender records (sender_id = 1, a research option, NOT a TILE-Gx
 * feature): each demux queue keeps, in message order, one record per
 * message of length >= 1 whose header has reached the ejection port: the
 * sending tile, the length and the words not yet read. The record is taken
 * when the header is consumed at the ejection port, but sender_of() shows the
 * head record only while the queue holds a word, so it becomes visible in
 * the cycle the message's first payload word does; a tile's read takes a
 * word off the head record and drops the record with its last word. A
 * queue holds at most queue_words + 1 records (each message in it has an
 * unread word there, plus the one worm still arriving). Zero-length
 * messages put nothing in the queue and get no record; a sink-mode tile
 * keeps none. With sender_id = 0 no record exists and the only cost is one
 * test of a header's flags per delivered message and one per tile read.
 *
 * Activity: only routers holding words are evaluated, and only cycles in
 * which something can move are stepped: advance_to skips in O(1) over idle
 * stretches and over stalls (every worm waits for a full demux queue, so
 * nothing can change until a tile reads), so an idle mesh costs nothing.
 * Evaluation of cycle c happens lazily when the engine is advanced past c,
 * that is after every tile call made in cycle c; words written in cycle c
 * carry the cycle they become visible, and what a tile can observe (queue
 * words, deliveries, freed injection slots) is reported at c+1.
 */
#ifndef DL_MESH_UDN_MESH_H
#define DL_MESH_UDN_MESH_H

#include <stddef.h>
#include <stdint.h>
#include <vector>

#include "abi/udn.h"
#include "mesh/udn_ports.h"


/* Dimension order of the routing, and who wins a free router output
 * (udn_mesh_params.order, .arbitration). */
enum { UDN_ORDER_XY = 0, UDN_ORDER_YX = 1 };
enum { UDN_ARB_ROUND_ROBIN = 0, UDN_ARB_FIXED = 1 };

/* Return values of udn_mesh::send. */
enum { UDN_SEND_OK = 0, UDN_SEND_FULL = 1, UDN_SEND_FAULT = 2 };

struct udn_mesh_params {
    int width, height;       /* tiles, 1..UDN_COORD_MAX+1 each */
    int order;               /* UDN_ORDER_XY or UDN_ORDER_YX */
    int hop_latency;         /* cycles per router-to-router hop, at least 1 */
    int queues;              /* demux queues per tile, 1..UDN_QUEUES_MAX */
    int queue_words;         /* capacity of one demux queue, at least 1 */
    int router_buffer;       /* words per router input buffer, 1..2^30 */
    int hardwall;            /* 1: confine to the rectangle below */
    int hw_x0, hw_y0, hw_x1, hw_y1;  /* inclusive corners, x0 <= x1, y0 <= y1 */
    int arbitration;         /* UDN_ARB_ROUND_ROBIN or UDN_ARB_FIXED */
    int sender_id;           /* 1: queues record each message's sender (NOT a
                              * TILE-Gx feature; UDN_SENDER in udn.h), 0: off */
};

/* The model's invariants, whoever fills p (sim/ from the configuration,
 * sim/model_params.h, or a test): returns 0 when p is usable, else -1 with
 * a message in err naming the key. */
int udn_mesh_params_check(const udn_mesh_params *p, char *err, size_t errlen);

/* One message, from its header write to its delivery. */
struct udn_msg {
    uint64_t header;
    uint64_t seq;            /* per source tile, 0, 1, 2 ... in send order */
    uint64_t tag;            /* caller's cookie (traffic generator: creation cycle) */
    uint64_t sent;           /* cycle the header was written */
    uint64_t delivered;      /* cycle the last payload word became readable */
    int src, dst, queue, length;
};

struct udn_fault {
    uint64_t cycle;          /* when it was raised */
    uint64_t header;
    int tile;                /* the sending tile, which the fault is charged to */
    int code;                /* UDN_FAULT_* */
};

/* Callbacks from the engine, made while advance_to() or send() runs. */
class udn_mesh_listener {
public:
    virtual ~udn_mesh_listener() {}
    virtual void on_udn_data(int tile, int queue) = 0;   /* a word entered the queue */
    virtual void on_udn_space(int tile) = 0;      /* after a refused send: room again */
    virtual void on_udn_delivered(const udn_msg &m) = 0;
    virtual void on_udn_fault(const udn_fault &f) = 0;
};

class udn_mesh_stats;

class udn_mesh {
public:
    /* p must have passed udn_mesh_params_check. */
    explicit udn_mesh(const udn_mesh_params &p);
    ~udn_mesh();

    const udn_mesh_params &params() const { return p_; }
    int tiles() const { return ntiles_; }
    void set_listener(udn_mesh_listener *l) { listener_ = l; }

    /* Steps the mesh through every cycle before `cycle` and delivers what
     * arrives at `cycle`; the engine is then "in" that cycle and tile calls
     * act in it. Precondition: cycle >= now(). */
    void advance_to(uint64_t cycle);
    uint64_t now() const { return now_; }
    /* True while words can move: the mesh must be stepped every cycle;
     * false when advance_to may jump (idle, or stalled until a tile acts). */
    bool busy() const { return active_n_ > 0 && !stalled_; }

    /* Tile side, in cycle now(). send: UDN_SEND_OK (taken), UDN_SEND_FULL
     * (injection buffer full: retry once udn_space fires for this tile) or
     * UDN_SEND_FAULT (bad header, see udn.h; the fault is recorded). tag is
     * kept with the message when word is a header. */
    int send(int tile, uint64_t word, uint64_t tag = 0);
    /* Dequeues one word of queue q into *word: 1, or 0 when it is empty. */
    int recv(int tile, int q, uint64_t *word);
    int count(int tile, int q) const { return (int)queue_[(size_t)tile * p_.queues + q].count; }
    uint32_t avail_mask(int tile) const;
    /* Words the tile may still write in this cycle before send returns
     * UDN_SEND_FULL. */
    int send_space(int tile) const
    {
        return B_ - (int)used(rt_[tile].in[UDN_DIR_LOCAL], now_);
    }
    /* UDN_SENDER(q) (udn.h): for the message whose next word is at the head
     * of queue q, (sender tile << 16) | (length << 8) | words not yet read;
     * UDN_SENDER_EMPTY (0) when the queue is empty. Only with sender_id on
     * (always UDN_SENDER_EMPTY when off; the tile device faults instead). */
    uint64_t sender_of(int tile, int q) const;
    /* The oldest fault code the tile has not read yet (and clears it), or 0. */
    int take_fault(int tile);
    /* Sink mode (synthetic traffic): the tile reads every payload word in
     * the cycle it becomes readable, without the words being stored or
     * reported by on_udn_data; timing is exactly that of such a reader, and
     * its queues' occupancy statistics stay 0. */
    void set_sink(int tile, bool on) { rt_[tile].sink = on ? 1 : 0; }
    /* Restarts the statistics at now() (end of a warm-up). */
    void reset_stats();

    udn_mesh_stats &stats() { return *stats_; }
    const udn_mesh_stats &stats() const { return *stats_; }
    /* Messages sent and not yet delivered or dropped. */
    uint64_t in_flight() const { return msgs_live_; }

    /* Hop count of the route between two tiles. */
    int hops(int src, int dst) const;

private:
    /* A word in a router buffer; `ready` is the cycle it may move on. */
    struct flit { uint64_t word; uint64_t ready; uint32_t slot; uint32_t flags; };
    /* FL_REC: a header whose message gets a sender record (sender_id on,
     * length >= 1), so that the option costs nothing per word when off. */
    enum { FL_HEAD = 1, FL_TAIL = 2, FL_REC = 4 };
    /* Buffers remember how many words left in cycle `pop_stamp`: a sender in
     * cycle c sees count + (pop_stamp == c ? popped : 0), the occupancy at
     * the start of c, so a freed slot is usable from c+1. A demux queue may
     * lose several words in a cycle (tile reads), a router input one. */
    /* A router input moves at most one word per cycle, so its stamp alone
     * says whether a word left in cycle c. */
    struct inbuf { uint32_t head, count; int out; uint64_t pop_stamp; struct flit *ring; };
    struct outport { int owner; int rr; int eject_q; };
    struct dqueue { uint32_t head, count, popped; uint64_t pop_stamp; };
    struct sender { int remaining; int discard; uint32_t slot; };
    /* Sender records (sender_id on): a ring of cap_rec_ per queue. */
    struct srec { uint16_t src; uint8_t length; uint8_t left; };
    struct srecq { uint32_t head, count; };
    /* One router, kept together for locality on the hot path. */
    struct router {
        inbuf in[UDN_PORTS];
        outport out[UDN_PORTS];
        int down[UDN_DIR_LOCAL];          /* neighbour each output feeds, -1 at the edge */
        /* The same, resolved once: the neighbour, its input buffer that
         * output feeds and that buffer's words (NULL at the edge). */
        struct router *down_r[UDN_DIR_LOCAL];
        struct inbuf *down_in[UDN_DIR_LOCAL];
        struct flit *down_buf[UDN_DIR_LOCAL];
        struct flit *bufs;                /* this router's input buffers, [port][B_] */
        uint64_t *link_words;             /* its [port] counters in the statistics */
        uint8_t protect[UDN_DIR_LOCAL];   /* 1: that link crosses the hardwall edge */
        uint8_t active;                   /* listed in active_ */
        uint32_t nonempty;                /* bit per input port holding words (0: router empty) */
        uint32_t owning;                  /* bit per input port owning an output (or dropping) */
        uint32_t sink;                    /* the tile is in sink mode */
        uint32_t wake_local;              /* bit LOCAL while the tile is blocked on send, else 0 */
        int x, y;
        int index;                        /* y * width + x */
    };
    enum : uint64_t { NOT_BLOCKED = ~0ULL };
    enum { OUT_DROP = UDN_PORTS };

    static uint32_t used(const inbuf &b, uint64_t c)
    {
        return b.count + (b.pop_stamp == c);
    }
    static uint32_t used(const dqueue &b, uint64_t c)
    {
        return b.count + (b.pop_stamp == c ? b.popped : 0);
    }
    static void note_pop(inbuf &b, uint64_t c) { b.pop_stamp = c; }
    static void note_pop(dqueue &b, uint64_t c)
    {
        if (b.pop_stamp != c) {
            b.pop_stamp = c;
            b.popped = 0;
        }
        b.popped++;
    }

    void evaluate(uint64_t c);
    void report(uint64_t c);
    bool evaluate_router(router &R, uint64_t c);
    uint32_t route_heads(router &R, uint64_t c, uint32_t unowned, uint32_t *req, bool &pending);
    bool allocate_outputs(router &R, const uint32_t *req, uint32_t asked);
    bool traverse(router &R, uint64_t c, uint32_t owning);
    bool eject(router &R, int q, uint64_t word, uint64_t c);
    bool forward(router &R, int o, const flit &f, uint64_t c);
    int route(const router &R, uint64_t header) const;
    int check_header(uint64_t header) const;
    void fault(int tile, int code, uint64_t header);
    void unblock(int tile);
    void finish(uint32_t slot, uint64_t c, bool delivered);
    void record_sender(uint32_t qi, const flit &f);
    void read_sender(uint32_t qi);
    uint32_t alloc_slot();

    udn_mesh_params p_;
    int ntiles_;
    int B_, Q_;
    uint64_t now_;
    udn_mesh_listener *listener_;
    uint64_t hop_;
    uint32_t ring_mask_;               /* input rings hold a power of two >= B_ words */
    udn_mesh_stats *stats_;

    std::vector<flit> buf_;            /* [router][port][B_] */
    std::vector<router> rt_;
    uint64_t *link_words_;             /* the statistics' [router][port] counters */
    std::vector<router *> active_;     /* routers with words */
    int active_n_;
    bool stalled_;                     /* the last step changed nothing */
    uint64_t read_cycle_;              /* last cycle a tile read a queue */

    std::vector<uint64_t> qbuf_;       /* [tile][queue][queue_words] */
    std::vector<dqueue> queue_;        /* [tile][queue] */
    std::vector<srec> srec_;           /* [tile][queue][rec_cap_]; empty when sender_id off */
    std::vector<srecq> srecq_;         /* [tile][queue]; empty when sender_id off */
    uint32_t rec_cap_;                 /* queue_words + 1 */
    bool sid_;                         /* params().sender_id */
    uint32_t rec_flag_;                /* FL_REC when sid_, else 0 */
    std::vector<sender> sender_;       /* [tile] */
    std::vector<uint64_t> seq_;        /* [tile] next message sequence number */
    std::vector<int> fault_code_;      /* [tile] unread fault */
    std::vector<uint64_t> blocked_since_;  /* [tile] first refused send, or NOT_BLOCKED */

    std::vector<udn_msg> msg_;         /* live messages by slot */
    std::vector<uint32_t> free_slots_;
    uint64_t msgs_live_;

    /* What evaluate(c) made observable, reported at c+1. */
    std::vector<uint32_t> done_;       /* message slots delivered */
    std::vector<uint32_t> data_;       /* queues (tile * queues + q) that got a word */
    std::vector<int> space_wake_;      /* blocked tiles whose injection buffer freed a slot */
};

#endif
