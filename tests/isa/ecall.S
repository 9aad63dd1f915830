/* ecall.S - ECALL: environment call from M-mode (mcause 11) and from U-mode
 * (mcause 8); mepc is the ecall, mtval 0, and mret resumes after it. */
#include "isa_test.h"

TEST_BEGIN
    la x11, isa_trap
    csrw mtvec, x11

    li gp, 2
1:  ecall
    TEST_CHECK(x20, 11)
    la x29, 1b
    bne x21, x29, isa_fail
    TEST_CHECK(x22, 0)

    li gp, 3                      /* to U-mode and ecall from there */
    li x11, 0x1800
    csrc mstatus, x11
    la x11, 2f
    csrw mepc, x11
    mret
2:  ecall
    TEST_CHECK(x20, 8)
    j isa_pass

isa_trap:
    csrr x20, mcause
    csrr x21, mepc
    csrr x22, mtval
    addi x23, x21, 4
    csrw mepc, x23
    li x23, 0x1800                /* return in M-mode */
    csrs mstatus, x23
    mret
TEST_END
