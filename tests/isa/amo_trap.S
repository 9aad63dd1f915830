/* amo_trap.S - the A extension's exceptions: a misaligned LR raises the
 * load-address-misaligned exception (cause 4), a misaligned SC or AMO the
 * store/AMO-address-misaligned one (cause 6), with mtval = the address and
 * memory untouched; an atomic to a device register (the SYS page) or to an
 * unmapped address is an access fault (LR: cause 5, SC and AMO: cause 7).
 * The handler records mcause, mepc and mtval in x20..x22 and resumes after
 * the trapping instruction. */
#include "isa_test.h"

#define EXPECT_TRAP(cause, epc_label, tval)                         \
    TEST_CHECK(x20, cause);                                         \
    la x29, epc_label; bne x21, x29, isa_fail;                      \
    TEST_CHECK(x22, tval)

TEST_BEGIN
    la x11, isa_trap
    csrw mtvec, x11
    li x12, 0x1111222233334444
    la x11, isa_amo_buf
    sd x12, 0(x11)
    sd x12, 8(x11)

    li gp, 2
    addi x15, x11, 2
1:  lr.w x13, (x15)
    sub x13, x15, x22; bnez x13, isa_fail
    TEST_CHECK(x20, 4)

    li gp, 3
    addi x15, x11, 4
2:  lr.d x13, (x15)
    TEST_CHECK(x20, 4)
    sub x13, x15, x22; bnez x13, isa_fail

    li gp, 4
    addi x15, x11, 1
3:  sc.w x13, x12, (x15)
    TEST_CHECK(x20, 6)
    sub x13, x15, x22; bnez x13, isa_fail

    li gp, 5
    addi x15, x11, 6
4:  amoadd.w x13, x12, (x15)
    TEST_CHECK(x20, 6)
    sub x13, x15, x22; bnez x13, isa_fail

    li gp, 6
    addi x15, x11, 12
5:  amoswap.d x13, x12, (x15)
    TEST_CHECK(x20, 6)
    sub x13, x15, x22; bnez x13, isa_fail
    la x29, 5b; bne x21, x29, isa_fail

    li gp, 7                          /* memory untouched by all of them */
    ld x13, 0(x11); TEST_CHECK(x13, 0x1111222233334444)
    ld x13, 8(x11); TEST_CHECK(x13, 0x1111222233334444)

    li gp, 8
    li x15, 0x10000000                /* the SYS page's console register */
6:  amoor.w x13, x12, (x15)
    EXPECT_TRAP(7, 6b, 0x10000000)

    li gp, 9
7:  lr.d x13, (x15)
    EXPECT_TRAP(5, 7b, 0x10000000)

    li gp, 10
8:  sc.d x13, x12, (x15)
    EXPECT_TRAP(7, 8b, 0x10000000)

    li gp, 11
    li x15, 0x40                      /* nothing mapped there */
9:  amomaxu.d x13, x12, (x15)
    EXPECT_TRAP(7, 9b, 0x40)
    j isa_pass

isa_trap:
    csrr x20, mcause
    csrr x21, mepc
    csrr x22, mtval
    addi x25, x21, 4
    csrw mepc, x25
    mret
TEST_END
    .balign 64
isa_amo_buf:
    .dword 0, 0
