/* iss_host_access.h - one guest access of 1, 2, 4 or 8 bytes to host memory
 * (the ISS's RAM and TLB path, the tile core's shared memory): a memcpy of
 * a constant size each, so no libc call; the host is little-endian, as the
 * guest. */
#ifndef DL_CORE_ISS_HOST_ACCESS_H
#define DL_CORE_ISS_HOST_ACCESS_H

#include <stdint.h>
#include <string.h>

/* A store writes the low n bytes of *val at p; a load sets *val to the n
 * bytes at p, zero-extended. */
static inline void iss_host_access(uint8_t *p, uint64_t *val, unsigned n, int store)
{
    void *dst = store ? (void *)p : (void *)val;
    const void *src = store ? (const void *)val : (const void *)p;
    if (!store) *val = 0;
    switch (n) {
    case 1: memcpy(dst, src, 1); break;
    case 2: memcpy(dst, src, 2); break;
    case 4: memcpy(dst, src, 4); break;
    default: memcpy(dst, src, 8); break;
    }
}

#endif
