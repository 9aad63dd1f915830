/* auipc.S - AUIPC: pc plus a sign-extended upper immediate. */
#include "isa_test.h"

TEST_BEGIN
    li gp, 2
1:  auipc x13, 0
    la x12, 1b
    bne x13, x12, isa_fail
    li gp, 3
2:  auipc x13, 1
    la x12, 2b
    sub x13, x13, x12
    TEST_CHECK(x13, 0x1000)
    li gp, 4
3:  auipc x13, 0xfffff
    la x12, 3b
    sub x13, x13, x12
    TEST_CHECK(x13, -0x1000)
    li gp, 5
4:  auipc x13, 0x80000
    la x12, 4b
    sub x13, x13, x12
    TEST_CHECK(x13, 0xffffffff80000000)
    li gp, 6
    auipc x0, 1
    mv x13, x0
    TEST_CHECK(x13, 0)
TEST_END
