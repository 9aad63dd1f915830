// replay_trace.h - a capture of clients talking to a real server, read for
// the replay driver (workload.kind = replay, client_replay.h): its TCP
// connections (tools/trace: reassembled, split into requests paired with
// the real server's responses), each with the bytes of every request to
// send, when the real client sent it, and the response the real server
// gave. Everything the replay could not send faithfully is an error here,
// before the run: a file that is missing, not a pcap or truncated; no TCP
// connection; client bytes that are no request of a known protocol
// (malformed, an unknown protocol) or lost (a hole in the client's stream);
// no response of the server at all.
#ifndef DL_SIM_REPLAY_TRACE_H
#define DL_SIM_REPLAY_TRACE_H

#include <cstdint>
#include <string>
#include <vector>

struct ReplayReq {
    std::string bytes;           // sent: from the end of the previous request to the end of this one
    std::string type;            // the trace library's request type: "GET /1k.html", "get", "echo"
    uint64_t t_ns = 0;           // when the real client sent it, from the capture's first frame
    uint64_t frame = 0;          // capture frame of its first byte (1-based)
    bool expect_none = false;    // the real server owed no answer (memcached noreply, quit, quiet)
    bool has_ref = false;        // the real server's answer is in the capture
    std::string ref;             // that answer
    std::string ref_status;      // its status ("200", "hit", "STORED", "ok", "none")
};

struct ReplayConn {
    int proto = 0;               // enum trace_proto
    uint16_t port = 0;           // the real server's port
    uint64_t t_ns = 0;           // its first frame, from the capture's first frame
    uint64_t frame = 0;          // capture frame of its first segment
    std::vector<ReplayReq> reqs;
};

struct ReplayTrace {
    std::string file;
    std::vector<ReplayConn> conns;   // in the order of their first frames
    uint64_t requests = 0, no_ref = 0;
    bool proto_used[4] = {};         // by enum trace_proto
    uint64_t duration_ns = 0;        // first frame to last
};

// Reads file into rt. False with err naming the file and what is wrong (the
// caller exits 2).
bool replay_trace_load(const std::string &file, ReplayTrace &rt, std::string &err);

#endif
