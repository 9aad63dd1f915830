// port_backend.h - what is at the far end of an Ethernet port: the interface
// every backend implements (pcap replay here; simulated clients and a TAP
// device later), the pcap replay backend, and the wire recorder that writes
// every frame crossing every port to wire.pcap.
#ifndef DL_MPIPE_PORT_BACKEND_H
#define DL_MPIPE_PORT_BACKEND_H

#include <systemc>
#include <cstdint>
#include <string>
#include <vector>

// The far end of one port. The port pulls frames to receive with next() and
// hands frames the chip transmitted to transmitted().
class PortBackend {
public:
    virtual ~PortBackend() {}
    // Fills frame (without FCS) and the earliest time, in femtoseconds of
    // simulated time, at which its first preamble bit may go on the wire.
    // Returns false when there is no frame now; more() then says what to
    // wait for (nullptr: no frame ever again).
    virtual bool next(std::vector<uint8_t> &frame, uint64_t &earliest_fs) = 0;
    virtual sc_core::sc_event *more() { return nullptr; }
    // A frame the chip put on the wire, first preamble bit at start_fs.
    virtual void transmitted(const uint8_t *frame, size_t len, uint64_t start_fs)
    {
        (void)frame; (void)len; (void)start_fs;
    }
};

// How a pcap file is replayed: `--pcap-in [PORT=]FILE[,OPTION...]`.
struct PcapInSpec {
    int port = 0;
    std::string file;
    double scale = 1.0;     // gaps between capture timestamps are multiplied by this; 0: back to back
    double rate_gbps = 0;   // > 0: ignore timestamps, offer this load (wire bits incl. preamble/IFG)
    uint64_t loop = 1;      // passes over the file; 0: forever
    uint64_t at_ns = 0;     // simulated time of the first frame
};

// Simulated time is counted in femtoseconds in 64 bits: nothing can happen
// after this many nanoseconds (about 5.12 hours).
constexpr uint64_t PCAP_TIME_LIMIT_NS = UINT64_MAX / 1000000ULL;

// Parses "[PORT=]FILE[,scale=S][,rate=GBPS][,loop=N][,at=NS]" (each option
// at most once). The port number is checked against port.count by the
// caller. Returns true, or false with a message in err.
bool pcap_in_parse(const char *arg, PcapInSpec &spec, std::string &err);

// Replays a pcap file on one port (libpcap, nanosecond precision). The
// constructor reads the file once, start to end (so a named pipe or a shell
// pipe works: nothing is reopened), checks every record and keeps the frames
// in memory for the replay and its further passes.
class PcapReplay : public PortBackend {
public:
    PcapReplay(const PcapInSpec &spec, double port_rate_gbps);
    // After construction: "" when the file was read, else a message naming
    // the file and the record ("FILE: record 3: truncated ...").
    const std::string &error() const { return error_; }
    const PcapInSpec &spec() const { return spec_; }
    uint64_t records() const { return frames_.size(); }
    // Frames the whole replay offers (records x passes); UINT64_MAX for loop=0.
    uint64_t total() const;
    // True once every frame of every pass has been taken by the port (the
    // last one has been received whole), or the replay ran past the end of
    // simulated time (past_time_limit()).
    bool finished() const { return finished_; }
    bool past_time_limit() const { return past_limit_; }
    // When the last frame of the last pass may start, in fs; UINT64_MAX when
    // the replay loops forever or runs past the time limit.
    uint64_t end_fs() const { return end_fs_; }
    bool next(std::vector<uint8_t> &frame, uint64_t &earliest_fs) override;

private:
    bool load(double port_rate_gbps);
    struct Frame { std::vector<uint8_t> data; uint64_t off_fs; };

    PcapInSpec spec_;
    std::string error_;
    std::vector<Frame> frames_;
    uint64_t pass_fs_ = 0;              // length of one pass
    uint64_t end_fs_ = UINT64_MAX;
    uint64_t pos_ = 0, pass_ = 0;       // next record, current pass
    bool finished_ = false, past_limit_ = false;
};

// Records frames crossing the ports: wire.pcap (nanosecond pcap, Ethernet,
// both directions, every port, in time order) and wire.txt, one line per
// pcap record saying which port and direction it was:
//   # record time_ns port dir bytes
//   1 10000 0 rx 60
// (record counts from 1, as Wireshark numbers frames; dir is rx for frames
// into the chip, tx for frames out of it).
class WireRecorder {
public:
    // Opens dir/wire.pcap and dir/wire.txt; error() says whether it worked.
    explicit WireRecorder(const std::string &dir);
    ~WireRecorder();
    const std::string &error() const { return error_; }
    void record(int port, bool tx, uint64_t start_fs, const uint8_t *frame, size_t len);
    uint64_t records() const { return n_; }

private:
    void *pcap_ = nullptr, *dumper_ = nullptr;
    FILE *txt_ = nullptr;
    std::string error_;
    uint64_t n_ = 0;
};

#endif
