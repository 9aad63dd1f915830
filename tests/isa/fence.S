/* fence.S - FENCE and FENCE.I: fence orders memory (a no-op on one tile);
 * after a store rewrites an instruction, fence.i makes the new one run. */
#include "isa_test.h"

TEST_BEGIN
    li gp, 2
    la x11, isa_word
    li x12, 0x1234
    sw x12, 0(x11)
    fence
    fence rw, rw
    lw x13, 0(x11)
    TEST_CHECK(x13, 0x1234)

    /* Run the patchable instruction once (li x13, 1), then rewrite it to
     * li x13, 2 (addi x13, x0, 2 = 0x00200693) and run it again. */
    li gp, 3
    call patch_site
    TEST_CHECK(x13, 1)
    la x11, patch_insn
    li x12, 0x00200693
    sw x12, 0(x11)
    fence.i
    call patch_site
    TEST_CHECK(x13, 2)
    j 2f

patch_site:
patch_insn:
    addi x13, x0, 1
    ret
2:
TEST_END
isa_word:
    .word 0
