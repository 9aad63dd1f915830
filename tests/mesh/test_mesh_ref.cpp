/* test_mesh_ref.cpp - the reference cycle-by-cycle mesh of the tests (see
 * test_mesh_ref.h): snapshot, tile calls, every router moves, arrivals. */
#include "test_mesh_ref.h"

static const uint64_t REF_NOT_BLOCKED = ~0ULL;

mesh_ref::mesh_ref(const udn_mesh_params &p)
    : p_(p), n_(p.width * p.height), now_(0)
{
    buf_.resize((size_t)n_ * 5);
    link_.resize((size_t)n_ * 5);
    q_.resize((size_t)n_ * p.queues);
    eject_.resize((size_t)n_ * p.queues);
    alloc_.assign((size_t)n_ * 5, NONE);
    owner_.assign((size_t)n_ * 5, -1);
    rr_.assign((size_t)n_ * 5, 0);
    eject_q_.assign((size_t)n_ * 5, 0);
    room_buf_.assign((size_t)n_ * 5, p.router_buffer);
    room_q_.assign((size_t)n_ * p.queues, p.queue_words);
    remaining_.assign(n_, 0);
    discard_.assign(n_, 0);
    seq_.assign(n_, 0);
    blocked_since_.assign(n_, REF_NOT_BLOCKED);
    blocked_cycles.assign(n_, 0);
    faults.assign(n_, 0);
    cur_.assign(n_, std::make_pair(0, (uint64_t)0));
}

/* Tile index of the neighbour in direction dir (E, W, S, N), or -1. */
int mesh_ref::neighbour(int r, int dir) const
{
    int x = r % p_.width, y = r / p_.width;
    if (dir == 0) x++;
    if (dir == 1) x--;
    if (dir == 2) y++;
    if (dir == 3) y--;
    if (x < 0 || y < 0 || x >= p_.width || y >= p_.height) return -1;
    return y * p_.width + x;
}

bool mesh_ref::inside(int r) const
{
    int x = r % p_.width, y = r / p_.width;
    return x >= p_.hw_x0 && x <= p_.hw_x1 && y >= p_.hw_y0 && y <= p_.hw_y1;
}

int mesh_ref::route(int r, uint64_t h) const
{
    int x = r % p_.width, y = r / p_.width;
    int dx = (int)udn_header_x(h), dy = (int)udn_header_y(h);
    int dir;
    bool x_first = p_.order == UDN_ORDER_XY;
    if (x_first && dx != x) dir = dx > x ? 0 : 1;
    else if (dy != y) dir = dy > y ? 2 : 3;
    else if (dx != x) dir = dx > x ? 0 : 1;
    else return 4;
    if (p_.hardwall && inside(r) != inside(neighbour(r, dir))) return DROP;
    return dir;
}

int mesh_ref::send(int t, uint64_t w)
{
    if (discard_[t] > 0) {
        discard_[t]--;
        return UDN_SEND_OK;
    }
    bool head = remaining_[t] == 0;
    if (head) {
        bool bad = (w & UDN_HDR_RESERVED) || udn_header_length(w) > UDN_MAX_PAYLOAD ||
                   udn_header_queue(w) >= (uint32_t)p_.queues ||
                   udn_header_x(w) >= (uint32_t)p_.width || udn_header_y(w) >= (uint32_t)p_.height;
        if (bad) {
            if (blocked_since_[t] != REF_NOT_BLOCKED) blocked_cycles[t] += now_ - blocked_since_[t];
            blocked_since_[t] = REF_NOT_BLOCKED;
            discard_[t] = (int)udn_header_length(w);
            faults[t]++;
            return UDN_SEND_FAULT;
        }
    }
    size_t b = (size_t)t * 5 + 4;
    if (buf_[b].size() + link_[b].size() >= (size_t)p_.router_buffer) {
        if (blocked_since_[t] == REF_NOT_BLOCKED) blocked_since_[t] = now_;
        return UDN_SEND_FULL;
    }
    if (blocked_since_[t] != REF_NOT_BLOCKED) blocked_cycles[t] += now_ - blocked_since_[t];
    blocked_since_[t] = REF_NOT_BLOCKED;
    rflit f;
    f.word = w;
    if (head) {
        cur_[t] = std::make_pair(t, seq_[t]++);
        remaining_[t] = (int)udn_header_length(w);
        f.head = true;
        f.tail = remaining_[t] == 0;
    } else {
        remaining_[t]--;
        f.head = false;
        f.tail = remaining_[t] == 0;
    }
    f.src = t;
    f.seq = cur_[t].second;
    timed tf = {now_ + 1, f};
    link_[b].push_back(tf);
    return UDN_SEND_OK;
}

