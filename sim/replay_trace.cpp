// replay_trace.cpp - a capture read for the replay driver (replay_trace.h).
#include "replay_trace.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

extern "C" {
#include "trace.h"
}

namespace {

struct TraceFree {
    void operator()(struct trace *t) const { trace_free(t); }
};

// "12 40 77" and the count of the issues whose name contains one of words.
std::string issue_frames(const struct trace *t, const std::vector<const char *> &words, uint64_t &count)
{
    std::string s;
    count = 0;
    for (int i = 0; i < t->nissues; i++) {
        const struct trace_issue &is = t->issues[i];
        bool hit = false;
        for (const char *w : words) hit = hit || strstr(is.what, w);
        if (!hit) continue;
        count += is.count;
        for (int k = 0; k < is.nfirst; k++) s += (s.empty() ? "" : " ") + std::to_string(is.first[k]);
    }
    return s;
}

// Every issue, for a capture with nothing to replay.
std::string all_issues(const struct trace *t)
{
    std::string s;
    for (int i = 0; i < t->nissues; i++)
        s += std::string(i ? "; " : "") + t->issues[i].what + " (" + std::to_string(t->issues[i].count) + ")";
    return s.empty() ? "nothing else" : s;
}

} // namespace

bool replay_trace_load(const std::string &file, ReplayTrace &rt, std::string &err)
{
    rt = ReplayTrace();
    rt.file = file;
    std::unique_ptr<struct trace, TraceFree> tp(trace_new());
    struct trace *t = tp.get();
    char e[1024];
    if (!t || trace_read_pcap(t, file.c_str(), e, sizeof e) != 0) {
        err = t ? e : "out of memory";
        return false;
    }
    trace_finish(t);
    const std::string hint = " (build/dltrace " + file + " lists them)";
    // Connections worth replaying: a SYN or bytes from the client.
    int usable = 0;
    for (int f = 0; f < t->nflows; f++) usable += t->flows[f].syn || t->flows[f].bytes[0];
    if (usable == 0) {
        err = file + ": no TCP connection to replay (" + std::to_string(t->frames) + " frames, " +
              std::to_string(t->tcp_frames) + " of them TCP; " + all_issues(t) + ")";
        return false;
    }
    uint64_t holes = 0, hole_conns = 0, bad_conns = 0, bad_bytes = 0, n;
    for (int f = 0; f < t->nflows; f++) {
        const trace_flow &fl = t->flows[f];
        if (fl.holes[0]) {
            hole_conns++;
            holes += fl.hole_bytes[0];
        }
        if (fl.unparsed_bytes[0]) {
            bad_conns++;
            bad_bytes += fl.unparsed_bytes[0];
        }
    }
    if (hole_conns) {
        std::string fr = issue_frames(t, { "hole in a TCP stream" }, n);
        err = file + ": the clients' bytes are incomplete: " + std::to_string(holes) + " bytes missing in " +
              std::to_string(hole_conns) + " connection(s) (segments not captured; the first segments after the " +
              "holes: frames " + fr + ")" + hint + "; the replay would not send what the real clients sent";
        return false;
    }
    if (bad_conns) {
        std::string fr =
            issue_frames(t, { "malformed request", "unparsable request", "incomplete request", "unknown protocol" }, n);
        err = file + ": " + std::to_string(bad_conns) + " connection(s) hold " + std::to_string(bad_bytes) +
              " client bytes that are no request the replay understands (HTTP/1.x, the memcached text protocol, "
              "TCP echo on port 7): " + std::to_string(n) + " malformed or unknown request(s), first frames " + fr +
              hint;
        return false;
    }
    rt.duration_ns = (uint64_t)(t->last_ns - t->first_ns);
    // Each connection's requests in stream order.
    std::vector<std::vector<const trace_txn *>> by_flow((size_t)t->nflows);
    for (size_t i = 0; i < t->ntxns; i++) by_flow[(size_t)t->txns[i].flow].push_back(&t->txns[i]);
    for (int f = 0; f < t->nflows; f++) {
        const trace_flow &fl = t->flows[f];
        if (!fl.syn && !fl.bytes[0]) continue;   // server bytes alone: nothing to send
        auto &v = by_flow[(size_t)f];
        std::stable_sort(v.begin(), v.end(),
                         [](const trace_txn *a, const trace_txn *b) { return a->req_off < b->req_off; });
        trace_stream cs, ss;
        trace_flow_stream(t, f, 0, &cs);
        trace_flow_stream(t, f, 1, &ss);
        ReplayConn c;
        c.proto = fl.proto;
        c.port = fl.port[1];
        c.t_ns = (uint64_t)(fl.first_ns - t->first_ns);
        uint64_t prev = 0;
        for (const trace_txn *x : v) {
            ReplayReq r;
            uint64_t end = x->req_off + x->req_bytes;
            r.bytes.assign((const char *)cs.data + prev, (size_t)(end - prev));
            prev = end;
            r.type = t->types[x->type];
            r.t_ns = (uint64_t)(x->req_ns - t->first_ns);
            r.frame = x->frame;
            r.ref_status = x->status;
            r.expect_none = x->resp_ns < 0 && (r.ref_status == "noreply" || r.ref_status == "quit" ||
                                               r.ref_status == "quiet");
            r.has_ref = x->resp_ns >= 0;
            if (r.has_ref) r.ref.assign((const char *)ss.data + x->resp_off, (size_t)x->resp_bytes);
            if (!r.has_ref && !r.expect_none) rt.no_ref++;
            if (c.frame == 0 || r.frame < c.frame) c.frame = r.frame;
            c.reqs.push_back(std::move(r));
        }
        if (c.proto >= 0 && c.proto < 4 && !c.reqs.empty()) rt.proto_used[c.proto] = true;
        rt.requests += c.reqs.size();
        rt.conns.push_back(std::move(c));
    }
    std::stable_sort(rt.conns.begin(), rt.conns.end(),
                     [](const ReplayConn &a, const ReplayConn &b) { return a.t_ns < b.t_ns; });
    if (rt.requests && rt.no_ref == rt.requests) {
        err = file + ": the capture holds none of the server's answers to its " + std::to_string(rt.requests) +
              " requests (was only one direction captured?): nothing to compare with";
        return false;
    }
    return true;
}
