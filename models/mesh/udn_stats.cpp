/* udn_stats.cpp - the UDN mesh statistics and their JSON form (layout in
 * udn_stats.h). */
#include "mesh/udn_stats.h"

#include <string.h>

#include <algorithm>

#include "abi/udn.h"
#include "mesh/udn_ports.h"

void udn_latency_hist::add(uint64_t v)
{
    if (v >= bins_.size()) bins_.resize((size_t)v + 1, 0);
    bins_[(size_t)v]++;
    n_++;
    sum_ += v;
    if (v > max_) max_ = v;
}

uint64_t udn_latency_hist::percentile(double p) const
{
    if (n_ == 0) return 0;
    /* rank = ceil(p * n), at least 1; integer arithmetic on the ceiling. */
    uint64_t rank = (uint64_t)(p * (double)n_);
    if ((double)rank < p * (double)n_) rank++;
    if (rank < 1) rank = 1;
    uint64_t seen = 0;
    for (size_t v = 0; v < bins_.size(); v++) {
        seen += bins_[v];
        if (seen >= rank) return v;
    }
    return max_;
}

cJSON *udn_latency_hist::to_json() const
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "count", (double)n_);
    cJSON_AddNumberToObject(o, "mean", mean());
    cJSON_AddNumberToObject(o, "p50", (double)percentile(0.50));
    cJSON_AddNumberToObject(o, "p90", (double)percentile(0.90));
    cJSON_AddNumberToObject(o, "p99", (double)percentile(0.99));
    cJSON_AddNumberToObject(o, "max", (double)max_);
    cJSON *bins = cJSON_AddArrayToObject(o, "bins");
    for (size_t v = 0; v < bins_.size(); v++) {
        if (!bins_[v]) continue;
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)v));
        cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)bins_[v]));
        cJSON_AddItemToArray(bins, pair);
    }
    return o;
}

udn_mesh_stats::udn_mesh_stats(int width, int height, int queues)
    : width_(width), height_(height), queues_(queues), start_(0), faults_total_(0),
      messages_(0), payload_words_(0)
{
    size_t tiles = (size_t)width * height;
    link_words_.assign(tiles * UDN_PORTS, 0);
    inject_words_.assign(tiles, 0);
    q_area_.assign(tiles * queues, 0);
    q_last_.assign(tiles * queues, 0);
    q_now_.assign(tiles * queues, 0);
    q_max_.assign(tiles * queues, 0);
    blocked_cycles_.assign(tiles, 0);
    faults_tile_.assign(tiles, 0);
    memset(faults_by_code_, 0, sizeof faults_by_code_);
}

void udn_mesh_stats::reset(uint64_t from)
{
    start_ = from;
    std::fill(link_words_.begin(), link_words_.end(), 0);
    std::fill(inject_words_.begin(), inject_words_.end(), 0);
    std::fill(q_area_.begin(), q_area_.end(), 0);
    std::fill(q_last_.begin(), q_last_.end(), from);
    q_max_ = q_now_;
    std::fill(blocked_cycles_.begin(), blocked_cycles_.end(), 0);
    messages_ = payload_words_ = 0;
    latency_.clear();
}

void udn_mesh_stats::queue_change(int tile, int q, uint32_t new_count, uint64_t cycle)
{
    size_t i = (size_t)tile * queues_ + q;
    q_area_[i] += (uint64_t)q_now_[i] * (cycle - q_last_[i]);
    q_last_[i] = cycle;
    q_now_[i] = new_count;
    if (new_count > q_max_[i]) q_max_[i] = new_count;
}

void udn_mesh_stats::delivered(uint64_t latency, int length)
{
    messages_++;
    payload_words_ += (uint64_t)length;
    latency_.add(latency);
}

void udn_mesh_stats::fault(int tile, int code)
{
    faults_total_++;
    faults_tile_[tile]++;
    faults_by_code_[code & 7]++;
}

double udn_mesh_stats::link_util(int router, int port, uint64_t cycle) const
{
    if (cycle <= start_) return 0.0;
    return (double)link_words_[(size_t)router * UDN_PORTS + port] / (double)(cycle - start_);
}

double udn_mesh_stats::inject_util(int tile, uint64_t cycle) const
{
    if (cycle <= start_) return 0.0;
    return (double)inject_words_[tile] / (double)(cycle - start_);
}

