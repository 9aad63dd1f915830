/* udn_mesh.cpp - the cycle-exact UDN mesh engine: routing, wormhole
 * allocation, credits, the event wheel and the tile-side calls (timing rules
 * in udn_mesh.h). */
#include "mesh/udn_mesh.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "mesh/udn_stats.h"

static int udn_opposite(int d) { return d ^ 1; }   /* E<->W, S<->N */

/* The model's own invariants, whoever fills p (the configuration, whose key
 * table and cfg_check set the user-facing ranges: sim/model_params.cpp, or
 * a test): coordinates
 * the header can name, the queues a tile has, positive sizes, a hardwall
 * rectangle inside the mesh. */
int udn_mesh_params_check(const udn_mesh_params *p, char *err, size_t errlen)
{
#define UDN_RANGE(v, lo, hi, name)                                                   \
    if ((v) < (lo) || (v) > (hi)) {                                                 \
        snprintf(err, errlen, "%s = %d: expected an integer in %d..%d", name, (int)(v), \
                 (int)(lo), (int)(hi));                                             \
        return -1;                                                                  \
    }
    UDN_RANGE(p->width, 1, (int)UDN_COORD_MAX + 1, "chip.width");
    UDN_RANGE(p->height, 1, (int)UDN_COORD_MAX + 1, "chip.height");
    UDN_RANGE(p->order, UDN_ORDER_XY, UDN_ORDER_YX, "mesh.order");
    UDN_RANGE(p->hop_latency, 1, INT_MAX, "mesh.hop_latency");
    UDN_RANGE(p->queues, 1, (int)UDN_QUEUES_MAX, "mesh.queues");
    UDN_RANGE(p->queue_words, 1, INT_MAX, "mesh.queue_words");
    UDN_RANGE(p->router_buffer, 1, 1 << 30, "mesh.router_buffer"); /* rings: a power of two >= it */
    UDN_RANGE(p->arbitration, UDN_ARB_ROUND_ROBIN, UDN_ARB_FIXED, "mesh.arbitration");
    UDN_RANGE(p->sender_id, 0, 1, "mesh.sender_id");
    if (p->hardwall) {
        UDN_RANGE(p->hw_x0, 0, p->width - 1, "mesh.hardwall_x0");
        UDN_RANGE(p->hw_x1, p->hw_x0, p->width - 1, "mesh.hardwall_x1");
        UDN_RANGE(p->hw_y0, 0, p->height - 1, "mesh.hardwall_y0");
        UDN_RANGE(p->hw_y1, p->hw_y0, p->height - 1, "mesh.hardwall_y1");
    }
#undef UDN_RANGE
    return 0;
}

