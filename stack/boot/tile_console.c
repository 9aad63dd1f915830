/* tile_console.c - picolibc's stdout/stderr on the tile's console register,
 * and _exit() on the exit register (models/abi/tile_memmap.h). */
#include <stdint.h>
#include <stdio.h>

#include "abi/tile_memmap.h"

static int tile_console_putc(char ch, FILE *f)
{
    (void)f;
    *(volatile uint8_t *)(uintptr_t)TILE_SYS_CONSOLE = (uint8_t)ch;
    return (unsigned char)ch;
}

static FILE tile_console = FDEV_SETUP_STREAM(tile_console_putc, NULL, NULL, _FDEV_SETUP_WRITE);

FILE *const stdout = &tile_console;
FILE *const stderr = &tile_console;
FILE *const stdin = NULL;

void _exit(int code);

void _exit(int code)
{
    *(volatile uint64_t *)(uintptr_t)TILE_SYS_EXIT = (uint64_t)(int64_t)code;
    for (;;)
        ;
}
