/* ld.S - LD: load doubleword (aligned and misaligned). */
#include "isa_test.h"

TEST_BEGIN
    TEST_LOAD(2, ld, 0x88078605f4830281, -8, isa_data)
    TEST_LOAD(3, ld, 0xf988078605f48302, -7, isa_data)
    TEST_LOAD(4, ld, 0x7af988078605f483, -6, isa_data)
    TEST_LOAD(5, ld, 0x0b7af988078605f4, -5, isa_data)
    TEST_LOAD(6, ld, 0x8c0b7af988078605, -4, isa_data)
    TEST_LOAD(7, ld, 0x0d8c0b7af9880786, -3, isa_data)
    TEST_LOAD(8, ld, 0xfe0d8c0b7af98807, -2, isa_data)
    TEST_LOAD(9, ld, 0x0ffe0d8c0b7af988, -1, isa_data)
    TEST_LOAD(10, ld, 0x900ffe0d8c0b7af9, 0, isa_data)
    TEST_LOAD_BASE_DEST(11, ld, 0x900ffe0d8c0b7af9, 0, isa_data)
    TEST_LOAD_ZERO_DEST(12, ld, 1, isa_data)
TEST_END
isa_data_lo:
    .byte 0x81, 0x02, 0x83, 0xf4, 0x05, 0x86, 0x07, 0x88
isa_data:
    .byte 0xf9, 0x7a, 0x0b, 0x8c, 0x0d, 0xfe, 0x0f, 0x90
    .balign 8
