// mpipe_model.h - the SystemC model of the mPIPE and its Ethernet ports.
//
// Ingress: a port takes a frame from its backend, paces it at line rate and,
// at the end of its FCS, hands it to the mPIPE. The MAC drops runts and
// oversize frames; one of mpipe.classifiers classifier processors (the
// earliest free, lowest number on a tie; frames that end at the same instant
// go in port order) takes it for mpipe.classify_cycles from the next edge;
// when it is done the load balancer picks the bucket's ring and a credit,
// buffers are popped, and the iDMA engine (one, in order) writes the frame
// (ceil(bytes / mpipe.dma_bytes_per_cycle) cycles of engine time, visible
// mpipe.dma_latency cycles later) and then the 64-byte descriptor (another
// ceil(64 / bytes_per_cycle) cycles); the ring's tile is woken then.
//
// Egress: per port, the eDMA engine reads posted descriptors (after a
// doorbell), gathers a frame, fills its checksum when asked; transmission
// starts once min(frame, mpipe.egress_sf_blocks x 128) bytes have been read
// (dma_latency + ceil(bytes / bytes_per_cycle) cycles after the fetch) and
// the wire is free. The mPIPE hands the finished frame to its port
// (EthPort::transmit), which puts it on the wire; at the end of its FCS,
// buffers with hwb go back to their stacks and the ring's completion counter
// advances. Each direction is one call, one way: a port hands the mPIPE
// what it received (ingress), the mPIPE's own engine and wire threads hand
// the port what to send (transmit); neither calls back into the other.
//
// Registers and descriptors: models/abi/mpipe.h, decoded there
// (mpipe_reg_decode, field decoders); one handler per register block here.
// Every register access is immediate (the tile's access is already a sync
// point). Frame buffers circulate through the queues' reused slots
// (slot_fifo.h): no allocation per frame once the queues have grown.
#ifndef DL_MPIPE_MPIPE_MODEL_H
#define DL_MPIPE_MPIPE_MODEL_H

#include <systemc>
#include <cstdint>
#include <memory>
#include <vector>

#include "abi/mpipe.h"
#include "core/mmio_device.h"
#include "mem/phys_mem.h"
#include "mpipe/mpipe_classify.h"
#include "mpipe/port_backend.h"
#include "mpipe/slot_fifo.h"

// Why the mPIPE dropped a frame; names in mpipe_drop_name().
enum MpipeDrop {
    DROP_RUNT, DROP_OVERSIZE, DROP_PARSE, DROP_IPV4_CSUM, DROP_NO_RING, DROP_RING_FULL,
    DROP_NO_BUFFER, DROP_CAUSES
};
const char *mpipe_drop_name(int cause);

class Mpipe;

// The mPIPE's and its ports' parameters, filled by sim/ from the
// configuration's mpipe and port sections (sim/model_params.h); the
// classifier rules are given apart, parsed (mpipe_rules_parse).
struct MpipeParams {
    int ports;                    // Ethernet ports (>= 1)
    double rate_gbps;             // line rate of each port
    bool pad_short;               // pad backend frames under 60 bytes (else runts)
    int classifiers;              // classifier processors (>= 1)
    uint64_t classify_cycles;     // cycles one classification takes
    uint64_t dma_latency;         // cycles from a DMA transfer to its data in memory
    uint64_t dma_bytes_per_cycle; // iDMA and eDMA engine width (>= 1)
    uint64_t max_frame;           // bytes without FCS; longer frames are dropped
    uint64_t egress_sf_blocks;    // 128-byte blocks read before transmission starts
};

