// pcap_io.cpp - the pcap replay backend (the file read once, to the end, and
// replayed from memory; time offsets in checked 64-bit fs) and the wire
// recorder (libpcap, nanosecond precision).
#include "mpipe/port_backend.h"

#include <pcap/pcap.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "mpipe/eth_wire.h"

bool pcap_in_parse(const char *arg, PcapInSpec &spec, std::string &err)
{
    spec = PcapInSpec();
    std::string s(arg);
    size_t comma = s.find(',');
    std::string head = s.substr(0, comma);
    size_t eq = head.find('=');
    if (eq != std::string::npos && eq > 0 && head.find_first_not_of("0123456789") == eq) {
        if (eq > 4) {
            err = "--pcap-in " + s + ": port " + head.substr(0, eq) + " is not a port number";
            return false;
        }
        spec.port = atoi(head.substr(0, eq).c_str());
        head = head.substr(eq + 1);
    }
    if (head.empty()) {
        err = "--pcap-in " + s + ": no file named";
        return false;
    }
    spec.file = head;
    std::string seen = ",";
    while (comma != std::string::npos) {
        size_t next = s.find(',', comma + 1);
        std::string opt = s.substr(comma + 1, next == std::string::npos ? std::string::npos : next - comma - 1);
        comma = next;
        size_t e = opt.find('=');
        std::string key = opt.substr(0, e), val = e == std::string::npos ? "" : opt.substr(e + 1);
        char *end = nullptr;
        errno = 0;
        if (key != "scale" && key != "rate" && key != "loop" && key != "at") {
            err = "--pcap-in " + s + ": unknown option '" + key + "' (scale, rate, loop, at)";
            return false;
        }
        if (seen.find("," + key + ",") != std::string::npos) {
            err = "--pcap-in " + s + ": option '" + key + "' given twice";
            return false;
        }
        seen += key + ",";
        if (key == "scale" || key == "rate") {
            double v = strtod(val.c_str(), &end);
            if (val.empty() || *end || errno || !std::isfinite(v) || v < 0 || (key == "rate" && v == 0)) {
                err = "--pcap-in " + s + ": " + key + "=" + val + ": expected a number" +
                      (key == "rate" ? " above 0 (Gb/s)" : " at least 0");
                return false;
            }
            (key == "scale" ? spec.scale : spec.rate_gbps) = v;
        } else {
            unsigned long long v = strtoull(val.c_str(), &end, 10);
            if (val.empty() || *end || errno || val[0] == '-') {
                err = "--pcap-in " + s + ": " + key + "=" + val + ": expected a whole number";
                return false;
            }
            if (key == "at" && v > PCAP_TIME_LIMIT_NS) {
                err = "--pcap-in " + s + ": at=" + val + ": beyond the end of simulated time (" +
                      std::to_string(PCAP_TIME_LIMIT_NS) + " ns, about 5.12 hours: time is counted in fs in 64 bits)";
                return false;
            }
            (key == "loop" ? spec.loop : spec.at_ns) = v;
        }
    }
    return true;
}

namespace {

// Reads a whole file (a regular file, a named pipe, a shell pipe; "-" is
// standard input) once. False with a message in err.
bool slurp(const std::string &f, std::string &buf, std::string &err)
{
    FILE *in = f == "-" ? stdin : fopen(f.c_str(), "rb");
    if (!in) {
        err = f + ": cannot read as a pcap file: " + strerror(errno);
        return false;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) buf.append(chunk, n);
    bool bad = ferror(in);
    int e = errno;
    if (in != stdin) fclose(in);
    if (bad) {
        err = f + ": cannot read as a pcap file: " + strerror(e);
        return false;
    }
    return true;
}

// The link type number as the file states it (classic pcap header), or the
// one libpcap reports (pcapng).
uint32_t file_link_type(const std::string &buf, int dlt)
{
    if (buf.size() < 24) return (uint32_t)dlt;
    uint32_t magic, lt;
    memcpy(&magic, buf.data(), 4);
    memcpy(&lt, buf.data() + 20, 4);
    if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) return lt;
    if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) return __builtin_bswap32(lt);
    return (uint32_t)dlt;
}

// a + b, or false when it does not fit in 64 bits.
bool add_fs(uint64_t a, uint64_t b, uint64_t &out)
{
    return !__builtin_add_overflow(a, b, &out);
}

