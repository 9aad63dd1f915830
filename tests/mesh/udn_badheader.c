/* udn_badheader.c - UDN firmware test: tile 1 sends a header naming a tile
 * outside the mesh and must be stopped by the fault; tile 0 keeps running
 * and exits normally after the fault. */
#include <stdint.h>
#include <stdio.h>

#include "abi/tile_memmap.h"
#include "abi/udn.h"
#include "boot/tile_rt.h"

int main(void)
{
    unsigned me = tile_id();
    if (me == 1) {
        *(volatile uint64_t *)(uintptr_t)(TILE_UDN_BASE + UDN_SEND) = udn_header(9, 0, 0, 1);
        printf("not stopped\n");
        return 1;
    }
    if (me == 0) {
        uint64_t t0 = tile_cycles();
        while (tile_cycles() - t0 < 2000) {
        }
        printf("still running\n");
    }
    return 0;
}
