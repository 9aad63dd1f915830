/* trap.S - exceptions and privilege: ecall (M and U), ebreak, illegal
 * instructions (bad encoding, unimplemented CSR, write to a read-only CSR,
 * M-only instructions and CSRs from U-mode), misaligned jump and branch
 * targets, load/store/fetch access faults, mret into U-mode, and the trap
 * CSRs (mcause, mepc, mtval, mstatus.MPP). The handler records mcause, mepc,
 * mtval and mstatus in x20..x23 and resumes after the trapping instruction
 * (or at the return address x1 after a fetch fault). */
#include "isa_test.h"

#define EXPECT_TRAP(cause, epc_label)                               \
    TEST_CHECK(x20, cause);                                         \
    la x29, epc_label; bne x21, x29, isa_fail

TEST_BEGIN
    la x11, isa_trap
    csrw mtvec, x11
    li x24, 0

    li gp, 2
1:  ecall
    EXPECT_TRAP(11, 1b)
    TEST_CHECK(x22, 0)
    srli x13, x23, 11; andi x13, x13, 3; TEST_CHECK(x13, 3)   /* MPP = M */

    li gp, 3
2:  ebreak
    EXPECT_TRAP(3, 2b)

    li gp, 4
3:  .word 0
    EXPECT_TRAP(2, 3b)
    TEST_CHECK(x22, 0)

    li gp, 5
4:  .word 0xffffffff
    EXPECT_TRAP(2, 4b)
    TEST_CHECK(x22, 0xffffffff)

    li gp, 6
5:  csrr x13, 0x7c0               /* unimplemented CSR */
    EXPECT_TRAP(2, 5b)
    lwu x13, 0(x21)
    bne x13, x22, isa_fail        /* mtval holds the instruction */

    li gp, 7
6:  csrw mhartid, x0              /* read-only CSR */
    EXPECT_TRAP(2, 6b)

    li gp, 8
    la x11, 8f
    addi x11, x11, 2
7:  jalr x0, 0(x11)               /* misaligned jump target */
    EXPECT_TRAP(0, 7b)
    bne x22, x11, isa_fail        /* mtval = the target */
8:  nop

    li gp, 9
9:  .word 0x00000363              /* beq x0, x0, .+6: misaligned branch target */
    EXPECT_TRAP(0, 9b)
    la x12, 9b
    addi x12, x12, 6
    bne x22, x12, isa_fail
    nop

    li gp, 10
    li x11, 0x8
10: ld x13, 0(x11)                /* nothing is mapped below the MMIO window */
    EXPECT_TRAP(5, 10b)
    TEST_CHECK(x22, 8)

    li gp, 11
    li x11, 0x10
11: sw x13, 0(x11)
    EXPECT_TRAP(7, 11b)
    TEST_CHECK(x22, 0x10)

    li gp, 12
    li x11, 0x10000800            /* SYS page, no register there */
12: ld x13, 0(x11)
    EXPECT_TRAP(5, 12b)

    li gp, 13
    li x11, 0x40
    jalr x1, 0(x11)               /* fetch access fault */
    TEST_CHECK(x20, 1)
    TEST_CHECK(x21, 0x40)
    TEST_CHECK(x22, 0x40)

    /* Into U-mode with mret: MPP = U, mepc = user code. */
    li gp, 14
    li x11, 0x1800
    csrc mstatus, x11
    la x11, user
    csrw mepc, x11
    mret
    j isa_fail
user:
    li gp, 15
20: ecall
    EXPECT_TRAP(8, 20b)
    srli x13, x23, 11; andi x13, x13, 3; TEST_CHECK(x13, 0)   /* MPP = U */

    li gp, 16
21: csrr x13, mstatus             /* M-mode CSR from U-mode */
    EXPECT_TRAP(2, 21b)

    li gp, 17
22: mret
    EXPECT_TRAP(2, 22b)

    li gp, 18
23: wfi
    EXPECT_TRAP(2, 23b)

    li gp, 19
    li x20, 99
    rdcycle x13                   /* user-readable counters do not trap */
    rdinstret x13
    rdtime x13
    TEST_CHECK(x20, 99)

    li gp, 20                     /* back to M-mode: the handler sets MPP = M */
    li x24, 1
24: ecall
    EXPECT_TRAP(8, 24b)
    csrr x13, mstatus             /* would trap if still in U-mode */
    TEST_CHECK(x20, 8)
    j isa_pass

isa_trap:
    csrr x20, mcause
    csrr x21, mepc
    csrr x22, mtval
    csrr x23, mstatus
    li x25, 1
    beq x20, x25, 1f
    addi x25, x21, 4
    csrw mepc, x25
    j 2f
1:  csrw mepc, x1                 /* fetch fault: return to the caller */
2:  beqz x24, 3f
    li x25, 0x1800
    csrs mstatus, x25
    li x24, 0
3:  mret
TEST_END
