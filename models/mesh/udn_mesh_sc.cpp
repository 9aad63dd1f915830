/* udn_mesh_sc.cpp - the SystemC wrapper of the UDN mesh engine: the stepping
 * method, the tile calls and their events (see udn_mesh_sc.h). */
#include "mesh/udn_mesh_sc.h"

using namespace sc_core;

udn_mesh_sc::udn_mesh_sc(sc_module_name name, const udn_mesh_params &p, const sc_time &cycle)
    : sc_module(name), mesh_(p), cycle_(cycle), cycle_fs_(cycle.value()), observer_(0), watch_data_(false), sleeping_(false),
      client_(0), client_due_(UDN_NEVER),
      run_ahead_(0), horizon_(UDN_NEVER)
{
    int n = mesh_.tiles();
    space_ev_ = new sc_event[n];
    data_ev_ = new sc_event[n];
    fault_ev_ = new sc_event[n];
    wake_ev_ = new sc_event[n];
    woken_.assign(n, 0);
    waiting_.assign(n, 0);
    mesh_.set_listener(this);
    SC_HAS_PROCESS(udn_mesh_sc);
    SC_METHOD(tick);
}

udn_mesh_sc::~udn_mesh_sc()
{
    delete[] space_ev_;
    delete[] data_ev_;
    delete[] fault_ev_;
    delete[] wake_ev_;
}

uint64_t udn_mesh_sc::cycle_now() const
{
    return sc_time_stamp().value() / cycle_fs_;
}

uint64_t udn_mesh_sc::sync()
{
    uint64_t c = cycle_now();
    mesh_.advance_to(c);
    return c;
}

/* Steps the engine once per cycle while it is busy, runs the cycle client
 * when it is due, and otherwise sleeps until activity or the client's cycle. */
void udn_mesh_sc::tick()
{
    uint64_t c = cycle_now();
    /* Run ahead (see set_run_ahead): step engine and client cycle after cycle
     * in this activation, exactly as one activation per cycle would, up to
     * the quantum or the horizon. Without it, e only takes the value c. */
    uint64_t e = mesh_.now() > c ? mesh_.now() : c;
    uint64_t limit = c + run_ahead_ + 1;
    if (limit > horizon_) limit = horizon_ > e ? horizon_ : e + 1;
    for (;;) {
        mesh_.advance_to(e);
        if (client_ && e == client_due_) client_due_ = client_->udn_cycle(e);
        uint64_t next = mesh_.busy() ? e + 1 : client_ ? client_due_ : UDN_NEVER;
        if (next < limit) {
            e = next;
            continue;
        }
        if (mesh_.busy() || next != UDN_NEVER) {
            if (mesh_.busy()) next_trigger(cycle_ * (double)(next - c));
            else next_trigger(cycle_ * (double)(next - c), activity_ev_);
            sleeping_ = !mesh_.busy();
        } else {
            next_trigger(activity_ev_);
            sleeping_ = true;
        }
        return;
    }
}

void udn_mesh_sc::set_run_ahead(uint64_t quantum, uint64_t horizon)
{
    run_ahead_ = quantum;
    horizon_ = horizon;
}

void udn_mesh_sc::set_cycle_client(udn_cycle_client *cl, uint64_t first)
{
    client_ = cl;
    client_due_ = first;
}

void udn_mesh_sc::notify_activity()
{
    if (sleeping_ && mesh_.busy()) {
        sleeping_ = false;
        activity_ev_.notify(SC_ZERO_TIME);
    }
}

int udn_mesh_sc::try_send(int tile, uint64_t word, uint64_t tag)
{
    sync();
    int r = mesh_.send(tile, word, tag);
    if (r == UDN_SEND_OK) notify_activity();
    return r;
}

int udn_mesh_sc::try_recv(int tile, int q, uint64_t *word)
{
    sync();
    int r = mesh_.recv(tile, q, word);
    if (r) notify_activity();
    return r;
}

int udn_mesh_sc::count(int tile, int q)
{
    sync();
    return mesh_.count(tile, q);
}

uint64_t udn_mesh_sc::sender(int tile, int q)
{
    sync();
    return mesh_.sender_of(tile, q);
}

uint32_t udn_mesh_sc::avail_mask(int tile)
{
    sync();
    return mesh_.avail_mask(tile);
}

int udn_mesh_sc::send(int tile, uint64_t word, uint64_t tag)
{
    for (;;) {
        int r = try_send(tile, word, tag);
        if (r != UDN_SEND_FULL) return r;
        wait(space_ev_[tile]);
    }
}

uint64_t udn_mesh_sc::recv(int tile, int q)
{
    for (;;) {
        uint64_t w;
        if (try_recv(tile, q, &w)) return w;
        waiting_[tile] = 1;
        wait(data_ev_[tile]);
    }
}

uint32_t udn_mesh_sc::wait_any(int tile)
{
    woken_[tile] = 0;
    for (;;) {
        uint32_t m = avail_mask(tile);
        if (m || woken_[tile]) {
            woken_[tile] = 0;
            return m;
        }
        waiting_[tile] = 1;
        wait(data_ev_[tile] | wake_ev_[tile]);
    }
}

void udn_mesh_sc::wake(int tile)
{
    woken_[tile] = 1;
    wake_ev_[tile].notify(SC_ZERO_TIME);
    data_ev_[tile].notify(SC_ZERO_TIME);
}

bool udn_mesh_sc::take_wake(int tile)
{
    bool w = woken_[tile];
    woken_[tile] = 0;
    return w;
}

void udn_mesh_sc::on_udn_data(int tile, int queue)
{
    if (waiting_[tile] || watch_data_) {
        waiting_[tile] = 0;
        data_ev_[tile].notify(SC_ZERO_TIME);
    }
    if (observer_) observer_->on_udn_data(tile, queue);
}

void udn_mesh_sc::on_udn_space(int tile)
{
    space_ev_[tile].notify(SC_ZERO_TIME);
    if (observer_) observer_->on_udn_space(tile);
}

void udn_mesh_sc::on_udn_delivered(const udn_msg &m)
{
    if (observer_) observer_->on_udn_delivered(m);
}

void udn_mesh_sc::on_udn_fault(const udn_fault &f)
{
    fault_ev_[f.tile].notify(SC_ZERO_TIME);
    if (observer_) observer_->on_udn_fault(f);
}
