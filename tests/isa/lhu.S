/* lhu.S - LHU: load halfword, zero-extended (aligned and misaligned). */
#include "isa_test.h"

TEST_BEGIN
    TEST_LOAD(2, lhu, 0x0000000000000281, -8, isa_data)
    TEST_LOAD(3, lhu, 0x0000000000008302, -7, isa_data)
    TEST_LOAD(4, lhu, 0x000000000000f483, -6, isa_data)
    TEST_LOAD(5, lhu, 0x00000000000005f4, -5, isa_data)
    TEST_LOAD(6, lhu, 0x0000000000008605, -4, isa_data)
    TEST_LOAD(7, lhu, 0x0000000000000786, -3, isa_data)
    TEST_LOAD(8, lhu, 0x0000000000008807, -2, isa_data)
    TEST_LOAD(9, lhu, 0x000000000000f988, -1, isa_data)
    TEST_LOAD(10, lhu, 0x0000000000007af9, 0, isa_data)
    TEST_LOAD(11, lhu, 0x0000000000000b7a, 1, isa_data)
    TEST_LOAD(12, lhu, 0x0000000000008c0b, 2, isa_data)
    TEST_LOAD(13, lhu, 0x0000000000000d8c, 3, isa_data)
    TEST_LOAD(14, lhu, 0x000000000000fe0d, 4, isa_data)
    TEST_LOAD(15, lhu, 0x0000000000000ffe, 5, isa_data)
    TEST_LOAD(16, lhu, 0x000000000000900f, 6, isa_data)
    TEST_LOAD_BASE_DEST(17, lhu, 0x0000000000007af9, 0, isa_data)
    TEST_LOAD_ZERO_DEST(18, lhu, 1, isa_data)
TEST_END
isa_data_lo:
    .byte 0x81, 0x02, 0x83, 0xf4, 0x05, 0x86, 0x07, 0x88
isa_data:
    .byte 0xf9, 0x7a, 0x0b, 0x8c, 0x0d, 0xfe, 0x0f, 0x90
    .balign 8
