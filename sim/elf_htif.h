/* elf_htif.h - the host side of `tohost` for the bare-metal runner (dlsim
 * --elf): the HTIF convention of Spike and the RISC-V proxy kernel.
 *
 * A non-zero value the program stores to `tohost` is
 *  - odd: (code << 1) | 1, the end of the run with exit code `code` (the
 *    ISA suites write 1 to pass and (n << 1) | 1 when check n fails);
 *  - even: the address of a 64-byte system-call block ("magic_mem"): word 0
 *    the call number (Linux RISC-V numbering), words 1.. its arguments. The
 *    host serves write (64) to fd 1 and 2 and exit (93, and exit_group 94);
 *    it writes the result to word 0, clears tohost and sets `fromhost` to 1,
 *    which the program polls. Any other call ends the run as unsupported.
 * A value whose HTIF device field (bits 56..63) is not 0, or an even value
 * whose block is not in RAM, ends the run with an error naming it. */
#ifndef DL_SIM_ELF_HTIF_H
#define DL_SIM_ELF_HTIF_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum elf_htif_result {
    ELF_HTIF_SERVED = 0,    /* a system call was served: the run goes on */
    ELF_HTIF_EXIT,          /* exit: code in exit_code */
    ELF_HTIF_BAD_VALUE,     /* a device or a block address the host cannot serve */
    ELF_HTIF_UNSUPPORTED    /* a system call other than write and exit */
} elf_htif_result;

typedef struct elf_htif {
    /* guest RAM [ram_base, ram_base + ram_size) at host ram */
    uint8_t *ram;
    uint64_t ram_base, ram_size;
    uint64_t tohost, fromhost;   /* addresses; fromhost 0 when the ELF has none */
    FILE *out, *err;             /* fd 1 and fd 2 of the program */
    /* the outcome (valid once serve returned something else than SERVED) */
    uint64_t value;              /* the tohost value */
    int64_t exit_code;
    int by_call;                 /* exit came through a system-call block */
    uint64_t call, block;        /* unsupported call number, its block */
    uint64_t calls;              /* system calls served */
} elf_htif;

/* Handles the value the program stored to tohost (non-zero). */
elf_htif_result elf_htif_serve(elf_htif *h, uint64_t value);

/* The name of a Linux RISC-V system call ("read"), or NULL if unknown. */
const char *elf_htif_call_name(uint64_t n);

/* Prints the outcome line "elf: PATH: ..." for a result other than SERVED;
 * returns the exit status (0: exit code 0, else 1). */
int elf_htif_report(const elf_htif *h, elf_htif_result res, const char *path, FILE *f);

#ifdef __cplusplus
}
#endif
#endif
