/* bm.h - what the bare-metal benchmarks of tests/baremetal share: output
 * through the host (HTIF write through tohost), exit, counters, a
 * deterministic generator and the verdict. Freestanding: no C library. */
#ifndef DL_TESTS_BM_H
#define DL_TESTS_BM_H

#include <stddef.h>
#include <stdint.h>

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bm_exit(int code) __attribute__((noreturn));
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

static inline uint64_t bm_instret(void)
{
    uint64_t v;
    __asm__ volatile("csrr %0, minstret" : "=r"(v));
    return v;
}

/* xorshift64: the same numbers on every run. */
static inline uint64_t bm_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* Prints "NAME: ok (detail)" or "NAME: FAILED: detail"; returns the exit code. */
int bm_verdict(const char *name, int errors, uint64_t checksum, uint64_t instret);

#endif
