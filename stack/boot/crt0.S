/* crt0.S - reset entry of tile firmware: stack and global pointer, then the
 * C start-up (boot_start in boot.c). mtvec stays 0, so a trap in firmware
 * that installs no handler stops the tile with a report from the simulator. */
    .section .text.init, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la   gp, __global_pointer$
    .option pop
    la   sp, __stack
    li   fp, 0
    call boot_start
1:  j    1b
    .size _start, . - _start
