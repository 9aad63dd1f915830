/* c_selftest.c - a C program built twice, as tile firmware and for the
 * host: heap, sorting, snprintf formatting and 64-bit multiply/divide. The Check
 * suite compares the two outputs line by line, so any difference is a bug
 * in the ISS, the firmware runtime or the compiler flags. */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64: deterministic pseudo-random numbers, same on both builds. */
static uint64_t selftest_rng = 0x9e3779b97f4a7c15ULL;
static uint64_t selftest_next(void)
{
    uint64_t x = selftest_rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return selftest_rng = x;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void insertion_sort_u32(uint32_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t k = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > k) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = k;
    }
}

static void test_sort(void)
{
    static int64_t a[200];
    static uint32_t b[100];
    uint64_t sum = 0;
    for (size_t i = 0; i < 200; i++)
        a[i] = (int64_t)selftest_next();
    qsort(a, 200, sizeof a[0], cmp_i64);
    for (size_t i = 0; i < 200; i++) {
        if (i && a[i - 1] > a[i])
            printf("sort: order broken at %zu\n", i);
        sum = sum * 31 + (uint64_t)a[i];
    }
    printf("qsort: min %" PRId64 " max %" PRId64 " hash %016" PRIx64 "\n", a[0], a[199], sum);
    for (size_t i = 0; i < 100; i++)
        b[i] = (uint32_t)(selftest_next() >> 40);
    insertion_sort_u32(b, 100);
    printf("isort: %" PRIu32 " %" PRIu32 " %" PRIu32 "\n", b[0], b[50], b[99]);
}

static void test_format(void)
{
    char buf[128];
    int n = snprintf(buf, sizeof buf, "[%5d|%-5d|%05d|%x|%X|%o|%c|%s|%.3s]", 42, -42, 42,
                     0xbeefu, 0xbeefu, 8u, 'z', "str", "truncate");
    printf("fmt: %s (%d)\n", buf, n);
    const char *digits = selftest_rng ? "0123456789" : "";
    n = snprintf(buf, 8, "%s", digits); /* truncated on purpose */
    printf("trunc: %s (%d)\n", buf, n);
    printf("ll: %lld %llu %llx\n", (long long)INT64_MIN, (unsigned long long)UINT64_MAX,
           0x123456789abcdef0ULL);
    printf("ptrdiff: %td size: %zu\n", (ptrdiff_t)-5, (size_t)12345);
}

static void test_muldiv(void)
{
    static const int64_t s[] = { 0, 1, -1, 7, -7, 1000000007, INT64_MAX, INT64_MIN,
                                 0x123456789abcdefLL, -0x76543210fedcbaLL };
    uint64_t acc = 0;
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        for (size_t j = 0; j < sizeof s / sizeof s[0]; j++) {
            int64_t x = s[i], y = s[j];
            uint64_t ux = (uint64_t)x, uy = (uint64_t)y;
            acc = acc * 1099511628211ULL + ux * uy;
            if (y != 0 && !(x == INT64_MIN && y == -1))
                acc = acc * 1099511628211ULL + (uint64_t)(x / y) + (uint64_t)(x % y);
            if (uy != 0)
                acc = acc * 1099511628211ULL + ux / uy + ux % uy;
            int32_t x32 = (int32_t)x, y32 = (int32_t)y;
            acc = acc * 1099511628211ULL + (uint64_t)(int64_t)(x32 * (int64_t)y32);
            if (y32 != 0 && !(x32 == INT32_MIN && y32 == -1))
                acc += (uint64_t)(int64_t)(x32 / y32) ^ (uint64_t)(int64_t)(x32 % y32);
        }
    }
    printf("muldiv: %016" PRIx64 "\n", acc);
    printf("div: %" PRId64 " %" PRId64 " %" PRIu64 "\n", INT64_MAX / 3, INT64_MIN / 7,
           UINT64_MAX / 10);
}

/* The heap: picolibc's malloc on the runtime's __heap_start/__heap_end. */
static void test_heap(void)
{
    uint64_t sum = 0;
    for (unsigned round = 0; round < 4; round++) {
        size_t n = 1000u << round;
        uint32_t *v = malloc(n * sizeof *v);
        if (!v) {
            printf("heap: malloc(%zu) failed\n", n * sizeof *v);
            return;
        }
        for (size_t i = 0; i < n; i++)
            v[i] = (uint32_t)(i * 2654435761u);
        for (size_t i = 0; i < n; i++)
            sum += v[i];
        free(v);
    }
    printf("heap: %016" PRIx64 "\n", sum);
}

int main(void)
{
    test_heap();
    test_sort();
    test_format();
    test_muldiv();
    printf("done\n");
    return 0;
}
