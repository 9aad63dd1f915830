/* lrsc.S - LR.W, SC.W, LR.D, SC.D: an SC after an LR to the same address
 * stores and writes 0; an SC with no reservation, a second SC, an SC to
 * another line, and an SC after a trap (ecall: the handler's mret) all
 * fail, write 1 to rd and leave memory alone (the trap and the mret each
 * clear the reservation: an SC inside the handler fails, and so does one
 * after an mret whose handler did the LR); LR.W sign-extends; an SC to
 * another word of the reserved line succeeds (reservations are per line);
 * rd = x0 and the aq/rl bits. */
#include "isa_test.h"

TEST_BEGIN
    la x11, isa_trap
    csrw mtvec, x11
    la x11, isa_amo_buf

    li gp, 2                          /* LR.W / SC.W: success */
    li x12, 0x11111111f0000000; sd x12, 0(x11)
    lr.w x13, (x11)
    TEST_CHECK(x13, 0xfffffffff0000000)
    li x12, 0x77
    sc.w x14, x12, (x11)
    TEST_CHECK(x14, 0)
    ld x13, 0(x11); TEST_CHECK(x13, 0x1111111100000077)

    li gp, 3                          /* a second SC fails */
    li x12, 0x55
    sc.w x14, x12, (x11)
    TEST_CHECK(x14, 1)
    ld x13, 0(x11); TEST_CHECK(x13, 0x1111111100000077)

    li gp, 4                          /* LR.D / SC.D */
    li x12, 0x8000000000000005; sd x12, 0(x11)
    lr.d x13, (x11)
    TEST_CHECK(x13, 0x8000000000000005)
    addi x13, x13, 1
    sc.d x14, x13, (x11)
    TEST_CHECK(x14, 0)
    ld x13, 0(x11); TEST_CHECK(x13, 0x8000000000000006)

    li gp, 5                          /* SC to another line fails */
    lr.d x13, (x11)
    li x12, 9
    addi x15, x11, 64
    sc.d x14, x12, (x15)
    TEST_CHECK(x14, 1)
    ld x13, 64(x11); TEST_CHECK(x13, 0)
    sc.d x14, x12, (x11)              /* and used the reservation up */
    TEST_CHECK(x14, 1)

    li gp, 6                          /* another word of the reserved line */
    lr.d x13, (x11)
    li x12, 0x42
    addi x15, x11, 8
    sc.w x14, x12, (x15)
    TEST_CHECK(x14, 0)
    lwu x13, 8(x11); TEST_CHECK(x13, 0x42)

    li gp, 7                          /* a trap between LR and SC */
    lr.w x13, (x11)
    ecall
    li x12, 0x99
    sc.w x14, x12, (x11)
    TEST_CHECK(x14, 1)
    lwu x13, 0(x11); TEST_CHECK(x13, 6)

    li gp, 8                          /* aq/rl bits, rd = x0 */
    lr.w.aq x13, (x11)
    li x12, 0x123
    sc.w.rl x0, x12, (x11)
    mv x13, x0; TEST_CHECK(x13, 0)
    lwu x13, 0(x11); TEST_CHECK(x13, 0x123)
    lr.d.aqrl x13, (x11)
    sc.d.aqrl x14, x12, (x11)
    TEST_CHECK(x14, 0)

    li gp, 9                          /* the trap itself clears it: SC in the handler */
    li x26, 1
    lr.w x13, (x11)
    ecall
    TEST_CHECK(x27, 1)
    lwu x13, 0(x11); TEST_CHECK(x13, 0x123)

    li gp, 10                         /* and so does mret: LR in the handler */
    li x26, 2
    ecall
    li x12, 0x456
    sc.w x14, x12, (x11)
    TEST_CHECK(x14, 1)
    lwu x13, 0(x11); TEST_CHECK(x13, 0x123)
    j isa_pass

isa_trap:                             /* x26: 0 plain, 1 SC here, 2 LR here */
    li x25, 1
    bne x26, x25, 1f
    sc.w x27, x12, (x11)
1:  li x25, 2
    bne x26, x25, 2f
    lr.w x13, (x11)
2:  li x26, 0
    csrr x25, mepc
    addi x25, x25, 4
    csrw mepc, x25
    mret
TEST_END
    .balign 64
isa_amo_buf:
    .dword 0, 0, 0, 0, 0, 0, 0, 0
    .dword 0, 0
