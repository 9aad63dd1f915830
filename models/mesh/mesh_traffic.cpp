/* mesh_traffic.cpp - the synthetic traffic generator of the mesh-only mode
 * and its run: one SC_METHOD that creates and injects messages every cycle
 * next to the mesh module (definitions in mesh_traffic.h). */
#include "mesh/mesh_traffic.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>

#include "mesh/mesh_prng.h"
#include "mesh/udn_mesh_sc.h"

using namespace sc_core;

static const char *const mesh_traffic_names[] = {"uniform", "transpose", "bitcomp",
                                                 "hotspot", "neighbor"};

int mesh_traffic_pattern(const char *name)
{
    for (int i = 0; i < (int)(sizeof mesh_traffic_names / sizeof mesh_traffic_names[0]); i++)
        if (name && strcmp(name, mesh_traffic_names[i]) == 0) return i;
    return -1;
}

int mesh_traffic_check(const mesh_traffic_opts *o, char *err, size_t errlen)
{
    if (mesh_traffic_pattern(o->traffic) < 0) {
        snprintf(err, errlen, "--traffic %s: expected uniform, transpose, bitcomp, hotspot or "
                 "neighbor", o->traffic ? o->traffic : "(none)");
        return -1;
    }
    if (!(o->rate > 0.0 && o->rate <= 1.0)) {
        snprintf(err, errlen, "--rate %g: expected words per tile per cycle, above 0 and at "
                 "most 1", o->rate);
        return -1;
    }
    if (o->size < 0 || o->size > (int64_t)UDN_MAX_PAYLOAD) {
        snprintf(err, errlen, "--size %lld: expected payload words per message, 0..%u",
                 (long long)o->size, UDN_MAX_PAYLOAD);
        return -1;
    }
    if (o->cycles < 1 || o->cycles > (int64_t)1 << 40) {
        snprintf(err, errlen, "--cycles %lld: expected 1..2^40 measured cycles",
                 (long long)o->cycles);
        return -1;
    }
    if (o->warmup < 0 || o->warmup > (int64_t)1 << 40) {
        snprintf(err, errlen, "--warmup %lld: expected 0..2^40 cycles", (long long)o->warmup);
        return -1;
    }
    return 0;
}

/* The generator: source queues, Bernoulli creation, one word per cycle per
 * tile into the mesh; also the observer that measures deliveries. It runs as
 * the mesh module's cycle client, in the cycles it asks for. */
class mesh_traffic_gen : public udn_cycle_client, public udn_mesh_listener {
public:
    mesh_traffic_gen(udn_mesh_sc *mesh, int pattern, double rate, int size, uint64_t warmup,
                     uint64_t end, uint64_t seed)
        : mesh_(mesh), pattern_(pattern), size_(size), warmup_(warmup), end_(end),
          measuring_(warmup == 0), created_(0)
    {
        const udn_mesh_params &p = mesh->engine().params();
        w_ = p.width;
        h_ = p.height;
        n_ = w_ * h_;
        /* surv_[g] = (1-p)^(g+1) in 64-bit fixed point, by repeated IEEE
         * multiplication (no libm: the same table on every host). */
        double prob = rate / (double)(size + 1), keep = 1.0;
        if (prob > 1.0) prob = 1.0;
        do {
            keep *= 1.0 - prob;
            double v = ldexp(keep, 64);
            surv_.push_back(v >= 18446744073709549568.0 ? ~0ULL : (uint64_t)v);
        } while (surv_.back() > (1ULL << 40) && surv_.size() < 4096);
        rng_.resize(n_);
        wheel_.assign(WHEEL, -1);
        wheel_next_.assign(n_, -1);
        due_at_.assign(n_, 0);
        due_now_.assign(n_, 0);
        for (int t = 0; t < n_; t++) {
            rng_[t] = mesh_prng_stream(seed, (uint64_t)t);
            schedule(t, draw_gap(t));
        }
        src_.resize(n_);
        next_word_.assign(n_, 0);
        hotspot_ = (h_ / 2) * w_ + w_ / 2;
        queues_ = p.queues;
        /* The sinks: every tile reads each word the cycle it arrives. */
        for (int t = 0; t < n_; t++) mesh->engine().set_sink(t, true);
        mesh->set_observer(this);
        mesh->set_cycle_client(this, 0);
    }

    udn_latency_hist latency;
    uint64_t created() const { return created_; }

