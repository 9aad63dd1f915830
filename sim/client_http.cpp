// client_http.cpp - the HTTP driver of the client hosts (client_http.h).
#include "client_http.h"

#include "client_config.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace {

const size_t CHUNK = 65536;       // bytes moved per net_tcp_recv call
const size_t HEAD_LINE_MAX = 1024;     // a status or header line longer than this is an error

const char *const cause_name[] = { "http_status", "http_header", "http_body", "http_extra" };

std::string lower(std::string s)
{
    for (char &c : s) c = (char)std::tolower((unsigned char)c);
    return s;
}

} // namespace

bool client_http_mix(const std::string &app_args, const std::string &paths, bool zipf, bool keepalive,
                     unsigned pipeline, HttpMix &mix, std::string &err)
{
    char e[256];
    if (http_docs_parse(app_args.c_str(), &mix.docs, e, sizeof e)) {
        err = std::string(e) + " (the client hosts read the documents from it too)";
        return false;
    }
    mix.keepalive = keepalive;
    mix.zipf = zipf;
    mix.pipeline = pipeline;
    mix.item.clear();
    mix.cum.clear();
    if (!keepalive && pipeline > 1) {
        err = "workload.web_pipeline = " + std::to_string(pipeline) +
              " needs workload.web_keepalive = on (without keep-alive each request has its own connection)";
        return false;
    }
    uint64_t sum = 0;
    if (paths.empty()) {
        for (unsigned d = 0; d < mix.docs.n; d++) {
            mix.item.push_back(HttpItem{ mix.docs.doc[d].path, (int)d, false });
            mix.cum.push_back(++sum);
        }
        return true;
    }
    size_t i = 0;
    while (i <= paths.size()) {
        size_t end = paths.find(',', i);
        if (end == std::string::npos) end = paths.size();
        std::string item = paths.substr(i, end - i), path = item;
        HttpItem it;
        bool missing = false;
        if (path.compare(0, 5, "HEAD:") == 0) {
            it.head = true;
            path = path.substr(5);
        } else if (path.compare(0, 4, "404:") == 0) {
            missing = true;
            path = path.substr(4);
        }
        uint64_t w = 1;
        size_t star = item.find('*');
        if (star != std::string::npos) {
            path = path.substr(0, path.find('*'));
            std::string ws = item.substr(star + 1);
            char *q = nullptr;
            unsigned long long v = ws.empty() ? 0 : strtoull(ws.c_str(), &q, 10);
            if (ws.empty() || *q || v == 0 || v > 1000000) {
                err = "workload.web_paths: '" + item + "': expected [HEAD:|404:]PATH[*WEIGHT] with a weight of 1 to "
                      "1000000";
                return false;
            }
            w = v;
            if (zipf) {
                err = "workload.web_paths: '" + item + "': a weight, but workload.web_popularity = zipf draws the "
                      "entries by their order (drop the weights, or set web_popularity = weight)";
                return false;
            }
        }
        const http_doc_t *d = http_docs_find(&mix.docs, path.c_str(), (uint32_t)path.size());
        if (path.empty() || path[0] != '/' || path.find_first_of(" \t\r\n?#") != std::string::npos) {
            err = "workload.web_paths: '" + item + "': expected [HEAD:|404:]PATH[*WEIGHT] with PATH starting with '/'";
            return false;
        }
        if (missing && d) {
            err = "workload.web_paths: '" + item + "': 404: names a path that is not a document, but " + path +
                  " is one of deployment.app_args";
            return false;
        }
        if (!d && !missing) {
            std::string known;
            for (unsigned k = 0; k < mix.docs.n; k++) known += std::string(k ? ", " : "") + mix.docs.doc[k].path;
            err = "workload.web_paths: '" + path + "' is not a document of deployment.app_args (documents: " +
                  known + ")";
            return false;
        }
        it.path = path;
        it.doc = d ? (int)(d - mix.docs.doc) : -1;
        mix.item.push_back(it);
        sum += w;
        mix.cum.push_back(sum);
        i = end + 1;
    }
    return true;
}

