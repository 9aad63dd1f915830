/* fail_syscall_read.S - must stop with an unsupported system call: read (63)
 * through tohost, which the bare-metal runner does not serve (it serves
 * write and exit); the report names the call (exit status 1). */
#include "isa_test.h"

TEST_BEGIN
    li gp, 2
    la x11, magic_mem
    li x12, 63
    sd x12, 0(x11)
    fence
    la x12, tohost
    sd x11, 0(x12)
    la x12, fromhost
1:  ld x13, 0(x12)
    beqz x13, 1b
    j isa_fail
TEST_END
    .data
    .align 6
magic_mem: .zero 64
