/* http_docs.h - the httpd's document set: parsed from deployment.app_args
 * (the firmware reads it from its boot information, the client hosts' HTTP
 * driver from the configuration, with this same code), and the bytes of
 * each document, a function of its path and offset that a client can check
 * without a copy.
 *
 * Syntax of deployment.app_args for httpd: settings separated by spaces,
 * each NAME=VALUE; the only one today is
 *   docs=PATH:SIZE[,PATH:SIZE...]
 * PATH: '/' then up to HTTP_DOC_PATH_MAX - 1 bytes of A-Z a-z 0-9 . _ ~ - /
 * in total; SIZE: decimal bytes, optionally followed by k (x 1024) or m
 * (x 1048576), at most HTTP_DOC_SIZE_MAX; at most HTTP_DOCS_MAX documents,
 * HTTP_DOCS_BYTES_MAX bytes together, no path twice. Empty args, or no
 * docs= setting: HTTP_DOCS_DEFAULT.
 * Freestanding C11 (snprintf only). */
#ifndef DL_APPS_HTTP_DOCS_H
#define DL_APPS_HTTP_DOCS_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_DOCS_MAX       32u
#define HTTP_DOC_PATH_MAX   64u            /* with its NUL (as HTTP_PATH_MAX) */
#define HTTP_DOC_SIZE_MAX   (1u << 20)
#define HTTP_DOCS_BYTES_MAX (4u << 20)
#define HTTP_DOCS_DEFAULT   "docs=/64:64,/1k:1k,/16k:16k,/index.html:4k"

typedef struct http_doc {
    char path[HTTP_DOC_PATH_MAX];
    uint32_t path_len;
    uint32_t size;
    uint64_t key;            /* from the path: seeds the bytes */
    uint64_t offset;         /* where its bytes start in the server's store */
    const char *type;        /* Content-Type */
} http_doc_t;

typedef struct http_docs {
    uint32_t n;
    uint64_t bytes;          /* all documents together */
    http_doc_t doc[HTTP_DOCS_MAX];
} http_docs_t;

/* Parses args (NULL or "" for the default set). Returns 0, or -1 with what
 * is wrong in err (naming the setting and what was expected). */
int http_docs_parse(const char *args, http_docs_t *d, char *err, size_t errlen);

/* The document at path (path_len bytes), or NULL. */
const http_doc_t *http_docs_find(const http_docs_t *d, const char *path, uint32_t path_len);

/* Bytes [off, off + n) of document doc. */
void http_doc_fill(const http_doc_t *doc, uint64_t off, uint8_t *dst, size_t n);

/* The number of bytes of src[0 .. n) that match doc from off (n when all). */
size_t http_doc_check(const http_doc_t *doc, uint64_t off, const uint8_t *src, size_t n);

#endif
