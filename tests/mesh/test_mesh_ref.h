/* test_mesh_ref.h - for tests only: a small, obviously correct cycle-by-cycle
 * model of the UDN mesh, written without the engine's shortcuts (every
 * router every cycle, explicit link pipes, occupancy snapshots instead of
 * stamps), against which udn_mesh is checked cycle for cycle. Timing rules
 * are those of udn_mesh.h. */
#ifndef DL_MESH_TEST_MESH_REF_H
#define DL_MESH_TEST_MESH_REF_H

#include <stdint.h>

#include <deque>
#include <map>
#include <utility>
#include <vector>

#include "mesh/udn_mesh.h"

class mesh_ref {
public:
    explicit mesh_ref(const udn_mesh_params &p);

    /* Tile calls in cycle now(), same meaning as udn_mesh's. */
    int send(int tile, uint64_t word);
    int recv(int tile, int q, uint64_t *word);
    uint32_t avail(int tile) const;

    /* Ends cycle now(): every router moves, then the next cycle begins. */
    void step();
    uint64_t now() const { return now_; }

    /* (source tile, sequence number) -> cycle the message became readable. */
    std::map<std::pair<int, uint64_t>, uint64_t> delivered;
    std::vector<uint64_t> blocked_cycles;   /* [tile] */
    std::vector<int> faults;                /* [tile] count */

private:
    struct rflit { uint64_t word; int src; uint64_t seq; bool head, tail; };
    struct timed { uint64_t at; rflit f; };
    enum { NONE = -1, DROP = 5 };

    int neighbour(int r, int dir) const;
    bool inside(int r) const;
    int route(int r, uint64_t header) const;

    udn_mesh_params p_;
    int n_;
    uint64_t now_;
    std::vector<std::deque<rflit> > buf_;     /* [r*5+port] */
    std::vector<std::deque<timed> > link_;    /* [r*5+port] words on their way into buf_ */
    std::vector<std::deque<uint64_t> > q_;    /* [t*Q+q] */
    std::vector<std::deque<timed> > eject_;   /* [t*Q+q] words on their way into q_ */
    std::vector<int> alloc_;                  /* [r*5+in] output owned, NONE or DROP */
    std::vector<int> owner_, rr_, eject_q_;   /* [r*5+out] */
    std::vector<int> room_buf_, room_q_;      /* snapshots at the start of the cycle */
    std::vector<int> remaining_, discard_;    /* [t] sender framing */
    std::vector<uint64_t> seq_, blocked_since_;
    std::vector<std::pair<int, uint64_t> > cur_;  /* [t] message being sent */
};

#endif
