/* multiply.c - benchmark: 64-bit products by shift and add (no multiply
 * instruction) of 500 pairs, checked against the mul instruction; and the
 * high halves (mulhu) against a schoolbook product of 32-bit halves. */
#include "bm.h"

#define N 500

static uint64_t xs[N], ys[N], lo[N];

static uint64_t shift_add(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    while (b) {
        if (b & 1)
            r += a;
        a <<= 1;
        b >>= 1;
    }
    return r;
}

static uint64_t mul_high(uint64_t a, uint64_t b)
{
    uint64_t al = a & 0xffffffffu, ah = a >> 32, bl = b & 0xffffffffu, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
    return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

static uint64_t mulhu(uint64_t a, uint64_t b)
{
    uint64_t r;
    __asm__("mulhu %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

int main(void)
{
    uint64_t seed = 99, sum = 0, t0, t1;
    int errors = 0;
    for (int i = 0; i < N; i++) {
        xs[i] = bm_rand(&seed);
        ys[i] = bm_rand(&seed) >> (i % 48); /* short and long multipliers */
    }
    t0 = bm_instret();
    for (int i = 0; i < N; i++)
        lo[i] = shift_add(xs[i], ys[i]);
    t1 = bm_instret();
    for (int i = 0; i < N; i++) {
        errors += lo[i] != xs[i] * ys[i];
        errors += mul_high(xs[i], ys[i]) != mulhu(xs[i], ys[i]);
        sum ^= lo[i] + mulhu(xs[i], ys[i]);
    }
    return bm_verdict("multiply", errors, sum, t1 - t0);
}