udn_mesh::udn_mesh(const udn_mesh_params &p)
    : p_(p), ntiles_(p.width * p.height), B_(p.router_buffer), Q_(p.queues), now_(0),
      listener_(0), hop_((uint64_t)p.hop_latency), active_n_(0), stalled_(false),
      read_cycle_(~0ULL), rec_cap_((uint32_t)p.queue_words + 1), sid_(p.sender_id != 0),
      rec_flag_(p.sender_id ? FL_REC : 0),
      msgs_live_(0)
{
    stats_ = new udn_mesh_stats(p.width, p.height, p.queues);
    size_t ports = (size_t)ntiles_ * UDN_PORTS;
    uint32_t ring = 1;                  /* ring size: a power of two >= B_ */
    while (ring < (uint32_t)B_) ring *= 2;
    ring_mask_ = ring - 1;
    buf_.resize(ports * ring);
    link_words_ = stats_->link_counters();
    rt_.resize(ntiles_);
    for (int r = 0; r < ntiles_; r++) {
        router &R = rt_[r];
        int x = r % p.width, y = r / p.width;
        R.x = x;
        R.y = y;
        R.index = r;
        R.active = 0;
        R.nonempty = 0;
        R.sink = 0;
        R.wake_local = 0;
        R.owning = 0;
        for (int i = 0; i < UDN_PORTS; i++) {
            inbuf ib = {0, 0, -1, ~0ULL, NULL};
            outport ob = {-1, 0, -1};
            R.in[i] = ib;
            R.out[i] = ob;
        }
        int nbr[UDN_DIR_LOCAL] = {x + 1 < p.width ? r + 1 : -1, x > 0 ? r - 1 : -1,
                                  y + 1 < p.height ? r + p.width : -1, y > 0 ? r - p.width : -1};
        for (int d = 0; d < UDN_DIR_LOCAL; d++) {
            int n = nbr[d];
            R.down[d] = n;
            R.protect[d] = 0;
            if (n < 0 || !p.hardwall) continue;
            int nx = n % p.width, ny = n / p.width;
            bool in_r = x >= p.hw_x0 && x <= p.hw_x1 && y >= p.hw_y0 && y <= p.hw_y1;
            bool in_n = nx >= p.hw_x0 && nx <= p.hw_x1 && ny >= p.hw_y0 && ny <= p.hw_y1;
            R.protect[d] = in_r != in_n;
        }
    }
    /* Up to 2 x tiles entries: a pass appends the routers it activates
     * after all n routers it started with, before compacting; n plus the
     * appended ones can exceed the number of tiles (routers emptied and
     * refilled in the pass, or dropped while others are appended). */
    active_.assign(2 * (size_t)ntiles_, (router *)NULL);
    /* rt_ and buf_ keep their size from here on: the pointers stay valid. */
    for (int r = 0; r < ntiles_; r++) {
        router &R = rt_[r];
        R.bufs = &buf_[(size_t)r * UDN_PORTS * (ring_mask_ + 1)];
        R.link_words = link_words_ + (size_t)r * UDN_PORTS;
        for (int i = 0; i < UDN_PORTS; i++) R.in[i].ring = R.bufs + (size_t)i * (ring_mask_ + 1);
    }
    for (int r = 0; r < ntiles_; r++) {        /* every ring is placed: link them */
        router &R = rt_[r];
        for (int d = 0; d < UDN_DIR_LOCAL; d++) {
            int n = R.down[d];
            R.down_r[d] = n < 0 ? NULL : &rt_[n];
            R.down_in[d] = n < 0 ? NULL : &rt_[n].in[udn_opposite(d)];
            R.down_buf[d] = n < 0 ? NULL : rt_[n].in[udn_opposite(d)].ring;
        }
    }
    qbuf_.resize((size_t)ntiles_ * Q_ * p.queue_words);
    dqueue dq = {0, 0, 0, ~0ULL};
    queue_.assign((size_t)ntiles_ * Q_, dq);
    if (sid_) {
        srecq rq = {0, 0};
        srecq_.assign((size_t)ntiles_ * Q_, rq);
        srec_.resize((size_t)ntiles_ * Q_ * rec_cap_);
    }
    sender sd = {0, 0, 0};
    sender_.assign(ntiles_, sd);
    seq_.assign(ntiles_, 0);
    fault_code_.assign(ntiles_, 0);
    blocked_since_.assign(ntiles_, NOT_BLOCKED);
}

udn_mesh::~udn_mesh() { delete stats_; }

int udn_mesh::hops(int src, int dst) const
{
    int dx = dst % p_.width - src % p_.width, dy = dst / p_.width - src / p_.width;
    return abs(dx) + abs(dy);
}

uint32_t udn_mesh::avail_mask(int tile) const
{
    uint32_t m = 0;
    for (int q = 0; q < Q_; q++)
        if (queue_[(size_t)tile * Q_ + q].count) m |= 1u << q;
    return m;
}

