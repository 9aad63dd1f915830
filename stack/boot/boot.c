/* boot.c - C start-up of tile firmware: sets up the TLS block picolibc's
 * errno lives in, runs constructors, then exit(main()).
 *
 * .bss is not cleared here: dlsim's loader hands every tile a zeroed image
 * beyond the ELF's file bytes, as an operating system's loader does, and
 * clearing it would touch (and so make the host commit) every page of a
 * large .bss on every tile. */
#include <stdlib.h>

extern char __tls_base[];
extern void _init_tls(void *tls);
extern void _set_tls(void *tls);
extern void __libc_init_array(void);
extern int main(int argc, char **argv);

void boot_start(void);

void boot_start(void)
{
    _init_tls(__tls_base);
    _set_tls(__tls_base);
    __libc_init_array();
    exit(main(0, NULL));
}
