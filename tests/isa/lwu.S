/* lwu.S - LWU: load word, zero-extended (aligned and misaligned). */
#include "isa_test.h"

TEST_BEGIN
    TEST_LOAD(2, lwu, 0x00000000f4830281, -8, isa_data)
    TEST_LOAD(3, lwu, 0x0000000005f48302, -7, isa_data)
    TEST_LOAD(4, lwu, 0x000000008605f483, -6, isa_data)
    TEST_LOAD(5, lwu, 0x00000000078605f4, -5, isa_data)
    TEST_LOAD(6, lwu, 0x0000000088078605, -4, isa_data)
    TEST_LOAD(7, lwu, 0x00000000f9880786, -3, isa_data)
    TEST_LOAD(8, lwu, 0x000000007af98807, -2, isa_data)
    TEST_LOAD(9, lwu, 0x000000000b7af988, -1, isa_data)
    TEST_LOAD(10, lwu, 0x000000008c0b7af9, 0, isa_data)
    TEST_LOAD(11, lwu, 0x000000000d8c0b7a, 1, isa_data)
    TEST_LOAD(12, lwu, 0x00000000fe0d8c0b, 2, isa_data)
    TEST_LOAD(13, lwu, 0x000000000ffe0d8c, 3, isa_data)
    TEST_LOAD(14, lwu, 0x00000000900ffe0d, 4, isa_data)
    TEST_LOAD_BASE_DEST(15, lwu, 0x000000008c0b7af9, 0, isa_data)
    TEST_LOAD_ZERO_DEST(16, lwu, 1, isa_data)
TEST_END
isa_data_lo:
    .byte 0x81, 0x02, 0x83, 0xf4, 0x05, 0x86, 0x07, 0x88
isa_data:
    .byte 0xf9, 0x7a, 0x0b, 0x8c, 0x0d, 0xfe, 0x0f, 0x90
    .balign 8
