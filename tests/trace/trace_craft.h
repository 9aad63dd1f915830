/* trace_craft.h - test helpers for the trace library: crafted TCP
 * conversations (Ethernet/IPv4/TCP frames with chosen sequence numbers and
 * timestamps) fed straight into a trace and/or written as a nanosecond
 * pcap, and the known transformation dlcompare's test needs: a copy of a
 * capture with every frame from the server delayed by a fixed time. */
#ifndef DL_TESTS_TRACE_CRAFT_H
#define DL_TESTS_TRACE_CRAFT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace.h"

struct craft {
    struct trace *t;          /* frames go here when set */
    FILE *pcap;               /* and here when set */
    uint32_t ip[2];           /* [0] client, [1] server */
    uint16_t port[2];
    uint32_t seq[2];          /* next sequence number of each side */
    int link;                 /* link type of the frames (craft_init: Ethernet) */
};

/* A conversation between 10.0.0.1:cport and 10.0.0.2:sport; isn[] the
 * initial sequence numbers. */
void craft_init(struct craft *c, struct trace *t, FILE *pcap, uint16_t cport, uint16_t sport, uint32_t isn_c,
                uint32_t isn_s);

/* One frame from side dir (0 client, 1 server) at ns: flags, the payload at
 * the given sequence number (not advancing the side's counter). */
void craft_raw(struct craft *c, int dir, int64_t ns, uint8_t flags, uint32_t seq, const void *data, size_t len);

/* The three-way handshake at ns, ns+1000, ns+2000. */
void craft_handshake(struct craft *c, int64_t ns);

/* Data from side dir at ns, in order, advancing the side's counter. */
void craft_send(struct craft *c, int dir, int64_t ns, const void *data, size_t len);

/* A nanosecond Ethernet pcap: the file header; craft_pcap_frame for any
 * frame. */
FILE *craft_pcap_open(const char *path);
void craft_pcap_frame(FILE *f, int64_t ns, const uint8_t *frame, size_t len);

/* Copies the pcap in to out (nanosecond, Ethernet) with every TCP frame
 * whose source port is server_port delayed by delay_ns, frames re-ordered
 * by time (stably). Returns 0, -1 on error. */
int craft_delay_server(const char *in, const char *out, uint16_t server_port, int64_t delay_ns);

#endif
