/* udn_mesh_sc.h - the UDN mesh as a SystemC module: the tile-side interface
 * the core wrapper (and any device) uses, with events to sleep on.
 *
 * One SC_METHOD steps the engine (udn_mesh.h) once per chip cycle while words
 * or credits are in flight and otherwise sleeps on an activity event: an idle
 * mesh wakes no process. Tile calls never wait for that method: each first
 * brings the engine level with the kernel's time (cycle = sc_time_stamp() /
 * cycle period), then acts in that cycle, so per word the hot path is a
 * function call, never a trip through the SystemC scheduler.
 *
 * Rules for callers:
 *  - Call only at the current kernel time: a core running ahead of SystemC
 *    time (temporal decoupling) must wait() until its local time is level
 *    first (docs/DESIGN.md, fixed decision 4 and "The sync protocol").
 *  - try_* calls work from any process; the blocking calls (send, recv,
 *    wait_any) only from an SC_THREAD. A blocked caller is charged exactly the
 *    cycles it waited, as if it had spun on the register.
 *  - The MMIO page (udn.h) maps onto these calls: UDN_SEND -> send,
 *    UDN_RECV(q) -> recv, UDN_COUNT(q) -> count, UDN_AVAIL -> avail_mask,
 *    UDN_WAIT -> wait_any, UDN_FAULT -> take_fault, UDN_SENDER(q) -> sender
 *    (only with mesh.sender_id on). An ISS that cannot block
 *    inside a load uses try_send / try_recv and sleeps on space_event /
 *    data_event itself, retrying when woken (wakeups may be spurious).
 */
#ifndef DL_MESH_UDN_MESH_SC_H
#define DL_MESH_UDN_MESH_SC_H

#include <systemc>

#include "mesh/udn_mesh.h"

/* A device that must act in chosen cycles next to the mesh (the synthetic
 * traffic generator): the mesh's own stepping method calls it, so the pair
 * costs one SystemC activation per cycle instead of two. */
class udn_cycle_client {
public:
    virtual ~udn_cycle_client() {}
    /* Called in cycle c with the engine level with it; returns the next
     * cycle (> c) it must be called in, or UDN_NEVER. */
    virtual uint64_t udn_cycle(uint64_t c) = 0;
};
static const uint64_t UDN_NEVER = ~0ULL;

class udn_mesh_sc : public sc_core::sc_module, public udn_mesh_listener {
public:
    /* p must have passed udn_mesh_params_check; cycle is one chip cycle. */
    udn_mesh_sc(sc_core::sc_module_name name, const udn_mesh_params &p,
                const sc_core::sc_time &cycle);
    ~udn_mesh_sc();

    udn_mesh &engine() { return mesh_; }
    /* The current chip cycle: sc_time_stamp() / cycle period. */
    uint64_t cycle_now() const;
    /* Brings the engine to the current cycle; returns that cycle. */
    uint64_t sync();

    /* Non-blocking, any process. try_send returns UDN_SEND_OK, UDN_SEND_FULL
     * (sleep on space_event(tile), then retry) or UDN_SEND_FAULT. try_recv
     * returns 1 with the word, or 0 when queue q is empty. */
    int try_send(int tile, uint64_t word, uint64_t tag = 0);
    int try_recv(int tile, int q, uint64_t *word);
    int count(int tile, int q);
    uint32_t avail_mask(int tile);
    uint64_t sender(int tile, int q);
    int take_fault(int tile) { return mesh_.take_fault(tile); }

    /* Blocking, SC_THREAD only. send returns UDN_SEND_OK or UDN_SEND_FAULT;
     * recv returns the next word of queue q; wait_any returns a non-zero
     * avail mask, or 0 when wake(tile) ended the wait. */
    int send(int tile, uint64_t word, uint64_t tag = 0);
    uint64_t recv(int tile, int q);
    uint32_t wait_any(int tile);

    /* After calling engine() directly (sync() first): makes sure the
     * stepping method runs if the calls left words in flight. */
    void notify_activity();

    /* Attaches the one cycle client, first called in cycle `first`. */
    void set_cycle_client(udn_cycle_client *cl, uint64_t first);
    /* Temporal decoupling for a mesh whose only user is its cycle client
     * (dlsim --mesh-only): one activation may step engine and client up to
     * `quantum` cycles past the kernel's time, never past cycle `horizon`.
     * Results are those of one activation per cycle. With a quantum above 0
     * no other process may call the module (its calls would act in the
     * engine's cycle, not the kernel's). Default 0: no run-ahead. */
    void set_run_ahead(uint64_t quantum, uint64_t horizon);

    /* Another device's event for the tile: ends a wait_any, and fires
     * data_event(tile) so that a UDN_WAIT sleeping on it wakes too (the
     * tile's UdnTileDevice calls it from TileCore::wake_up). */
    void wake(int tile);
    /* True once after wake(tile) (clears the mark): the non-blocking half of
     * wait_any, for callers that sleep on data_event themselves. */
    bool take_wake(int tile);

    /* Notified (delta) when the tile's injection buffer frees a slot after a
     * refused send, when a word enters one of its queues, and when a fault
     * is charged to it. data_event fires for every word only after
     * watch_data(true); otherwise only while a blocking call of this module
     * waits (the common case costs no notification per word). */
    const sc_core::sc_event &space_event(int tile) const { return space_ev_[tile]; }
    const sc_core::sc_event &data_event(int tile) const { return data_ev_[tile]; }
    const sc_core::sc_event &fault_event(int tile) const { return fault_ev_[tile]; }
    void watch_data(bool on) { watch_data_ = on; }

    /* Receives every engine callback after the module has handled it
     * (statistics collectors, tests). May be NULL. */
    void set_observer(udn_mesh_listener *o) { observer_ = o; }

    /* udn_mesh_listener: the engine's callbacks. */
    void on_udn_data(int tile, int queue);
    void on_udn_space(int tile);
    void on_udn_delivered(const udn_msg &m);
    void on_udn_fault(const udn_fault &f);

private:
    void tick();

    udn_mesh mesh_;
    sc_core::sc_time cycle_;
    uint64_t cycle_fs_;
    udn_mesh_listener *observer_;
    sc_core::sc_event activity_ev_;
    sc_core::sc_event *space_ev_, *data_ev_, *fault_ev_, *wake_ev_;
    std::vector<uint8_t> woken_;
    std::vector<uint8_t> waiting_;     /* a blocking call of this module sleeps on data_ev_ */
    bool watch_data_;
    bool sleeping_;                    /* tick waits for activity_ev_ */
    udn_cycle_client *client_;
    uint64_t client_due_;
    uint64_t run_ahead_, horizon_;
};

#endif
