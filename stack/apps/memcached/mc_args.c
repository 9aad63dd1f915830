/* mc_args.c - memcached's settings from deployment.app_args (mc_args.h). */
#include "mc_args.h"

#include <stdio.h>
#include <string.h>

void mc_args_default(mc_args_t *a)
{
    a->s.mem_bytes = 64ull << 20;
    a->s.item_max = 1u << 20;
    a->s.factor_pct = 125;
    a->s.chunk_min = 96;
    a->s.hash_power = 16;
    a->s.epoch = 1700000000;
    a->port = MC_PORT_DEFAULT;
}

/* A decimal integer [s, s+n) within [lo, hi]. */
static int uint_in(const char *s, size_t n, uint64_t lo, uint64_t hi, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0 || n > 19) return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v < lo || v > hi) return 0;
    *out = v;
    return 1;
}

/* A factor "1.25" as hundredths. */
static int factor_pct(const char *s, size_t n, uint64_t *out)
{
    const char *dot = memchr(s, '.', n);
    uint64_t whole, frac = 0;
    size_t wn = dot ? (size_t)(dot - s) : n, fn = dot ? n - wn - 1 : 0;
    if (!uint_in(s, wn, 1, 4, &whole) || (dot && (fn < 1 || fn > 2 || !uint_in(dot + 1, fn, 0, 99, &frac))))
        return 0;
    if (fn == 1) frac *= 10;
    *out = whole * 100 + frac;
    return *out >= 101 && *out <= 400;
}

int mc_args_parse(const char *args, mc_args_t *a, char *err, size_t errlen)
{
    const char *p = args ? args : "";
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (len == 0) { p += 1; continue; }
        if (!eq) {
            snprintf(err, errlen, "deployment.app_args: '%.*s' is not key=value (memcached keys: mem_mb, item_max, "
                     "factor, chunk_min, hash_power, epoch, port)", (int)len, p);
            return -1;
        }
        size_t kn = (size_t)(eq - p), vn = len - kn - 1;
        const char *v = eq + 1;
        uint64_t x;
        int ok;
        const char *want;
#define KEY(k) (kn == sizeof(k) - 1 && memcmp(p, k, kn) == 0)
        if (KEY("mem_mb")) {
            want = "MiB of item memory, 1 .. 65536";
            ok = uint_in(v, vn, 1, 65536, &x);
            if (ok) a->s.mem_bytes = x << 20;
        } else if (KEY("item_max")) {
            want = "bytes, 1024 .. 134217728 (memcached -I)";
            ok = uint_in(v, vn, 1024, 134217728, &x);
            if (ok) a->s.item_max = (uint32_t)x;
        } else if (KEY("factor")) {
            want = "a growth factor 1.01 .. 4 (at most two decimals)";
            ok = factor_pct(v, vn, &x);
            if (ok) a->s.factor_pct = (uint32_t)x;
        } else if (KEY("chunk_min")) {
            want = "bytes, 64 .. 65536";
            ok = uint_in(v, vn, 64, 65536, &x);
            if (ok) a->s.chunk_min = (uint32_t)x;
        } else if (KEY("hash_power")) {
            want = "4 .. 28";
            ok = uint_in(v, vn, 4, 28, &x);
            if (ok) a->s.hash_power = (uint32_t)x;
        } else if (KEY("epoch")) {
            want = "unix seconds, 2592001 .. 4000000000 (above memcached's 30 days of relative exptimes)";
            ok = uint_in(v, vn, 2592001, 4000000000ull, &x);
            if (ok) a->s.epoch = (int64_t)x;
        } else if (KEY("port")) {
            want = "a TCP port, 1 .. 65535";
            ok = uint_in(v, vn, 1, 65535, &x);
            if (ok) a->port = (uint32_t)x;
        } else {
            snprintf(err, errlen, "deployment.app_args: unknown key '%.*s' (memcached keys: mem_mb, item_max, factor, "
                     "chunk_min, hash_power, epoch, port)", (int)kn, p);
            return -1;
        }
#undef KEY
        if (!ok) {
            snprintf(err, errlen, "deployment.app_args: %.*s = '%.*s': expected %s", (int)kn, p, (int)vn, v, want);
            return -1;
        }
        p += len + (end ? 1 : 0);
    }
    if (a->s.item_max > a->s.mem_bytes) {
        snprintf(err, errlen, "deployment.app_args: item_max = %u is larger than mem_mb = %llu MiB",
                 (unsigned)a->s.item_max, (unsigned long long)(a->s.mem_bytes >> 20));
        return -1;
    }
    if (a->s.chunk_min > a->s.item_max) {
        snprintf(err, errlen, "deployment.app_args: chunk_min = %u is larger than item_max = %u",
                 (unsigned)a->s.chunk_min, (unsigned)a->s.item_max);
        return -1;
    }
    return 0;
}
