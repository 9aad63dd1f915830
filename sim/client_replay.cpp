// client_replay.cpp - the replay driver and its report (client_replay.h).
#include "client_replay.h"

#include <algorithm>
#include <cmath>

#include "replay_compare.h"
extern "C" {
#include "trace.h"
}

namespace {

const size_t CHUNK = 65536;     // bytes moved per net_tcp_recv call
const size_t EXAMPLES = 8;      // examples kept per kind of failure
const char *const outcome_name[] = { "matched", "mismatched", "unanswered", "no_reference" };

} // namespace

ReplayReport::ReplayReport(const ReplayTrace &rt, bool timed, double speed) : rt_(rt), timed_(timed), speed_(speed)
{
    for (const ReplayConn &c : rt.conns)
        for (const ReplayReq &r : c.reqs) by_type_[r.type];
}

void ReplayReport::outcome(unsigned c, unsigned r, Outcome o, const std::string &why)
{
    const ReplayReq &q = rt_.conns[c].reqs[r];
    n_[o]++;
    by_type_[q.type].n[o]++;
    std::vector<Example> *ex = o == MISMATCHED ? &mismatch_ex_ : o == UNANSWERED ? &unanswered_ex_ : nullptr;
    if (ex && ex->size() < EXAMPLES) ex->push_back(Example{ q.type, why, c, r, q.frame });
}

void ReplayReport::extra(unsigned c, const std::string &bytes)
{
    extra_conns++;
    if (extra_ex_.size() < EXAMPLES)
        extra_ex_.push_back(Example{ "", "bytes after the last answer: '" + replay_show(bytes, 60) + "'", c, 0,
                                     rt_.conns[c].frame });
}

cJSON *ReplayReport::to_json() const
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "trace", rt_.file.c_str());
    cJSON_AddStringToObject(j, "mode", timed_ ? "timed" : "closed");
    cJSON_AddNumberToObject(j, "speed", speed_);
    cJSON_AddNumberToObject(j, "connections", (double)rt_.conns.size());
    cJSON_AddNumberToObject(j, "requests", (double)rt_.requests);
    cJSON_AddNumberToObject(j, "requests_replayed", (double)sent);
    for (int o = 0; o < OUTCOMES; o++) cJSON_AddNumberToObject(j, outcome_name[o], (double)n_[o]);
    cJSON_AddNumberToObject(j, "connections_with_extra_bytes", (double)extra_conns);
    cJSON *ex = cJSON_AddArrayToObject(j, "exempt_fields");
    for (int p = 0; p < 4; p++)
        if (rt_.proto_used[p])
            for (const std::string &s : replay_exempt(p)) cJSON_AddItemToArray(ex, cJSON_CreateString(s.c_str()));
    cJSON *bt = cJSON_AddObjectToObject(j, "by_type");
    for (const auto &t : by_type_) {
        cJSON *o = cJSON_AddObjectToObject(bt, t.first.c_str());
        for (int k = 0; k < OUTCOMES; k++) cJSON_AddNumberToObject(o, outcome_name[k], (double)t.second.n[k]);
    }
    auto examples = [&](const char *name, const std::vector<Example> &v) {
        cJSON *a = cJSON_AddArrayToObject(j, name);
        for (const Example &e : v) {
            cJSON *o = cJSON_CreateObject();
            if (!e.type.empty()) cJSON_AddStringToObject(o, "type", e.type.c_str());
            cJSON_AddNumberToObject(o, "connection", e.conn);
            if (!e.type.empty()) cJSON_AddNumberToObject(o, "request", e.req);
            cJSON_AddNumberToObject(o, "frame", (double)e.frame);
            cJSON_AddStringToObject(o, "why", e.why.c_str());
            cJSON_AddItemToArray(a, o);
        }
    };
    examples("mismatches", mismatch_ex_);
    examples("unanswered_examples", unanswered_ex_);
    examples("extra_examples", extra_ex_);
    return j;
}

