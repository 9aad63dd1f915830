/* fail_tohost_pointer.S - must stop with a clear error: an even tohost
 * value is a pointer to a system-call block, and this one (0x20000000) is
 * outside RAM (exit status 1, the value named). */
#include "isa_test.h"

TEST_BEGIN
    li gp, 2
    li x11, 0x20000000
    la x12, tohost
    sd x11, 0(x12)
1:  j 1b
TEST_END
