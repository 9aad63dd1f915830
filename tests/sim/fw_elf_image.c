/* fw_elf_image.c - firmware for test_elf_image.c, with a 200 MiB .bss
 * array (so 7.2 GiB over 36 tiles if anything touched it all). Each tile
 * checks that
 *   - both ends of the array read as zero, and a store there stays its own;
 *   - an initialised variable starts at its image value and a store to it
 *     is seen by this tile only (tiles share the image, never their writes);
 *   - with protection off, tile 0 patches an instruction of answer() and
 *     sees the patch while every other tile still runs the original code.
 * It prints "elf_image ok" and exits 0, or prints what failed and exits 1. */
#include <stdint.h>
#include <stdio.h>

#include "boot/tile_rt.h"

#define BIG_BSS (200u << 20)
static char big[BIG_BSS];

static volatile uint64_t initialised = 0x1234567890abcdefULL;

/* Returns 1; tile 0 rewrites its first instruction to return 2. */
__attribute__((noinline, aligned(8))) static int answer(void)
{
    int r;
    __asm__ volatile("li %0, 1" : "=r"(r));
    return r;
}

static void wait_until(uint64_t cycle)
{
    while (tile_cycles() < cycle)
        ;
}

static int fail(const char *what)
{
    printf("elf_image FAIL: %s\n", what);
    return 1;
}

int main(void)
{
    unsigned id = tile_id();
    volatile char *lo = big, *hi = big + BIG_BSS - 1;
    if (*lo || *hi) return fail(".bss not zero");
    *lo = (char)(id + 1);
    *hi = (char)(id + 2);
    if (initialised != 0x1234567890abcdefULL) return fail("initialised data changed before the tile ran");
    initialised = id;
    int patch = !tile_boot_info()->protection && id == 0;
    if (patch) {
        /* answer() starts with "li a0, 1" (addi a0, zero, 1) or the same
         * into another register: set its immediate to 2. */
        volatile uint32_t *insn = (volatile uint32_t *)(uintptr_t)answer;
        uint32_t w = *insn;
        if ((w & 0xfff0707fu) != 0x00100013u) return fail("answer() does not start with li rd, 1");
        *insn = (w & 0x000fffffu) | (2u << 20);
        __asm__ volatile("fence.i" ::: "memory");
    }
    wait_until(20000); /* every tile has written its own values by now */
    if (initialised != id) return fail("another tile's store reached this tile's data");
    if (*lo != (char)(id + 1) || *hi != (char)(id + 2)) return fail("another tile's store reached this tile's .bss");
    if (answer() != (patch ? 2 : 1)) return fail(patch ? "the patched code did not run" : "another tile's code patch reached this tile");
    printf("elf_image ok\n");
    return 0;
}