    void on_udn_data(int, int) {}
    void on_udn_space(int) {}
    void on_udn_fault(const udn_fault &) {}
    void on_udn_delivered(const udn_msg &m)
    {
        if (measuring_) latency.add(m.delivered - m.tag);
    }

private:
    struct pending { uint64_t created; int dst; };
    /* A tile's source queue: a ring of a power-of-two size that doubles
     * when full. */
    struct source {
        std::vector<pending> ring;
        uint32_t head, count;
        source() : ring(4), head(0), count(0) {}
        pending &front() { return ring[head]; }
        void pop() { head = (head + 1) & (uint32_t)(ring.size() - 1); count--; }
        void push(const pending &pm)
        {
            uint32_t size = (uint32_t)ring.size();
            if (count == size) {
                std::vector<pending> bigger(2 * (size_t)size);
                for (uint32_t k = 0; k < count; k++) bigger[k] = ring[(head + k) & (size - 1)];
                ring.swap(bigger);
                head = 0;
                size *= 2;
            }
            ring[(head + count) & (size - 1)] = pm;
            count++;
        }
    };
    /* Next creation cycles on a timing wheel: tile t is listed in bucket
     * due_at_[t] % WHEEL (entries of later revolutions stay put). */
    enum { WHEEL = 4096 };
    void schedule(int t, uint64_t due)
    {
        due_at_[t] = due;
        int &b = wheel_[due & (WHEEL - 1)];
        wheel_next_[t] = b;
        b = t;
    }
    uint64_t next_due() const
    {
        uint64_t d = UDN_NEVER;
        for (int t = 0; t < n_; t++)
            if (due_at_[t] < d) d = due_at_[t];
        return d;
    }

    /* Cycles before the tile's next message: geometric (failures before the
     * first success of a Bernoulli(p) per cycle), by inversion of surv_;
     * past the table's end the process is memoryless, so add and redraw. */
    uint64_t draw_gap(int t)
    {
        uint64_t gap = 0;
        for (;;) {
            uint64_t u = mesh_prng_next(&rng_[t]);
            if (u >= surv_.back()) {
                /* First g with u >= surv_[g] (surv_ does not increase):
                 * the answer lies in [lo, lo + len); halving without a
                 * data-dependent branch (the compiler emits a cmov), as
                 * the comparisons are coin flips a predictor cannot learn. */
                const uint64_t *sv = surv_.data();
                size_t lo = 0, len = surv_.size();
                while (len > 1) {
                    size_t half = len / 2;
                    lo += sv[lo + half - 1] > u ? half : 0;
                    len -= half;
                }
                return gap + lo;
            }
            gap += surv_.size();
        }
    }

    int pick_uniform(int t)
    {
        if (n_ == 1) return t;
        int d = (int)mesh_prng_below(&rng_[t], (uint64_t)(n_ - 1));
        return d >= t ? d + 1 : d;
    }

    int pick_dest(int t)
    {
        int x = t % w_, y = t / w_;
        switch (pattern_) {
        case MESH_TRAFFIC_TRANSPOSE: return (x % h_) * w_ + (y % w_);
        case MESH_TRAFFIC_BITCOMP: return (h_ - 1 - y) * w_ + (w_ - 1 - x);
        case MESH_TRAFFIC_HOTSPOT:
            if (mesh_prng_below(&rng_[t], 5) == 0) return hotspot_;
            return pick_uniform(t);
        case MESH_TRAFFIC_NEIGHBOR: return y * w_ + (x + 1) % w_;
        default: return pick_uniform(t);
        }
    }

    uint64_t udn_cycle(uint64_t c)
    {
        if (c >= end_) return UDN_NEVER;
        if (c == warmup_ && !measuring_) {
            mesh_->engine().reset_stats();
            latency.clear();
            measuring_ = true;
        }
        udn_mesh &m = mesh_->engine();
        /* New messages: the tiles whose next creation is due now. */
        if (wheel_[c & (WHEEL - 1)] >= 0) {
            /* Unlink the tiles due now, then take them in tile order. */
            int *link = &wheel_[c & (WHEEL - 1)];
            int nd = 0;
            while (*link >= 0) {
                int t = *link;
                if (due_at_[t] == c) {
                    *link = wheel_next_[t];
                    due_now_[nd++] = t;
                } else {
                    link = &wheel_next_[t];
                }
            }
            for (int k = 1; k < nd; k++)
                for (int j = k; j > 0 && due_now_[j - 1] > due_now_[j]; j--)
                    std::swap(due_now_[j - 1], due_now_[j]);
            for (int k = 0; k < nd; k++) {
                int t = due_now_[k];
                pending pm = {c, pick_dest(t)};
                if (src_[t].count == 0) backlog_.push_back(t);
                src_[t].push(pm);
                if (measuring_) created_ += (uint64_t)(size_ + 1);
                schedule(t, c + 1 + draw_gap(t));
            }
        }
        /* One word per tile with a backlog, if the network takes it. */
        size_t kept = 0;
        for (size_t k = 0; k < backlog_.size(); k++) {
            int t = backlog_[k];
            const pending &pm = src_[t].front();
            int j = next_word_[t];
            uint64_t word = j == 0
                ? udn_header((uint32_t)(pm.dst % w_), (uint32_t)(pm.dst / w_),
                             (uint32_t)(t & 3) % (uint32_t)queues_, (uint32_t)size_)
                : ((uint64_t)t << 32) | (uint64_t)j;
            if (m.send(t, word, pm.created) == UDN_SEND_OK && ++next_word_[t] > size_) {
                next_word_[t] = 0;
                src_[t].pop();
            }
            if (src_[t].count) backlog_[kept++] = t;
        }
        backlog_.resize(kept);
        uint64_t wake = !backlog_.empty() ? c + 1 : next_due();
        if (!measuring_ && warmup_ < wake) wake = warmup_;   /* statistics restart there */
        return wake < end_ ? wake : UDN_NEVER;
    }

