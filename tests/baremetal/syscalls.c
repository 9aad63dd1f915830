/* syscalls.c - the host interface of the bare-metal benchmarks: system
 * calls through tohost (HTIF: the address of a 64-byte block holding the
 * call number and its arguments; the host answers in the block's first
 * word and sets fromhost), exit, printf on write (fd 1), the trap handler
 * (an unexpected trap is reported and exits with 99), and bm_start. */
#include <stdarg.h>

#include "bm.h"

#define SYS_WRITE 64
#define BM_TRAP_EXIT 99

extern volatile uint64_t tohost, fromhost;
extern char __bss_start[], __bss_end[];
int main(void);

static uint64_t bm_syscall(uint64_t n, uint64_t a0, uint64_t a1, uint64_t a2)
{
    volatile uint64_t block[8] __attribute__((aligned(64)));
    block[0] = n;
    block[1] = a0;
    block[2] = a1;
    block[3] = a2;
    __sync_synchronize();
    tohost = (uint64_t)(uintptr_t)block;
    while (fromhost == 0)
        ;
    fromhost = 0;
    __sync_synchronize();
    return block[0];
}

void bm_exit(int code)
{
    tohost = ((uint64_t)(unsigned)code << 1) | 1;
    for (;;)
        ;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    char *d = dst;
    const char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    char *d = dst;
    while (n--)
        *d++ = (char)c;
    return dst;
}

/* printf: a line buffer flushed by write(1, ...) at each newline. */
static char out_buf[128];
static size_t out_len;

static void out_flush(void)
{
    if (out_len)
        bm_syscall(SYS_WRITE, 1, (uint64_t)(uintptr_t)out_buf, out_len);
    out_len = 0;
}

static void out_char(char c)
{
    out_buf[out_len++] = c;
    if (c == '\n' || out_len == sizeof out_buf)
        out_flush();
}

static void out_num(uint64_t v, unsigned base, int neg)
{
    char digits[24];
    int n = 0;
    if (neg)
        out_char('-');
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n)
        out_char(digits[--n]);
}

/* %d %u %x %s %c %% with an optional l or ll. */
int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        int longs = 0;
        if (*p != '%') {
            out_char(*p);
            continue;
        }
        while (*++p == 'l')
            longs++;
        switch (*p) {
        case 'd': {
            int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
            out_num(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            out_num(v, *p == 'u' ? 10 : 16, 0);
            break;
        }
        case 's':
            for (const char *s = va_arg(ap, const char *); *s; s++)
                out_char(*s);
            break;
        case 'c':
            out_char((char)va_arg(ap, int));
            break;
        case '%':
            out_char('%');
            break;
        default:
            out_char('?');
            if (!*p)
                p--;
        }
    }
    va_end(ap);
    return 0;
}

int bm_verdict(const char *name, int errors, uint64_t checksum, uint64_t instret)
{
    if (errors)
        printf("%s: FAILED: %d errors (checksum %lx)\n", name, errors, checksum);
    else
        printf("%s: ok (checksum %lx, %lu instructions in the kernel)\n", name, checksum, instret);
    return errors ? 1 : 0;
}

uint64_t bm_trap(uint64_t cause, uint64_t epc, uint64_t *regs)
{
    (void)regs;
    printf("trap: unexpected cause %lu at pc %lx\n", cause, epc);
    bm_exit(BM_TRAP_EXIT);
}

void bm_start(void)
{
    memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
    int code = main();
    out_flush();
    bm_exit(code);
}
