/* iss_alu.h - RV64 M-extension and *W arithmetic with the ISA's results for
 * the C-undefined cases (division by zero, signed overflow), as inline
 * helpers for the interpreter loop and its unit tests. */
#ifndef DL_CORE_ISS_ALU_H
#define DL_CORE_ISS_ALU_H

#include <stdint.h>

static inline uint64_t iss_sext32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)(uint32_t)v; }

static inline uint64_t iss_mulhu(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 64);
}
static inline uint64_t iss_mulh(uint64_t a, uint64_t b)
{
    return (uint64_t)((__int128)(int64_t)a * (__int128)(int64_t)b >> 64);
}
static inline uint64_t iss_mulhsu(uint64_t a, uint64_t b)
{
    return (uint64_t)((__int128)(int64_t)a * (__int128)(unsigned __int128)b >> 64);
}
/* Division by zero gives -1 (quotient) and the dividend (remainder); the
 * overflow INT64_MIN / -1 gives INT64_MIN and remainder 0. */
static inline uint64_t iss_div(uint64_t a, uint64_t b)
{
    if (b == 0) return ~0ULL;
    if ((int64_t)a == INT64_MIN && (int64_t)b == -1) return a;
    return (uint64_t)((int64_t)a / (int64_t)b);
}
static inline uint64_t iss_divu(uint64_t a, uint64_t b) { return b ? a / b : ~0ULL; }
static inline uint64_t iss_rem(uint64_t a, uint64_t b)
{
    if (b == 0) return a;
    if ((int64_t)a == INT64_MIN && (int64_t)b == -1) return 0;
    return (uint64_t)((int64_t)a % (int64_t)b);
}
static inline uint64_t iss_remu(uint64_t a, uint64_t b) { return b ? a % b : a; }
static inline uint64_t iss_divw(uint64_t a, uint64_t b)
{
    int32_t x = (int32_t)a, y = (int32_t)b;
    if (y == 0) return ~0ULL;
    if (x == INT32_MIN && y == -1) return iss_sext32((uint32_t)x);
    return (uint64_t)(int64_t)(x / y);
}
static inline uint64_t iss_divuw(uint64_t a, uint64_t b)
{
    uint32_t x = (uint32_t)a, y = (uint32_t)b;
    return y ? iss_sext32(x / y) : ~0ULL;
}
static inline uint64_t iss_remw(uint64_t a, uint64_t b)
{
    int32_t x = (int32_t)a, y = (int32_t)b;
    if (y == 0) return iss_sext32((uint32_t)x);
    if (x == INT32_MIN && y == -1) return 0;
    return (uint64_t)(int64_t)(x % y);
}
static inline uint64_t iss_remuw(uint64_t a, uint64_t b)
{
    uint32_t x = (uint32_t)a, y = (uint32_t)b;
    return iss_sext32(y ? x % y : x);
}

#endif
