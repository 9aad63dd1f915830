/* crt.S - start-up of the bare-metal benchmarks: machine mode, a trap
 * handler that saves every register on the stack and calls bm_trap
 * (syscalls.c), the global pointer, and a stack of BM_STACK bytes above
 * _end (outside the ELF's segments, as riscv-tests programs keep it); then
 * bm_start, which never returns. */
#define BM_STACK 0x20000
#define FRAME (32 * 8)

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    la t0, bm_trap_entry
    csrw mtvec, t0
.option push
.option norelax
    la gp, __global_pointer$
.option pop
    la tp, _end + 63
    andi tp, tp, -64
    li t0, BM_STACK
    add sp, tp, t0
    call bm_start
1:  j 1b

    .align 2
bm_trap_entry:
    addi sp, sp, -FRAME
    .irp r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd x\r, \r*8(sp)
    .endr
    csrr a0, mcause
    csrr a1, mepc
    mv a2, sp
    call bm_trap                    /* returns the pc to resume at */
    csrw mepc, a0
    .irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld x\r, \r*8(sp)
    .endr
    addi sp, sp, FRAME
    mret

    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .dword 0
    .align 6
    .globl fromhost
fromhost: .dword 0
