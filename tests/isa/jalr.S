/* jalr.S - JALR: target (rs1 + imm) with bit 0 cleared, link pc + 4, rd equal
 * to rs1 (target computed before the link is written), x0 as link. */
#include "isa_test.h"

TEST_BEGIN
    li gp, 2
    la x11, 2f
1:  jalr x13, 0(x11)
    j isa_fail
2:  la x12, 1b
    addi x12, x12, 4
    bne x13, x12, isa_fail

    li gp, 3
    la x11, 4f
    addi x11, x11, -8
    jalr x13, 8(x11)
    j isa_fail
4:
    li gp, 4
    la x11, 5f
    addi x11, x11, 1
    jalr x13, 0(x11)           /* bit 0 of the target is ignored */
    j isa_fail
5:
    li gp, 5
    la x11, 7f
6:  jalr x11, 0(x11)           /* rd == rs1 */
    j isa_fail
7:  la x12, 6b
    addi x12, x12, 4
    bne x11, x12, isa_fail

    li gp, 6
    la x11, 8f
    jalr x0, 0(x11)
    j isa_fail
8:  mv x13, x0
    TEST_CHECK(x13, 0)

    li gp, 7                   /* call and return */
    call 9f
    j 10f
9:  ret
10:
TEST_END
