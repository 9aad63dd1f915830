/* fuzz_trace.c - libFuzzer target for the trace library. The input is cut
 * into frames (a length byte pair, then that many bytes; the first byte
 * picks the link type) fed through trace_frame and trace_finish, which
 * exercises the frame decoder, the reassembly and whichever parsers the
 * connections select; the same input is also given whole to each protocol
 * parser as a client stream and, from its middle, as the server's, and
 * to trace_response (the replay's framing) likewise. Any
 * crash or sanitizer report is a bug. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static const int links[] = { TRACE_LINK_ETHERNET, TRACE_LINK_RAW, TRACE_LINK_LINUX_SLL, TRACE_LINK_NULL, 147 };
    struct trace *t = trace_new();
    if (!t || n < 1) {
        trace_free(t);
        return 0;
    }
    int lt = links[d[0] % 5];
    size_t i = 1;
    int64_t ns = 0;
    while (i + 2 <= n) {
        size_t len = (size_t)(d[i] << 8 | d[i + 1]);
        i += 2;
        if (len > n - i) len = n - i;
        trace_frame(t, lt, d + i, len, len, ns);
        ns += 1000 + (len ? d[i] : 0);
        i += len;
    }
    trace_finish(t);
    trace_free(t);

    /* The parsers straight on the bytes: chunks every 7 bytes. */
    t = trace_new();
    struct trace_chunk ch[64];
    size_t half = n / 2, nch = 0;
    for (size_t o = 0; o < half && nch < 32; o += 7, nch++) ch[nch] = (struct trace_chunk){ o, (int64_t)o, nch + 1 };
    size_t nsc = 0;
    for (size_t o = 0; o < n - half && nsc < 32; o += 5, nsc++)
        ch[32 + nsc] = (struct trace_chunk){ o, (int64_t)(o + 100), nsc + 1 };
    struct trace_stream c = { d, half, ch, nch, 0 }, s = { d + half, n - half, ch + 32, nsc, d[0] & 1 };
    /* trace_match needs a flow to count into: make one through a frame. */
    static const uint8_t syn[54] = { [12] = 8, [14] = 0x45, [17] = 40, [23] = 6, [35] = 80, [46] = 0x50, [47] = 2 };
    trace_frame(t, TRACE_LINK_ETHERNET, syn, sizeof syn, sizeof syn, 0);
    if (t->nflows == 1)
        for (int p = PROTO_UNKNOWN; p < PROTO_COUNT; p++) trace_match(t, 0, (enum trace_proto)p, &c, &s);
    trace_free(t);
    /* The replay's framing: the first half a request, the rest its answer;
     * a complete answer lies within the bytes given. */
    for (int p = PROTO_UNKNOWN; p < PROTO_COUNT; p++) {
        uint64_t a = 0, b = 0;
        char st[24];
        if (trace_response((enum trace_proto)p, d, half, d + half, n - half, d[0] & 1, &a, &b, st, sizeof st) == 1 &&
            (a > b || b > n - half))
            __builtin_trap();
    }
    return 0;
}
