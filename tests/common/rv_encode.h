/* rv_encode.h - RISC-V instruction encoders for tests that write their
 * programs as arrays of words (macros, so that a program can be a static
 * initialiser; C and C++). Register numbers by ABI name below. */
#ifndef DL_TESTS_RV_ENCODE_H
#define DL_TESTS_RV_ENCODE_H

#include <stdint.h>

#define RV_U(v) ((uint32_t)(v))
#define rv_i(op, f3, rd, rs1, imm) \
    ((RV_U(imm) & 0xfff) << 20 | RV_U(rs1) << 15 | RV_U(f3) << 12 | RV_U(rd) << 7 | RV_U(op))
#define rv_s(op, f3, rs1, rs2, imm) \
    ((RV_U(imm) >> 5 & 0x7f) << 25 | RV_U(rs2) << 20 | RV_U(rs1) << 15 | RV_U(f3) << 12 | \
     (RV_U(imm) & 31) << 7 | RV_U(op))
#define rv_b(f3, rs1, rs2, off) \
    ((RV_U(off) >> 12 & 1) << 31 | (RV_U(off) >> 5 & 0x3f) << 25 | RV_U(rs2) << 20 | \
     RV_U(rs1) << 15 | RV_U(f3) << 12 | (RV_U(off) >> 1 & 0xf) << 8 | (RV_U(off) >> 11 & 1) << 7 | 0x63u)

#define RV_LD(rd, rs1, imm)  rv_i(0x03, 3, rd, rs1, imm)
#define RV_SD(rs2, rs1, imm) rv_s(0x23, 3, rs1, rs2, imm)
#define RV_LUI(rd, imm20)    (RV_U(imm20) << 12 | RV_U(rd) << 7 | 0x37u)
#define RV_BEQ(a, b, off)    rv_b(0, a, b, off)

enum { RV_T0 = 5, RV_T1 = 6, RV_T2 = 7, RV_A0 = 10, RV_A1 = 11, RV_A2 = 12, RV_A3 = 13, RV_T3 = 28 };

#endif
