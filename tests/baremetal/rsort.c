/* rsort.c - benchmark: least-significant-digit radix sort (four passes of
 * 8-bit digits through a counting table) of 4096 numbers; checked for order
 * and for the same multiset (sum and sum of squares). */
#include "bm.h"

#define N 4096

static uint32_t a[N], tmp[N];

static void radix_sort(uint32_t *v, uint32_t *w, long n)
{
    for (unsigned shift = 0; shift < 32; shift += 8) {
        long count[256 + 1] = { 0 };
        for (long i = 0; i < n; i++)
            count[((v[i] >> shift) & 255) + 1]++;
        for (int d = 0; d < 256; d++)
            count[d + 1] += count[d];
        for (long i = 0; i < n; i++)
            w[count[(v[i] >> shift) & 255]++] = v[i];
        uint32_t *t = v;
        v = w;
        w = t;
    }
    /* four passes: the result is back in the first array */
}

int main(void)
{
    uint64_t seed = 777, sum = 0, sq = 0, sum2 = 0, sq2 = 0, t0, t1;
    int errors = 0;
    for (int i = 0; i < N; i++) {
        a[i] = (uint32_t)(bm_rand(&seed) >> 17);
        sum += a[i];
        sq += (uint64_t)a[i] * a[i];
    }
    t0 = bm_instret();
    radix_sort(a, tmp, N);
    t1 = bm_instret();
    for (int i = 0; i < N; i++) {
        errors += i > 0 && a[i - 1] > a[i];
        sum2 += a[i];
        sq2 += (uint64_t)a[i] * a[i];
    }
    errors += (sum != sum2) + (sq != sq2);
    return bm_verdict("rsort", errors, sum2 ^ sq2 ^ a[N / 3], t1 - t0);
}