HttpDriver::HttpDriver(ClientScheduler &sched, ClientHost &host, const DriverParams &p, uint64_t first_conn,
                       ClientTotals &totals)
    : sched_(sched), host_(host), p_(p), t_(totals), conns_(p.conns), buf_(CHUNK)
{
    std::string err;
    client_http_mix(p.app_args, p.web_paths, p.web_zipf, p.web_keepalive, p.web_pipeline, mix_, err); // plan-checked
    if (mix_.zipf) wl_zipf_init(&zipf_, mix_.item.size(), p.web_zipf_s);   // sizes checked by the plan
    for (const HttpItem &it : mix_.item) type_.push_back(t_.type_index(client_http_type(it)));
    host_hdr_ = client_http_host(p.server_ip, p.server_port);
    for (unsigned i = 0; i < p.conns; i++) conns_[i].rng = client_http_stream(p.seed, first_conn + i);
    for (const char *n : cause_name) t_.verify_causes[n] += 0;
    t_.connections += p.conns;
    host.set_app(this);
    sched.at(p.start_ns * 1000000, this, (uint64_t)K_START << 32);
}

HttpDriver::~HttpDriver() { wl_zipf_free(&zipf_); }

std::string client_http_host(uint32_t server_ip, uint16_t server_port)
{
    std::string h = client_ip_str(server_ip);
    if (server_port != 80) h += ":" + std::to_string(server_port);
    return h;
}

std::string client_http_request(const HttpItem &it, const std::string &host, bool keepalive)
{
    std::string r = (it.head ? "HEAD " : "GET ") + it.path + " HTTP/1.1\r\nHost: " + host +
                    "\r\nUser-Agent: dlsim-client\r\nAccept: */*\r\n";
    if (!keepalive) r += "Connection: close\r\n";
    return r + "\r\n";
}

std::string client_http_type(const HttpItem &it)
{
    return (it.doc < 0 ? "404:" : it.head ? "HEAD:" : "GET:") + it.path;
}

unsigned client_http_pick(const HttpMix &mix, const wl_zipf *zipf, uint64_t &rng)
{
    if (mix.zipf) {
        wl_rng r{ rng };
        unsigned k = (unsigned)wl_zipf_draw(zipf, &r);
        rng = r.s;
        return k;
    }
    uint64_t r = client_rand(rng) % mix.cum.back();
    size_t k = (size_t)(std::upper_bound(mix.cum.begin(), mix.cum.end(), r) - mix.cum.begin());
    return (unsigned)k;
}

unsigned HttpDriver::pick(Conn &c) { return client_http_pick(mix_, &zipf_, c.rng); }

static const char not_found[] = "404 Not Found\n";   // the httpd's 404 body (httpd_core.c)

uint64_t HttpDriver::content_length(const HttpItem &it) const
{
    return it.doc >= 0 ? mix_.docs.doc[it.doc].size : sizeof not_found - 1;
}

bool HttpDriver::body_ok(const HttpItem &it, uint64_t off, const uint8_t *b, size_t n) const
{
    if (it.doc >= 0) return http_doc_check(&mix_.docs.doc[it.doc], off, b, n) == n;
    return off + n <= sizeof not_found - 1 && !memcmp(not_found + off, b, n);
}

void HttpDriver::fire(uint64_t arg)
{
    unsigned kind = (unsigned)(arg >> 32), i = (unsigned)arg;
    if (kind == K_START) {
        arp_.begin(host_, p_.server_ip);
        after_input(host_);
        return;
    }
    Conn &c = conns_[i];
    if (c.state == FINISHED || !may_issue(c)) return;
    issue(i, ClientScheduler::now_ns());
    if (p_.open) schedule_issue(i, client_exp_ns(c.rng, 1e9 / p_.conn_rate));
}

void HttpDriver::after_input(ClientHost &h)
{
    if (!arp_.resolved(h)) return;
    // every connection starts: closed loop with its first requests, open
    // loop with its first arrival
    for (unsigned i = 0; i < conns_.size(); i++) {
        if (p_.open) {
            schedule_issue(i, client_exp_ns(conns_[i].rng, 1e9 / p_.conn_rate));
            continue;
        }
        if (!may_issue(conns_[i])) finish(conns_[i], false);
        for (unsigned k = 0; k < (mix_.keepalive ? mix_.pipeline : 1) && may_issue(conns_[i]); k++)
            issue(i, ClientScheduler::now_ns());
    }
}

void HttpDriver::tick(ClientHost &h)
{
    if (arp_.waiting()) after_input(h);
    if (!p_.timeout_ns || t_.ended) return;
    uint64_t now = ClientScheduler::now_ns();
    for (Conn &c : conns_) {
        if (c.state == CONNECTING && now - c.since_ns >= p_.timeout_ns) {
            t_.err_connect++;
            net_tcp_abort(h.net, c.handle);
            finish(c, false);
        } else if ((c.state == OPEN && !c.out.empty() && now - c.out.front().t >= p_.timeout_ns) ||
                   (c.state == DRAINING && now - c.since_ns >= p_.timeout_ns)) {
            t_.err_timeout++;
            net_tcp_abort(h.net, c.handle);
            finish(c, false);
        }
    }
}

