/* fail_tohost_device.S - must stop with a clear error: a tohost value for
 * HTIF device 1 (Spike's console), command 1 (put a character), which the
 * runner does not serve (exit status 1, device and command named). */
#include "isa_test.h"

TEST_BEGIN
    li gp, 2
    li x11, 1
    slli x11, x11, 56
    li x12, 1
    slli x12, x12, 48
    or x11, x11, x12
    ori x11, x11, 'A'
    la x12, tohost
    sd x11, 0(x12)
1:  j 1b
TEST_END