void ReplayReport::summary(FILE *out) const
{
    fprintf(out, "  replay      %s (%s, speed %g): %llu requests in %zu connections, %llu replayed: %llu matched, "
            "%llu mismatched, %llu unanswered, %llu without the real answer",
            rt_.file.c_str(), timed_ ? "timed" : "closed", speed_, (unsigned long long)rt_.requests,
            rt_.conns.size(), (unsigned long long)sent, (unsigned long long)n_[MATCHED],
            (unsigned long long)n_[MISMATCHED], (unsigned long long)n_[UNANSWERED],
            (unsigned long long)n_[NO_REFERENCE]);
    if (extra_conns) fprintf(out, ", %llu connections with extra bytes", (unsigned long long)extra_conns);
    fprintf(out, "\n");
    for (const auto &t : by_type_)
        if (t.second.n[MISMATCHED] || t.second.n[UNANSWERED])
            fprintf(out, "  replay      %s: %llu mismatched, %llu unanswered\n", t.first.c_str(),
                    (unsigned long long)t.second.n[MISMATCHED], (unsigned long long)t.second.n[UNANSWERED]);
    for (const Example &e : mismatch_ex_)
        fprintf(out, "  replay      mismatch: %s (connection %u, request %u, frame %llu): %s\n", e.type.c_str(),
                e.conn, e.req, (unsigned long long)e.frame, e.why.c_str());
    for (const Example &e : unanswered_ex_)
        fprintf(out, "  replay      unanswered: %s (connection %u, request %u, frame %llu): %s\n", e.type.c_str(),
                e.conn, e.req, (unsigned long long)e.frame, e.why.c_str());
    for (const Example &e : extra_ex_)
        fprintf(out, "  replay      extra: connection %u: %s\n", e.conn, e.why.c_str());
    for (int p = 0; p < 4; p++)
        if (rt_.proto_used[p])
            for (const std::string &s : replay_exempt(p)) fprintf(out, "  replay      not compared: %s\n", s.c_str());
}

ReplayDriver::ReplayDriver(ClientScheduler &sched, ClientHost &host, const DriverParams &p, ClientTotals &totals)
    : sched_(sched), host_(host), p_(p), t_(totals), buf_(CHUNK)
{
    char e[256];
    have_docs_ = p.replay->proto_used[PROTO_HTTP] && http_docs_parse(p.app_args.c_str(), &docs_, e, sizeof e) == 0;
    for (unsigned k = p.host_index; k < p.replay->conns.size(); k += p.hosts) {
        Conn c;
        c.k = k;
        conns_.push_back(c);
    }
    t_.verify_causes["replay_mismatch"] += 0;
    t_.verify_causes["replay_extra"] += 0;
    t_.connections += conns_.size();
    host.set_app(this);
    sched.at(p.start_ns * 1000000, this, (uint64_t)K_START << 60);
    for (unsigned i = 0; i < conns_.size(); i++)
        sched.at(at_fs(tc(conns_[i]).t_ns), this, (uint64_t)K_OPEN << 60 | (uint64_t)i << 28);
}

// When something the capture did at capture_ns happens in the replay.
uint64_t ReplayDriver::at_fs(uint64_t capture_ns) const
{
    return p_.start_ns * 1000000 + (uint64_t)std::llround((double)capture_ns / p_.replay_speed * 1e6);
}

void ReplayDriver::fire(uint64_t arg)
{
    unsigned kind = (unsigned)(arg >> 60), i = (unsigned)(arg >> 28 & 0xffffffffu);
    size_t r = (size_t)(arg & 0xfffffffu);
    if (kind == K_START) {
        arp_.begin(host_, p_.server_ip);
        after_input(host_);
        return;
    }
    Conn &c = conns_[i];
    if (kind == K_OPEN) {
        if (resolved_) open(i);
        else c.due_open = true;
        return;
    }
    c.due = std::max(c.due, r + 1);   // K_SEND of request r
    send_due(i);
}

void ReplayDriver::after_input(ClientHost &h)
{
    if (!arp_.resolved(h)) return;
    resolved_ = true;
    for (unsigned i = 0; i < conns_.size(); i++)
        if (conns_[i].due_open) open(i);
}

void ReplayDriver::open(unsigned i)
{
    Conn &c = conns_[i];
    c.due_open = false;
    const ReplayConn &q = tc(c);
    int64_t h = net_tcp_connect(host_.net, p_.server_ip, p_.replay_port ? p_.replay_port : q.port);
    if (h <= 0) {
        t_.err_connect++;
        give_up(i, "the host could not open a connection", false);
        return;
    }
    c.handle = (uint32_t)h;
    c.state = CONNECTING;
    c.since_ns = ClientScheduler::now_ns();
    by_handle_[c.handle] = i;
    if (p_.replay_timed)
        for (size_t r = 0; r < q.reqs.size(); r++)
            sched_.at(std::max(at_fs(q.reqs[r].t_ns), ClientScheduler::now_fs()), this,
                      (uint64_t)K_SEND << 60 | (uint64_t)i << 28 | r);
    else c.due = std::min<size_t>(1, q.reqs.size());
}