uint64_t udn_mesh::sender_of(int tile, int q) const
{
    size_t qi = (size_t)tile * Q_ + q;
    if (!sid_ || queue_[qi].count == 0) return UDN_SENDER_EMPTY;
    const srec &e = srec_[qi * rec_cap_ + srecq_[qi].head];
    return ((uint64_t)e.src << UDN_SENDER_TILE_SHIFT) | ((uint64_t)e.length << UDN_SENDER_LEN_SHIFT) |
           ((uint64_t)e.left << UDN_SENDER_LEFT_SHIFT);
}

/* The header of a message of length >= 1 was consumed at the ejection port
 * of queue qi: its record goes behind those of the messages before it. */
void udn_mesh::record_sender(uint32_t qi, const flit &f)
{
    srecq &rq = srecq_[qi];
    uint32_t pos = rq.head + rq.count;
    if (pos >= rec_cap_) pos -= rec_cap_;
    srec &e = srec_[(size_t)qi * rec_cap_ + pos];
    e.src = (uint16_t)msg_[f.slot].src;
    e.length = (uint8_t)udn_header_length(f.word);
    e.left = e.length;
    rq.count++;
}

/* The tile read a word of queue qi: it belongs to the head record. */
void udn_mesh::read_sender(uint32_t qi)
{
    srecq &rq = srecq_[qi];
    srec &e = srec_[(size_t)qi * rec_cap_ + rq.head];
    if (--e.left == 0) {
        rq.head = rq.head + 1 == rec_cap_ ? 0 : rq.head + 1;
        rq.count--;
    }
}

int udn_mesh::take_fault(int tile)
{
    int c = fault_code_[tile];
    fault_code_[tile] = 0;
    return c;
}

void udn_mesh::reset_stats()
{
    stats_->reset(now_);
    for (int t = 0; t < ntiles_; t++)
        if (blocked_since_[t] != NOT_BLOCKED) blocked_since_[t] = now_;
}

void udn_mesh::fault(int tile, int code, uint64_t header)
{
    if (!fault_code_[tile]) fault_code_[tile] = code;
    stats_->fault(tile, code);
    if (listener_) {
        udn_fault f = {now_, header, tile, code};
        listener_->on_udn_fault(f);
    }
}

inline uint32_t udn_mesh::alloc_slot()
{
    if (free_slots_.empty()) {
        msg_.push_back(udn_msg());
        return (uint32_t)(msg_.size() - 1);
    }
    uint32_t s = free_slots_.back();
    free_slots_.pop_back();
    return s;
}

void udn_mesh::finish(uint32_t slot, uint64_t c, bool delivered)
{
    udn_msg m = msg_[slot];
    free_slots_.push_back(slot);
    msgs_live_--;
    if (!delivered) return;
    m.delivered = c;
    stats_->delivered(c - m.sent, m.length);
    if (listener_) listener_->on_udn_delivered(m);
}

inline int udn_mesh::check_header(uint64_t h) const
{
    if (h & UDN_HDR_RESERVED) return UDN_FAULT_RESERVED;
    if (udn_header_length(h) > UDN_MAX_PAYLOAD) return UDN_FAULT_LENGTH;
    if (udn_header_queue(h) >= (uint32_t)Q_) return UDN_FAULT_QUEUE;
    if (udn_header_x(h) >= (uint32_t)p_.width || udn_header_y(h) >= (uint32_t)p_.height)
        return UDN_FAULT_DEST;
    return UDN_FAULT_NONE;
}

__attribute__((always_inline)) inline int udn_mesh::route(const router &R, uint64_t h) const
{
    int x = R.x, y = R.y;
    int dx = (int)udn_header_x(h), dy = (int)udn_header_y(h);
    int o;
    if (p_.order == UDN_ORDER_XY)
        o = dx != x ? (dx > x ? UDN_DIR_E : UDN_DIR_W)
          : dy != y ? (dy > y ? UDN_DIR_S : UDN_DIR_N) : UDN_DIR_LOCAL;
    else
        o = dy != y ? (dy > y ? UDN_DIR_S : UDN_DIR_N)
          : dx != x ? (dx > x ? UDN_DIR_E : UDN_DIR_W) : UDN_DIR_LOCAL;
    if (o != UDN_DIR_LOCAL && R.protect[o]) return OUT_DROP;
    return o;
}

