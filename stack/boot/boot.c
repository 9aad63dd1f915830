/* boot.c - C start-up of tile firmware: clears .bss, sets up the TLS block
 * picolibc's errno lives in, runs constructors, then exit(main()). */
#include <stdlib.h>
#include <string.h>

extern char __bss_start[], __bss_end[], __tls_base[];
extern void _init_tls(void *tls);
extern void _set_tls(void *tls);
extern void __libc_init_array(void);
extern int main(int argc, char **argv);

void boot_start(void);

void boot_start(void)
{
    memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
    _init_tls(__tls_base);
    _set_tls(__tls_base);
    __libc_init_array();
    exit(main(0, NULL));
}