/* An H x W matrix (rows = y) of f(tile). */
static cJSON *udn_matrix(int w, int h, const udn_mesh_stats &s, int port, uint64_t cycle)
{
    cJSON *rows = cJSON_CreateArray();
    for (int y = 0; y < h; y++) {
        cJSON *row = cJSON_CreateArray();
        for (int x = 0; x < w; x++) {
            int t = y * w + x;
            double v = port < 0 ? s.inject_util(t, cycle) : s.link_util(t, port, cycle);
            cJSON_AddItemToArray(row, cJSON_CreateNumber(v));
        }
        cJSON_AddItemToArray(rows, row);
    }
    return rows;
}

cJSON *udn_mesh_stats::to_json(uint64_t cycle) const
{
    cJSON *o = cJSON_CreateObject();
    uint64_t span = cycle > start_ ? cycle - start_ : 0;
    cJSON_AddNumberToObject(o, "start_cycle", (double)start_);
    cJSON_AddNumberToObject(o, "cycles", (double)span);
    cJSON_AddNumberToObject(o, "messages", (double)messages_);
    cJSON_AddNumberToObject(o, "payload_words", (double)payload_words_);
    cJSON_AddItemToObject(o, "latency", latency_.to_json());

    cJSON *links = cJSON_AddObjectToObject(o, "links");
    static const char *const names[UDN_PORTS] = {"east", "west", "south", "north", "eject"};
    uint64_t total = 0;
    for (int p = 0; p < UDN_PORTS; p++)
        cJSON_AddItemToObject(links, names[p], udn_matrix(width_, height_, *this, p, cycle));
    cJSON_AddItemToObject(links, "inject", udn_matrix(width_, height_, *this, -1, cycle));
    for (size_t i = 0; i < link_words_.size(); i++)
        if (i % UDN_PORTS != UDN_DIR_LOCAL) total += link_words_[i];
    cJSON_AddNumberToObject(o, "link_words_total", (double)total);

    cJSON *occ = cJSON_AddObjectToObject(o, "queue_occupancy");
    cJSON *mean = cJSON_AddArrayToObject(occ, "mean");
    cJSON *mx = cJSON_AddArrayToObject(occ, "max");
    for (int t = 0; t < width_ * height_; t++) {
        cJSON *mrow = cJSON_CreateArray(), *xrow = cJSON_CreateArray();
        for (int q = 0; q < queues_; q++) {
            size_t i = (size_t)t * queues_ + q;
            uint64_t area = q_area_[i];
            if (cycle > q_last_[i]) area += (uint64_t)q_now_[i] * (cycle - q_last_[i]);
            cJSON_AddItemToArray(mrow, cJSON_CreateNumber(span ? (double)area / (double)span : 0.0));
            cJSON_AddItemToArray(xrow, cJSON_CreateNumber((double)q_max_[i]));
        }
        cJSON_AddItemToArray(mean, mrow);
        cJSON_AddItemToArray(mx, xrow);
    }

    cJSON *blocked = cJSON_AddArrayToObject(o, "send_blocked_cycles");
    for (int t = 0; t < width_ * height_; t++)
        cJSON_AddItemToArray(blocked, cJSON_CreateNumber((double)blocked_cycles_[t]));

    cJSON *f = cJSON_AddObjectToObject(o, "faults");
    cJSON_AddNumberToObject(f, "total", (double)faults_total_);
    cJSON_AddNumberToObject(f, "length", (double)faults_by_code_[UDN_FAULT_LENGTH]);
    cJSON_AddNumberToObject(f, "queue", (double)faults_by_code_[UDN_FAULT_QUEUE]);
    cJSON_AddNumberToObject(f, "dest", (double)faults_by_code_[UDN_FAULT_DEST]);
    cJSON_AddNumberToObject(f, "reserved", (double)faults_by_code_[UDN_FAULT_RESERVED]);
    cJSON_AddNumberToObject(f, "hardwall", (double)faults_by_code_[UDN_FAULT_HARDWALL]);
    cJSON *bt = cJSON_AddArrayToObject(f, "by_tile");
    for (int t = 0; t < width_ * height_; t++)
        cJSON_AddItemToArray(bt, cJSON_CreateNumber((double)faults_tile_[t]));
    return o;
}