void udn_mesh::unblock(int tile)
{
    if (blocked_since_[tile] != NOT_BLOCKED) {
        stats_->blocked(tile, now_ - blocked_since_[tile]);
        blocked_since_[tile] = NOT_BLOCKED;
        rt_[tile].wake_local = 0;
    }
}

int udn_mesh::send(int tile, uint64_t word, uint64_t tag)
{
    sender &s = sender_[tile];
    if (s.discard > 0) {            /* payload of a faulted message */
        s.discard--;
        return UDN_SEND_OK;
    }
    bool head = s.remaining == 0;
    if (head) {
        int code = check_header(word);
        if (code) {
            unblock(tile);
            s.discard = (int)udn_header_length(word);
            fault(tile, code, word);
            return UDN_SEND_FAULT;
        }
    }
    router &R = rt_[tile];
    inbuf &ib = R.in[UDN_DIR_LOCAL];
    uint64_t now = now_;
    if (used(ib, now) >= (uint32_t)B_) {
        if (blocked_since_[tile] == NOT_BLOCKED) {
            blocked_since_[tile] = now;
            R.wake_local = 1u << UDN_DIR_LOCAL;
        }
        return UDN_SEND_FULL;
    }
    if (R.wake_local) unblock(tile);
    flit &nf = ib.ring[(ib.head + ib.count) & ring_mask_];
    nf.word = word;
    nf.ready = now + 1;
    if (head) {
        uint32_t slot = alloc_slot();
        udn_msg &m = msg_[slot];
        m.header = word;
        m.seq = seq_[tile]++;
        m.tag = tag;
        m.sent = now;
        m.delivered = 0;
        m.src = tile;
        m.dst = (int)(udn_header_y(word) * p_.width + udn_header_x(word));
        m.queue = (int)udn_header_queue(word);
        m.length = (int)udn_header_length(word);
        msgs_live_++;
        s.slot = slot;
        s.remaining = m.length;
        nf.flags = FL_HEAD | (m.length == 0 ? (uint32_t)FL_TAIL : rec_flag_);
    } else {
        s.remaining--;
        nf.flags = s.remaining == 0 ? FL_TAIL : 0;
    }
    nf.slot = s.slot;
    ib.count++;
    R.nonempty |= 1u << UDN_DIR_LOCAL;
    if (!R.active) {
        R.active = 1;
        active_[active_n_++] = &R;
    }
    stats_->inject_word(tile);
    stalled_ = false;
    return UDN_SEND_OK;
}

int udn_mesh::recv(int tile, int q, uint64_t *word)
{
    size_t qi = (size_t)tile * Q_ + q;
    dqueue &dq = queue_[qi];
    if (dq.count == 0) return 0;
    *word = qbuf_[qi * p_.queue_words + dq.head];
    dq.head = dq.head + 1 == (uint32_t)p_.queue_words ? 0 : dq.head + 1;
    dq.count--;
    if (sid_) read_sender((uint32_t)qi);
    note_pop(dq, now_);
    stats_->queue_change(tile, q, dq.count, now_);
    stalled_ = false;
    read_cycle_ = now_;
    return 1;
}

void udn_mesh::advance_to(uint64_t cycle)
{
    while (now_ < cycle) {
        if (!busy()) {              /* idle or stalled: nothing changes until a tile acts */
            now_ = cycle;
            return;
        }
        evaluate(now_);
        now_++;
        report(now_);
    }
}

