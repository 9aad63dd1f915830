/* crt0.S - reset entry of tile firmware. The tile starts in machine mode
 * (the hypervisor's level): it drops to user mode at _user_start, where the
 * program runs in the address space the simulator built for the tile
 * (models/mem; its regions are listed in the boot-information block,
 * models/abi/boot_info.h). mtvec stays 0, so a trap in firmware that
 * installs no handler - a protection fault among them - stops the tile with
 * a report from the simulator. */
    .section .text.init, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    la   t0, _user_start
    csrw mepc, t0
    li   t0, 0x1800          /* mstatus.MPP = user */
    csrc mstatus, t0
    mret
    .size _start, . - _start

    .type _user_start, @function
_user_start:
    .option push
    .option norelax
    la   gp, __global_pointer$
    .option pop
    la   sp, __stack
    li   fp, 0
    call boot_start
1:  j    1b
    .size _user_start, . - _user_start
