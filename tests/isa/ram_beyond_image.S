/* ram_beyond_image.S - bare-metal programs get RAM beyond their ELF's
 * segments, as on Spike: stores and loads 64 KiB above the image's end (where
 * riscv-tests-style programs keep their stack) and in the last doubleword of
 * the default 256 MiB of RAM from 0x80000000. With a smaller --ram-mb the
 * last store faults (test_isa.c). */
#include "isa_test.h"

#define RAM_LAST (0x80000000 + (256 << 20) - 8)

TEST_BEGIN
    li gp, 2
    la x11, __stack
    li x12, 0x10000
    add x11, x11, x12
    li x12, 0x1234
    sd x12, 0(x11)
    ld x13, 0(x11)
    TEST_CHECK(x13, 0x1234)
    ld x13, 8(x11)                  /* untouched RAM reads zero */
    TEST_CHECK(x13, 0)

    li gp, 3
    li x11, RAM_LAST
    ld x13, 0(x11)
    TEST_CHECK(x13, 0)
    li x12, -5
    sd x12, 0(x11)
    ld x13, 0(x11)
    TEST_CHECK(x13, -5)
TEST_END
