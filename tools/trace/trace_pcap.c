/* trace_pcap.c - a pcap file (any timestamp precision, read as nanoseconds)
 * into a trace through libpcap, with a clear message for a missing file,
 * a file that is not a pcap, an unsupported link type or a truncated file. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "trace.h"

static int link_of(int dlt)
{
    switch (dlt) {
    case DLT_NULL: return TRACE_LINK_NULL;
    case DLT_EN10MB: return TRACE_LINK_ETHERNET;
    case DLT_RAW: return TRACE_LINK_RAW;
    case DLT_LINUX_SLL: return TRACE_LINK_LINUX_SLL;
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2: return TRACE_LINK_LINUX_SLL2;
#endif
#ifdef DLT_IPV4
    case DLT_IPV4: return TRACE_LINK_IPV4;
#endif
    default: return -1;
    }
}

int trace_read_pcap(struct trace *t, const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: is a directory, expected a pcap file", path);
        return -1;
    }
    char perr[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, perr);
    if (!p) {
        if (strstr(perr, "unknown file format"))
            snprintf(err, errlen, "%s: not a pcap file (libpcap: %s); expected a pcap or pcapng capture", path, perr);
        else if (strstr(perr, "truncated"))
            snprintf(err, errlen, "%s: truncated in its file header, no frame read (libpcap: %s)", path, perr);
        else
            snprintf(err, errlen, "%s: cannot read as a pcap (libpcap: %s)", path, perr);
        return -1;
    }
    int dlt = pcap_datalink(p), lt = link_of(dlt);
    if (lt < 0) {
        const char *name = pcap_datalink_val_to_name(dlt);
        snprintf(err, errlen, "%s: unsupported link type %d (%s); expected Ethernet, Linux cooked (SLL, SLL2), raw IP or BSD loopback",
                 path, dlt, name ? name : "unknown");
        pcap_close(p);
        return -1;
    }
    t->linktype = lt;
    struct pcap_pkthdr *h;
    const u_char *d;
    int r;
    uint64_t n = 0;
    while ((r = pcap_next_ex(p, &h, &d)) == 1) {
        int64_t ns = (int64_t)h->ts.tv_sec * 1000000000 + h->ts.tv_usec;   /* tv_usec holds ns here */
        trace_frame(t, lt, d, h->caplen, h->len, ns);
        n++;
    }
    if (r == PCAP_ERROR) {
        snprintf(err, errlen, "%s: truncated or corrupt after frame %llu (%llu frames read; libpcap: %s)", path,
                 (unsigned long long)n, (unsigned long long)n, pcap_geterr(p));
        pcap_close(p);
        return -1;
    }
    pcap_close(p);
    return 0;
}
