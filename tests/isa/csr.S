/* csr.S - Zicsr: the six CSR instructions on mscratch (old value returned,
 * set/clear, immediate forms, no write when rs1 = x0 or uimm = 0), the
 * machine CSRs' legal values (misa, mhartid, mtvec, mepc, mstatus) and the
 * counters (cycle, time, instret, mcycle). */
#include "isa_test.h"

TEST_BEGIN
    li gp, 2; csrr x13, mhartid; TEST_CHECK(x13, 0)
    li gp, 3; csrr x13, misa; srli x13, x13, 62; TEST_CHECK(x13, 2)
    li gp, 4; csrr x13, misa; li x12, (1 << 8) | (1 << 12) | (1 << 20); and x13, x13, x12
              TEST_CHECK(x13, (1 << 8) | (1 << 12) | (1 << 20))
    li gp, 5; li x11, 0x123456789abcdef0; csrw mscratch, x11; csrr x13, mscratch
              TEST_CHECK(x13, 0x123456789abcdef0)
    li gp, 6; li x11, 5; csrrw x13, mscratch, x11; TEST_CHECK(x13, 0x123456789abcdef0)
              csrr x13, mscratch; TEST_CHECK(x13, 5)
    li gp, 7; li x11, 0xf0; csrrs x13, mscratch, x11; TEST_CHECK(x13, 5)
              csrr x13, mscratch; TEST_CHECK(x13, 0xf5)
    li gp, 8; li x11, 0x11; csrrc x13, mscratch, x11; TEST_CHECK(x13, 0xf5)
              csrr x13, mscratch; TEST_CHECK(x13, 0xe4)
    li gp, 9; csrrwi x13, mscratch, 31; TEST_CHECK(x13, 0xe4)
              csrr x13, mscratch; TEST_CHECK(x13, 31)
    li gp, 10; csrrci x13, mscratch, 3; TEST_CHECK(x13, 31)
               csrrsi x13, mscratch, 0x10; TEST_CHECK(x13, 28)
               csrr x13, mscratch; TEST_CHECK(x13, 28)
    li gp, 11; csrrs x13, mhartid, x0; TEST_CHECK(x13, 0)   /* read-only: no write, no trap */
    li gp, 12; csrrsi x13, mhartid, 0; TEST_CHECK(x13, 0)
    li gp, 13; csrrw x0, mscratch, x0; csrr x13, mscratch; TEST_CHECK(x13, 0)
    li gp, 14; li x11, 0x80000101; csrw mtvec, x11; csrr x13, mtvec; TEST_CHECK(x13, 0x80000101)
               li x11, 0x80000102; csrw mtvec, x11; csrr x13, mtvec; TEST_CHECK(x13, 0x80000100)
               csrw mtvec, x0
    li gp, 15; li x11, 0x80000003; csrw mepc, x11; csrr x13, mepc; TEST_CHECK(x13, 0x80000000)
    li gp, 16; li x11, 0x1800; csrs mstatus, x11; csrr x13, mstatus; and x13, x13, x11
               TEST_CHECK(x13, 0x1800)
               li x11, 0x1800; csrc mstatus, x11; li x11, 0x0800; csrs mstatus, x11
               csrr x13, mstatus; li x11, 0x1800; and x13, x13, x11
               TEST_CHECK(x13, 0)                            /* MPP = 1 is not legal: unchanged */
    li gp, 17; csrr x13, mstatus; srli x13, x13, 32; andi x13, x13, 3; TEST_CHECK(x13, 2) /* UXL */
    li gp, 18; rdcycle x11; nop; nop; rdcycle x12; bgeu x11, x12, isa_fail
    li gp, 19; rdtime x11; nop; rdtime x12; bgeu x11, x12, isa_fail
    li gp, 20; rdinstret x11; nop; rdinstret x12; sub x13, x12, x11; TEST_CHECK(x13, 2)
    li gp, 21; csrr x11, minstret; csrr x12, instret; sub x13, x12, x11; TEST_CHECK(x13, 1)
    li gp, 22; li x11, 1000000; csrw mcycle, x11; csrr x13, mcycle; sub x13, x13, x11
               li x12, 100; bgeu x13, x12, isa_fail
    li gp, 23; csrw minstret, x0; csrr x13, minstret; TEST_CHECK(x13, 1)
    li gp, 24; csrr x13, mcause; csrr x12, mtval; or x13, x13, x12; TEST_CHECK(x13, 0)
    li gp, 25; csrr x13, mvendorid; TEST_CHECK(x13, 0)
TEST_END
