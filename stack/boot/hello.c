/* hello.c - the smallest tile program: prints through picolibc's printf on
 * the console register and exits with status 0. */
#include <stdio.h>

#include "boot/tile_rt.h"

int main(void)
{
    printf("hello from tile %u after %llu cycles\n", tile_id(),
           (unsigned long long)tile_cycles());
    return 0;
}
