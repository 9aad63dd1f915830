/* phys_mem.h - the chip's shared physical memory: the bytes behind
 * TILE_SHARED_BASE that every tile and every DMA engine see. One host
 * mapping reserved with mmap and filled on first touch, so a large
 * configured size costs only the pages used (sparse on the host).
 *
 * Addresses here are tile addresses in [TILE_SHARED_BASE, +size). DMA
 * engines write through phys_mem_dma_write so that observers (the cache
 * model) can drop stale copies.
 *
 * Also the tiles' private memory (phys_image): one firmware image whose
 * initialised bytes the host holds once, and per tile a copy-on-write view
 * of it in which untouched pages cost nothing. */
#ifndef DL_MEM_PHYS_MEM_H
#define DL_MEM_PHYS_MEM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PHYS_MEM_OBSERVERS_MAX 4

typedef void (*phys_mem_observer)(void *ctx, uint64_t addr, uint64_t len);

typedef struct phys_mem {
    uint8_t *host;                 /* host bytes of [base, base + size) */
    uint64_t base, size;
    unsigned n_observers;
    phys_mem_observer observer[PHYS_MEM_OBSERVERS_MAX];
    void *observer_ctx[PHYS_MEM_OBSERVERS_MAX];
} phys_mem;

/* Reserves size bytes (a multiple of 4 KiB, at most TILE_SHARED_MAX) at
 * TILE_SHARED_BASE. Returns 0, or -1 with a message in err. */
int phys_mem_init(phys_mem *m, uint64_t size, char *err, size_t errlen);
void phys_mem_free(phys_mem *m);

/* Host pointer to [addr, addr + len), or NULL when any byte is outside. */
static inline uint8_t *phys_mem_ptr(const phys_mem *m, uint64_t addr, uint64_t len)
{
    uint64_t off = addr - m->base;
    if (off >= m->size || len > m->size - off) return NULL;
    return m->host + off;
}

/* Calls fn(ctx, addr, len) after every DMA write. Returns 0, or -1 when
 * PHYS_MEM_OBSERVERS_MAX observers are registered already. */
int phys_mem_observe(phys_mem *m, phys_mem_observer fn, void *ctx);

/* A DMA engine's write: copies and tells the observers. Returns 0, or -1
 * when the range is outside the memory (nothing is written). */
int phys_mem_dma_write(phys_mem *m, uint64_t addr, const void *src, uint64_t len);

/* A DMA engine's read. Returns 0, or -1 when the range is outside. */
int phys_mem_dma_read(const phys_mem *m, uint64_t addr, void *dst, uint64_t len);

/* A firmware image for the private windows of many tiles: a window of size
 * bytes, its initialised bytes held once in an anonymous host file. Each
 * tile maps its own view: pages holding image bytes are copy-on-write views
 * of the file (shared by every tile until one writes), the others are
 * reserved, not committed, and read as zero until touched. */
typedef struct phys_image {
    int fd;                  /* the initialised bytes (memfd), or -1 */
    uint64_t size;           /* bytes of the window (multiple of 4 KiB) */
    uint64_t (*range)[2];    /* host-page-rounded [off, end) holding bytes */
    unsigned n, cap;
    uint64_t bytes;          /* host memory the ranges hold, once */
} phys_image;

/* An empty image of size bytes. Returns 0, or -1 with a message. */
int phys_image_init(phys_image *m, uint64_t size, char *err, size_t errlen);

/* Writes len bytes at offset off of the window. Returns 0, or -1 with a
 * message (outside the window, host out of memory). */
int phys_image_write(phys_image *m, uint64_t off, const void *src, uint64_t len, char *err, size_t errlen);

/* A new private view of the window (reserved, committed only where
 * touched); NULL with a message naming the size when the host cannot
 * reserve it. Release with phys_image_unmap. */
uint8_t *phys_image_map(const phys_image *m, char *err, size_t errlen);
void phys_image_unmap(const phys_image *m, uint8_t *view);
void phys_image_free(phys_image *m);

/* Host memory available to new allocations (MemAvailable of /proc/meminfo,
 * plus free swap), in bytes; -1 when unknown. */
int64_t phys_host_available(void);

#ifdef __cplusplus
}
#endif
#endif
