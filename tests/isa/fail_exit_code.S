/* fail_exit_code.S - must end with exit code 5: exit (93) through a
 * system-call block (exit status 1, "exit code 5"). */
#include "isa_test.h"

TEST_BEGIN
    li gp, 2
    la x11, magic_mem
    li x12, 93
    sd x12, 0(x11)
    li x12, 5
    sd x12, 8(x11)
    fence
    la x12, tohost
    sd x11, 0(x12)
1:  j 1b
TEST_END
    .data
    .align 6
magic_mem: .zero 64
