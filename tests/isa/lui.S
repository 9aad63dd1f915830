/* lui.S - LUI: 20-bit upper immediate, sign-extended to 64 bits; x0 as destination. */
#include "isa_test.h"

TEST_BEGIN
    li gp, 2; lui x13, 0; TEST_CHECK(x13, 0)
    li gp, 3; lui x13, 0x1; TEST_CHECK(x13, 0x1000)
    li gp, 4; lui x13, 0x7ffff; TEST_CHECK(x13, 0x7ffff000)
    li gp, 5; lui x13, 0x80000; TEST_CHECK(x13, 0xffffffff80000000)
    li gp, 6; lui x13, 0xfffff; TEST_CHECK(x13, 0xfffffffffffff000)
    li gp, 7; lui x13, 0x12345; addi x13, x13, 0x678; TEST_CHECK(x13, 0x12345678)
    li gp, 8; lui x0, 0x12345; mv x13, x0; TEST_CHECK(x13, 0)
TEST_END
