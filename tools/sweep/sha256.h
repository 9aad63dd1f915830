/* sha256.h - SHA-256 (FIPS 180-4), the hash of a sweep point's inputs
 * (inputs.hash): collision resistant, so equal hashes mean equal inputs. */
#ifndef DL_SWEEP_SHA256_H
#define DL_SWEEP_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t bytes;      /* message length so far */
    uint8_t block[64];
    size_t fill;         /* bytes waiting in block */
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
/* Writes the digest as 64 lower-case hex digits and a NUL into hex[65]. */
void sha256_final_hex(sha256_ctx *c, char hex[65]);

/* The digest of a whole file in hex; 0, or -1 when it cannot be read. */
int sha256_file_hex(const char *path, char hex[65]);

#endif
