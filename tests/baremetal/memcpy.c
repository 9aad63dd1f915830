/* memcpy.c - benchmark: a word-at-a-time copy (bytes up to alignment, then
 * doublewords, then the tail) of 8 KiB at every pair of source and
 * destination offsets 0..7, each checked byte by byte against the source
 * and for untouched guard bytes around the destination. */
#include "bm.h"

#define LEN 8192
#define GUARD 16

static uint8_t src[LEN + 16];
static uint8_t dst[LEN + 16 + 2 * GUARD];

static void copy(uint8_t *d, const uint8_t *s, size_t n)
{
    while (n && ((uintptr_t)d & 7)) {
        *d++ = *s++;
        n--;
    }
    if (((uintptr_t)s & 7) == 0) {
        for (; n >= 8; n -= 8, d += 8, s += 8)
            *(uint64_t *)d = *(const uint64_t *)s;
    } else {
        /* misaligned source: doublewords assembled from aligned loads */
        const uint64_t *ws = (const uint64_t *)((uintptr_t)s & ~(uintptr_t)7);
        unsigned sh = (unsigned)((uintptr_t)s & 7) * 8;
        uint64_t cur = *ws++;
        for (; n >= 8; n -= 8, d += 8, s += 8) {
            uint64_t next = *ws++;
            *(uint64_t *)d = (cur >> sh) | (next << (64 - sh));
            cur = next;
        }
    }
    while (n--)
        *d++ = *s++;
}

int main(void)
{
    uint64_t seed = 2024, sum = 0, t = 0;
    int errors = 0;
    for (int i = 0; i < LEN + 16; i++)
        src[i] = (uint8_t)bm_rand(&seed);
    for (int so = 0; so < 8; so++)
        for (int dof = 0; dof < 8; dof++) {
            uint8_t *d = dst + GUARD + dof;
            memset(dst, 0xa5, sizeof dst);
            uint64_t t0 = bm_instret();
            copy(d, src + so, LEN - so - dof);
            t += bm_instret() - t0;
            for (int i = 0; i < LEN - so - dof; i++)
                errors += d[i] != src[so + i];
            for (int i = 0; i < GUARD + dof; i++)
                errors += dst[i] != 0xa5;
            for (int i = GUARD + dof + LEN - so - dof; i < (int)sizeof dst; i++)
                errors += dst[i] != 0xa5;
            sum = sum * 7 + d[LEN / 2];
        }
    return bm_verdict("memcpy", errors, sum, t);
}
