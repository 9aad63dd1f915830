/* fail_wfi.S - waits for an interrupt that no device of the bare-metal
 * runner can raise: the runner reports the wait and exits with status 1. */
#include "isa_test.h"

TEST_BEGIN
    li gp, 2
    wfi
TEST_END
