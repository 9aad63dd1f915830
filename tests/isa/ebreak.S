/* ebreak.S - EBREAK: breakpoint exception (mcause 3) at the ebreak, with
 * mtval the ebreak's address; the instruction does not retire. */
#include "isa_test.h"

TEST_BEGIN
    la x11, isa_trap
    csrw mtvec, x11

    li gp, 2
    rdinstret x12
1:  ebreak
    rdinstret x13
    TEST_CHECK(x20, 3)
    la x29, 1b
    bne x21, x29, isa_fail
    bne x22, x29, isa_fail
    sub x13, x13, x12             /* the first rdinstret and the handler's 6; */
    TEST_CHECK(x13, 7)            /* not the ebreak */
    j isa_pass

isa_trap:
    csrr x20, mcause
    csrr x21, mepc
    csrr x22, mtval
    addi x23, x21, 4
    csrw mepc, x23
    mret
TEST_END
