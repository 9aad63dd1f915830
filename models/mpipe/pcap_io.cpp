// pcap_io.cpp - the pcap replay backend and the wire recorder (libpcap,
// nanosecond precision).
#include "mpipe/port_backend.h"

#include <pcap/pcap.h>

#include <cerrno>
#include <cmath>
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
        spec.port = atoi(head.substr(0, eq).c_str());
        if (eq > 4 || spec.port > 15) {
            err = "--pcap-in " + s + ": port " + head.substr(0, eq) + " is not a port number (0..15)";
            return false;
        }
        head = head.substr(eq + 1);
    }
    if (head.empty()) {
        err = "--pcap-in " + s + ": no file named";
        return false;
    }
    spec.file = head;
    while (comma != std::string::npos) {
        size_t next = s.find(',', comma + 1);
        std::string opt = s.substr(comma + 1, next == std::string::npos ? std::string::npos : next - comma - 1);
        comma = next;
        size_t e = opt.find('=');
        std::string key = opt.substr(0, e), val = e == std::string::npos ? "" : opt.substr(e + 1);
        char *end = nullptr;
        errno = 0;
        if (key == "scale" || key == "rate") {
            double v = strtod(val.c_str(), &end);
            if (val.empty() || *end || errno || !std::isfinite(v) || v < 0 || (key == "rate" && v == 0)) {
                err = "--pcap-in " + s + ": " + key + "=" + val + ": expected a number" +
                      (key == "rate" ? " above 0 (Gb/s)" : " at least 0");
                return false;
            }
            (key == "scale" ? spec.scale : spec.rate_gbps) = v;
        } else if (key == "loop" || key == "at") {
            unsigned long long v = strtoull(val.c_str(), &end, 10);
            if (val.empty() || *end || errno || val[0] == '-') {
                err = "--pcap-in " + s + ": " + key + "=" + val + ": expected a whole number";
                return false;
            }
            (key == "loop" ? spec.loop : spec.at_ns) = v;
        } else {
            err = "--pcap-in " + s + ": unknown option '" + key + "' (scale, rate, loop, at)";
            return false;
        }
    }
    return true;
}

PcapReplay::PcapReplay(const PcapInSpec &spec, double port_rate_gbps)
    : spec_(spec), bit_fs_(eth_bit_fs(port_rate_gbps))
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    const std::string &f = spec.file;
    pcap_t *p = pcap_open_offline_with_tstamp_precision(f.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!p) {
        error_ = f + ": cannot read as a pcap file: " + errbuf;
        return;
    }
    int dlt = pcap_datalink(p);
    if (dlt != DLT_EN10MB) {
        const char *name = pcap_datalink_val_to_name(dlt);
        error_ = f + ": link type " + std::to_string(dlt) + " (" + (name ? name : "unknown") +
                 "), not Ethernet: the ports carry Ethernet frames only";
        pcap_close(p);
        return;
    }
    struct pcap_pkthdr *h;
    const u_char *data;
    int rc;
    uint64_t first_ns = 0, prev_off = 0, rate_off = 0;
    double rate_bit_fs = spec.rate_gbps > 0 ? 1e6 / spec.rate_gbps : 0;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        size_t rec = frames_.size() + 1;
        if (h->caplen < h->len) {
            error_ = f + ": record " + std::to_string(rec) + ": only " + std::to_string(h->caplen) +
                     " of its " + std::to_string(h->len) +
                     " bytes were captured (snap length): a port needs whole frames";
            break;
        }
        uint64_t ns = (uint64_t)h->ts.tv_sec * 1000000000ULL + (uint64_t)h->ts.tv_usec;
        if (frames_.empty()) first_ns = ns;
        uint64_t off;
        if (spec.rate_gbps > 0) {
            off = rate_off;
            rate_off += (uint64_t)llround((double)(eth_slot_bytes(h->caplen, 0) * 8) * rate_bit_fs);
        } else {
            double d = ns >= first_ns ? (double)(ns - first_ns) * spec.scale * 1e6 : 0;
            off = (uint64_t)llround(d);
            if (off < prev_off) off = prev_off;   // a timestamp going back: as soon as possible
        }
        prev_off = off;
        frames_.emplace_back(data, data + h->caplen);
        offset_fs_.push_back(off);
    }
    if (error_.empty() && rc == -1)
        error_ = f + ": record " + std::to_string(frames_.size() + 1) + ": " + pcap_geterr(p);
    pcap_close(p);
    if (!error_.empty()) {
        frames_.clear();
        return;
    }
    if (!frames_.empty()) {
        uint64_t last_slot = eth_slot_bytes(frames_.back().size(), 0) * 8 * bit_fs_;
        pass_fs_ = spec.rate_gbps > 0 ? rate_off : offset_fs_.back() + last_slot;
    }
}

bool PcapReplay::next(std::vector<uint8_t> &frame, uint64_t &earliest_fs)
{
    if (frames_.empty() || (spec_.loop && pass_ >= spec_.loop)) return false;
    frame = frames_[pos_];
    earliest_fs = spec_.at_ns * 1000000ULL + pass_ * pass_fs_ + offset_fs_[pos_];
    if (++pos_ == frames_.size()) {
        pos_ = 0;
        pass_++;
    }
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