// Reads the file f whole into buf and opens it with libpcap (reading from
// buf), as Ethernet. nullptr with a message in err.
pcap_t *open_ethernet(const std::string &f, std::string &buf, std::string &err)
{
    if (!slurp(f, buf, err)) return nullptr;
    if (buf.empty()) {
        err = f + ": cannot read as a pcap file: the file is empty";
        return nullptr;
    }
    FILE *mem = fmemopen(&buf[0], buf.size(), "rb");
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = mem ? pcap_fopen_offline_with_tstamp_precision(mem, PCAP_TSTAMP_PRECISION_NANO, errbuf) : nullptr;
    if (!p) {
        if (mem) fclose(mem);
        err = f + ": cannot read as a pcap file: " + (mem ? errbuf : strerror(errno));
        return nullptr;
    }
    int dlt = pcap_datalink(p);
    if (dlt != DLT_EN10MB) {
        const char *name = pcap_datalink_val_to_name(dlt);
        err = f + ": link type " + std::to_string(file_link_type(buf, dlt)) + " (" + (name ? name : "unknown") +
              "), not Ethernet (link type 1, EN10MB): the ports carry Ethernet frames only";
        pcap_close(p);   // closes mem too
        return nullptr;
    }
    return p;
}

// What is wrong with a record's lengths, or "" when it holds a whole frame.
std::string record_length_error(const struct pcap_pkthdr *h)
{
    if (h->caplen > h->len)
        return "captured length " + std::to_string(h->caplen) + " exceeds its original length " +
               std::to_string(h->len) + ": a corrupt record";
    if (h->caplen < h->len)
        return "only " + std::to_string(h->caplen) + " of its " + std::to_string(h->len) +
               " bytes were captured (snap length): a port needs whole frames";
    return "";
}

// The start of each record within one pass, in fs, record after record: at
// rate= back to back, else the file's times from the first record scaled,
// never going back (a timestamp going back: as soon as possible).
struct ReplayClock {
    const PcapInSpec &spec;
    double rate_bit_fs;              // fs per bit at rate=, or 0
    bool started = false;
    uint64_t first_ns = 0, prev_off = 0, rate_off = 0;

    explicit ReplayClock(const PcapInSpec &s) : spec(s), rate_bit_fs(s.rate_gbps > 0 ? 1e6 / s.rate_gbps : 0) {}

    // The record's start; false, with what overflows in why, when it lies
    // beyond the end of simulated time.
    bool next(uint64_t ns, uint32_t caplen, uint64_t &off, const char *&why)
    {
        if (!started) first_ns = ns;
        started = true;
        if (spec.rate_gbps > 0) {
            off = rate_off;
            double step = std::round((double)(eth_slot_bytes(caplen, 0) * 8) * rate_bit_fs);
            if (!add_fs(rate_off, (uint64_t)step, rate_off)) {
                why = "at this rate= the replay";
                return false;
            }
        } else {
            double d = ns >= first_ns ? (double)(ns - first_ns) * spec.scale * 1e6 : 0;
            if (d >= 18446744073709549568.0) {   // the largest double below 2^64
                why = "its time after the first record (times scale)";
                return false;
            }
            off = (uint64_t)std::llround(d);
            if (off < prev_off) off = prev_off;
        }
        prev_off = off;
        return true;
    }
};

} // namespace

PcapReplay::PcapReplay(const PcapInSpec &spec, double port_rate_gbps) : spec_(spec)
{
    if (!load(port_rate_gbps)) frames_.clear();
}

