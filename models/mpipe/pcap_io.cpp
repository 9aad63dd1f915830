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
    : spec_(spec), bit_fs_(eth_bit_fs(port_rate_gbps)),
      rate_bit_fs_(spec.rate_gbps > 0 ? 1e6 / spec.rate_gbps : 0)
{
    // First pass: check every record, and measure one pass of the replay.
    if (!open(error_)) return;
    uint64_t off = 0, last_len = 0;
    std::vector<uint8_t> f;
    int rc;
    while ((rc = read(&f, off, error_)) == 1) {
        records_++;
        last_len = f.size();
    }
    if (rc < 0) return;
    if (records_)
        pass_fs_ = spec_.rate_gbps > 0 ? rate_off_ : off + eth_slot_bytes(last_len, 0) * 8 * bit_fs_;
    open(error_);   // rewind for the replay
}

PcapReplay::~PcapReplay()
{
    if (pcap_) pcap_close((pcap_t *)pcap_);
}

bool PcapReplay::open(std::string &err)
{
    if (pcap_) pcap_close((pcap_t *)pcap_);
    pcap_ = nullptr;
    pos_ = 0;
    prev_off_ = rate_off_ = 0;
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    const std::string &f = spec_.file;
    pcap_t *p = pcap_open_offline_with_tstamp_precision(f.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!p) {
        err = f + ": cannot read as a pcap file: " + errbuf;
        return false;
    }
    int dlt = pcap_datalink(p);
    if (dlt != DLT_EN10MB) {
        const char *name = pcap_datalink_val_to_name(dlt);
        err = f + ": link type " + std::to_string(dlt) + " (" + (name ? name : "unknown") +
              "), not Ethernet: the ports carry Ethernet frames only";
        pcap_close(p);
        return false;
    }
    pcap_ = p;
    return true;
}

int PcapReplay::read(std::vector<uint8_t> *frame, uint64_t &offset_fs, std::string &err)
{
    struct pcap_pkthdr *h;
    const u_char *data;
    pcap_t *p = (pcap_t *)pcap_;
    int rc = pcap_next_ex(p, &h, &data);
    const std::string &f = spec_.file;
    std::string rec = std::to_string(pos_ + 1);
    if (rc == PCAP_ERROR_BREAK) return 0;
    if (rc != 1) {
        err = f + ": record " + rec + ": " + pcap_geterr(p);
        return -1;
    }
    if (h->caplen < h->len) {
        err = f + ": record " + rec + ": only " + std::to_string(h->caplen) + " of its " +
              std::to_string(h->len) + " bytes were captured (snap length): a port needs whole frames";
        return -1;
    }
    uint64_t ns = (uint64_t)h->ts.tv_sec * 1000000000ULL + (uint64_t)h->ts.tv_usec;
    if (pos_ == 0) first_ns_ = ns;
    uint64_t off;
    if (spec_.rate_gbps > 0) {
        off = rate_off_;
        rate_off_ += (uint64_t)llround((double)(eth_slot_bytes(h->caplen, 0) * 8) * rate_bit_fs_);
    } else {
        double d = ns >= first_ns_ ? (double)(ns - first_ns_) * spec_.scale * 1e6 : 0;
        off = (uint64_t)llround(d);
        if (off < prev_off_) off = prev_off_;   // a timestamp going back: as soon as possible
    }
    prev_off_ = off;
    offset_fs = off;
    pos_++;
    frame->assign(data, data + h->caplen);
    return 1;
}

bool PcapReplay::next(std::vector<uint8_t> &frame, uint64_t &earliest_fs)
{
    if (!records_ || !pcap_ || (spec_.loop && pass_ >= spec_.loop)) return false;
    uint64_t off;
    std::string err;
    int rc = read(&frame, off, err);
    if (rc == 0) {   // end of a pass
        if (++pass_ >= spec_.loop && spec_.loop) return false;
        if (!open(err) || (rc = read(&frame, off, err)) != 1) rc = -1;
    }
    if (rc < 0) {    // the file changed under us since it was checked
        fprintf(stderr, "dlsim: --pcap-in: %s\n", err.empty() ? spec_.file.c_str() : err.c_str());
        pcap_close((pcap_t *)pcap_);
        pcap_ = nullptr;
        return false;
    }
    earliest_fs = spec_.at_ns * 1000000ULL + pass_ * pass_fs_ + off;
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
