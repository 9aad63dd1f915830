/* store_code.c - for dlsim --elf with mem.protection on: a user-mode
 * program that stores into its own code segment (a const word in .rodata,
 * which the linker puts in the read-execute segment). With protection it
 * stops with a fault report; without, it prints and exits 0. */
#include <stdint.h>
#include <stdio.h>

/* Stores v into a const object (the optimiser must not see through it). */
static void poke_code(const uint64_t *p, uint64_t v)
{
    uint64_t *q = (uint64_t *)(uintptr_t)p;
    __asm__ volatile("" : "+r"(q));
    *(volatile uint64_t *)q = v;
}

static const uint64_t ro_word = 1;

int main(void)
{
    poke_code(&ro_word, 2);
    printf("stored into code: %llu\n", (unsigned long long)*(const volatile uint64_t *)&ro_word);
    return 0;
}
