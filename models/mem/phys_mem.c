/* phys_mem.c - the shared physical memory: an mmap'd reservation filled on
 * first touch, and the DMA write path that notifies observers. */
#include "mem/phys_mem.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "abi/tile_memmap.h"

int phys_mem_init(phys_mem *m, uint64_t size, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    if (size == 0 || size % 4096 || size > TILE_SHARED_MAX) {
        snprintf(err, errlen, "shared memory of %llu bytes: expected a multiple of 4 KiB, at most %llu MiB",
                 (unsigned long long)size, (unsigned long long)(TILE_SHARED_MAX >> 20));
        return -1;
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        snprintf(err, errlen, "cannot reserve %llu MiB of host memory for the shared memory: %s",
                 (unsigned long long)(size >> 20), strerror(errno));
        return -1;
    }
    m->host = p;
    m->base = TILE_SHARED_BASE;
    m->size = size;
    return 0;
}

void phys_mem_free(phys_mem *m)
{
    if (m->host) munmap(m->host, m->size);
    m->host = NULL;
}

int phys_mem_observe(phys_mem *m, phys_mem_observer fn, void *ctx)
{
    if (m->n_observers == PHYS_MEM_OBSERVERS_MAX) return -1;
    m->observer[m->n_observers] = fn;
    m->observer_ctx[m->n_observers] = ctx;
    m->n_observers++;
    return 0;
}

int phys_mem_dma_write(phys_mem *m, uint64_t addr, const void *src, uint64_t len)
{
    uint8_t *p = phys_mem_ptr(m, addr, len);
    if (!p) return -1;
    memcpy(p, src, len);
    for (unsigned i = 0; i < m->n_observers; i++) m->observer[i](m->observer_ctx[i], addr, len);
    return 0;
}

int phys_mem_dma_read(const phys_mem *m, uint64_t addr, void *dst, uint64_t len)
{
    const uint8_t *p = phys_mem_ptr(m, addr, len);
    if (!p) return -1;
    memcpy(dst, p, len);
    return 0;
}
