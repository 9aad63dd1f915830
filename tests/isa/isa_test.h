/* isa_test.h - assembler macros for the bare-metal ISA tests of tests/isa.
 *
 * Each test program is a sequence of numbered checks. gp (x3) holds the
 * number of the running check; the first failing check writes (n << 1) | 1
 * to `tohost` and a complete run writes 1 (the convention of the standard
 * RISC-V ISA suites, which dlsim --elf reports). Programs do not use gp
 * otherwise; x11..x13 are operands and result, x29 the expected value.
 * Programs start in machine mode at _start with mtvec = 0, so an unexpected
 * trap stops the run with the simulator's unhandled-trap report.
 */
#ifndef DL_TESTS_ISA_TEST_H
#define DL_TESTS_ISA_TEST_H

#define TEST_BEGIN                                                  \
    .section .text.init, "ax", @progbits;                           \
    .globl _start;                                                  \
_start:                                                             \
    li gp, 0

/* Jump to the failure exit unless register r holds value v. */
#define TEST_CHECK(r, v)                                            \
    li x29, v;                                                      \
    bne r, x29, isa_fail

/* Register-register op: rd, rs1, rs2 all distinct, then every aliasing. */
#define TEST_RR(n, op, res, v1, v2)                                 \
    li gp, n; li x11, v1; li x12, v2; op x13, x11, x12;             \
    TEST_CHECK(x13, res)
#define TEST_RR_SRC1_DEST(n, op, res, v1, v2)                       \
    li gp, n; li x11, v1; li x12, v2; op x11, x11, x12;             \
    TEST_CHECK(x11, res)
#define TEST_RR_SRC2_DEST(n, op, res, v1, v2)                       \
    li gp, n; li x11, v1; li x12, v2; op x12, x11, x12;             \
    TEST_CHECK(x12, res)
#define TEST_RR_SRC12_DEST(n, op, res, v1)                          \
    li gp, n; li x11, v1; op x11, x11, x11;                         \
    TEST_CHECK(x11, res)
/* x0 as destination stays 0; x0 as source reads 0. */
#define TEST_RR_ZERO_DEST(n, op, v1, v2)                            \
    li gp, n; li x11, v1; li x12, v2; op x0, x11, x12;              \
    mv x13, x0; TEST_CHECK(x13, 0)
#define TEST_RR_ZERO_SRC1(n, op, res, v2)                           \
    li gp, n; li x12, v2; op x13, x0, x12;                          \
    TEST_CHECK(x13, res)
#define TEST_RR_ZERO_SRC2(n, op, res, v1)                           \
    li gp, n; li x11, v1; op x13, x11, x0;                          \
    TEST_CHECK(x13, res)

/* Register-immediate op. */
#define TEST_IMM(n, op, res, v1, imm)                               \
    li gp, n; li x11, v1; op x13, x11, imm;                         \
    TEST_CHECK(x13, res)
#define TEST_IMM_SRC_DEST(n, op, res, v1, imm)                      \
    li gp, n; li x11, v1; op x11, x11, imm;                         \
    TEST_CHECK(x11, res)
#define TEST_IMM_ZERO_DEST(n, op, v1, imm)                          \
    li gp, n; li x11, v1; op x0, x11, imm;                          \
    mv x13, x0; TEST_CHECK(x13, 0)
#define TEST_IMM_ZERO_SRC(n, op, res, imm)                          \
    li gp, n; op x13, x0, imm;                                      \
    TEST_CHECK(x13, res)

/* Load at base + off (off may be negative or misaligned). */
#define TEST_LOAD(n, op, res, off, base)                            \
    li gp, n; la x11, base; op x13, off(x11);                       \
    TEST_CHECK(x13, res)
/* Load whose destination is also its base register. */
#define TEST_LOAD_BASE_DEST(n, op, res, off, base)                  \
    li gp, n; la x11, base; op x11, off(x11);                       \
    TEST_CHECK(x11, res)
/* Load into x0: the access happens, x0 stays 0. */
#define TEST_LOAD_ZERO_DEST(n, op, off, base)                       \
    li gp, n; la x11, base; op x0, off(x11);                        \
    mv x13, x0; TEST_CHECK(x13, 0)
/* Store v at base + off, read back with lop: expect res. */
#define TEST_STORE(n, sop, lop, res, v, off, base)                  \
    li gp, n; la x11, base; li x12, v; sop x12, off(x11);           \
    lop x13, off(x11); TEST_CHECK(x13, res)

/* Branches: taken forward, taken backward, not taken. */
#define TEST_BR_TAKEN(n, op, v1, v2)                                \
    li gp, n; li x11, v1; li x12, v2;                               \
    op x11, x12, 1f; j isa_fail;                                    \
1:  j 2f;                                                           \
3:  j 4f;                                                           \
2:  op x11, x12, 3b; j isa_fail;                                    \
4:
#define TEST_BR_NOT_TAKEN(n, op, v1, v2)                            \
    li gp, n; li x11, v1; li x12, v2;                               \
    op x11, x12, isa_fail;                                          \
    j 1f; j isa_fail;                                               \
1:  op x11, x12, isa_fail

/* AMO (A extension) on the doubleword at isa_amo_buf, which holds init:
 * expect old in rd (sign-extended for .W) and mem in the whole doubleword
 * after it (a .W leaves the upper word alone). */
#define TEST_AMO(n, op, init, src, old, mem)                        \
    li gp, n; la x11, isa_amo_buf; li x12, init; sd x12, 0(x11);    \
    li x12, src; op x13, x12, (x11);                                \
    TEST_CHECK(x13, old); ld x13, 0(x11); TEST_CHECK(x13, mem)
/* The same with rd = rs2 (the old value wins) and with rd = x0. */
#define TEST_AMO_RD_SRC(n, op, init, src, old, mem)                 \
    li gp, n; la x11, isa_amo_buf; li x12, init; sd x12, 0(x11);    \
    li x12, src; op x12, x12, (x11);                                \
    TEST_CHECK(x12, old); ld x13, 0(x11); TEST_CHECK(x13, mem)
#define TEST_AMO_ZERO_DEST(n, op, init, src, mem)                   \
    li gp, n; la x11, isa_amo_buf; li x12, init; sd x12, 0(x11);    \
    li x12, src; op x0, x12, (x11); mv x13, x0; TEST_CHECK(x13, 0); \
    ld x13, 0(x11); TEST_CHECK(x13, mem)

/* The pass and fail exits, tohost and the data section. */
#define TEST_END                                                    \
    li gp, 0;                                                       \
isa_pass:                                                           \
    li t0, 1;                                                       \
    la t1, tohost;                                                  \
    sd t0, 0(t1);                                                   \
1:  j 1b;                                                           \
isa_fail:                                                           \
    slli t0, gp, 1;                                                 \
    ori t0, t0, 1;                                                  \
    la t1, tohost;                                                  \
    sd t0, 0(t1);                                                   \
2:  j 2b;                                                           \
    .section .tohost, "aw", @progbits;                              \
    .align 6;                                                       \
    .globl tohost;                                                  \
tohost: .dword 0;                                                   \
    .align 6;                                                       \
    .globl fromhost;                                                \
fromhost: .dword 0;                                                 \
    .data

#endif
