/* fuzz_mc.c - libFuzzer over the memcached engine (stack/apps/memcached):
 * the input's first byte chooses the size of the pieces it is fed in and
 * how often the output refuses room, the rest is fed to one connection of a
 * small store (2 MiB, 64 KiB items, so that eviction happens); whenever the
 * engine closes the connection a new one takes the rest. Built with
 * AddressSanitizer and UBSan: a read past the input, a write past a buffer
 * or an engine that stays blocked is a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apps/memcached/mc_args.h"
#include "apps/memcached/mc_proto.h"

static uint8_t out_buf[1 << 17];
static unsigned refuse, calls;

static uint8_t *reserve(void *ctx, uint32_t len)
{
    (void)ctx;
    if (refuse && ++calls % refuse == 0) return NULL;
    return len <= sizeof out_buf ? out_buf : NULL;
}

static void commit(void *ctx, uint8_t *p, uint32_t len)
{
    (void)ctx;
    if (p != out_buf || len == 0 || len > sizeof out_buf) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static void *mem;
    static mc_args_t a;
    if (!mem) {
        mc_args_default(&a);
        a.s.mem_bytes = 2u << 20;
        a.s.item_max = 65536;
        mem = aligned_alloc(MC_STORE_ALIGN, (mc_store_footprint(&a.s) + 63) & ~(size_t)63);
    }
    if (size < 1) return 0;
    size_t piece = (data[0] & 15) + 1;
    refuse = data[0] >> 4;   /* every refuse-th reservation fails; 1 would refuse all */
    if (refuse == 1) refuse = 2;
    calls = 0;
    mc_store_t *st = mc_store_new(mem, &a.s, 0);
    mc_out_t out = { NULL, reserve, commit };
    mc_conn_t *c = malloc(sizeof *c);
    mc_conn_init(c, st, &out);
    size_t off = 1;
    uint64_t now = 0;
    while (off < size) {
        size_t n = size - off < piece ? size - off : piece;
        /* each piece in its own allocation: ASan sees a read past it */
        uint8_t *in = malloc(n);
        memcpy(in, data + off, n);
        size_t done = 0;
        int rc, tries = 0;
        do {
            uint32_t used;
            rc = mc_conn_feed(c, in + done, (uint32_t)(n - done), now, &used);
            done += used;
            if (++tries > 100000) abort();   /* stays blocked */
        } while (rc == MC_BLOCKED);
        free(in);
        if (rc == MC_CLOSE) {
            mc_conn_end(c, now);
            mc_conn_init(c, st, &out);
        } else if (done != n) {
            abort();
        }
        off += n;
        now += 100000000;   /* 0.1 s a piece: expiry happens */
    }
    mc_conn_end(c, now);
    free(c);
    return 0;
}
