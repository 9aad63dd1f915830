/* qsort.c - benchmark: quicksort (median-of-three pivot, an explicit stack
 * of partitions, insertion sort below 16 elements) of 4096 numbers; checked
 * for order and for the same multiset (sum and sum of squares). */
#include "bm.h"

#define N 4096
#define SMALL 16

static uint32_t a[N];

static void insertion(uint32_t *v, long lo, long hi)
{
    for (long i = lo + 1; i <= hi; i++) {
        uint32_t x = v[i];
        long j = i - 1;
        while (j >= lo && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void swap(uint32_t *v, long i, long j)
{
    uint32_t t = v[i];
    v[i] = v[j];
    v[j] = t;
}

static void quicksort(uint32_t *v, long n)
{
    long stack[64], sp = 0, lo = 0, hi = n - 1;
    for (;;) {
        if (hi - lo < SMALL) {
            insertion(v, lo, hi);
            if (sp == 0)
                return;
            hi = stack[--sp];
            lo = stack[--sp];
            continue;
        }
        long mid = lo + (hi - lo) / 2, i = lo, j = hi;
        if (v[mid] < v[lo]) swap(v, mid, lo);
        if (v[hi] < v[lo]) swap(v, hi, lo);
        if (v[hi] < v[mid]) swap(v, hi, mid);
        uint32_t pivot = v[mid];
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) swap(v, i++, j--);
        }
        /* the larger part waits on the stack, the smaller goes on */
        if (j - lo > hi - i) {
            stack[sp++] = lo; stack[sp++] = j; lo = i;
        } else {
            stack[sp++] = i; stack[sp++] = hi; hi = j;
        }
    }
}

int main(void)
{
    uint64_t seed = 12345, sum = 0, sq = 0, sum2 = 0, sq2 = 0, t0, t1;
    int errors = 0;
    for (int i = 0; i < N; i++) {
        a[i] = (uint32_t)bm_rand(&seed);
        sum += a[i];
        sq += (uint64_t)a[i] * a[i];
    }
    t0 = bm_instret();
    quicksort(a, N);
    t1 = bm_instret();
    for (int i = 0; i < N; i++) {
        errors += i > 0 && a[i - 1] > a[i];
        sum2 += a[i];
        sq2 += (uint64_t)a[i] * a[i];
    }
    errors += (sum != sum2) + (sq != sq2);
    return bm_verdict("qsort", errors, sum2 ^ sq2 ^ a[N / 2], t1 - t0);
}