bool HttpDriver::may_issue(const Conn &c) const
{
    return c.state != FINISHED && !t_.ended && (!p_.requests || c.issued < p_.requests) &&
           (!p_.end_ns || ClientScheduler::now_ns() < p_.end_ns);
}

void HttpDriver::schedule_issue(unsigned i, uint64_t delay_ns)
{
    sched_.at(ClientScheduler::now_fs() + delay_ns * 1000000, this, (uint64_t)K_ISSUE << 32 | i);
}

// A request is due: queued on the connection (opened for it if none).
void HttpDriver::issue(unsigned i, uint64_t t_ns)
{
    Conn &c = conns_[i];
    c.out.push_back(Req{ t_ns, pick(c) });
    c.issued++;
    t_.issued++;
    if (t_.first_issue_ns == UINT64_MAX) t_.first_issue_ns = t_ns;
    if (c.state == IDLE) connect(i);
    else if (c.state == OPEN) write_requests(c);
}

void HttpDriver::connect(unsigned i)
{
    Conn &c = conns_[i];
    int64_t h = net_tcp_connect(host_.net, p_.server_ip, p_.server_port);
    if (h <= 0) {
        t_.err_connect++;
        finish(c, false);
        return;
    }
    c.handle = (uint32_t)h;
    c.state = CONNECTING;
    c.written = 0;
    c.since_ns = ClientScheduler::now_ns();
    c.on_wire = 0;
    c.part = 0;
    c.line.clear();
    c.tx.clear();
    by_handle_[c.handle] = i;
}

// Writes the requests due, up to the pipeline depth (one per connection
// without keep-alive).
void HttpDriver::write_requests(Conn &c)
{
    unsigned depth = mix_.keepalive ? mix_.pipeline : 1;
    while (c.on_wire < depth && c.on_wire < c.out.size() && (mix_.keepalive || c.written == 0)) {
        const HttpItem &it = mix_.item[c.out[c.on_wire].item];
        std::string r = client_http_request(it, host_hdr_, mix_.keepalive);
        c.tx += r;
        t_.sent(p_.port_i, ClientScheduler::now_ns(), r.size());
        c.on_wire++;
        c.written++;
    }
    pump(c);
}

void HttpDriver::pump(Conn &c)
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

