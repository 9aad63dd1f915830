/* fail_nested_trap.S - must stop with a diagnosis of a trap handler that
 * faults on itself: the handler saves a register on a stack that points
 * outside RAM, so its own store faults, traps to itself, and so on for ever
 * (what riscv-tests-style programs did when the runner gave them no RAM for
 * their stack). The runner stops after a few such nested traps and names
 * tile, pc and cause (exit status 1). */
#include "isa_test.h"

TEST_BEGIN
    la x11, handler
    csrw mtvec, x11
    li sp, 0x20000000               /* neither RAM nor a device */
    li gp, 2
    .word 0xffffffff                /* the first trap: illegal instruction */
    j isa_fail

    .align 2
handler:
    addi sp, sp, -256
    sd ra, 8(sp)                    /* faults: store access fault */
    csrr x11, mepc
    addi x11, x11, 4
    csrw mepc, x11
    addi sp, sp, 256
    mret
TEST_END