// One Ethernet port: the receive wire (backend to chip), paced at
// port.rate_gbps by its own thread, and the transmit wire (chip to backend),
// on which the mPIPE puts frames (transmit).
class EthPort : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(EthPort);
    EthPort(sc_core::sc_module_name name, int index, const MpipeParams &params, Mpipe *mpipe);
    const int index;
    const double rate_gbps;
    const uint64_t bit_fs;
    // What is at the far end (not owned; none: nothing arrives) and where
    // every frame crossing the port is recorded (not owned; none: nothing
    // is). Before the run.
    void attach_backend(PortBackend *b) { backend_ = b; }
    void record_to(WireRecorder *r) { recorder_ = r; }
    // Statistics (read only).
    uint64_t rx_frames = 0, rx_bytes = 0, tx_frames = 0, tx_bytes = 0;
    uint64_t tx_free_fs = 0;            // the transmit wire is free from here

    // Puts a frame on the transmit wire at start_fs (now, not before
    // tx_free_fs); returns the time its FCS ends.
    uint64_t transmit(const std::vector<uint8_t> &frame, uint64_t start_fs);

private:
    void rx_thread();
    PortBackend *backend_ = nullptr;
    WireRecorder *recorder_ = nullptr;
    Mpipe *mpipe_;
    const int pad_short_;
};

class Mpipe : public sc_core::sc_module, public MmioDevice {
public:
    SC_HAS_PROCESS(Mpipe);
    // rules must have parsed (mpipe_rules_parse).
    Mpipe(sc_core::sc_module_name name, const MpipeParams &params, const mpipe_rules &rules,
          phys_mem *mem, sc_core::sc_time cycle);
    ~Mpipe();

    // The tiles a notification ring may wake, by tile number (tiles[i] may
    // be null: no core there). The chip maps the register page (this
    // device) into each core itself.
    void wake_targets(const std::vector<WakeableTile *> &tiles) { tiles_ = tiles; }

    MmioResult load(uint64_t off, unsigned size, uint64_t &v, const sc_core::sc_event **w) override;
    MmioResult store(uint64_t off, unsigned size, uint64_t v, const sc_core::sc_event **w) override;

    // A port's MAC received a whole frame whose first preamble bit was at
    // start_fs (called at the end of its FCS). The mPIPE takes the bytes and
    // leaves frame holding a spare buffer (swapped, not copied).
    void ingress(int port, std::vector<uint8_t> &frame, uint64_t start_fs);
    void count_drop(int cause) { drops_[cause]++; }
    uint64_t max_frame() const { return p_.max_frame; }

    std::vector<EthPort *> ports;

    // Statistics: frames dropped for one cause (MpipeDrop), and for all.
    uint64_t drops(int cause) const { return drops_[cause]; }
    uint64_t drops_total() const;
    uint64_t delivered = 0, classified = 0, classifier_busy_cycles = 0;
    uint64_t push_overflow = 0, egress_errors = 0, egress_frames = 0;
    struct RingStats { uint64_t written = 0, max_occupancy = 0; };
    std::vector<RingStats> ring_stats;
    // Occupancy (descriptors not yet credited) of ring r now.
    uint64_t ring_occupancy(int r) const;
    bool ring_enabled(int r) const { return rings_[r].enabled; }
    // True when the mPIPE holds no frame (none being classified, written,
    // gathered or sent; every posted egress descriptor completed) and every
    // notification ring is empty (every descriptor credited back).
    bool drained() const;

private:
    struct Stack { int cls = -1; uint64_t capacity = 0; std::vector<uint64_t> bufs; };
    struct Ring {
        uint64_t base = 0, entries = 0, count = 0, credits = 0, landed = 0;
        int tile = -1;
        bool enabled = false;
    };
    struct Group { unsigned first = 0, n = 0, rr = 0; bool set = false; };
    struct Bucket { unsigned group = 0, mode = 0, ring = 0; uint64_t outstanding = 0; bool set = false; };
    struct ERing {
        uint64_t base = 0, entries = 0, tail = 0, fetched = 0, done = 0;
        int port = 0, tile = -1;
        bool enabled = false, broken = false;
    };
    struct Classified {                // a frame through its classifier
        std::vector<uint8_t> frame;
        int port;
        uint64_t start_fs, done_fs;
    };
    struct Write {                     // what the iDMA engine writes, and when
        uint64_t data_fs, desc_fs;
        std::vector<uint8_t> frame;
        std::vector<uint64_t> bufs;    // the buffers, chained in this order when more than one
        mpipe_idesc desc;
        int ring;
        uint64_t slot;
    };
    struct TxFrame {
        std::vector<uint8_t> frame;
        uint64_t ready_fs;
        int ering;
        uint64_t ndesc;
        std::vector<uint64_t> returns;  // buffers to push back
        bool notif;
    };
    struct Egress {                    // one port's eDMA engine and transmit queue
        SlotFifo<TxFrame> txq;         // read, not yet on the wire
        sc_core::sc_event doorbell, pushed, popped;
    };

