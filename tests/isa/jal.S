/* jal.S - JAL: link register gets pc + 4, forward and backward targets,
 * x0 as link (plain jump). */
#include "isa_test.h"

TEST_BEGIN
    li gp, 2
    li x13, 0
1:  jal x13, 2f
    j isa_fail
2:  la x12, 1b
    addi x12, x12, 4
    bne x13, x12, isa_fail

    li gp, 3
    j 4f
3:  jal x0, 5f
    j isa_fail
4:  jal x1, 3b
    j isa_fail
5:  mv x13, x0
    TEST_CHECK(x13, 0)

    li gp, 4
    li x13, 1
    jal x13, 6f
6:  la x12, 6b
    bne x13, x12, isa_fail
TEST_END
