/* lb.S - LB: load byte, sign-extended. */
#include "isa_test.h"

TEST_BEGIN
    TEST_LOAD(2, lb, 0xffffffffffffff81, -8, isa_data)
    TEST_LOAD(3, lb, 0x0000000000000002, -7, isa_data)
    TEST_LOAD(4, lb, 0xffffffffffffff83, -6, isa_data)
    TEST_LOAD(5, lb, 0xfffffffffffffff4, -5, isa_data)
    TEST_LOAD(6, lb, 0x0000000000000005, -4, isa_data)
    TEST_LOAD(7, lb, 0xffffffffffffff86, -3, isa_data)
    TEST_LOAD(8, lb, 0x0000000000000007, -2, isa_data)
    TEST_LOAD(9, lb, 0xffffffffffffff88, -1, isa_data)
    TEST_LOAD(10, lb, 0xfffffffffffffff9, 0, isa_data)
    TEST_LOAD(11, lb, 0x000000000000007a, 1, isa_data)
    TEST_LOAD(12, lb, 0x000000000000000b, 2, isa_data)
    TEST_LOAD(13, lb, 0xffffffffffffff8c, 3, isa_data)
    TEST_LOAD(14, lb, 0x000000000000000d, 4, isa_data)
    TEST_LOAD(15, lb, 0xfffffffffffffffe, 5, isa_data)
    TEST_LOAD(16, lb, 0x000000000000000f, 6, isa_data)
    TEST_LOAD(17, lb, 0xffffffffffffff90, 7, isa_data)
    TEST_LOAD_BASE_DEST(18, lb, 0xfffffffffffffff9, 0, isa_data)
    TEST_LOAD_ZERO_DEST(19, lb, 1, isa_data)
TEST_END
isa_data_lo:
    .byte 0x81, 0x02, 0x83, 0xf4, 0x05, 0x86, 0x07, 0x88
isa_data:
    .byte 0xf9, 0x7a, 0x0b, 0x8c, 0x0d, 0xfe, 0x0f, 0x90
    .balign 8
