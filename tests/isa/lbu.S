/* lbu.S - LBU: load byte, zero-extended. */
#include "isa_test.h"

TEST_BEGIN
    TEST_LOAD(2, lbu, 0x0000000000000081, -8, isa_data)
    TEST_LOAD(3, lbu, 0x0000000000000002, -7, isa_data)
    TEST_LOAD(4, lbu, 0x0000000000000083, -6, isa_data)
    TEST_LOAD(5, lbu, 0x00000000000000f4, -5, isa_data)
    TEST_LOAD(6, lbu, 0x0000000000000005, -4, isa_data)
    TEST_LOAD(7, lbu, 0x0000000000000086, -3, isa_data)
    TEST_LOAD(8, lbu, 0x0000000000000007, -2, isa_data)
    TEST_LOAD(9, lbu, 0x0000000000000088, -1, isa_data)
    TEST_LOAD(10, lbu, 0x00000000000000f9, 0, isa_data)
    TEST_LOAD(11, lbu, 0x000000000000007a, 1, isa_data)
    TEST_LOAD(12, lbu, 0x000000000000000b, 2, isa_data)
    TEST_LOAD(13, lbu, 0x000000000000008c, 3, isa_data)
    TEST_LOAD(14, lbu, 0x000000000000000d, 4, isa_data)
    TEST_LOAD(15, lbu, 0x00000000000000fe, 5, isa_data)
    TEST_LOAD(16, lbu, 0x000000000000000f, 6, isa_data)
    TEST_LOAD(17, lbu, 0x0000000000000090, 7, isa_data)
    TEST_LOAD_BASE_DEST(18, lbu, 0x00000000000000f9, 0, isa_data)
    TEST_LOAD_ZERO_DEST(19, lbu, 1, isa_data)
TEST_END
isa_data_lo:
    .byte 0x81, 0x02, 0x83, 0xf4, 0x05, 0x86, 0x07, 0x88
isa_data:
    .byte 0xf9, 0x7a, 0x0b, 0x8c, 0x0d, 0xfe, 0x0f, 0x90
    .balign 8
