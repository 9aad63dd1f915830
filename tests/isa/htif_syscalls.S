/* htif_syscalls.S - the HTIF system calls of Spike and the proxy kernel
 * through tohost: the program stores the address of a 64-byte block (call
 * number, then arguments) to tohost and waits for fromhost; the runner
 * serves the call, writes its result to the block's first word and sets
 * fromhost to 1. write (64) to fd 1 and 2 returns the length; to another fd
 * -EBADF; from a buffer outside RAM -EFAULT. exit (93) with code 0 passes. */
#include "isa_test.h"

#define SYS_write 64
#define SYS_exit 93

/* syscall n (a0, x14, a2): result in x13 */
#define SYSCALL(n, a0, a2)                                          \
    la x11, magic_mem;                                              \
    li x12, n;  sd x12, 0(x11);                                     \
    li x12, a0; sd x12, 8(x11);                                     \
    sd x14, 16(x11);                                                \
    li x12, a2; sd x12, 24(x11);                                    \
    call do_syscall;                                                \
    ld x13, 0(x11)

TEST_BEGIN
    li gp, 2
    la x14, msg_out
    SYSCALL(SYS_write, 1, 15)
    TEST_CHECK(x13, 15)
    li gp, 3
    la x14, msg_err
    SYSCALL(SYS_write, 2, 15)
    TEST_CHECK(x13, 15)
    li gp, 4
    la x14, msg_out
    SYSCALL(SYS_write, 7, 15)
    TEST_CHECK(x13, -9)             /* EBADF */
    li gp, 5
    li x14, 0x20000000
    SYSCALL(SYS_write, 1, 4)
    TEST_CHECK(x13, -14)            /* EFAULT */
    li gp, 6
    la x14, msg_out
    SYSCALL(SYS_write, 1, 0)
    TEST_CHECK(x13, 0)
    li gp, 7
    li x14, 0
    SYSCALL(SYS_exit, 0, 0)
    j isa_fail                      /* exit does not return */

/* tohost = x11; wait for fromhost, clear it; x11 preserved; x13, x14 used */
do_syscall:
    fence
    la x12, tohost
    sd x11, 0(x12)
    la x12, fromhost
1:  ld x13, 0(x12)
    beqz x13, 1b
    li x14, 1
    bne x13, x14, isa_fail          /* fromhost is 1 */
    sd x0, 0(x12)
    la x12, tohost
    ld x13, 0(x12)
    bnez x13, isa_fail              /* the host cleared tohost */
    fence
    ret
TEST_END
    .section .rodata
msg_out: .ascii "htif to stdout\n"
msg_err: .ascii "htif to stderr\n"
    .data
    .align 6
magic_mem: .zero 64
