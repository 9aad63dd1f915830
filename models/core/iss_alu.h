/* iss_alu.h - RV64 M-extension and *W arithmetic with the ISA's results for
 * the C-undefined cases (division by zero, signed overflow), and the values
 * the A extension's AMOs store, as inline helpers for the interpreter loop,
 * iss_amo.c and their unit tests. */
#ifndef DL_CORE_ISS_ALU_H
#define DL_CORE_ISS_ALU_H

#include <stdint.h>

#include "core/iss_internal.h"

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

/* A extension: the value an AMO stores, from the old memory value and rs2,
 * one line per operation. For .W both come sign-extended from 32 bits, so
 * the signed and unsigned orders below are those of the 32-bit values, and
 * the low 32 bits of the result are stored. op is the decoded operation. */
static inline uint64_t iss_amo_value(int op, uint64_t old, uint64_t src)
{
    switch (op) {
    case ISS_OP_AMOSWAP_W: case ISS_OP_AMOSWAP_D: return src;
    case ISS_OP_AMOADD_W:  case ISS_OP_AMOADD_D:  return old + src;
    case ISS_OP_AMOXOR_W:  case ISS_OP_AMOXOR_D:  return old ^ src;
    case ISS_OP_AMOAND_W:  case ISS_OP_AMOAND_D:  return old & src;
    case ISS_OP_AMOOR_W:   case ISS_OP_AMOOR_D:   return old | src;
    case ISS_OP_AMOMIN_W:  case ISS_OP_AMOMIN_D:  return (int64_t)old < (int64_t)src ? old : src;
    case ISS_OP_AMOMAX_W:  case ISS_OP_AMOMAX_D:  return (int64_t)old > (int64_t)src ? old : src;
    case ISS_OP_AMOMINU_W: case ISS_OP_AMOMINU_D: return old < src ? old : src;
    case ISS_OP_AMOMAXU_W: case ISS_OP_AMOMAXU_D: return old > src ? old : src;
    default:                                      return src; /* SC: stores rs2 */
    }
}

#endif
