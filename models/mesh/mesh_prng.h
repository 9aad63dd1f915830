/* mesh_prng.h - splitmix64, the seeded generator of the mesh's synthetic
 * traffic and tests: same seed, same stream, on every host. */
#ifndef DL_MESH_MESH_PRNG_H
#define DL_MESH_MESH_PRNG_H

#include <stdint.h>

/* Next 64-bit value of the stream whose state is *s. */
static inline uint64_t mesh_prng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in 0..n-1 (n >= 1), by the multiply-high method. */
static inline uint64_t mesh_prng_below(uint64_t *s, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)mesh_prng_next(s) * n) >> 64);
}

/* The state of stream `index` derived from a seed (streams do not overlap
 * in practice: each starts at a splitmix64 output). */
static inline uint64_t mesh_prng_stream(uint64_t seed, uint64_t index)
{
    uint64_t s = seed ^ (index * 0xd1b54a32d192ed03ULL);
    return mesh_prng_next(&s);
}

#endif