int mesh_ref::recv(int t, int q, uint64_t *w)
{
    std::deque<uint64_t> &d = q_[(size_t)t * p_.queues + q];
    if (d.empty()) return 0;
    *w = d.front();
    d.pop_front();
    return 1;
}

uint32_t mesh_ref::avail(int t) const
{
    uint32_t m = 0;
    for (int q = 0; q < p_.queues; q++)
        if (!q_[(size_t)t * p_.queues + q].empty()) m |= 1u << q;
    return m;
}

void mesh_ref::step()
{
    uint64_t c = now_;
    for (int r = 0; r < n_; r++) {
        int want[5];
        for (int i = 0; i < 5; i++) {
            want[i] = NONE;
            size_t b = (size_t)r * 5 + i;
            if (alloc_[b] != NONE || buf_[b].empty()) continue;
            int o = route(r, buf_[b].front().word);
            if (o == DROP) {
                alloc_[b] = DROP;
                faults[buf_[b].front().src]++;
            } else {
                want[i] = o;
            }
        }
        for (int o = 0; o < 5; o++) {
            size_t ob = (size_t)r * 5 + o;
            if (owner_[ob] != -1) continue;
            for (int k = 0; k < 5; k++) {
                int i = (rr_[ob] + k) % 5;
                if (want[i] != o) continue;
                owner_[ob] = i;
                if (p_.arbitration == UDN_ARB_ROUND_ROBIN) rr_[ob] = (i + 1) % 5;
                alloc_[(size_t)r * 5 + i] = o;
                if (o == 4) eject_q_[ob] = (int)udn_header_queue(buf_[(size_t)r * 5 + i].front().word);
                break;
            }
        }
        for (int i = 0; i < 5; i++) {
            size_t b = (size_t)r * 5 + i;
            int o = alloc_[b];
            if (o == NONE || buf_[b].empty()) continue;
            rflit f = buf_[b].front();
            if (o == DROP) {
                buf_[b].pop_front();
                if (f.tail) alloc_[b] = NONE;
                continue;
            }
            if (o == 4) {
                size_t qi = (size_t)r * p_.queues + eject_q_[(size_t)r * 5 + 4];
                if (!f.head) {
                    if (room_q_[qi] <= 0) continue;
                    room_q_[qi]--;
                }
                if (!f.head || f.tail) {
                    timed tf = {c + 1, f};
                    eject_[qi].push_back(tf);
                }
            } else {
                int n = neighbour(r, o);
                size_t nb = (size_t)n * 5 + (o ^ 1);
                if (room_buf_[nb] <= 0) continue;
                room_buf_[nb]--;
                timed tf = {c + (uint64_t)p_.hop_latency, f};
                link_[nb].push_back(tf);
            }
            buf_[b].pop_front();
            if (f.tail) {
                alloc_[b] = NONE;
                owner_[(size_t)r * 5 + o] = -1;
            }
        }
    }
    /* The next cycle begins: arrivals, then the occupancy snapshot. */
    now_ = ++c;
    for (size_t b = 0; b < link_.size(); b++)
        while (!link_[b].empty() && link_[b].front().at == c) {
            buf_[b].push_back(link_[b].front().f);
            link_[b].pop_front();
        }
    for (size_t qi = 0; qi < eject_.size(); qi++)
        while (!eject_[qi].empty() && eject_[qi].front().at == c) {
            rflit f = eject_[qi].front().f;
            eject_[qi].pop_front();
            if (!f.head) q_[qi].push_back(f.word);
            if (f.tail) delivered[std::make_pair(f.src, f.seq)] = c;
        }
    for (size_t b = 0; b < buf_.size(); b++)
        room_buf_[b] = p_.router_buffer - (int)(buf_[b].size() + link_[b].size());
    for (size_t qi = 0; qi < q_.size(); qi++)
        room_q_[qi] = p_.queue_words - (int)q_[qi].size();
}
