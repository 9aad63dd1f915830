// mpipe_model.cpp - the mPIPE model: ports, classifiers, load balancer,
// buffer stacks, notification rings, iDMA and eDMA (see mpipe_model.h).
#define SC_INCLUDE_DYNAMIC_PROCESSES   // sc_spawn: one eDMA engine and wire per port
#include "mpipe/mpipe_model.h"

#include <algorithm>
#include <cstring>

#include "mpipe/eth_wire.h"

using namespace sc_core;

namespace {
const unsigned TXQ_DEPTH = 4;        // frames the eDMA engine may read ahead of the wire
const uint64_t SF_BLOCK_BYTES = 128; // unit of mpipe.egress_sf_blocks
uint64_t div_up(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
} // namespace

const char *mpipe_drop_name(int cause)
{
    static const char *const names[DROP_CAUSES] = {
        "runt", "oversize", "parse_error", "bad_ipv4_csum", "no_ring", "ring_full", "no_buffer",
    };
    return cause >= 0 && cause < DROP_CAUSES ? names[cause] : "?";
}

// ---------------------------------------------------------------- ports

EthPort::EthPort(sc_module_name name, int index_, const MpipeParams &params, Mpipe *mpipe)
    : sc_module(name), index(index_), rate_gbps(params.rate_gbps),
      bit_fs(eth_bit_fs(params.rate_gbps)), mpipe_(mpipe), pad_short_(params.pad_short)
{
    SC_THREAD(rx_thread);
}

static void wait_until_fs(uint64_t fs)
{
    uint64_t now = sc_time_stamp().value();
    if (fs > now) wait(sc_time::from_value(fs - now));
}

void EthPort::rx_thread()
{
    if (!backend_) return;
    std::vector<uint8_t> f;
    uint64_t earliest, free_fs = 0;
    for (;;) {
        if (!backend_->next(f, earliest)) {
            sc_event *ev = backend_->more();
            if (!ev) return;
            wait(*ev);
            continue;
        }
        bool runt = f.size() < 14 || (!pad_short_ && f.size() < ETH_MIN_FRAME);
        if (!runt && f.size() < ETH_MIN_FRAME) f.resize(ETH_MIN_FRAME, 0);
        uint64_t t0 = std::max({ earliest, free_fs, (uint64_t)sc_time_stamp().value() });
        wait_until_fs(t0);
        if (recorder_) recorder_->record(index, false, t0, f.data(), f.size());
        rx_frames++;
        rx_bytes += f.size();
        free_fs = t0 + eth_slot_bytes(f.size(), runt) * 8 * bit_fs;
        wait_until_fs(t0 + eth_frame_wire_bytes(f.size(), runt) * 8 * bit_fs);
        if (runt)
            mpipe_->count_drop(DROP_RUNT);
        else if (f.size() > (size_t)mpipe_->max_frame())
            mpipe_->count_drop(DROP_OVERSIZE);
        else
            mpipe_->ingress(index, f, t0);   // f comes back holding a spare buffer
        f.clear();
    }
}

uint64_t EthPort::transmit(const std::vector<uint8_t> &f, uint64_t t0)
{
    if (recorder_) recorder_->record(index, true, t0, f.data(), f.size());
    if (backend_) backend_->transmitted(f.data(), f.size(), t0);
    tx_frames++;
    tx_bytes += f.size();
    tx_free_fs = t0 + eth_slot_bytes(f.size(), 0) * 8 * bit_fs;
    return t0 + eth_frame_wire_bytes(f.size(), 0) * 8 * bit_fs;
}


// ---------------------------------------------------------------- mPIPE

Mpipe::Mpipe(sc_module_name name, const MpipeParams &params, const mpipe_rules &rules, phys_mem *mem,
             sc_time cycle)
    : sc_module(name), p_(params), rules_(rules), mem_(mem), cycle_fs_(cycle.value()),
      stacks_(MPIPE_STACKS), rings_(MPIPE_RINGS), groups_(MPIPE_GROUPS), buckets_(MPIPE_BUCKETS),
      erings_(MPIPE_EGRESS_RINGS), classifier_free_((size_t)params.classifiers, 0),
      landed_ev_(MPIPE_RINGS), done_ev_(MPIPE_EGRESS_RINGS), egress_(new Egress[(size_t)params.ports])
{
    ring_stats.resize(MPIPE_RINGS);
    char nm[32];
    // per port, in this order: its receive thread, its eDMA engine, its wire
    // (creation order orders same-instant wake-ups: kept as it always was)
    for (int p = 0; p < params.ports; p++) {
        snprintf(nm, sizeof nm, "port%d", p);
        ports.push_back(new EthPort(nm, p, params, this));
        snprintf(nm, sizeof nm, "edma%d", p);
        sc_spawn(sc_bind(&Mpipe::egress_thread, this, p), nm);
        snprintf(nm, sizeof nm, "wire%d", p);
        sc_spawn(sc_bind(&Mpipe::wire_thread, this, p), nm);
    }
    SC_METHOD(dispatch);
    sensitive << arrive_ev_;
    dont_initialize();
    SC_THREAD(decide_thread);
    SC_THREAD(write_thread);
}

Mpipe::~Mpipe()
{
    for (EthPort *p : ports) delete p;
}

uint64_t Mpipe::drops_total() const
{
    uint64_t n = 0;
    for (uint64_t d : drops_) n += d;
    return n;
}

void Mpipe::wake(int tile)
{
    if (tile >= 0 && (size_t)tile < tiles_.size() && tiles_[tile]) tiles_[tile]->wake_up();
}

void Mpipe::wait_until(uint64_t fs) { wait_until_fs(fs); }

uint64_t Mpipe::ring_occupancy(int r) const
{
    const Ring &g = rings_[r];
    return g.enabled ? g.entries - g.credits : 0;
}

bool Mpipe::drained() const
{
    if (!arrived_.empty() || !classified_.empty() || !writes_.empty()) return false;
    for (int p = 0; p < p_.ports; p++)
        if (!egress_[p].txq.empty()) return false;
    for (const ERing &e : erings_)
        if (e.enabled && !e.broken && e.done != e.tail) return false;
    for (int r = 0; r < MPIPE_RINGS; r++)
        if (ring_occupancy(r)) return false;
    return true;
}

// ---- registers

MmioResult Mpipe::load(uint64_t off, unsigned size, uint64_t &v, const sc_event **)
{
    if (size != 8 || (off & 7)) return MmioResult::fault;
    v = 0;
    mpipe_reg r = mpipe_reg_decode(off);
    switch (r.block) {
    case MPIPE_BLOCK_GLOBAL: return global_load(r.reg, v);
    case MPIPE_BLOCK_STACK: return stack_load(r.index, r.reg, v);
    case MPIPE_BLOCK_RING: return ring_load(r.index, r.reg, v);
    case MPIPE_BLOCK_ER: return ering_load(r.index, r.reg, v);
    default: return MmioResult::fault;   // groups and buckets are write-only
    }
}

MmioResult Mpipe::store(uint64_t off, unsigned size, uint64_t v, const sc_event **wait)
{
    if (size != 8 || (off & 7)) return MmioResult::fault;
    mpipe_reg r = mpipe_reg_decode(off);
    switch (r.block) {
    case MPIPE_BLOCK_GLOBAL: return global_store(r.reg, v);
    case MPIPE_BLOCK_STACK: return stack_store(r.index, r.reg, v);
    case MPIPE_BLOCK_RING: return ring_store(r.index, r.reg, v, wait);
    case MPIPE_BLOCK_GROUP: return group_store(r.index, v);
    case MPIPE_BLOCK_BUCKET: return bucket_store(r.index, v);
    case MPIPE_BLOCK_ER: return ering_store(r.index, r.reg, v, wait);
    default: return MmioResult::fault;
    }
}

MmioResult Mpipe::global_load(unsigned reg, uint64_t &v)
{
    if (reg == MPIPE_REG_INFO) {
        v = MPIPE_INFO_VAL(ports.size(), p_.classifiers);
    } else if (reg == MPIPE_REG_DROPS) {
        v = drops_total();
    } else {
        return MmioResult::fault;
    }
    return MmioResult::ok;
}

// CREDIT: the consumer of ring r gives back n credits (and its bucket's).
MmioResult Mpipe::global_store(unsigned reg, uint64_t v)
{
    if (reg != MPIPE_REG_CREDIT) return MmioResult::fault;
    uint64_t r = mpipe_credit_ring(v), n = mpipe_credit_count(v);
    unsigned b = mpipe_credit_bucket(v);
    if (r >= MPIPE_RINGS || !rings_[r].enabled || (b != MPIPE_NO_BUCKET && b >= MPIPE_BUCKETS))
        return MmioResult::fault;
    Ring &g = rings_[r];
    g.credits = std::min(g.entries, g.credits + n);
    if (b != MPIPE_NO_BUCKET) buckets_[b].outstanding -= std::min(n, buckets_[b].outstanding);
    return MmioResult::ok;
}

MmioResult Mpipe::stack_load(unsigned si, unsigned reg, uint64_t &v)
{
    Stack &s = stacks_[si];
    if (reg == MPIPE_STACK_POP) {
        if (!s.bufs.empty()) {
            v = s.bufs.back();
            s.bufs.pop_back();
        }
    } else if (reg == MPIPE_STACK_COUNT) {
        v = s.bufs.size();
    } else {
        return MmioResult::fault;
    }
    return MmioResult::ok;
}

MmioResult Mpipe::stack_store(unsigned si, unsigned reg, uint64_t v)
{
    Stack &s = stacks_[si];
    if (reg == MPIPE_STACK_INIT) {
        s.bufs.clear();
        s.cls = v ? (int)mpipe_stack_init_class(v) : -1;
        s.capacity = mpipe_stack_init_capacity(v);
        if (v && !s.capacity) return MmioResult::fault;
        s.bufs.reserve(std::min<uint64_t>(s.capacity, 65536));
    } else if (reg == MPIPE_STACK_PUSH) {
        uint64_t a = mpipe_bdesc_addr(v);
        if (s.cls < 0 || (a % MPIPE_BUFFER_ALIGN) ||
            !phys_mem_ptr(mem_, a, mpipe_size_class_bytes((unsigned)s.cls)))
            return MmioResult::fault;
        if (s.bufs.size() >= s.capacity)
            push_overflow++;
        else
            s.bufs.push_back(mpipe_bdesc(a, si, (unsigned)s.cls, MPIPE_C_UNCHAINED));
    } else {
        return MmioResult::fault;
    }
    return MmioResult::ok;
}

MmioResult Mpipe::ring_load(unsigned r, unsigned reg, uint64_t &v)
{
    if (reg != MPIPE_RING_COUNT) return MmioResult::fault;
    v = rings_[r].count;
    return MmioResult::ok;
}

MmioResult Mpipe::ring_store(unsigned r, unsigned reg, uint64_t v, const sc_event **wait)
{
    Ring &g = rings_[r];
    if (reg == MPIPE_RING_BASE) {
        if (v % MPIPE_IDESC_BYTES) return MmioResult::fault;
        g.base = v;
        g.enabled = false;
    } else if (reg == MPIPE_RING_INIT) {
        if (!mpipe_ring_entries_ok(v) || !phys_mem_ptr(mem_, g.base, v * MPIPE_IDESC_BYTES))
            return MmioResult::fault;
        g.entries = g.credits = v;
        g.count = g.landed = 0;
        g.enabled = true;
    } else if (reg == MPIPE_RING_TILE) {
        g.tile = (int)(int64_t)v;
    } else if (reg == MPIPE_RING_COUNT) {   // wait for event
        if (!g.enabled) return MmioResult::fault;
        if (g.landed <= v) {
            *wait = &landed_ev_[r];
            return MmioResult::block;
        }
    } else {
        return MmioResult::fault;
    }
    return MmioResult::ok;
}

MmioResult Mpipe::group_store(unsigned gi, uint64_t v)
{
    Group &g = groups_[gi];
    unsigned first = mpipe_group_first(v), n = mpipe_group_rings(v);
    if (n == 0 || first + n > MPIPE_RINGS) return MmioResult::fault;
    g.first = first;
    g.n = n;
    g.rr = 0;
    g.set = true;
    return MmioResult::ok;
}

MmioResult Mpipe::bucket_store(unsigned bi, uint64_t v)
{
    Bucket &b = buckets_[bi];
    unsigned group = mpipe_bucket_group(v), mode = mpipe_bucket_mode(v), ring = mpipe_bucket_ring(v);
    if (group >= MPIPE_GROUPS || mode > MPIPE_MODE_STICKY || ring >= MPIPE_RINGS) return MmioResult::fault;
    b.group = group;
    b.mode = mode;
    b.ring = ring;
    b.outstanding = 0;
    b.set = true;
    return MmioResult::ok;
}

MmioResult Mpipe::ering_load(unsigned ei, unsigned reg, uint64_t &v)
{
    const ERing &e = erings_[ei];
    if (reg == MPIPE_ER_DONE)
        v = e.done;
    else if (reg == MPIPE_ER_TAIL)
        v = e.tail;
    else
        return MmioResult::fault;
    return MmioResult::ok;
}

MmioResult Mpipe::ering_store(unsigned ei, unsigned reg, uint64_t v, const sc_event **wait)
{
    ERing &e = erings_[ei];
    if (reg == MPIPE_ER_BASE) {
        if (v % MPIPE_EDESC_BYTES) return MmioResult::fault;
        e.base = v;
        e.enabled = false;
    } else if (reg == MPIPE_ER_INIT) {
        uint64_t n = mpipe_er_init_entries(v);
        unsigned port = mpipe_er_init_port(v);
        if (!mpipe_eg_entries_ok(n) || port >= ports.size() || !phys_mem_ptr(mem_, e.base, n * MPIPE_EDESC_BYTES))
            return MmioResult::fault;
        e.entries = n;
        e.port = (int)port;
        e.tail = e.fetched = e.done = 0;
        e.enabled = true;
        e.broken = false;
    } else if (reg == MPIPE_ER_TAIL) {   // doorbell
        if (!e.enabled || v < e.tail || v - e.done > e.entries) return MmioResult::fault;
        e.tail = v;
        egress_[e.port].doorbell.notify(SC_ZERO_TIME);
    } else if (reg == MPIPE_ER_TILE) {
        e.tile = (int)(int64_t)v;
    } else if (reg == MPIPE_ER_DONE) {   // wait for event
        if (!e.enabled) return MmioResult::fault;
        if (e.done <= v) {
            *wait = &done_ev_[ei];
            return MmioResult::block;
        }
    } else {
        return MmioResult::fault;
    }
    return MmioResult::ok;
}

// ---- ingress

// Queued in port order (stable: after frames of the same port), whatever
// order the port processes ran in.
void Mpipe::ingress(int port, std::vector<uint8_t> &frame, uint64_t start_fs)
{
    Classified &c = arrived_.push_back();
    c.frame.swap(frame);
    c.port = port;
    c.start_fs = start_fs;
    c.done_fs = 0;
    for (size_t i = arrived_.size() - 1; i > 0 && arrived_[i - 1].port > port; i--)
        std::swap(arrived_[i - 1], arrived_[i]);
    arrive_ev_.notify(SC_ZERO_TIME);
}

// Frames that ended at the same instant take classifiers in port order: the
// earliest free processor, lowest number first, from the next clock edge.
void Mpipe::dispatch()
{
    for (; !arrived_.empty(); arrived_.pop_front()) {
        Classified &c = classified_.push_back();
        std::swap(c, arrived_.front());
        size_t k = 0;
        for (size_t i = 1; i < classifier_free_.size(); i++)
            if (classifier_free_[i] < classifier_free_[k]) k = i;
        uint64_t start = div_up(std::max(now_fs(), classifier_free_[k]), cycle_fs_) * cycle_fs_;
        c.done_fs = start + cycles_fs(p_.classify_cycles);
        classifier_free_[k] = c.done_fs;
        classifier_busy_cycles += p_.classify_cycles;
    }
    classified_ev_.notify(SC_ZERO_TIME);
}

void Mpipe::decide_thread()
{
    for (;;) {
        while (classified_.empty()) wait(classified_ev_);
        wait_until(classified_.front().done_fs);
        classified++;
        deliver(classified_.front());   // does not wait: the front stays put
        classified_.pop_front();
    }
}

// The ring a bucket's frame goes to: a ring number, -1 when the bucket or
// its group names no enabled ring, -2 when the chosen ring has no credit.
int Mpipe::pick_ring(Bucket &b)
{
    if (b.mode == MPIPE_MODE_STATIC)
        return !rings_[b.ring].enabled ? -1 : rings_[b.ring].credits ? (int)b.ring : -2;
    Group &g = groups_[b.group];
    if (!g.set) return -1;
    if ((b.mode == MPIPE_MODE_AFFINITY && b.outstanding > 0) ||
        (b.mode == MPIPE_MODE_STICKY && b.ring >= g.first && b.ring < g.first + g.n &&
         rings_[b.ring].enabled && rings_[b.ring].credits)) {
        if (!rings_[b.ring].enabled) return -1;
        return rings_[b.ring].credits ? (int)b.ring : -2;
    }
    // least full, ties in rotating order from the group's pointer
    int best = -1;
    uint64_t best_occ = 0;
    for (unsigned i = 0; i < g.n; i++) {
        unsigned r = g.first + (g.rr + i) % g.n;
        if (!rings_[r].enabled) continue;
        uint64_t occ = rings_[r].entries - rings_[r].credits;
        if (best < 0 || occ < best_occ) {
            best = (int)r;
            best_occ = occ;
        }
    }
    if (best < 0) return -1;
    return rings_[best].credits ? best : -2;
}

// Pops the buffers for a frame of len bytes from the rule's stacks (those of
// the frame's bucket with split=N): the
// smallest class that holds it whole, else a chain from the largest class.
// Returns false (nothing popped) when that stack has too few buffers.
bool Mpipe::pop_buffers(uint32_t stacks, size_t len, std::vector<uint64_t> &bufs)
{
    int fit = -1, largest = -1;
    for (int s = 0; s < MPIPE_STACKS; s++) {
        if (!(stacks & (1u << s)) || stacks_[s].cls < 0) continue;
        uint32_t bytes = mpipe_size_class_bytes((unsigned)stacks_[s].cls);
        if (bytes >= len && (fit < 0 || bytes < mpipe_size_class_bytes((unsigned)stacks_[fit].cls)))
            fit = s;
        if (largest < 0 || bytes > mpipe_size_class_bytes((unsigned)stacks_[largest].cls)) largest = s;
    }
    if (largest < 0) return false;
    size_t need = 1;
    int s = fit;
    if (fit < 0) {
        s = largest;
        need = mpipe_chain_buffers(len, (unsigned)stacks_[s].cls);
    }
    Stack &st = stacks_[s];
    if (st.bufs.size() < need) return false;
    for (size_t i = 0; i < need; i++) {
        bufs.push_back(st.bufs.back());
        st.bufs.pop_back();
    }
    return true;
}

// A classified frame, phase by phase: parse and match a rule (its bucket),
// pick the ring, pop the buffers, take the ring's slot, then queue the
// data and the descriptor for the iDMA engine. A frame that fails a phase
// is dropped, counted by cause, and leaves no trace in the later ones.
void Mpipe::deliver(Classified &c)
{
    mpipe_parsed p;
    mpipe_parse_status ps = mpipe_parse(c.frame.data(), c.frame.size(), &p);
    if (ps != MPIPE_PARSE_OK) {
        drops_[ps == MPIPE_PARSE_BAD_IPCSUM ? DROP_IPV4_CSUM : DROP_PARSE]++;
        return;
    }
    const mpipe_rule *rule = mpipe_rules_match(&rules_, &p);
    unsigned bi = mpipe_rule_bucket(rule, p.flow_hash);
    Bucket &b = buckets_[bi];
    int r = b.set ? pick_ring(b) : -1;
    if (r < 0) {
        drops_[r == -2 ? DROP_RING_FULL : DROP_NO_RING]++;
        return;
    }
    bufs_.clear();
    if (!pop_buffers(mpipe_rule_stacks(rule, bi), c.frame.size(), bufs_)) {
        drops_[DROP_NO_BUFFER]++;
        return;
    }
    uint64_t slot = take_slot(b, r);

    Write &w = writes_.push_back();
    w.ring = r;
    w.slot = slot;
    w.bufs.swap(bufs_);
    uint64_t first = w.bufs.size() == 1 ? w.bufs[0] : mpipe_bdesc_set_c(w.bufs[0], MPIPE_C_CHAINED);
    fill_idesc(w.desc, c, p, bi, r, slot, first);
    w.frame.swap(c.frame);
    // bytes written: the frame, plus a chain header in each buffer of a chain
    uint64_t bytes = w.frame.size() + (w.bufs.size() == 1 ? 0 : w.bufs.size() * MPIPE_CHAIN_HDR);
    schedule_idma(w, bytes);
    write_ev_.notify(SC_ZERO_TIME);
}

// Takes a credit of ring r for bucket b's frame: the bucket's and group's
// load-balancing state, the ring's counters. Returns the descriptor's number.
uint64_t Mpipe::take_slot(Bucket &b, int r)
{
    if (b.mode == MPIPE_MODE_ROUND_ROBIN) {
        Group &g = groups_[b.group];
        g.rr = (g.rr + 1) % g.n;
    }
    b.ring = (unsigned)r;
    b.outstanding++;
    Ring &ring = rings_[r];
    ring.credits--;
    RingStats &rs = ring_stats[r];
    rs.written++;
    rs.max_occupancy = std::max(rs.max_occupancy, ring.entries - ring.credits);
    return ring.count++;
}

void Mpipe::fill_idesc(mpipe_idesc &d, const Classified &c, const mpipe_parsed &p, unsigned bucket, int r,
                       uint64_t slot, uint64_t bdesc)
{
    memset(&d, 0, sizeof d);
    d.ring = (uint16_t)r;
    d.bucket = (uint16_t)bucket;
    d.channel = (uint8_t)c.port;
    d.flags = (uint8_t)((mpipe_gen(slot, rings_[r].entries) ? MPIPE_IDESC_GEN : 0) |
                        (p.ipck_ok ? MPIPE_IDESC_IPCK_OK : 0) | (p.l4ck_ok ? MPIPE_IDESC_L4CK_OK : 0));
    d.l2_size = (uint16_t)c.frame.size();
    d.csum_start = p.csum_start;
    d.csum = p.csum;
    d.flow_hash = p.flow_hash;
    d.l3_off = p.l3_off;
    d.l4_off = p.l4_off;
    d.protocol = p.protocol;
    d.parse = p.parse;
    d.vlan = p.vlan;
    d.ethertype = p.ethertype;
    d.seq = seq_++;
    uint64_t ns = c.start_fs / 1000000ULL;
    d.time_sec = (uint32_t)(ns / 1000000000ULL);
    d.time_ns = (uint32_t)(ns % 1000000000ULL);
    d.bdesc = bdesc;
    d.ip_src = p.ip_src;
    d.ip_dst = p.ip_dst;
    d.port_src = p.port_src;
    d.port_dst = p.port_dst;
}

// iDMA: one engine, in order, from the next clock edge: the data lands
// dma_latency cycles after its last byte went out, the descriptor after it.
void Mpipe::schedule_idma(Write &w, uint64_t bytes)
{
    uint64_t bpc = p_.dma_bytes_per_cycle;
    uint64_t start = div_up(std::max(now_fs(), idma_free_fs_), cycle_fs_) * cycle_fs_;
    uint64_t data_cycles = div_up(bytes, bpc), desc_cycles = div_up(MPIPE_IDESC_BYTES, bpc);
    w.data_fs = start + cycles_fs(data_cycles + p_.dma_latency);
    w.desc_fs = w.data_fs + cycles_fs(desc_cycles);
    idma_free_fs_ = start + cycles_fs(data_cycles + desc_cycles);
}

// Writes the frame into its buffers: whole into one, or as a chain, each
// buffer headed by the descriptor of the next (one DMA write per buffer).
void Mpipe::write_frame(const Write &w)
{
    const std::vector<uint8_t> &f = w.frame;
    if (w.bufs.size() == 1) {
        phys_mem_dma_write(mem_, mpipe_bdesc_addr(w.bufs[0]), f.data(), f.size());
        return;
    }
    size_t pos = 0;
    for (size_t i = 0; i < w.bufs.size(); i++) {
        size_t n = std::min<size_t>(mpipe_chain_room(mpipe_bdesc_class(w.bufs[i])), f.size() - pos);
        uint64_t next = i + 1 < w.bufs.size() ? mpipe_bdesc_set_c(w.bufs[i + 1], MPIPE_C_CHAINED)
                                              : MPIPE_BDESC_CHAIN_END;
        chunk_.resize(MPIPE_CHAIN_HDR + n);
        memcpy(chunk_.data(), &next, MPIPE_CHAIN_HDR);
        memcpy(chunk_.data() + MPIPE_CHAIN_HDR, f.data() + pos, n);
        pos += n;
        phys_mem_dma_write(mem_, mpipe_bdesc_addr(w.bufs[i]), chunk_.data(), chunk_.size());
    }
}

void Mpipe::write_thread()
{
    Write w;   // the one being written (queue slots move while this thread waits)
    for (;;) {
        while (writes_.empty()) wait(write_ev_);
        std::swap(w, writes_.front());
        writes_.pop_front();
        wait_until(w.data_fs);
        write_frame(w);
        wait_until(w.desc_fs);
        Ring &ring = rings_[w.ring];
        phys_mem_dma_write(mem_, mpipe_idesc_addr(ring.base, w.slot, ring.entries), &w.desc, sizeof w.desc);
        delivered++;
        ring.landed++;
        landed_ev_[w.ring].notify();
        wake(ring.tile);
    }
}

// ---- egress

void Mpipe::push_buffer(uint64_t bdesc)
{
    Stack &s = stacks_[mpipe_bdesc_stack(bdesc)];
    if (s.cls < 0 || s.bufs.size() >= s.capacity) {
        push_overflow++;
        return;
    }
    // the buffer holding the address (a gather may point past a chain header)
    s.bufs.push_back(mpipe_bdesc(mpipe_bdesc_buffer(bdesc), mpipe_bdesc_stack(bdesc), (unsigned)s.cls,
                                 MPIPE_C_UNCHAINED));
}

// Reads the next whole gather (descriptors up to one with EOP) of egress
// ring e into tx. False when the posted descriptors hold no EOP yet, or the
// ring is broken (a descriptor with the wrong GEN: counted, the ring stops).
bool Mpipe::gather(ERing &er, int e, TxFrame &tx)
{
    uint64_t n = er.fetched;
    mpipe_edesc d;
    for (; n < er.tail; n++) {
        phys_mem_dma_read(mem_, mpipe_edesc_addr(er.base, n, er.entries), &d, sizeof d);
        if (!mpipe_edesc_gen_ok(d.w0, n, er.entries)) {
            er.broken = true;
            egress_errors++;
            return false;
        }
        if (d.w0 & MPIPE_EDESC_EOP) break;
    }
    if (n == er.tail) return false;
    tx.frame.clear();   // (keeping the buffers' capacity)
    tx.returns.clear();
    tx.ready_fs = 0;
    tx.ering = e;
    tx.ndesc = n + 1 - er.fetched;
    tx.notif = false;
    uint64_t csum_w0 = 0;
    for (uint64_t i = er.fetched; i <= n; i++) {
        phys_mem_dma_read(mem_, mpipe_edesc_addr(er.base, i, er.entries), &d, sizeof d);
        if (i == er.fetched && (d.w0 & MPIPE_EDESC_CSUM)) csum_w0 = d.w0;
        if (d.w0 & MPIPE_EDESC_NOTIF) tx.notif = true;
        if (!(d.w0 & MPIPE_EDESC_NS)) {
            size_t len = mpipe_edesc_size(d.w0), at = tx.frame.size();
            tx.frame.resize(at + len);
            if (phys_mem_dma_read(mem_, mpipe_bdesc_addr(d.bdesc), tx.frame.data() + at, len) < 0) {
                egress_errors++;
                tx.frame.resize(at);
            }
        }
        if (d.bdesc & MPIPE_BDESC_HWB) tx.returns.push_back(d.bdesc);
    }
    er.fetched = n + 1;
    if (csum_w0) {
        size_t start = mpipe_edesc_csum_start(csum_w0), dest = mpipe_edesc_csum_dest(csum_w0);
        uint32_t seed = mpipe_edesc_csum_seed(csum_w0);
        if (start <= tx.frame.size() && dest + 2 <= tx.frame.size()) {
            uint16_t sum = mpipe_csum_add(seed, tx.frame.data() + start, tx.frame.size() - start);
            uint16_t c = (uint16_t)~sum;
            tx.frame[dest] = (uint8_t)(c >> 8);
            tx.frame[dest + 1] = (uint8_t)c;
        } else {
            egress_errors++;
        }
    }
    return true;
}

// The eDMA engine of a port: gathers posted frames from the port's egress
// rings (round robin over the rings) into its transmit queue, up to
// TXQ_DEPTH frames ahead of the wire.
void Mpipe::egress_thread(int port)
{
    Egress &eg = egress_[port];
    unsigned rr = 0;
    uint64_t bpc = p_.dma_bytes_per_cycle;
    uint64_t sf = p_.egress_sf_blocks * SF_BLOCK_BYTES;
    TxFrame tx;
    for (;;) {
        if (eg.txq.size() >= TXQ_DEPTH) {
            wait(eg.popped);
            continue;
        }
        bool found = false;
        for (unsigned k = 0; k < MPIPE_EGRESS_RINGS && !found; k++) {
            unsigned e = (rr + k) % MPIPE_EGRESS_RINGS;
            ERing &er = erings_[e];
            if (er.enabled && !er.broken && er.port == port && er.fetched < er.tail &&
                gather(er, (int)e, tx)) {
                found = true;
                rr = e + 1;
            }
        }
        if (!found) {
            wait(eg.doorbell);
            continue;
        }
        // descriptors are read on the next clock edge; the wire may start once
        // the store-and-forward threshold is in
        uint64_t start = div_up(now_fs(), cycle_fs_) * cycle_fs_;
        uint64_t len = tx.frame.size();
        tx.ready_fs = start + cycles_fs(p_.dma_latency + div_up(std::min(len, sf), bpc));
        std::swap(eg.txq.push_back(), tx);
        eg.pushed.notify(SC_ZERO_TIME);
        wait_until(start + cycles_fs(std::max<uint64_t>(1, div_up(len, bpc))));
    }
}

// The transmit side of a port: hands each read frame to the port when the
// wire is free, then completes it (buffers back, counter, wake-up) at the
// end of its FCS.
void Mpipe::wire_thread(int port)
{
    Egress &eg = egress_[port];
    EthPort *p = ports[port];
    TxFrame tx;
    for (;;) {
        while (eg.txq.empty()) wait(eg.pushed);
        std::swap(tx, eg.txq.front());
        eg.txq.pop_front();
        eg.popped.notify(SC_ZERO_TIME);
        if (!tx.frame.empty() && tx.frame.size() <= p_.max_frame) {
            if (tx.frame.size() < ETH_MIN_FRAME) tx.frame.resize(ETH_MIN_FRAME, 0);
            uint64_t t0 = std::max({ tx.ready_fs, p->tx_free_fs, now_fs() });
            wait_until(t0);
            wait_until(p->transmit(tx.frame, t0));
            egress_frames++;
        } else {
            if (!tx.frame.empty()) egress_errors++;   // oversize: not sent
            wait_until(tx.ready_fs);
        }
        for (uint64_t b : tx.returns) push_buffer(b);
        ERing &er = erings_[tx.ering];
        er.done += tx.ndesc;
        done_ev_[tx.ering].notify();
        if (tx.notif) wake(er.tile);
    }
}