// Sends the requests whose time has come (once the connection is open).
void ReplayDriver::send_due(unsigned i)
{
    Conn &c = conns_[i];
    if (c.state != OPEN) return;
    const ReplayConn &q = tc(c);
    uint64_t now = ClientScheduler::now_ns();
    bool any = false;
    while (c.sent < c.due) {
        c.tx += q.reqs[c.sent].bytes;
        c.sent_ns.push_back(now);
        if (c.next == c.sent) c.since_ns = now;
        c.sent++;
        p_.replay_report->sent++;
        t_.issued++;
        t_.sent(p_.port_i, now, q.reqs[c.sent - 1].bytes.size());
        if (t_.first_issue_ns == UINT64_MAX) t_.first_issue_ns = now;
        any = true;
    }
    if (!any) return;
    pump(c);
    settle(i);   // requests owing no answer
}

void ReplayDriver::pump(Conn &c)
{
    while (!c.tx.empty()) {
        int64_t space = net_tcp_send_space(host_.net, c.handle);
        if (space <= 0) return;
        size_t n = std::min<size_t>(c.tx.size(), (size_t)space);
        int64_t sent = net_tcp_send(host_.net, c.handle, c.tx.data(), (uint32_t)n);
        if (sent <= 0) return;
        c.tx.erase(0, (size_t)sent);
    }
}

// An answer counted without a latency (none owed, or no reference to compare
// it with): after the warm-up and before the end, like ClientTotals::answered.
void ReplayDriver::unverified(uint64_t now, uint64_t bytes)
{
    if (!t_.counting(now)) return;
    t_.completed++;
    t_.bytes_answered += bytes;
    if (t_.port.size() <= p_.port_i) t_.port.resize(p_.port_i + 1);
    t_.port[p_.port_i].completed++;
    t_.port[p_.port_i].bytes_answered += bytes;
}

// Frames and compares the answers received; closes once all are in.
void ReplayDriver::settle(unsigned i)
{
    Conn &c = conns_[i];
    const ReplayConn &q = tc(c);
    ReplayReport &rep = *p_.replay_report;
    uint64_t now = ClientScheduler::now_ns();
    while (c.next < c.sent) {
        const ReplayReq &r = q.reqs[c.next];
        if (r.expect_none) {   // the real server owed no answer: none may take its place
            rep.outcome(c.k, (unsigned)c.next, ReplayReport::MATCHED, "");
            unverified(now, 0);
            c.next++;
            continue;
        }
        uint64_t a = 0, b = 0;
        char status[24];
        int k = trace_response((enum trace_proto)q.proto, (const uint8_t *)r.bytes.data(), r.bytes.size(),
                               (const uint8_t *)c.rx.data(), c.rx.size(), c.peer_fin, &a, &b, status, sizeof status);
        if (k == 0) break;
        if (k < 0) {
            rep.outcome(c.k, (unsigned)c.next, ReplayReport::MISMATCHED,
                        std::string("not an answer of ") + trace_proto_name((enum trace_proto)q.proto) + ": '" +
                            replay_show(c.rx, 60) + "'");
            t_.err_verify++;
            t_.verify_causes["replay_mismatch"]++;
            c.next++;
            give_up(i, "the answer before could not be framed", true);
            return;
        }
        std::string got = c.rx.substr((size_t)a, (size_t)(b - a)), why;
        c.rx.erase(0, (size_t)b);
        if (!r.has_ref) {
            rep.outcome(c.k, (unsigned)c.next, ReplayReport::NO_REFERENCE, "");
            unverified(now, b);
        } else if (replay_compare(q.proto, r.bytes, r.ref, got, have_docs_ ? &docs_ : nullptr, why)) {
            rep.outcome(c.k, (unsigned)c.next, ReplayReport::MATCHED, "");
            t_.answered(t_.type_index(r.type), p_.port_i, c.sent_ns[c.next], now, b);
        } else {
            rep.outcome(c.k, (unsigned)c.next, ReplayReport::MISMATCHED, why);
            t_.err_verify++;
            t_.verify_causes["replay_mismatch"]++;
        }
        c.next++;
        c.since_ns = now;
    }
    if (!p_.replay_timed) c.due = std::min(q.reqs.size(), c.next + 1);
    if (c.next == q.reqs.size()) {   // every answer in
        if (!c.rx.empty()) {
            rep.extra(c.k, c.rx);
            t_.err_verify++;
            t_.verify_causes["replay_extra"]++;
            c.rx.clear();
        }
        finish(c, true);
        return;
    }
    if (!p_.replay_timed && c.sent < c.due) send_due(i);
}