// One header line of an answer; false when it is wrong.
bool HttpDriver::header_line(Conn &c, const std::string &line)
{
    const HttpItem &it = mix_.item[c.out.front().item];
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) return false;
    std::string name = lower(line.substr(0, colon)), v = line.substr(colon + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(0, 1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
    if (name == "content-length") {
        if (c.got_length || v != std::to_string(content_length(it))) return false;
        c.got_length = true;
    } else if (name == "connection") {
        std::string lv = lower(v);
        if (lv == "close") c.got_close = true;
        else if (lv != "keep-alive") return false;
    } else if (name == "content-type") {
        if (v != (it.doc >= 0 ? mix_.docs.doc[it.doc].type : "text/plain")) return false;
    } else if (name == "transfer-encoding") {
        return false;   // the server sends Content-Length only
    }
    return true;
}

void HttpDriver::receive(unsigned i)
{
    for (;;) {
        Conn &c = conns_[i];
        if (c.state != OPEN && c.state != DRAINING) return;
        int64_t n = net_tcp_recv(host_.net, c.handle, buf_.data(), (uint32_t)CHUNK);
        if (n <= 0) return;
        const uint8_t *b = buf_.data();
        size_t left = (size_t)n;
        while (left) {
            if (c.state != OPEN || c.on_wire == 0) {   // bytes no request asked for
                fail(i, E_EXTRA);
                return;
            }
            const HttpItem &it = mix_.item[c.out.front().item];
            uint64_t body = it.head ? 0 : content_length(it);
            if (c.part < 2) {   // a line of the head
                uint8_t ch = *b++;
                left--;
                c.resp_bytes++;
                if (ch != '\n') {
                    c.line.push_back((char)ch);
                    if (c.line.size() > HEAD_LINE_MAX) {
                        fail(i, c.part == 0 ? E_STATUS : E_HEADER);
                        return;
                    }
                    continue;
                }
                if (c.line.empty() || c.line.back() != '\r') {
                    fail(i, c.part == 0 ? E_STATUS : E_HEADER);
                    return;
                }
                c.line.pop_back();
                if (c.part == 0) {
                    if (c.line != (it.doc >= 0 ? "HTTP/1.1 200 OK" : "HTTP/1.1 404 Not Found")) {
                        fail(i, E_STATUS);
                        return;
                    }
                    c.part = 1;
                    c.got_length = c.got_close = false;
                } else if (!c.line.empty()) {
                    if (!header_line(c, c.line)) {
                        fail(i, E_HEADER);
                        return;
                    }
                } else {   // the end of the head
                    if (!c.got_length || c.got_close == mix_.keepalive) {
                        fail(i, E_HEADER);
                        return;
                    }
                    c.part = 2;
                    c.body_off = 0;
                }
                c.line.clear();
                if (c.part == 2 && body == 0) {
                    answered(i);
                    if (conns_[i].state == FINISHED || conns_[i].state == IDLE) return;
                }
                continue;
            }
            size_t take = (size_t)std::min<uint64_t>(left, body - c.body_off);
            if (!body_ok(it, c.body_off, b, take)) {
                fail(i, E_BODY);
                return;
            }
            c.body_off += take;
            c.resp_bytes += take;
            b += take;
            left -= take;
            if (c.body_off == body) {
                answered(i);
                if (conns_[i].state == FINISHED || conns_[i].state == IDLE) return;
            }
        }
    }
}

void HttpDriver::answered(unsigned i)
{
    Conn &c = conns_[i];
    uint64_t now = ClientScheduler::now_ns(), t0 = c.out.front().t;
    unsigned item = c.out.front().item;
    c.out.pop_front();
    c.on_wire--;
    c.answered++;
    c.part = 0;
    t_.answered(type_[item], p_.port_i, t0, now, c.resp_bytes);
    c.resp_bytes = 0;
    if (!mix_.keepalive) {   // the server closes: wait for its FIN
        c.state = DRAINING;
        c.since_ns = now;
        return;
    }
    next(i);
}

// After an answer (or a closed connection without keep-alive): the next
// requests, or the end of this connection's work.
void HttpDriver::next(unsigned i)
{
    Conn &c = conns_[i];
    if (p_.requests && c.answered == p_.requests) {
        finish(c, c.state == OPEN);
        return;
    }
    if (p_.open) {
        if (c.out.empty() && !may_issue(c)) finish(c, c.state == OPEN);
        else if (c.state == IDLE && !c.out.empty()) connect(i);
        else if (c.state == OPEN) write_requests(c);
        return;
    }
    if (!may_issue(c)) {
        if (c.out.empty()) finish(c, c.state == OPEN);
        return;
    }
    if (p_.think_ns) schedule_issue(i, client_exp_ns(c.rng, (double)p_.think_ns));
    else issue(i, ClientScheduler::now_ns());
}

void HttpDriver::fail(unsigned i, Cause cause)
{
    Conn &c = conns_[i];
    if (!t_.ended) {
        t_.err_verify++;
        t_.verify_causes[cause_name[cause]]++;
    }
    net_tcp_abort(host_.net, c.handle);
    finish(c, false);
}

void HttpDriver::finish(Conn &c, bool close)
{
    if (c.state == FINISHED) return;
    if (close) net_tcp_close(host_.net, c.handle);
    if (c.state == CONNECTING || c.state == OPEN || c.state == DRAINING) by_handle_.erase(c.handle);
    c.state = FINISHED;
    finished_++;
    t_.finished++;
}

void HttpDriver::tcp_event(ClientHost &h, uint32_t handle, uint32_t ev)
{
    auto it = by_handle_.find(handle);
    if (it == by_handle_.end()) return;
    unsigned i = it->second;
    Conn &c = conns_[i];
    if (ev & NET_EV_RESET) {
        if (!t_.ended) (c.state == CONNECTING ? t_.err_connect : t_.err_reset)++;
        net_tcp_close(h.net, handle);
        finish(c, false);
        return;
    }
    if ((ev & NET_EV_CONNECTED) && c.state == CONNECTING) {
        c.state = OPEN;
        t_.connected++;
        write_requests(c);
    }
    if (ev & NET_EV_READABLE) receive(i);
    if (c.state == OPEN && (ev & NET_EV_WRITABLE)) pump(c);
    if ((ev & NET_EV_PEER_FIN) && (c.state == OPEN || c.state == DRAINING)) {
        if (c.state == OPEN) {   // closed before every answer
            if (!t_.ended) t_.err_peer_closed++;
            finish(c, true);
            return;
        }
        net_tcp_close(h.net, handle);   // the close the answer announced
        by_handle_.erase(handle);
        c.state = IDLE;
        next(i);
    }
}
