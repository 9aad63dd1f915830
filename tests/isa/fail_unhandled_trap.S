/* fail_unhandled_trap.S - must stop with an unhandled trap: an illegal
 * instruction with no trap handler (mtvec = 0). The runner reports tile, pc,
 * instruction word, cause and tval, and exits with status 1. */
#include "isa_test.h"

TEST_BEGIN
    li gp, 2
    nop
    .word 0xffffffff
TEST_END