// The rest of connection i's requests cannot be answered: each counted.
void ReplayDriver::give_up(unsigned i, const std::string &why, bool abort)
{
    Conn &c = conns_[i];
    const ReplayConn &q = tc(c);
    for (size_t r = c.next; r < q.reqs.size(); r++)
        p_.replay_report->outcome(c.k, (unsigned)r, ReplayReport::UNANSWERED,
                                  r < c.sent ? why : why + " (not sent)");
    c.next = q.reqs.size();
    if (abort && (c.state == CONNECTING || c.state == OPEN)) net_tcp_abort(host_.net, c.handle);
    finish(c, false);
}

void ReplayDriver::finish(Conn &c, bool close)
{
    if (c.state == FINISHED) return;
    if (close && (c.state == CONNECTING || c.state == OPEN)) net_tcp_close(host_.net, c.handle);
    if (c.state == CONNECTING || c.state == OPEN) by_handle_.erase(c.handle);
    c.state = FINISHED;
    finished_++;
    t_.finished++;
}

void ReplayDriver::tick(ClientHost &h)
{
    if (arp_.waiting()) after_input(h);
    if (!p_.timeout_ns) return;
    uint64_t now = ClientScheduler::now_ns();
    for (unsigned i = 0; i < conns_.size(); i++) {
        Conn &c = conns_[i];
        if (c.state == CONNECTING && now - c.since_ns >= p_.timeout_ns) {
            t_.err_connect++;
            give_up(i, "the connection was not accepted in clients.timeout_us", true);
        } else if (c.state == OPEN && c.next < c.sent && now - c.since_ns >= p_.timeout_ns) {
            t_.err_timeout++;
            give_up(i, "no complete answer in clients.timeout_us (" + std::to_string(c.rx.size()) +
                           " bytes of it received)", true);
        }
    }
}

void ReplayDriver::tcp_event(ClientHost &h, uint32_t handle, uint32_t ev)
{
    auto it = by_handle_.find(handle);
    if (it == by_handle_.end()) return;
    unsigned i = it->second;
    Conn &c = conns_[i];
    if (ev & NET_EV_RESET) {
        bool refused = c.state == CONNECTING;
        (refused ? t_.err_connect : t_.err_reset)++;
        net_tcp_close(h.net, handle);
        by_handle_.erase(handle);
        c.state = WAITING;   // the handle is gone
        give_up(i, refused ? "the connection was refused" : "the server reset the connection", false);
        return;
    }
    if ((ev & NET_EV_CONNECTED) && c.state == CONNECTING) {
        c.state = OPEN;
        t_.connected++;
        send_due(i);
        if (c.state != OPEN) return;
        if (tc(c).reqs.empty()) {   // a connection without requests: opened and closed
            finish(c, true);
            return;
        }
    }
    if (c.state != OPEN) return;
    if (ev & NET_EV_READABLE) {
        for (;;) {
            int64_t n = net_tcp_recv(h.net, handle, buf_.data(), (uint32_t)CHUNK);
            if (n <= 0) break;
            c.rx.append((const char *)buf_.data(), (size_t)n);
        }
        settle(i);
        if (c.state != OPEN) return;
    }
    if (ev & NET_EV_WRITABLE) pump(c);
    if (ev & NET_EV_PEER_FIN) {
        c.peer_fin = true;
        settle(i);   // an answer that runs to the close
        if (c.state != OPEN) return;
        t_.err_peer_closed++;
        give_up(i, "the server closed the connection", false);
        net_tcp_close(h.net, handle);
    }
}
