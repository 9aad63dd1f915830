/* lh.S - LH: load halfword, sign-extended (aligned and misaligned). */
#include "isa_test.h"

TEST_BEGIN
    TEST_LOAD(2, lh, 0x0000000000000281, -8, isa_data)
    TEST_LOAD(3, lh, 0xffffffffffff8302, -7, isa_data)
    TEST_LOAD(4, lh, 0xfffffffffffff483, -6, isa_data)
    TEST_LOAD(5, lh, 0x00000000000005f4, -5, isa_data)
    TEST_LOAD(6, lh, 0xffffffffffff8605, -4, isa_data)
    TEST_LOAD(7, lh, 0x0000000000000786, -3, isa_data)
    TEST_LOAD(8, lh, 0xffffffffffff8807, -2, isa_data)
    TEST_LOAD(9, lh, 0xfffffffffffff988, -1, isa_data)
    TEST_LOAD(10, lh, 0x0000000000007af9, 0, isa_data)
    TEST_LOAD(11, lh, 0x0000000000000b7a, 1, isa_data)
    TEST_LOAD(12, lh, 0xffffffffffff8c0b, 2, isa_data)
    TEST_LOAD(13, lh, 0x0000000000000d8c, 3, isa_data)
    TEST_LOAD(14, lh, 0xfffffffffffffe0d, 4, isa_data)
    TEST_LOAD(15, lh, 0x0000000000000ffe, 5, isa_data)
    TEST_LOAD(16, lh, 0xffffffffffff900f, 6, isa_data)
    TEST_LOAD_BASE_DEST(17, lh, 0x0000000000007af9, 0, isa_data)
    TEST_LOAD_ZERO_DEST(18, lh, 1, isa_data)
TEST_END
isa_data_lo:
    .byte 0x81, 0x02, 0x83, 0xf4, 0x05, 0x86, 0x07, 0x88
isa_data:
    .byte 0xf9, 0x7a, 0x0b, 0x8c, 0x0d, 0xfe, 0x0f, 0x90
    .balign 8