    // registers, one handler per block (offsets decoded by mpipe_reg_decode)
    MmioResult global_load(unsigned reg, uint64_t &v);
    MmioResult global_store(unsigned reg, uint64_t v);
    MmioResult stack_load(unsigned s, unsigned reg, uint64_t &v);
    MmioResult stack_store(unsigned s, unsigned reg, uint64_t v);
    MmioResult ring_load(unsigned r, unsigned reg, uint64_t &v);
    MmioResult ring_store(unsigned r, unsigned reg, uint64_t v, const sc_core::sc_event **wait);
    MmioResult group_store(unsigned g, uint64_t v);
    MmioResult bucket_store(unsigned b, uint64_t v);
    MmioResult ering_load(unsigned e, unsigned reg, uint64_t &v);
    MmioResult ering_store(unsigned e, unsigned reg, uint64_t v, const sc_core::sc_event **wait);

    // ingress
    void dispatch();
    void decide_thread();
    void write_thread();
    void deliver(Classified &c);
    int pick_ring(Bucket &b);
    bool pop_buffers(uint32_t stacks, size_t len, std::vector<uint64_t> &bufs);
    uint64_t take_slot(Bucket &b, int r);
    void fill_idesc(mpipe_idesc &d, const Classified &c, const mpipe_parsed &p, unsigned bucket, int r,
                    uint64_t slot, uint64_t bdesc);
    void schedule_idma(Write &w, uint64_t bytes);
    void write_frame(const Write &w);

    // egress
    void egress_thread(int port);
    void wire_thread(int port);
    void push_buffer(uint64_t bdesc);
    bool gather(ERing &er, int e, TxFrame &tx);
    void wake(int tile);
    uint64_t cycles_fs(uint64_t n) const { return n * cycle_fs_; }
    uint64_t now_fs() const { return sc_core::sc_time_stamp().value(); }
    void wait_until(uint64_t fs);

    const MpipeParams p_;
    uint64_t drops_[DROP_CAUSES] = {};
    mpipe_rules rules_;
    phys_mem *mem_;
    const uint64_t cycle_fs_;
    std::vector<WakeableTile *> tiles_;
    std::vector<Stack> stacks_;
    std::vector<Ring> rings_;
    std::vector<Group> groups_;
    std::vector<Bucket> buckets_;
    std::vector<ERing> erings_;
    std::vector<uint64_t> classifier_free_;
    SlotFifo<Classified> arrived_;      // this instant, in port order, not yet dispatched
    SlotFifo<Classified> classified_;
    SlotFifo<Write> writes_;
    std::vector<uint64_t> bufs_;        // scratch: the buffers deliver pops
    std::vector<uint8_t> chunk_;        // scratch: one chained buffer's bytes
    uint64_t idma_free_fs_ = 0, seq_ = 0;
    sc_core::sc_event arrive_ev_, classified_ev_, write_ev_;
    std::vector<sc_core::sc_event> landed_ev_;   // per ring: a descriptor landed
    std::vector<sc_core::sc_event> done_ev_;     // per egress ring: descriptors completed
    std::unique_ptr<Egress[]> egress_;           // per port
};

// The results of a run, for stats.json: the mPIPE's drops by cause and
// total, frames through ingress and egress, the notification rings in use
// with their occupancy (mpipe_report.cpp); and one port's counters.
struct cJSON;
cJSON *mpipe_report(const Mpipe &m);
cJSON *mpipe_port_report(const EthPort &p);

#endif
