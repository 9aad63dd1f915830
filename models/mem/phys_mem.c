/* phys_mem.c - the shared physical memory: an mmap'd reservation filled on
 * first touch, and the DMA write path that notifies observers; the private
 * memory of tiles: copy-on-write views of one image (memfd). */
#define _GNU_SOURCE /* memfd_create */
#include "mem/phys_mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

static uint64_t host_page(void)
{
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (uint64_t)p : 4096;
}

int phys_image_init(phys_image *m, uint64_t size, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->fd = -1;
    if (size == 0 || size % host_page()) {
        snprintf(err, errlen, "private window of %llu bytes: expected a multiple of the host page (%llu bytes)",
                 (unsigned long long)size, (unsigned long long)host_page());
        return -1;
    }
    m->fd = memfd_create("dlsim-image", MFD_CLOEXEC);
    if (m->fd < 0 || ftruncate(m->fd, (off_t)size) != 0) {
        snprintf(err, errlen, "cannot make a host file for the firmware image: %s", strerror(errno));
        phys_image_free(m);
        return -1;
    }
    m->size = size;
    return 0;
}

/* Records that [off, end) holds bytes, merged with the last range when they
 * touch (segments come in address order). */
static int image_range(phys_image *m, uint64_t off, uint64_t end)
{
    if (m->n && off <= m->range[m->n - 1][1] && end >= m->range[m->n - 1][0]) {
        uint64_t *r = m->range[m->n - 1];
        m->bytes -= r[1] - r[0];
        if (off < r[0]) r[0] = off;
        if (end > r[1]) r[1] = end;
        m->bytes += r[1] - r[0];
        return 0;
    }
    for (unsigned i = 0; i < m->n; i++)
        if (off < m->range[i][1] && end > m->range[i][0]) return -1; /* out of order and overlapping */
    if (m->n == m->cap) {
        unsigned cap = m->cap ? 2 * m->cap : 8;
        uint64_t(*nr)[2] = realloc(m->range, cap * sizeof *nr);
        if (!nr) return -1;
        m->range = nr;
        m->cap = cap;
    }
    m->range[m->n][0] = off;
    m->range[m->n][1] = end;
    m->n++;
    m->bytes += end - off;
    return 0;
}

int phys_image_write(phys_image *m, uint64_t off, const void *src, uint64_t len, char *err, size_t errlen)
{
    uint64_t page = host_page();
    if (len == 0) return 0;
    if (off > m->size || len > m->size - off) {
        snprintf(err, errlen, "image bytes %#llx..%#llx outside the %llu-byte window",
                 (unsigned long long)off, (unsigned long long)(off + len), (unsigned long long)m->size);
        return -1;
    }
    for (uint64_t done = 0; done < len;) {
        ssize_t w = pwrite(m->fd, (const uint8_t *)src + done, len - done, (off_t)(off + done));
        if (w <= 0) {
            snprintf(err, errlen, "cannot hold %llu bytes of firmware image in host memory: %s",
                     (unsigned long long)len, w < 0 ? strerror(errno) : "short write");
            return -1;
        }
        done += (uint64_t)w;
    }
    if (image_range(m, off & ~(page - 1), (off + len + page - 1) & ~(page - 1)) < 0) {
        snprintf(err, errlen, "image bytes %#llx..%#llx overlap earlier ones out of order",
                 (unsigned long long)off, (unsigned long long)(off + len));
        return -1;
    }
    return 0;
}

uint8_t *phys_image_map(const phys_image *m, char *err, size_t errlen)
{
    void *p = mmap(NULL, m->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        snprintf(err, errlen, "cannot reserve %llu MiB of host memory for the private window: %s "
                 "(windows are reserved, committed only where touched: check ulimit -v and "
                 "vm.overcommit_memory, or use fewer tiles or a smaller image)",
                 (unsigned long long)(m->size >> 20), strerror(errno));
        return NULL;
    }
    for (unsigned i = 0; i < m->n; i++) {
        uint64_t off = m->range[i][0], len = m->range[i][1] - off;
        if (mmap((uint8_t *)p + off, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE, m->fd,
                 (off_t)off) == MAP_FAILED) {
            snprintf(err, errlen, "cannot map %llu KiB of firmware image into host memory: %s",
                     (unsigned long long)(len >> 10), strerror(errno));
            munmap(p, m->size);
            return NULL;
        }
    }
    return p;
}

void phys_image_unmap(const phys_image *m, uint8_t *view)
{
    if (view) munmap(view, m->size);
}

void phys_image_free(phys_image *m)
{
    if (m->fd >= 0) close(m->fd);
    free(m->range);
    memset(m, 0, sizeof *m);
    m->fd = -1;
}

int64_t phys_host_available(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    long long avail = -1, swap = 0, v;
    if (!f) return -1;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "MemAvailable: %lld kB", &v) == 1) avail = v;
        else if (sscanf(line, "SwapFree: %lld kB", &v) == 1) swap = v;
    }
    fclose(f);
    return avail < 0 ? -1 : (int64_t)(avail + swap) * 1024;
}
