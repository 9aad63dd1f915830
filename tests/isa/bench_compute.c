/* bench_compute.c - compute-bound tile firmware for `make bench`: a
 * checksum over a buffer, a sort and a hash loop, repeated. It prints one
 * digest so that a wrong result is visible; the bench measures how many
 * instructions per host second the ISS retires running it. */
#include <stdint.h>
#include <stdio.h>

#define BENCH_ROUNDS 200
#define BENCH_WORDS  4096

static uint32_t bench_buf[BENCH_WORDS];
static uint32_t bench_tmp[BENCH_WORDS];

static uint32_t bench_rng(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* Fletcher-style checksum over the buffer as bytes. */
static uint64_t bench_checksum(const uint32_t *v, unsigned n)
{
    const uint8_t *p = (const uint8_t *)v;
    uint64_t a = 1, b = 0;
    for (unsigned i = 0; i < n * 4; i++) {
        a += p[i];
        b += a;
    }
    return (b % 0xffffffffu) << 32 | (a % 0xffffffffu);
}

/* Bottom-up merge sort. */
static void bench_sort(uint32_t *v, uint32_t *tmp, unsigned n)
{
    for (unsigned w = 1; w < n; w *= 2) {
        for (unsigned lo = 0; lo < n; lo += 2 * w) {
            unsigned mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            unsigned i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        for (unsigned i = 0; i < n; i++)
            v[i] = tmp[i];
    }
}

/* FNV-1a and a multiply-xorshift mix over the words. */
static uint64_t bench_hash(const uint32_t *v, unsigned n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned i = 0; i < n; i++) {
        h ^= v[i];
        h *= 0x100000001b3ULL;
        h ^= h >> 29;
    }
    return h;
}

int main(void)
{
    uint32_t seed = 0x12345678;
    uint64_t digest = 0;
    for (unsigned r = 0; r < BENCH_ROUNDS; r++) {
        for (unsigned i = 0; i < BENCH_WORDS; i++)
            bench_buf[i] = bench_rng(&seed);
        digest ^= bench_checksum(bench_buf, BENCH_WORDS);
        bench_sort(bench_buf, bench_tmp, BENCH_WORDS);
        digest = digest * 31 + bench_hash(bench_buf, BENCH_WORDS);
    }
    printf("bench digest %016llx\n", (unsigned long long)digest);
    return 0;
}
