/* median.c - benchmark: a 3-point median filter over 1000 numbers, checked
 * against a sort-based median of each window; the ends are copied. */
#include "bm.h"

#define N 1000

static int in[N], out[N];

static int median3(int a, int b, int c)
{
    if ((a <= b && b <= c) || (c <= b && b <= a)) return b;
    if ((b <= a && a <= c) || (c <= a && a <= b)) return a;
    return c;
}

static void median_filter(int n, const int *x, int *y)
{
    y[0] = x[0];
    y[n - 1] = x[n - 1];
    for (int i = 1; i < n - 1; i++)
        y[i] = median3(x[i - 1], x[i], x[i + 1]);
}

/* The reference: sort the window with three compare-exchanges. */
static int median_sorted(int a, int b, int c)
{
    int t;
    if (a > b) { t = a; a = b; b = t; }
    if (b > c) { t = b; b = c; c = t; }
    if (a > b) { t = a; a = b; b = t; }
    return b;
}

int main(void)
{
    uint64_t seed = 0x9e3779b97f4a7c15ULL, sum = 0, t0, t1;
    int errors = 0;
    for (int i = 0; i < N; i++)
        in[i] = (int)(bm_rand(&seed) % 2001) - 1000;
    t0 = bm_instret();
    median_filter(N, in, out);
    t1 = bm_instret();
    errors += out[0] != in[0] || out[N - 1] != in[N - 1];
    for (int i = 1; i < N - 1; i++)
        errors += out[i] != median_sorted(in[i - 1], in[i], in[i + 1]);
    for (int i = 0; i < N; i++)
        sum = sum * 31 + (uint64_t)(int64_t)out[i];
    return bm_verdict("median", errors, sum, t1 - t0);
}
