/* fail_loop.S - never reports: spins forever, so only --max-cycles ends it. */
#include "isa_test.h"

TEST_BEGIN
1:  addi x13, x13, 1
    j 1b
TEST_END
