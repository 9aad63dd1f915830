/* segments20.S - a program in 20 loadable segments (segments20.ld): reads
 * the word each data segment holds (its number) and checks their sum, then
 * stores to every segment and reads the stores back. Run with protection on
 * by test_isa.c (more segments than any fixed-size table of the runner). */
#include "isa_test.h"

TEST_BEGIN
    li gp, 2
    li x13, 0
    .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19
    la x11, seg_word\n
    ld x12, 0(x11)
    add x13, x13, x12
    .endr
    TEST_CHECK(x13, 190)            /* 1 + 2 + ... + 19 */

    li gp, 3
    li x13, 0
    .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19
    la x11, seg_word\n
    li x12, 2*\n
    sd x12, 0(x11)
    ld x12, 0(x11)
    add x13, x13, x12
    .endr
    TEST_CHECK(x13, 380)
TEST_END

    .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19
    .section .seg\n, "aw", @progbits
    .align 3
seg_word\n: .dword \n
    .endr