    udn_mesh_sc *mesh_;
    int pattern_, size_;
    uint64_t warmup_, end_;
    bool measuring_;
    uint64_t created_;
    int w_, h_, n_, hotspot_;
    std::vector<uint64_t> rng_;
    std::vector<source> src_;
    std::vector<int> next_word_;
    std::vector<int> wheel_;             /* [cycle % WHEEL] first tile listed, or -1 */
    std::vector<int> wheel_next_;        /* [tile] next tile in its bucket, or -1 */
    std::vector<uint64_t> due_at_;       /* [tile] cycle of its next message */
    std::vector<int> due_now_;           /* the tiles due in this cycle */
    std::vector<int> backlog_;           /* tiles with messages waiting */
    std::vector<uint64_t> surv_;
    int queues_;
};

/* The link heatmap grid described in mesh_traffic.h. */
static void mesh_traffic_grid(const udn_mesh &m, uint64_t end, mesh_traffic_result *r)
{
    const udn_mesh_stats &s = m.stats();
    int w = m.params().width, h = m.params().height;
    r->grid_w = 2 * w - 1;
    r->grid_h = 2 * h - 1;
    r->grid.assign((size_t)r->grid_w * r->grid_h, NAN);
    r->link_max = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int t = y * w + x;
            r->grid[(size_t)(2 * y) * r->grid_w + 2 * x] = s.link_util(t, UDN_DIR_LOCAL, end);
            if (x + 1 < w) {
                double v = fmax(s.link_util(t, UDN_DIR_E, end), s.link_util(t + 1, UDN_DIR_W, end));
                r->grid[(size_t)(2 * y) * r->grid_w + 2 * x + 1] = v;
                r->link_max = fmax(r->link_max, v);
            }
            if (y + 1 < h) {
                double v = fmax(s.link_util(t, UDN_DIR_S, end), s.link_util(t + w, UDN_DIR_N, end));
                r->grid[(size_t)(2 * y + 1) * r->grid_w + 2 * x] = v;
                r->link_max = fmax(r->link_max, v);
            }
        }
}

int mesh_traffic_run(const udn_mesh_params *p, int64_t clock_mhz, uint64_t seed,
                     const mesh_traffic_opts *o, uint64_t run_ahead,
                     mesh_traffic_result *r, char *err, size_t errlen)
{
    if (udn_mesh_params_check(p, err, errlen) < 0) return -1;
    if (mesh_traffic_check(o, err, errlen) < 0) return -1;
    if (clock_mhz < 1) {
        snprintf(err, errlen, "chip.clock_mhz = %lld: expected at least 1", (long long)clock_mhz);
        return -1;
    }
    /* One chip cycle, rounded to whole femtoseconds as the chip does. */
    uint64_t fs = (1000000000ULL + (uint64_t)clock_mhz / 2) / (uint64_t)clock_mhz;
    sc_time cycle((double)fs, SC_FS);
    uint64_t warmup = (uint64_t)o->warmup, end = warmup + (uint64_t)o->cycles;

    udn_mesh_sc *mesh = new udn_mesh_sc("udn", *p, cycle);
    mesh_traffic_gen gen_obj(mesh, mesh_traffic_pattern(o->traffic), o->rate, (int)o->size,
                             warmup, end, seed);
    mesh_traffic_gen *gen = &gen_obj;
    mesh->set_run_ahead(run_ahead, end);
    sc_start(cycle * (double)end);
    mesh->engine().advance_to(end);

    const udn_mesh_stats &s = mesh->engine().stats();
    double tile_cycles = (double)mesh->engine().tiles() * (double)o->cycles;
    r->created = gen->created() / (uint64_t)(o->size + 1);
    r->offered = (double)gen->created() / tile_cycles;
    r->messages = s.messages();
    r->accepted = (double)(s.messages() + s.payload_words()) / tile_cycles;
    r->latency = gen->latency;
    r->lat_mean = gen->latency.mean();
    r->lat_p99 = gen->latency.percentile(0.99);
    r->lat_max = gen->latency.max();
    r->end_cycle = end;
    r->udn = s.to_json(end);
    mesh_traffic_grid(mesh->engine(), end, r);
    mesh->set_cycle_client(NULL, UDN_NEVER);   /* gen_obj ends here; the module stays */
    mesh->set_observer(NULL);
    return 0;
}
