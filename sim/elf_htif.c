/* elf_htif.c - serves the `tohost` system calls of bare-metal programs
 * (see elf_htif.h): write and exit, the names of the others. */
#include <inttypes.h>
#include <string.h>

#include "elf_htif.h"

#define HTIF_BLOCK 64          /* bytes of a system-call block */
#define HTIF_EBADF 9
#define HTIF_EFAULT 14

enum { SYS_WRITE = 64, SYS_EXIT = 93, SYS_EXIT_GROUP = 94 };

static const struct {
    uint64_t n;
    const char *name;
} htif_calls[] = {
    { 17, "getcwd" },         { 23, "dup" },            { 25, "fcntl" },
    { 29, "ioctl" },          { 34, "mkdirat" },        { 35, "unlinkat" },
    { 37, "linkat" },         { 38, "renameat" },       { 46, "ftruncate" },
    { 48, "faccessat" },      { 49, "chdir" },          { 56, "openat" },
    { 57, "close" },          { 61, "getdents64" },     { 62, "lseek" },
    { 63, "read" },           { 64, "write" },          { 65, "readv" },
    { 66, "writev" },         { 67, "pread64" },        { 68, "pwrite64" },
    { 78, "readlinkat" },     { 79, "fstatat" },        { 80, "fstat" },
    { 93, "exit" },           { 94, "exit_group" },     { 96, "set_tid_address" },
    { 98, "futex" },          { 101, "nanosleep" },     { 113, "clock_gettime" },
    { 124, "sched_yield" },   { 129, "kill" },          { 134, "rt_sigaction" },
    { 135, "rt_sigprocmask" }, { 153, "times" },        { 160, "uname" },
    { 169, "gettimeofday" },  { 172, "getpid" },        { 174, "getuid" },
    { 175, "geteuid" },       { 176, "getgid" },        { 177, "getegid" },
    { 178, "gettid" },        { 179, "sysinfo" },       { 214, "brk" },
    { 215, "munmap" },        { 222, "mmap" },          { 226, "mprotect" },
    { 261, "prlimit64" },     { 278, "getrandom" },     { 291, "statx" },
    /* the proxy kernel's own numbers */
    { 1024, "open" },         { 1026, "unlink" },       { 1030, "mkdir" },
    { 1038, "stat" },         { 1039, "lstat" },        { 2011, "getmainvars" },
};

const char *elf_htif_call_name(uint64_t n)
{
    for (size_t i = 0; i < sizeof htif_calls / sizeof htif_calls[0]; i++)
        if (htif_calls[i].n == n)
            return htif_calls[i].name;
    return NULL;
}

static int htif_in_ram(const elf_htif *h, uint64_t addr, uint64_t len)
{
    uint64_t off = addr - h->ram_base;
    return addr >= h->ram_base && off <= h->ram_size && len <= h->ram_size - off;
}

static void htif_put(elf_htif *h, uint64_t addr, uint64_t v)
{
    if (addr && htif_in_ram(h, addr, 8))
        memcpy(h->ram + (addr - h->ram_base), &v, 8);
}

/* write(fd, buf, len): the bytes to the host's stdout or stderr. */
static int64_t htif_write(elf_htif *h, uint64_t fd, uint64_t buf, uint64_t len)
{
    FILE *f = fd == 1 ? h->out : fd == 2 ? h->err : NULL;
    if (!f)
        return -HTIF_EBADF;
    if (!htif_in_ram(h, buf, len))
        return -HTIF_EFAULT;
    if (f == h->err)
        fflush(h->out); /* keep the order of the two streams */
    fwrite(h->ram + (buf - h->ram_base), 1, len, f);
    fflush(f);
    return (int64_t)len;
}

elf_htif_result elf_htif_serve(elf_htif *h, uint64_t value)
{
    uint64_t w[HTIF_BLOCK / 8];
    int64_t ret;
    h->value = value;
    if (value >> 48)
        return ELF_HTIF_BAD_VALUE; /* another HTIF device or command */
    if (value & 1) {
        h->exit_code = (int64_t)(value >> 1);
        h->by_call = 0;
        return ELF_HTIF_EXIT;
    }
    if (!htif_in_ram(h, value, HTIF_BLOCK))
        return ELF_HTIF_BAD_VALUE;
    memcpy(w, h->ram + (value - h->ram_base), sizeof w);
    switch (w[0]) {
    case SYS_WRITE:
        ret = htif_write(h, w[1], w[2], w[3]);
        break;
    case SYS_EXIT:
    case SYS_EXIT_GROUP:
        h->exit_code = (int64_t)w[1];
        h->by_call = 1;
        return ELF_HTIF_EXIT;
    default:
        h->call = w[0];
        h->block = value;
        return ELF_HTIF_UNSUPPORTED;
    }
    h->calls++;
    htif_put(h, value, (uint64_t)ret);
    htif_put(h, h->tohost, 0);
    htif_put(h, h->fromhost, 1);
    return ELF_HTIF_SERVED;
}

int elf_htif_report(const elf_htif *h, elf_htif_result res, const char *path, FILE *f)
{
    const char *name;
    switch (res) {
    case ELF_HTIF_EXIT:
        if (h->exit_code == 0) {
            fprintf(f, "elf: %s: PASS\n", path);
            return 0;
        }
        if (h->by_call)
            fprintf(f, "elf: %s: FAIL: exit code %" PRId64 " (exit system call)\n", path,
                    h->exit_code);
        else
            fprintf(f, "elf: %s: FAIL: test %" PRIu64 " failed (exit code %" PRIu64 ", tohost = %#" PRIx64
                    ")\n", path, h->value >> 1, h->value >> 1, h->value);
        return 1;
    case ELF_HTIF_BAD_VALUE:
        if (h->value >> 48)
            fprintf(f, "elf: %s: FAIL: tohost = %#" PRIx64 ": HTIF device %u, command %u is not "
                    "served (only device 0, command 0: exit and system calls)\n", path, h->value,
                    (unsigned)(h->value >> 56), (unsigned)(h->value >> 48) & 0xffu);
        else
            fprintf(f, "elf: %s: FAIL: tohost = %#" PRIx64 ": an even value points to a "
                    "system-call block, and %#" PRIx64 "..%#" PRIx64 " is outside RAM "
                    "(%#" PRIx64 "..%#" PRIx64 ")\n", path, h->value, h->value,
                    h->value + HTIF_BLOCK - 1, h->ram_base, h->ram_base + h->ram_size - 1);
        return 1;
    case ELF_HTIF_UNSUPPORTED:
        name = elf_htif_call_name(h->call);
        fprintf(f, "elf: %s: FAIL: unsupported system call %" PRIu64 " (%s) through tohost "
                "(block at %#" PRIx64 "): dlsim --elf serves write (64) to fd 1 and 2, and "
                "exit (93)\n", path, h->call, name ? name : "unknown", h->block);
        return 1;
    case ELF_HTIF_SERVED:
        break;
    }
    return 1;
}
