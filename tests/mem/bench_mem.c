/* bench_mem.c - memory-bound tile firmware for `make bench-mem`: a 4 MiB
 * array (64 pages of 64 KiB: twice the DTLB's reach, 16 times the L2)
 * written, summed sequentially, and walked in a pseudo-random order, so
 * that L1 and L2 misses, remote homes, DRAM and TLB misses all occur. It
 * prints one digest so that a wrong result is visible. */
#include <stdint.h>
#include <stdio.h>

#define BENCH_WORDS (1u << 19) /* 4 MiB of uint64_t */
#define BENCH_SEQ_ROUNDS 4
#define BENCH_RANDOM_STEPS (1u << 21)

static uint64_t bench_buf[BENCH_WORDS];

int main(void)
{
    uint64_t sum = 0, x = 88172645463325252ULL;
    for (uint32_t i = 0; i < BENCH_WORDS; i++)
        bench_buf[i] = i * 2654435761u;
    for (int r = 0; r < BENCH_SEQ_ROUNDS; r++)
        for (uint32_t i = 0; i < BENCH_WORDS; i++)
            sum += bench_buf[i];
    for (uint32_t s = 0; s < BENCH_RANDOM_STEPS; s++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint32_t i = (uint32_t)(x >> 20) & (BENCH_WORDS - 1);
        sum += bench_buf[i];
        bench_buf[i] = sum;
    }
    printf("bench_mem digest %016llx\n", (unsigned long long)sum);
    return 0;
}
