/* vvadd.c - benchmark: element-wise sum of two 2000-element vectors, four
 * times over; checked element by element and by the sums of the vectors. */
#include "bm.h"

#define N 2000
#define REPEAT 4

static int64_t x[N], y[N], z[N];

static void vvadd(long n, const int64_t *a, const int64_t *b, int64_t *c)
{
    for (long i = 0; i < n; i++)
        c[i] = a[i] + b[i];
}

int main(void)
{
    uint64_t seed = 4242, t0, t1;
    int64_t sx = 0, sy = 0, sz = 0;
    int errors = 0;
    for (int i = 0; i < N; i++) {
        x[i] = (int64_t)(bm_rand(&seed) % 1000000) - 500000;
        y[i] = (int64_t)(bm_rand(&seed) % 1000000) - 500000;
        sx += x[i];
        sy += y[i];
    }
    t0 = bm_instret();
    for (int r = 0; r < REPEAT; r++)
        vvadd(N, x, y, z);
    t1 = bm_instret();
    for (int i = 0; i < N; i++) {
        errors += z[i] != x[i] + y[i];
        sz += z[i];
    }
    errors += sz != sx + sy;
    return bm_verdict("vvadd", errors, (uint64_t)sz, t1 - t0);
}
