// replay_compare.cpp - answers of the simulated server held against the
// real server's (replay_compare.h).
#include "replay_compare.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

extern "C" {
#include "trace.h"
}

namespace {

std::string lower(std::string s)
{
    for (char &c : s) c = (char)std::tolower((unsigned char)c);
    return s;
}

std::string trim(const std::string &s)
{
    size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// Lines of m from off up to and including the first empty one; false when
// there is none.
bool head_lines(const std::string &m, size_t off, std::vector<std::string> &lines, size_t &body)
{
    lines.clear();
    for (;;) {
        size_t nl = m.find('\n', off);
        if (nl == std::string::npos) return false;
        std::string l = m.substr(off, nl - off);
        if (!l.empty() && l.back() == '\r') l.pop_back();
        off = nl + 1;
        if (l.empty()) {
            body = off;
            return true;
        }
        lines.push_back(l);
    }
}

struct HttpHead {
    std::string first;                                 // request or status line
    std::map<std::string, std::string> fields;         // lower-case name: values joined by ", "
    size_t body = 0;
};

bool http_head(const std::string &m, HttpHead &h)
{
    size_t off = m.find_first_not_of("\r\n");
    std::vector<std::string> lines;
    if (off == std::string::npos || !head_lines(m, off, lines, h.body) || lines.empty()) return false;
    h.first = lines[0];
    for (size_t i = 1; i < lines.size(); i++) {
        size_t colon = lines[i].find(':');
        if (colon == std::string::npos) return false;
        std::string name = lower(lines[i].substr(0, colon)), v = trim(lines[i].substr(colon + 1));
        std::string &f = h.fields[name];
        f = f.empty() ? v : f + ", " + v;
    }
    return true;
}

int status_code(const std::string &line)
{
    return line.size() >= 12 ? atoi(line.c_str() + 9) : 0;
}

// Does the answer close the connection (request version 1.0 or 1.1)?
bool closes(const HttpHead &resp, bool req10)
{
    auto it = resp.fields.find("connection");
    std::string v = it == resp.fields.end() ? "" : lower(it->second);
    if (v.find("close") != std::string::npos) return true;
    return req10 && v.find("keep-alive") == std::string::npos;
}

const char *const http_skip[] = { "date", "server", "last-modified", "etag", "accept-ranges", "connection" };

bool http_compare(const std::string &req, const std::string &ref, const std::string &got, const http_docs_t *docs,
                  std::string &why)
{
    HttpHead q, r, g;
    if (!http_head(req, q)) {
        why = "the request has no complete head";
        return false;
    }
    if (!http_head(got, g)) {
        why = "answer without a complete head: '" + replay_show(got, 60) + "'";
        return false;
    }
    if (!http_head(ref, r)) {   // the trace library framed it: cannot happen
        why = "the real server's answer has no complete head";
        return false;
    }
    // "GET /path?q HTTP/1.1": the method, the path (absolute form reduced), the version
    size_t sp1 = q.first.find(' '), sp2 = q.first.rfind(' ');
    std::string method = q.first.substr(0, sp1), target = q.first.substr(sp1 + 1, sp2 - sp1 - 1);
    if (target.compare(0, 7, "http://") == 0) {
        size_t s = target.find('/', 7);
        target = s == std::string::npos ? "/" : target.substr(s);
    }
    std::string path = target.substr(0, target.find('?'));
    bool req10 = q.first.compare(sp2 + 1, std::string::npos, "HTTP/1.0") == 0;
    int rc = status_code(r.first), gc = status_code(g.first);
    if (g.first != r.first) {
        why = "status '" + replay_show(g.first, 60) + "' where the real server answered '" + r.first + "'";
        if (gc == 404 && rc / 100 == 2) why += " (" + path + " is not a document of deployment.app_args)";
        return false;
    }
    if (closes(g, req10) != closes(r, req10)) {
        why = std::string("the connection is ") + (closes(g, req10) ? "closed" : "kept") +
              " where the real server " + (closes(r, req10) ? "closed it" : "kept it");
        return false;
    }
    auto skipped = [&](const std::string &name) {
        if (std::find(std::begin(http_skip), std::end(http_skip), name) != std::end(http_skip)) return true;
        return rc >= 400 && (name == "content-length" || name == "content-type");
    };
    for (const auto &f : r.fields) {
        if (skipped(f.first)) continue;
        auto it = g.fields.find(f.first);
        if (it == g.fields.end()) {
            why = "no " + f.first + " header (the real server sent '" + f.first + ": " + f.second + "')";
            return false;
        }
        if (it->second != f.second) {
            why = "'" + f.first + ": " + replay_show(it->second, 60) + "' where the real server sent '" + f.first +
                  ": " + f.second + "'";
            return false;
        }
    }
    for (const auto &f : g.fields)
        if (!skipped(f.first) && !r.fields.count(f.first)) {
            why = "header '" + f.first + ": " + replay_show(f.second, 60) + "' the real server did not send";
            return false;
        }
    if (rc >= 400 || rc / 100 == 1 || rc == 204 || rc == 304 || method == "HEAD") return true;
    size_t gl = got.size() - g.body, rl = ref.size() - r.body;
    if (gl != rl) {
        why = "a body of " + std::to_string(gl) + " bytes where the real server's had " + std::to_string(rl);
        return false;
    }
    const http_doc_t *d = docs ? http_docs_find(docs, path.c_str(), (uint32_t)path.size()) : nullptr;
    if (d) {
        size_t ok = http_doc_check(d, 0, (const uint8_t *)got.data() + g.body, gl);
        if (ok != gl) {
            why = "body byte " + std::to_string(ok) + " is not the byte of " + path + " in deployment.app_args";
            return false;
        }
    }
    return true;
}

// Which line differs first: "answer 'A' where the real server answered 'B'".
std::string first_difference(const std::string &got, const std::string &ref)
{
    size_t i = 0;
    while (i < got.size() && i < ref.size() && got[i] == ref[i]) i++;
    size_t ls = 0;   // the start of the line holding byte i (the same in both: the bytes before are)
    for (size_t k = i; k > 0; k--)
        if (got[k - 1] == '\n') {
            ls = k;
            break;
        }
    auto line_at = [ls](const std::string &s) {
        size_t nl = s.find('\n', ls);
        return ls >= s.size() ? std::string() : s.substr(ls, nl == std::string::npos ? std::string::npos : nl - ls + 1);
    };
    return "answer '" + replay_show(line_at(got), 60) + "' where the real server answered '" +
           replay_show(line_at(ref), 60) + "' (byte " + std::to_string(i) + ")";
}

bool cas_token(const std::string &t)
{
    return t.size() >= 2 && t[0] == 'c' && std::all_of(t.begin() + 1, t.end(), ::isdigit);
}

// A memcached answer with its CAS values left out (gets/gats VALUE lines,
// c tokens of meta reply lines).
std::string without_cas(const std::string &m, bool gets)
{
    static const char *const meta[] = { "VA", "HD", "EN", "NS", "EX", "NF", "MN" };
    std::string out;
    size_t off = 0;
    while (off < m.size()) {
        size_t nl = m.find('\n', off);
        size_t end = nl == std::string::npos ? m.size() : nl + 1;
        std::string l = m.substr(off, end - off);
        off = end;
        std::vector<std::string> tok;
        size_t p = 0;
        std::string body = l;
        while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
        std::string eol = l.substr(body.size());
        while (p < body.size()) {
            size_t q = body.find(' ', p);
            if (q == std::string::npos) q = body.size();
            if (q > p) tok.push_back(body.substr(p, q - p));
            p = q + 1;
        }
        bool is_meta = !tok.empty() && std::find(std::begin(meta), std::end(meta), tok[0]) != std::end(meta);
        if (gets && tok.size() == 5 && tok[0] == "VALUE") tok.pop_back();
        else if (!is_meta) {
            out += l;
            continue;
        }
        std::string nline;
        for (const std::string &t : tok)
            if (!(is_meta && cas_token(t))) nline += (nline.empty() ? "" : " ") + t;
        out += nline + eol;
        if (tok[0] == "VALUE" || tok[0] == "VA") {   // the data block follows as it is
            size_t n = (size_t)atoll(tok[tok[0] == "VA" ? 1 : 3].c_str());
            size_t take = std::min(m.size() - off, n);
            out += m.substr(off, take);
            off += take;
        }
    }
    return out;
}

bool memcached_compare(const std::string &req, const std::string &ref, const std::string &got, std::string &why)
{
    std::string cmd = req.substr(0, req.find_first_of(" \r\n"));
    auto line_count = [](const std::string &s) { return std::count(s.begin(), s.end(), '\n'); };
    if (cmd == "stats" && (ref.compare(0, 5, "STAT ") == 0 || ref == "END\r\n")) {
        if (got.size() >= 5 && got.compare(got.size() - 5, 5, "END\r\n") == 0) return true;
        why = "stats answer not ending in END: '" + replay_show(got, 60) + "'";
        return false;
    }
    if (cmd == "version" && ref.compare(0, 8, "VERSION ") == 0) {
        if (got.compare(0, 8, "VERSION ") == 0 && line_count(got) == 1) return true;
        why = "answer '" + replay_show(got, 60) + "' where the real server answered '" + replay_show(ref, 60) + "'";
        return false;
    }
    bool gets = cmd == "gets" || cmd == "gats";
    std::string a = without_cas(got, gets), b = without_cas(ref, gets);
    if (a == b) return true;
    why = first_difference(a, b);
    return false;
}

} // namespace

std::string replay_show(const std::string &s, size_t max)
{
    std::string o;
    for (unsigned char c : s) {
        if (o.size() >= max) {
            o += "...";
            break;
        }
        if (c == '\r') o += "\\r";
        else if (c == '\n') o += "\\n";
        else if (c < 0x20 || c >= 0x7f) {
            char b[8];
            snprintf(b, sizeof b, "\\x%02x", c);
            o += b;
        } else o += (char)c;
    }
    return o;
}

bool replay_compare(int proto, const std::string &req, const std::string &ref, const std::string &got,
                    const http_docs_t *docs, std::string &why)
{
    switch (proto) {
    case PROTO_HTTP: return http_compare(req, ref, got, docs, why);
    case PROTO_MEMCACHED: return memcached_compare(req, ref, got, why);
    default:
        if (got == ref) return true;
        why = first_difference(got, ref);
        return false;
    }
}

std::vector<std::string> replay_exempt(int proto)
{
    switch (proto) {
    case PROTO_HTTP:
        return { "http: Date, Server, Last-Modified, ETag, Accept-Ranges headers (the real server's clock, name, "
                 "file times, range support)",
                 "http: header order",
                 "http: Connection compared by meaning (kept or closed), not bytes",
                 "http: 2xx body bytes (compared by length; checked against the document of "
                 "deployment.app_args instead)",
                 "http: Content-Type, Content-Length and body of 4xx/5xx answers (the status line is compared)" };
    case PROTO_MEMCACHED:
        return { "memcached: CAS values (gets/gats VALUE lines, c tokens of meta replies)",
                 "memcached: stats output (STAT lines then END)",
                 "memcached: version string (VERSION then anything)" };
    default: return {};
    }
}