void udn_mesh::evaluate(uint64_t c)
{
    /* Routers activated during the pass (appended after n) wait for c+1;
     * the list is compacted in place as it is walked: a router emptied and
     * refilled later in the pass has been appended again. */
    int n = active_n_, k = 0;
    bool changed = false;
    router **active = active_.data();
    for (int i = 0; i < n; i++) {
        router &R = *active[i];
        changed |= evaluate_router(R, c);
        if (R.nonempty) active[k++] = &R;
        else R.active = 0;
    }
    for (int i = n; i < active_n_; i++) active_[k++] = active_[i];
    active_n_ = k;
    /* A slot a tile freed in cycle c is usable from c+1: not stalled yet. */
    stalled_ = !changed && read_cycle_ != c;
}

/* One router in cycle c, in BookSim2's phases: route the waiting headers,
 * allocate free outputs, move one word per allocated input. Returns true
 * when anything changed or will change without a tile acting (a word moved,
 * an output was granted, or a word is still on its way). */
__attribute__((always_inline)) inline bool udn_mesh::evaluate_router(router &R, uint64_t c)
{
    uint32_t req[UDN_PORTS];
    bool changed = false;
    uint32_t inputs = R.nonempty;
    uint32_t asked = route_heads(R, c, inputs & ~R.owning, req, changed);
    changed |= allocate_outputs(R, req, asked);
    changed |= traverse(R, c, inputs & R.owning);
    return changed;
}

/* Route phase: the header at the head of each unallocated input (the set
 * `unowned`) asks for
 * its output; req[o] becomes the set of inputs asking for output o. A
 * header leaving the hardwall claims its input for dropping. Returns the
 * set of outputs asked for; sets pending when a header is not there yet
 * (it arrives later without a tile acting). */
__attribute__((always_inline)) inline uint32_t udn_mesh::route_heads(router &R, uint64_t c, uint32_t unowned,
                                                                     uint32_t *req, bool &pending)
{
    inbuf *in = R.in;
    uint32_t asked = 0;
    if (unowned) req[0] = req[1] = req[2] = req[3] = req[4] = 0;
    for (uint32_t m = unowned; m; m &= m - 1) {
        int i = __builtin_ctz(m);
        const flit &f = in[i].ring[in[i].head];
        if (f.ready > c) {
            pending = true;
            continue;
        }
        int o = route(R, f.word);
        if (o == OUT_DROP) {
            in[i].out = OUT_DROP;
            R.owning |= 1u << i;
            fault(msg_[f.slot].src, UDN_FAULT_HARDWALL, f.word);
        } else {
            req[o] |= 1u << i;
            asked |= 1u << o;
        }
    }
    return asked;
}

/* Allocation phase: each free output asked for goes to the first asking
 * input at or after its round-robin pointer (the input after the last
 * grant; the pointer stays at 0 under fixed priority). Returns true when
 * an output was granted. */
__attribute__((always_inline)) inline bool udn_mesh::allocate_outputs(router &R, const uint32_t *req,
                                                                      uint32_t asked)
{
    inbuf *in = R.in;
    outport *out = R.out;
    bool granted = false;
    while (asked) {
        int o = __builtin_ctz(asked);
        asked &= asked - 1;
        if (out[o].owner != -1) continue;
        uint32_t later = req[o] & (~0u << out[o].rr);
        int i = __builtin_ctz(later ? later : req[o]);
        out[o].owner = i;
        if (p_.arbitration == UDN_ARB_ROUND_ROBIN) out[o].rr = i + 1 == UDN_PORTS ? 0 : i + 1;
        in[i].out = o;
        R.owning |= 1u << i;
        if (o == UDN_DIR_LOCAL)
            out[o].eject_q = (int)udn_header_queue(in[i].ring[in[i].head].word);
        granted = true;
    }
    return granted;
}

/* Traversal phase: one word per input of `owning` (those holding words and
 * an output) with room behind it moves to the next router's input, into
 * its demux queue (the header word stays behind: it only names the queue),
 * or, past the hardwall, to nowhere. Returns true when a word moved or is
 * not there yet. */
