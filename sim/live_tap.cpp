// live_tap.cpp - the TAP device backend of live mode (live_tap.h): the
// device is opened through /dev/net/tun (IFF_TAP | IFF_NO_PI: whole Ethernet
// frames without FCS, as the ports carry them), non-blocking.
#include "live_tap.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

bool valid_ifname(const std::string &n)
{
    if (n.empty() || n.size() >= IFNAMSIZ || n == "." || n == "..") return false;
    for (char c : n)
        if (c == '/' || c == ':' || c == ',' || isspace((unsigned char)c) || !isprint((unsigned char)c)) return false;
    return true;
}

// Sets IFF_UP on a device; "" or what failed.
std::string link_up(const char *name)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return std::string("socket: ") + strerror(errno);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
    std::string err;
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) err = std::string("SIOCGIFFLAGS: ") + strerror(errno);
    else {
        ifr.ifr_flags = (short)(ifr.ifr_flags | IFF_UP);
        if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) err = std::string("SIOCSIFFLAGS: ") + strerror(errno);
    }
    close(s);
    return err;
}

} // namespace

bool tap_parse(const char *arg, TapSpec &spec, std::string &err)
{
    std::string a(arg);
    size_t comma = a.find(',');
    spec = TapSpec();
    spec.ifname = a.substr(0, comma);
    if (!valid_ifname(spec.ifname)) {
        err = "--tap " + a + ": '" + spec.ifname + "' is not a valid interface name (1 to " +
              std::to_string(IFNAMSIZ - 1) + " characters, not . or .., no '/', ':', ',' or blanks)";
        return false;
    }
    bool have_port = false;
    while (comma != std::string::npos) {
        size_t next = a.find(',', comma + 1);
        std::string opt = a.substr(comma + 1, next == std::string::npos ? std::string::npos : next - comma - 1);
        comma = next;
        if (opt.compare(0, 5, "port=") != 0) {
            err = "--tap " + a + ": unknown option '" + opt + "' (expected port=P)";
            return false;
        }
        if (have_port) {
            err = "--tap " + a + ": port= given twice";
            return false;
        }
        have_port = true;
        const char *v = opt.c_str() + 5;
        char *end;
        errno = 0;
        long p = strtol(v, &end, 10);
        if (errno || *end || end == v || p < 0 || p > 65535) {
            err = "--tap " + a + ": port=" + v + ": expected a port number (0, 1, ...)";
            return false;
        }
        spec.port = (int)p;
    }
    return true;
}

TapBackend::TapBackend(const TapSpec &spec) : spec_(spec), buf_(65536)
{
    const char *name = spec.ifname.c_str();
    const std::string what = "--tap " + spec.ifname + ": ";
    bool existed = if_nametoindex(name) != 0;
    fd_ = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (fd_ < 0) {
        int e = errno;
        error_ = what + "/dev/net/tun: " + strerror(e) +
                 (e == ENOENT ? " (the tun driver is missing: needs root for the TAP device and the tun module)"
                              : " (needs root for the TAP device)");
        return;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
    if (ioctl(fd_, TUNSETIFF, &ifr) < 0) {
        int e = errno;
        std::string why = strerror(e);
        if (e == EPERM || e == EACCES) why = "needs root for the TAP device (" + why + ")";
        else if (e == EBUSY) why = "the TAP device is in use by another program (" + why + ")";
        else if (existed && e == EINVAL) why = "the interface exists and is not a TAP device (" + why + ")";
        error_ = what + why;
        close(fd_);
        fd_ = -1;
        return;
    }
    created_ = !existed;
    if (created_) {
        std::string e = link_up(name);
        if (!e.empty()) error_ = what + "created, but cannot bring it up: " + e;
    }
}

TapBackend::~TapBackend()
{
    if (fd_ >= 0) close(fd_);
}

size_t TapBackend::poll_in()
{
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd_, buf_.data(), buf_.size());
        if (r <= 0) break;   // EAGAIN: nothing more now (a down link reads nothing)
        n++;
        if (queue_.size() >= TAP_QUEUE_FRAMES) {
            dropped_in++;
            continue;
        }
        frames_in++;
        bytes_in += (uint64_t)r;
        queue_.emplace_back(buf_.begin(), buf_.begin() + r);
    }
    if (!queue_.empty()) more_.notify(sc_core::SC_ZERO_TIME);
    return n;
}

bool TapBackend::next(std::vector<uint8_t> &frame, uint64_t &earliest_fs)
{
    if (queue_.empty()) return false;
    frame.swap(queue_.front());
    queue_.pop_front();
    earliest_fs = 0;   // now: the port puts it on the wire as soon as the wire is free
    return true;
}

void TapBackend::transmitted(const uint8_t *frame, size_t len, uint64_t start_fs)
{
    (void)start_fs;
    if (write(fd_, frame, len) == (ssize_t)len) {
        frames_out++;
        bytes_out += len;
    } else {
        write_errors++;
    }
}
