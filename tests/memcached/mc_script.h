/* mc_script.h - command scripts for the memcached tests: a script is a list
 * of steps (compare.txt describes the format), each sent as one write, to
 * the real memcached (test_mc_compare.c) or fed to the engine built on the
 * host (mc_engine_*), whole or split at every byte; their replies are
 * compared after mc_normalise, which lists the fields that legitimately
 * differ. */
#ifndef DL_TESTS_MC_SCRIPT_H
#define DL_TESTS_MC_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "apps/memcached/mc_args.h"
#include "apps/memcached/mc_proto.h"

typedef struct mc_buf {
    char *p;
    size_t len, cap;
} mc_buf_t;

void mc_buf_add(mc_buf_t *b, const void *p, size_t n);
void mc_buf_free(mc_buf_t *b);

typedef struct mc_step {
    char *text;        /* with {CAS} left in place (mc_step_bytes expands it) */
    int nosplit;       /* its replies depend on how the bytes arrive */
    int line;          /* of the script */
} mc_step_t;

typedef struct mc_script {
    mc_step_t *steps;
    size_t n;
} mc_script_t;

/* Reads a script; the test fails (Check) when it cannot. */
void mc_script_load(const char *path, mc_script_t *s);
void mc_script_free(mc_script_t *s);
/* The bytes of a step: escapes decoded, {x*N} repeated, {CAS} the last CAS
 * unique seen (last_cas). */
void mc_step_bytes(const mc_step_t *st, uint64_t last_cas, mc_buf_t *out);
/* The last CAS unique in replies (a gets VALUE line or an mg/ms " c" flag);
 * unchanged when there is none. */
uint64_t mc_last_cas(const char *reply, size_t len, uint64_t last_cas);
/* Replies with the fields that legitimately differ from the real
 * memcached's replaced: VERSION's number, the STAT lines of stats. */
void mc_normalise(const char *in, size_t len, mc_buf_t *out);

/* The engine on the host: a store, one connection at a time. */
typedef struct mc_engine {
    void *mem;
    mc_store_t *st;
    mc_conn_t *conn;
    mc_buf_t out;
    uint64_t now_ns;
    unsigned refuse;   /* every refuse-th reservation fails (0: never): blocking */
    unsigned calls;
    int closed;        /* the last connection was closed by the engine */
    uint8_t *scratch;
    size_t scratch_cap;
} mc_engine_t;

void mc_engine_init(mc_engine_t *e, const mc_args_t *a);
void mc_engine_free(mc_engine_t *e);
/* Feeds len bytes in pieces of `piece` (0: whole), as a connection does,
 * feeding again after MC_BLOCKED; replies are appended to e->out. When the
 * engine closes the connection the rest is dropped and the next call uses a
 * new connection. */
void mc_engine_feed(mc_engine_t *e, const void *in, size_t len, size_t piece);

#endif
