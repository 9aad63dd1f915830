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

// Parses "[PORT=]FILE[,scale=S][,rate=GBPS][,loop=N][,at=NS]". Returns true,
// or false with a message in err.
bool pcap_in_parse(const char *arg, PcapInSpec &spec, std::string &err);

// Replays a pcap file on one port (libpcap, nanosecond precision). The
// constructor reads the file through once to check every record, so that a
// bad file stops the run before it starts; the replay then streams it (a
// large trace costs no memory), reopening it for each further pass.
class PcapReplay : public PortBackend {
public:
    PcapReplay(const PcapInSpec &spec, double port_rate_gbps);
    ~PcapReplay();
    // After construction: "" when the file was read, else a message naming
    // the file and the record ("FILE: record 3: truncated ...").
    const std::string &error() const { return error_; }
    uint64_t records() const { return records_; }
    bool next(std::vector<uint8_t> &frame, uint64_t &earliest_fs) override;

private:
    bool open(std::string &err);
    // Reads the next record: 1 with a frame and its offset in the pass, 0 at
    // the end of the file, -1 with a message in err.
    int read(std::vector<uint8_t> *frame, uint64_t &offset_fs, std::string &err);

    PcapInSpec spec_;
    uint64_t bit_fs_;
    double rate_bit_fs_;                // fs per bit of offered load (rate=), or 0
    std::string error_;
    void *pcap_ = nullptr;
    uint64_t records_ = 0;              // in the file
    uint64_t pass_fs_ = 0;              // length of one pass
    uint64_t pos_ = 0, pass_ = 0;       // next record, current pass
    uint64_t first_ns_ = 0, prev_off_ = 0, rate_off_ = 0;
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
