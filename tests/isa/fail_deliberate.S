/* fail_deliberate.S - a program that must fail: check 3 compares 1 + 1 with
 * 3. It proves that the runner detects a failing test (exit status 1 and
 * "test 3 failed"). */
#include "isa_test.h"

TEST_BEGIN
    TEST_RR(2, add, 2, 1, 1)
    TEST_RR(3, add, 3, 1, 1)
TEST_END
