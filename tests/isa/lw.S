/* lw.S - LW: load word, sign-extended (aligned and misaligned). */
#include "isa_test.h"

TEST_BEGIN
    TEST_LOAD(2, lw, 0xfffffffff4830281, -8, isa_data)
    TEST_LOAD(3, lw, 0x0000000005f48302, -7, isa_data)
    TEST_LOAD(4, lw, 0xffffffff8605f483, -6, isa_data)
    TEST_LOAD(5, lw, 0x00000000078605f4, -5, isa_data)
    TEST_LOAD(6, lw, 0xffffffff88078605, -4, isa_data)
    TEST_LOAD(7, lw, 0xfffffffff9880786, -3, isa_data)
    TEST_LOAD(8, lw, 0x000000007af98807, -2, isa_data)
    TEST_LOAD(9, lw, 0x000000000b7af988, -1, isa_data)
    TEST_LOAD(10, lw, 0xffffffff8c0b7af9, 0, isa_data)
    TEST_LOAD(11, lw, 0x000000000d8c0b7a, 1, isa_data)
    TEST_LOAD(12, lw, 0xfffffffffe0d8c0b, 2, isa_data)
    TEST_LOAD(13, lw, 0x000000000ffe0d8c, 3, isa_data)
    TEST_LOAD(14, lw, 0xffffffff900ffe0d, 4, isa_data)
    TEST_LOAD_BASE_DEST(15, lw, 0xffffffff8c0b7af9, 0, isa_data)
    TEST_LOAD_ZERO_DEST(16, lw, 1, isa_data)
TEST_END
isa_data_lo:
    .byte 0x81, 0x02, 0x83, 0xf4, 0x05, 0x86, 0x07, 0x88
isa_data:
    .byte 0xf9, 0x7a, 0x0b, 0x8c, 0x0d, 0xfe, 0x0f, 0x90
    .balign 8
