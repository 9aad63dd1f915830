// mpipe_model.cpp - the mPIPE model: ports, classifiers, load balancer,
// buffer stacks, notification rings, iDMA and eDMA (see mpipe_model.h).
#include "mpipe/mpipe_model.h"

#include <algorithm>
#include <cstring>

#include "mpipe/eth_wire.h"

using namespace sc_core;

namespace {
const unsigned TXQ_DEPTH = 4;   // frames the eDMA engine may read ahead of the wire
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

EthPort::EthPort(sc_module_name name, int index_, const dl_config &cfg, Mpipe *mpipe)
    : sc_module(name), index(index_), rate_gbps(cfg.port.rate_gbps),
      bit_fs(eth_bit_fs(cfg.port.rate_gbps)), mpipe_(mpipe), pad_short_(cfg.port.pad_short)
{
    SC_THREAD(rx_thread);
    SC_THREAD(tx_engine_thread);
    SC_THREAD(tx_wire_thread);
}

static void wait_until_fs(uint64_t fs)
{
    uint64_t now = sc_time_stamp().value();
    if (fs > now) wait(sc_time::from_value(fs - now));
}

void EthPort::rx_thread()
{
    if (!backend) return;
    std::vector<uint8_t> f;
    uint64_t earliest, free_fs = 0;
    for (;;) {
        if (!backend->next(f, earliest)) {
            sc_event *ev = backend->more();
            if (!ev) return;
            wait(*ev);
            continue;
        }
        bool runt = f.size() < 14 || (!pad_short_ && f.size() < ETH_MIN_FRAME);
        if (!runt && f.size() < ETH_MIN_FRAME) f.resize(ETH_MIN_FRAME, 0);
        uint64_t t0 = std::max({ earliest, free_fs, (uint64_t)sc_time_stamp().value() });
        wait_until_fs(t0);
        if (recorder) recorder->record(index, false, t0, f.data(), f.size());
        rx_frames++;
        rx_bytes += f.size();
        free_fs = t0 + eth_slot_bytes(f.size(), runt) * 8 * bit_fs;
        wait_until_fs(t0 + eth_frame_wire_bytes(f.size(), runt) * 8 * bit_fs);
        if (runt)
            mpipe_->count_drop(DROP_RUNT);
        else if (f.size() > (size_t)mpipe_->max_frame())
            mpipe_->count_drop(DROP_OVERSIZE);
        else
            mpipe_->ingress(index, std::move(f), t0);
        f.clear();
    }
}

uint64_t EthPort::transmit(const std::vector<uint8_t> &f, uint64_t t0)
{
    if (recorder) recorder->record(index, true, t0, f.data(), f.size());
    if (backend) backend->transmitted(f.data(), f.size(), t0);
    tx_frames++;
    tx_bytes += f.size();
    tx_free_fs = t0 + eth_slot_bytes(f.size(), 0) * 8 * bit_fs;
    return t0 + eth_frame_wire_bytes(f.size(), 0) * 8 * bit_fs;
}

void EthPort::tx_engine_thread() { mpipe_->egress_thread(index); }
void EthPort::tx_wire_thread() { mpipe_->wire_thread(index); }

// ---------------------------------------------------------------- mPIPE

Mpipe::Mpipe(sc_module_name name, const dl_config &cfg, const mpipe_rules &rules, phys_mem *mem,
             sc_time cycle)
    : sc_module(name), cfg_(cfg), rules_(rules), mem_(mem), cycle_fs_(cycle.value()),
      stacks_(MPIPE_STACKS), rings_(MPIPE_RINGS), groups_(MPIPE_GROUPS), buckets_(MPIPE_BUCKETS),
      erings_(MPIPE_EGRESS_RINGS), classifier_free_((size_t)cfg.mpipe.classifiers, 0),
      landed_ev_(MPIPE_RINGS), done_ev_(MPIPE_EGRESS_RINGS)
{
    ring_stats.resize(MPIPE_RINGS);
    char nm[32];
    for (int p = 0; p < cfg.port.count; p++) {
        txq_.emplace_back();
        doorbell_ev_.push_back(new sc_event);
        txq_push_ev_.push_back(new sc_event);
        txq_pop_ev_.push_back(new sc_event);
    }
    for (int p = 0; p < cfg.port.count; p++) {
        snprintf(nm, sizeof nm, "port%d", p);
        ports.push_back(new EthPort(nm, p, cfg, this));
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
    for (auto v : { &doorbell_ev_, &txq_push_ev_, &txq_pop_ev_ })
        for (sc_event *e : *v) delete e;
}

void Mpipe::attach_tiles(const std::vector<TileCore *> &tiles)
{
    tiles_ = tiles;
    for (TileCore *t : tiles)
        if (t) t->attach(TILE_MPIPE_BASE, TILE_MPIPE_SIZE, this);
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
    for (const auto &q : txq_)
        if (!q.empty()) return false;
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
    if (off == MPIPE_REG_INFO) {
        v = (uint64_t)ports.size() | ((uint64_t)cfg_.mpipe.classifiers << 8);
    } else if (off == MPIPE_REG_DROPS) {
        for (uint64_t d : drops) v += d;
    } else if (off >= MPIPE_STACK_REG(0, 0) && off < MPIPE_STACK_REG(MPIPE_STACKS, 0)) {
        Stack &s = stacks_[(off - MPIPE_STACK_REG(0, 0)) / 0x20];
        uint64_t r = (off - MPIPE_STACK_REG(0, 0)) % 0x20;
        if (r == MPIPE_STACK_POP) {
            if (!s.bufs.empty()) {
                v = s.bufs.back();
                s.bufs.pop_back();
            }
        } else if (r == MPIPE_STACK_COUNT) {
            v = s.bufs.size();
        } else {
            return MmioResult::fault;
        }
    } else if (off >= MPIPE_RING_REG(0, 0) && off < MPIPE_RING_REG(MPIPE_RINGS, 0)) {
        if ((off - MPIPE_RING_REG(0, 0)) % 0x20 != MPIPE_RING_COUNT) return MmioResult::fault;
        v = rings_[(off - MPIPE_RING_REG(0, 0)) / 0x20].count;
    } else if (off >= MPIPE_ER_REG(0, 0) && off < MPIPE_ER_REG(MPIPE_EGRESS_RINGS, 0)) {
        ERing &e = erings_[(off - MPIPE_ER_REG(0, 0)) / 0x40];
        uint64_t r = (off - MPIPE_ER_REG(0, 0)) % 0x40;
        if (r == MPIPE_ER_DONE) v = e.done;
        else if (r == MPIPE_ER_TAIL) v = e.tail;
        else return MmioResult::fault;
    } else {
        return MmioResult::fault;
    }
    return MmioResult::ok;
}

MmioResult Mpipe::store(uint64_t off, unsigned size, uint64_t v, const sc_event **wait)
{
    if (size != 8 || (off & 7)) return MmioResult::fault;
    if (off == MPIPE_REG_CREDIT) {
        unsigned r = (unsigned)(v >> 32), b = (unsigned)(v >> 16) & 0xFFFF;
        uint64_t n = v & 0xFFFF;
        if (r >= MPIPE_RINGS || !rings_[r].enabled || (b != MPIPE_NO_BUCKET && b >= MPIPE_BUCKETS))
            return MmioResult::fault;
        Ring &g = rings_[r];
        g.credits = std::min(g.entries, g.credits + n);
        if (b != MPIPE_NO_BUCKET) buckets_[b].outstanding -= std::min(n, buckets_[b].outstanding);
    } else if (off >= MPIPE_STACK_REG(0, 0) && off < MPIPE_STACK_REG(MPIPE_STACKS, 0)) {
        unsigned si = (unsigned)((off - MPIPE_STACK_REG(0, 0)) / 0x20);
        Stack &s = stacks_[si];
        uint64_t r = (off - MPIPE_STACK_REG(0, 0)) % 0x20;
        if (r == MPIPE_STACK_INIT) {
            s.bufs.clear();
            s.cls = v ? (int)(v & 7) : -1;
            s.capacity = v >> 16;
            if (v && !s.capacity) return MmioResult::fault;
            s.bufs.reserve(std::min<uint64_t>(s.capacity, 65536));
        } else if (r == MPIPE_STACK_PUSH) {
            uint64_t a = mpipe_bdesc_addr(v);
            if (s.cls < 0 || (a % MPIPE_BUFFER_ALIGN) ||
                !phys_mem_ptr(mem_, a, mpipe_size_class_bytes((unsigned)s.cls)))
                return MmioResult::fault;
            if (s.bufs.size() >= s.capacity) {
                push_overflow++;
            } else {
                s.bufs.push_back(mpipe_bdesc(a, si, (unsigned)s.cls, MPIPE_C_UNCHAINED));
            }
        } else {
            return MmioResult::fault;
        }
    } else if (off >= MPIPE_RING_REG(0, 0) && off < MPIPE_RING_REG(MPIPE_RINGS, 0)) {
        Ring &g = rings_[(off - MPIPE_RING_REG(0, 0)) / 0x20];
        uint64_t r = (off - MPIPE_RING_REG(0, 0)) % 0x20;
        if (r == MPIPE_RING_BASE) {
            if (v % MPIPE_IDESC_BYTES) return MmioResult::fault;
            g.base = v;
            g.enabled = false;
        } else if (r == MPIPE_RING_INIT) {
            if (!mpipe_ring_entries_ok(v) || !phys_mem_ptr(mem_, g.base, v * MPIPE_IDESC_BYTES))
                return MmioResult::fault;
            g.entries = g.credits = v;
            g.count = g.landed = 0;
            g.enabled = true;
        } else if (r == MPIPE_RING_TILE) {
            g.tile = (int)(int64_t)v;
        } else if (r == MPIPE_RING_COUNT) {
            if (!g.enabled) return MmioResult::fault;
            if (g.landed <= v) {
                *wait = &landed_ev_[(off - MPIPE_RING_REG(0, 0)) / 0x20];
                return MmioResult::block;
            }
        } else {
            return MmioResult::fault;
        }
    } else if (off >= MPIPE_GROUP_REG(0) && off < MPIPE_GROUP_REG(MPIPE_GROUPS)) {
        Group &g = groups_[(off - MPIPE_GROUP_REG(0)) / 8];
        unsigned first = (unsigned)(v & 0xFFFF), n = (unsigned)(v >> 16) & 0xFFFF;
        if (n == 0 || first + n > MPIPE_RINGS) return MmioResult::fault;
        g.first = first;
        g.n = n;
        g.rr = 0;
        g.set = true;
    } else if (off >= MPIPE_BUCKET_REG(0) && off < MPIPE_BUCKET_REG(MPIPE_BUCKETS)) {
        Bucket &b = buckets_[(off - MPIPE_BUCKET_REG(0)) / 8];
        unsigned group = (unsigned)(v & 0xFF), mode = (unsigned)(v >> 8) & 0xF;
        unsigned ring = (unsigned)(v >> 16) & 0xFFFF;
        if (group >= MPIPE_GROUPS || mode > MPIPE_MODE_STICKY || ring >= MPIPE_RINGS)
            return MmioResult::fault;
        b.group = group;
        b.mode = mode;
        b.ring = ring;
        b.outstanding = 0;
        b.set = true;
    } else if (off >= MPIPE_ER_REG(0, 0) && off < MPIPE_ER_REG(MPIPE_EGRESS_RINGS, 0)) {
        ERing &e = erings_[(off - MPIPE_ER_REG(0, 0)) / 0x40];
        uint64_t r = (off - MPIPE_ER_REG(0, 0)) % 0x40;
        if (r == MPIPE_ER_BASE) {
            if (v % MPIPE_EDESC_BYTES) return MmioResult::fault;
            e.base = v;
            e.enabled = false;
        } else if (r == MPIPE_ER_INIT) {
            uint64_t n = v & 0xFFFFFFFF, port = (v >> 32) & 0xFF;
            if (!mpipe_eg_entries_ok(n) || port >= ports.size() ||
                !phys_mem_ptr(mem_, e.base, n * MPIPE_EDESC_BYTES))
                return MmioResult::fault;
            e.entries = n;
            e.port = (int)port;
            e.tail = e.fetched = e.done = 0;
            e.enabled = true;
            e.broken = false;
        } else if (r == MPIPE_ER_TAIL) {
            if (!e.enabled || v < e.tail || v - e.done > e.entries) return MmioResult::fault;
            e.tail = v;
            doorbell_ev_[e.port]->notify(SC_ZERO_TIME);
        } else if (r == MPIPE_ER_TILE) {
            e.tile = (int)(int64_t)v;
        } else if (r == MPIPE_ER_DONE) {
            if (!e.enabled) return MmioResult::fault;
            if (e.done <= v) {
                *wait = &done_ev_[(off - MPIPE_ER_REG(0, 0)) / 0x40];
                return MmioResult::block;
            }
        } else {
            return MmioResult::fault;
        }
    } else {
        return MmioResult::fault;
    }
    return MmioResult::ok;
}

// ---- ingress

void Mpipe::ingress(int port, std::vector<uint8_t> &&frame, uint64_t start_fs)
{
    arrived_.push_back(Classified{ std::move(frame), port, start_fs, 0 });
    arrive_ev_.notify(SC_ZERO_TIME);
}

// Frames that ended at the same instant take classifiers in port order
// (whatever order the port processes ran in): the earliest free processor,
// lowest number first, from the next clock edge.
void Mpipe::dispatch()
{
    std::stable_sort(arrived_.begin(), arrived_.end(),
                     [](const Classified &a, const Classified &b) { return a.port < b.port; });
    for (Classified &c : arrived_) {
        size_t k = 0;
        for (size_t i = 1; i < classifier_free_.size(); i++)
            if (classifier_free_[i] < classifier_free_[k]) k = i;
        uint64_t start = div_up(std::max(now_fs(), classifier_free_[k]), cycle_fs_) * cycle_fs_;
        c.done_fs = start + cycles_fs((uint64_t)cfg_.mpipe.classify_cycles);
        classifier_free_[k] = c.done_fs;
        classifier_busy_cycles += (uint64_t)cfg_.mpipe.classify_cycles;
        classified_.push_back(std::move(c));
    }
    arrived_.clear();
    classified_ev_.notify(SC_ZERO_TIME);
}

void Mpipe::decide_thread()
{
    for (;;) {
        while (classified_.empty()) wait(classified_ev_);
        wait_until(classified_.front().done_fs);
        Classified c = std::move(classified_.front());
        classified_.pop_front();
        classified++;
        deliver(c);
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

// Pops the buffers for a frame of len bytes from the rule's stacks: the
// smallest class that holds it whole, else a chain from the largest class.
// Returns false (nothing popped) when that stack has too few buffers.
bool Mpipe::pop_buffers(const mpipe_rule &rule, size_t len, std::vector<uint64_t> &bufs)
{
    int fit = -1, largest = -1;
    for (int s = 0; s < MPIPE_STACKS; s++) {
        if (!(rule.stacks & (1u << s)) || stacks_[s].cls < 0) continue;
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
        need = div_up(len, mpipe_size_class_bytes((unsigned)stacks_[s].cls) - MPIPE_CHAIN_HDR);
    }
    Stack &st = stacks_[s];
    if (st.bufs.size() < need) return false;
    for (size_t i = 0; i < need; i++) {
        bufs.push_back(st.bufs.back());
        st.bufs.pop_back();
    }
    return true;
}

void Mpipe::deliver(Classified &c)
{
    const std::vector<uint8_t> &f = c.frame;
    mpipe_parsed p;
    mpipe_parse_status ps = mpipe_parse(f.data(), f.size(), &p);
    if (ps != MPIPE_PARSE_OK) {
        drops[ps == MPIPE_PARSE_BAD_IPCSUM ? DROP_IPV4_CSUM : DROP_PARSE]++;
        return;
    }
    const mpipe_rule *rule = mpipe_rules_match(&rules_, &p);
    unsigned bi = mpipe_rule_bucket(rule, p.flow_hash);
    Bucket &b = buckets_[bi];
    int r = b.set ? pick_ring(b) : -1;
    if (r < 0) {
        drops[r == -2 ? DROP_RING_FULL : DROP_NO_RING]++;
        return;
    }
    std::vector<uint64_t> bufs;
    if (!pop_buffers(*rule, f.size(), bufs)) {
        drops[DROP_NO_BUFFER]++;
        return;
    }
    if (b.mode == MPIPE_MODE_ROUND_ROBIN) {
        Group &g = groups_[b.group];
        g.rr = (g.rr + 1) % g.n;
    }
    b.ring = (unsigned)r;
    b.outstanding++;
    Ring &ring = rings_[r];
    ring.credits--;
    uint64_t slot = ring.count++;
    RingStats &rs = ring_stats[r];
    rs.written++;
    rs.max_occupancy = std::max(rs.max_occupancy, ring.entries - ring.credits);

    Write w;
    w.ring = r;
    w.slot = slot;
    uint64_t bytes = 0;
    if (bufs.size() == 1) {
        w.data.emplace_back(mpipe_bdesc_addr(bufs[0]), f);
        bytes = f.size();
    } else {
        size_t pos = 0;
        for (size_t i = 0; i < bufs.size(); i++) {
            size_t room = mpipe_size_class_bytes(mpipe_bdesc_class(bufs[i])) - MPIPE_CHAIN_HDR;
            size_t n = std::min(room, f.size() - pos);
            uint64_t next = i + 1 < bufs.size() ? (bufs[i + 1] & ~(3ULL << MPIPE_BDESC_C_SHIFT)) |
                                                      (MPIPE_C_CHAINED << MPIPE_BDESC_C_SHIFT)
                                                : MPIPE_C_INVALID << MPIPE_BDESC_C_SHIFT;
            std::vector<uint8_t> chunk(MPIPE_CHAIN_HDR + n);
            memcpy(chunk.data(), &next, MPIPE_CHAIN_HDR);
            memcpy(chunk.data() + MPIPE_CHAIN_HDR, f.data() + pos, n);
            pos += n;
            bytes += chunk.size();
            w.data.emplace_back(mpipe_bdesc_addr(bufs[i]), std::move(chunk));
        }
    }
    mpipe_idesc &d = w.desc;
    memset(&d, 0, sizeof d);
    d.ring = (uint16_t)r;
    d.bucket = (uint16_t)bi;
    d.channel = (uint8_t)c.port;
    d.flags = (uint8_t)((mpipe_gen(slot, ring.entries) ? MPIPE_IDESC_GEN : 0) |
                        (p.ipck_ok ? MPIPE_IDESC_IPCK_OK : 0) | (p.l4ck_ok ? MPIPE_IDESC_L4CK_OK : 0));
    d.l2_size = (uint16_t)f.size();
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
    d.bdesc = bufs.size() == 1 ? bufs[0]
                               : (bufs[0] & ~(3ULL << MPIPE_BDESC_C_SHIFT)) |
                                     (MPIPE_C_CHAINED << MPIPE_BDESC_C_SHIFT);
    d.ip_src = p.ip_src;
    d.ip_dst = p.ip_dst;
    d.port_src = p.port_src;
    d.port_dst = p.port_dst;

    // iDMA: one engine, in order, from the next clock edge.
    uint64_t bpc = (uint64_t)cfg_.mpipe.dma_bytes_per_cycle;
    uint64_t start = div_up(std::max(now_fs(), idma_free_fs_), cycle_fs_) * cycle_fs_;
    uint64_t data_cycles = div_up(bytes, bpc), desc_cycles = div_up(MPIPE_IDESC_BYTES, bpc);
    w.data_fs = start + cycles_fs(data_cycles + (uint64_t)cfg_.mpipe.dma_latency);
    w.desc_fs = w.data_fs + cycles_fs(desc_cycles);
    idma_free_fs_ = start + cycles_fs(data_cycles + desc_cycles);
    writes_.push_back(std::move(w));
    write_ev_.notify(SC_ZERO_TIME);
}

void Mpipe::write_thread()
{
    for (;;) {
        while (writes_.empty()) wait(write_ev_);
        Write w = std::move(writes_.front());
        writes_.pop_front();
        wait_until(w.data_fs);
        for (auto &d : w.data) phys_mem_dma_write(mem_, d.first, d.second.data(), d.second.size());
        wait_until(w.desc_fs);
        Ring &ring = rings_[w.ring];
        phys_mem_dma_write(mem_, ring.base + (w.slot % ring.entries) * MPIPE_IDESC_BYTES, &w.desc,
                           sizeof w.desc);
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
    uint64_t a = mpipe_bdesc_addr(bdesc) & ~(uint64_t)(MPIPE_BUFFER_ALIGN - 1);
    s.bufs.push_back(mpipe_bdesc(a, mpipe_bdesc_stack(bdesc), (unsigned)s.cls, MPIPE_C_UNCHAINED));
}

// Reads the next whole gather (descriptors up to one with EOP) of egress
// ring e into tx. False when the posted descriptors hold no EOP yet, or the
// ring is broken (a descriptor with the wrong GEN: counted, the ring stops).
bool Mpipe::gather(ERing &er, int e, TxFrame &tx)
{
    uint64_t n = er.fetched;
    mpipe_edesc d;
    for (; n < er.tail; n++) {
        phys_mem_dma_read(mem_, er.base + (n % er.entries) * MPIPE_EDESC_BYTES, &d, sizeof d);
        if (!(d.w0 & MPIPE_EDESC_GEN) != !mpipe_gen(n, er.entries)) {
            er.broken = true;
            egress_errors++;
            return false;
        }
        if (d.w0 & MPIPE_EDESC_EOP) break;
    }
    if (n == er.tail) return false;
    tx = TxFrame();
    tx.ering = e;
    tx.ndesc = n + 1 - er.fetched;
    tx.notif = false;
    uint64_t csum_w0 = 0;
    for (uint64_t i = er.fetched; i <= n; i++) {
        phys_mem_dma_read(mem_, er.base + (i % er.entries) * MPIPE_EDESC_BYTES, &d, sizeof d);
        if (i == er.fetched && (d.w0 & MPIPE_EDESC_CSUM)) csum_w0 = d.w0;
        if (d.w0 & MPIPE_EDESC_NOTIF) tx.notif = true;
        if (!(d.w0 & MPIPE_EDESC_NS)) {
            size_t len = (size_t)(d.w0 & MPIPE_EDESC_SIZE_MASK), at = tx.frame.size();
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
        size_t start = (size_t)(csum_w0 >> MPIPE_EDESC_START_SHIFT) & 0xff;
        size_t dest = (size_t)(csum_w0 >> MPIPE_EDESC_DEST_SHIFT) & 0xff;
        uint32_t seed = (uint32_t)(csum_w0 >> MPIPE_EDESC_SEED_SHIFT) & 0xffff;
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

void Mpipe::egress_thread(int port)
{
    unsigned rr = 0;
    uint64_t bpc = (uint64_t)cfg_.mpipe.dma_bytes_per_cycle;
    uint64_t sf = (uint64_t)cfg_.mpipe.egress_sf_blocks * 128;
    for (;;) {
        if (txq_[port].size() >= TXQ_DEPTH) {
            wait(*txq_pop_ev_[port]);
            continue;
        }
        TxFrame tx;
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
            wait(*doorbell_ev_[port]);
            continue;
        }
        // descriptors are read on the next clock edge; the wire may start once
        // the store-and-forward threshold is in
        uint64_t start = div_up(now_fs(), cycle_fs_) * cycle_fs_;
        uint64_t len = tx.frame.size();
        tx.ready_fs = start + cycles_fs((uint64_t)cfg_.mpipe.dma_latency + div_up(std::min(len, sf), bpc));
        txq_[port].push_back(std::move(tx));
        txq_push_ev_[port]->notify(SC_ZERO_TIME);
        wait_until(start + cycles_fs(std::max<uint64_t>(1, div_up(len, bpc))));
    }
}

void Mpipe::wire_thread(int port)
{
    EthPort *p = ports[port];
    for (;;) {
        while (txq_[port].empty()) wait(*txq_push_ev_[port]);
        TxFrame tx = std::move(txq_[port].front());
        txq_[port].pop_front();
        txq_pop_ev_[port]->notify(SC_ZERO_TIME);
        if (!tx.frame.empty() && tx.frame.size() <= (size_t)cfg_.mpipe.max_frame) {
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