bool PcapReplay::load(double port_rate_gbps)
{
    const std::string &f = spec_.file;
    if (spec_.rate_gbps > port_rate_gbps) {
        char r[160];
        snprintf(r, sizeof r, "rate=%g is above the port's line rate (port.rate_gbps = %g)", spec_.rate_gbps,
                 port_rate_gbps);
        error_ = f + ": " + r;
        return false;
    }
    std::string buf;
    pcap_t *p = open_ethernet(f, buf, error_);
    if (!p) return false;
    ReplayClock clock(spec_);
    uint64_t last_len = 0;
    struct pcap_pkthdr *h;
    const u_char *data;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        std::string rec = f + ": record " + std::to_string(frames_.size() + 1) + ": ";
        std::string bad = record_length_error(h);
        uint64_t off;
        const char *why = "";
        if (!bad.empty()) {
            error_ = rec + bad;
            break;
        }
        uint64_t ns = (uint64_t)h->ts.tv_sec * 1000000000ULL + (uint64_t)h->ts.tv_usec;
        if (!clock.next(ns, h->caplen, off, why)) {
            error_ = rec + why + " lies beyond the end of simulated time (about 5.12 hours)";
            break;
        }
        last_len = h->caplen;
        frames_.push_back(Frame{ std::vector<uint8_t>(data, data + h->caplen), off });
    }
    if (error_.empty() && rc != PCAP_ERROR_BREAK)
        error_ = f + ": record " + std::to_string(frames_.size() + 1) + ": " + pcap_geterr(p);
    pcap_close(p);   // closes the file in buf too
    if (!error_.empty()) return false;
    if (frames_.empty()) {
        finished_ = true;
        end_fs_ = 0;
        return true;
    }
    uint64_t tail = eth_slot_bytes(last_len, 0) * 8 * eth_bit_fs(port_rate_gbps);
    if (spec_.rate_gbps > 0) pass_fs_ = clock.rate_off;
    else if (!add_fs(clock.prev_off, tail, pass_fs_)) pass_fs_ = UINT64_MAX;
    // the start of the last frame of the last pass, when it is within time
    uint64_t at_fs = spec_.at_ns * 1000000ULL, end;
    if (spec_.loop && !__builtin_mul_overflow(spec_.loop - 1, pass_fs_, &end) && add_fs(end, at_fs, end) &&
        add_fs(end, frames_.back().off_fs, end))
        end_fs_ = end;
    return true;
}

uint64_t PcapReplay::total() const
{
    uint64_t n;
    if (!spec_.loop && !frames_.empty()) return UINT64_MAX;
    return __builtin_mul_overflow((uint64_t)frames_.size(), spec_.loop, &n) ? UINT64_MAX : n;
}

bool PcapReplay::next(std::vector<uint8_t> &frame, uint64_t &earliest_fs)
{
    if (finished_) return false;
    if (pos_ == frames_.size()) {   // end of a pass
        pos_ = 0;
        if (++pass_ >= spec_.loop && spec_.loop) {
            finished_ = true;
            return false;
        }
    }
    const Frame &fr = frames_[pos_];
    uint64_t t;
    if (__builtin_mul_overflow(pass_, pass_fs_, &t) || !add_fs(t, spec_.at_ns * 1000000ULL, t) ||
        !add_fs(t, fr.off_fs, t)) {
        // this frame and the rest would start after simulated time ends
        finished_ = past_limit_ = true;
        return false;
    }
    pos_++;
    frame = fr.data;
    earliest_fs = t;
    return true;
}

WireRecorder::WireRecorder(const std::string &dir)
{
    std::string pcap_path = dir + "/wire.pcap", txt_path = dir + "/wire.txt";
    pcap_t *p = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
    pcap_dumper_t *d = p ? pcap_dump_open(p, pcap_path.c_str()) : nullptr;
    if (!d) {
        error_ = pcap_path + ": cannot write: " + (p ? pcap_geterr(p) : "pcap_open_dead failed");
        if (p) pcap_close(p);
        return;
    }
    txt_ = fopen(txt_path.c_str(), "w");
    if (!txt_) {
        error_ = txt_path + ": cannot write: " + strerror(errno);
        pcap_dump_close(d);
        pcap_close(p);
        return;
    }
    fputs("# record time_ns port dir bytes   (records of wire.pcap)\n", txt_);
    pcap_ = p;
    dumper_ = d;
}

WireRecorder::~WireRecorder()
{
    if (dumper_) pcap_dump_close((pcap_dumper_t *)dumper_);
    if (pcap_) pcap_close((pcap_t *)pcap_);
    if (txt_) fclose(txt_);
}

void WireRecorder::record(int port, bool tx, uint64_t start_fs, const uint8_t *frame, size_t len)
{
    if (!dumper_) return;
    uint64_t ns = start_fs / 1000000ULL;
    struct pcap_pkthdr h;
    h.ts.tv_sec = (time_t)(ns / 1000000000ULL);
    h.ts.tv_usec = (suseconds_t)(ns % 1000000000ULL);   // nanoseconds in a nanosecond file
    h.caplen = h.len = (bpf_u_int32)len;
    pcap_dump((u_char *)dumper_, &h, frame);
    fprintf(txt_, "%llu %llu %d %s %zu\n", (unsigned long long)++n_, (unsigned long long)ns, port,
            tx ? "tx" : "rx", len);
}