__attribute__((always_inline)) inline bool udn_mesh::traverse(router &R, uint64_t c, uint32_t owning)
{
    inbuf *in = R.in;
    outport *out = R.out;
    bool changed = false;
    for (uint32_t m = owning; m; m &= m - 1) {
        int i = __builtin_ctz(m);
        int o = in[i].out;
        const flit &f = in[i].ring[in[i].head];
        if (f.ready > c) {
            changed = true;
            continue;
        }
        uint32_t flags = f.flags;
        if (o == OUT_DROP) {
            if (flags & FL_TAIL) {
                finish(f.slot, c, false);
                in[i].out = -1;
                R.owning &= ~(1u << i);
            }
        } else if (o == UDN_DIR_LOCAL) {
            if (!(flags & FL_HEAD)) {
                if (!eject(R, out[o].eject_q, f.word, c)) continue;
            } else if (flags & FL_REC) {    /* once per message: its sender record */
                if (!R.sink) record_sender((uint32_t)(R.index * Q_ + out[o].eject_q), f);
            }
            if (flags & FL_TAIL) done_.push_back(f.slot);
            R.link_words[o]++;
        } else {
            if (!forward(R, o, f, c)) continue;
            R.link_words[o]++;
        }
        changed = true;
        if (o != OUT_DROP && (flags & FL_TAIL)) {
            out[o].owner = -1;
            in[i].out = -1;
            R.owning &= ~(1u << i);
        }
        in[i].head = (in[i].head + 1) & ring_mask_;
        uint32_t left = --in[i].count;
        R.nonempty &= ~((uint32_t)(left == 0) << i);    /* no branch: unpredictable */
        note_pop(in[i], c);
        /* A blocked tile's local input (rarely true: a predictable branch). */
        if (R.wake_local & (1u << i)) space_wake_.push_back(R.index);
    }
    return changed;
}

/* A payload word into demux queue q of R's tile, readable from c+1.
 * Returns false when the queue is full (the word waits). */
__attribute__((always_inline)) inline bool udn_mesh::eject(router &R, int q, uint64_t word, uint64_t c)
{
    uint32_t qi = (uint32_t)(R.index * Q_ + q);
    dqueue &dq = queue_[qi];
    if (used(dq, c) >= (uint32_t)p_.queue_words) return false;
    if (R.sink) {
        note_pop(dq, c + 1);        /* read the cycle it arrives */
    } else {
        uint32_t pos = dq.head + dq.count;
        if (pos >= (uint32_t)p_.queue_words) pos -= p_.queue_words;
        qbuf_[(size_t)qi * p_.queue_words + pos] = word;
        dq.count++;
        stats_->queue_change(R.index, q, dq.count, c + 1);
        data_.push_back(qi);
    }
    return true;
}

/* A word onto output o's link: into the downstream router's input buffer,
 * ready after the hop latency; activates that router. Returns false when
 * the buffer is full (back-pressure: the word waits). */
__attribute__((always_inline)) inline bool udn_mesh::forward(router &R, int o, const flit &f, uint64_t c)
{
    inbuf &db = *R.down_in[o];
    if (used(db, c) >= (uint32_t)B_) return false;
    flit &nf = R.down_buf[o][(db.head + db.count) & ring_mask_];
    nf = f;
    nf.ready = c + hop_;
    db.count++;
    router &D = *R.down_r[o];
    D.nonempty |= 1u << udn_opposite(o);
    if (!D.active) {
        D.active = 1;
        active_[active_n_++] = &D;
    }
    return true;
}

/* Reports, at cycle c, what evaluate(c-1) made observable. */
void udn_mesh::report(uint64_t c)
{
    for (size_t k = 0; k < done_.size(); k++) finish(done_[k], c, true);
    done_.clear();
    if (listener_) {
        for (size_t k = 0; k < data_.size(); k++)
            listener_->on_udn_data((int)(data_[k] / Q_), (int)(data_[k] % Q_));
        for (size_t k = 0; k < space_wake_.size(); k++) listener_->on_udn_space(space_wake_[k]);
    }
    data_.clear();
    space_wake_.clear();
}
