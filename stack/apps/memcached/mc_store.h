/* mc_store.h - memcached's item store in one fixed arena: a hash table of
 * items, item memory in slab classes (chunk sizes growing by a factor, pages
 * handed to classes on demand, as memcached's slabs), an LRU per class from
 * which a class evicts when its pages are used up, expiry in the caller's
 * clock with memcached's rules (relative vs absolute exptime, negative =
 * expired at once), flush_all, CAS uniques from one counter (as memcached:
 * one per store, incr/decr and flush_all).
 *
 * The arena may be shared by several tiles (the same virtual address on
 * each): every operation below is done with the store locked
 * (mc_store_lock), a ticket lock (first come, first served). Freestanding C11:
 * no allocation, no OS call. Items are used under the lock, but for the
 * bytes of a value being sent, which a reference keeps (mc_store_ref). */
#ifndef DL_APPS_MC_STORE_H
#define DL_APPS_MC_STORE_H

#include <stddef.h>
#include <stdint.h>

#define MC_KEY_MAX        250u
#define MC_STORE_ALIGN    64u
#define MC_CLASSES_MAX    64u
#define MC_VERSION        "1.6.18"
/* memcached's REALTIME_MAXDELTA: exptimes above are absolute unix times */
#define MC_REALTIME_MAXDELTA (60 * 60 * 24 * 30)
/* memcached's item header and CAS, counted in the item size limit */
#define MC_ITEM_HDR_MC    56u

/* Settings (deployment.app_args, mc_args.h). */
typedef struct mc_settings {
    uint64_t mem_bytes;     /* item memory (memcached -m) */
    uint32_t item_max;      /* largest item, header and key included (-I) */
    uint32_t hash_power;    /* 2^hash_power buckets */
    uint32_t factor_pct;    /* chunk size growth factor x 100 (-f 1.25 = 125) */
    uint32_t chunk_min;     /* smallest chunk (bytes) */
    int64_t  epoch;         /* unix time at clock 0 (absolute exptimes) */
} mc_settings_t;

typedef struct mc_item mc_item_t;
struct mc_item {
    mc_item_t *hnext;       /* hash chain */
    mc_item_t *prev, *next; /* LRU of its class (head: most recent) */
    uint64_t cas;
    uint32_t exptime;       /* relative seconds (memcached's rel_time_t); 0: never */
    uint32_t time;          /* last store or access (rel seconds) */
    uint32_t flags;         /* client flags */
    uint32_t nbytes;        /* value bytes with the trailing "\r\n" */
    uint8_t  nkey, cls, fetched, linked;
    uint16_t refcount;      /* readers outside the lock (a value being sent) */
    uint8_t  kbin;          /* the key was given in base64 (meta flag b): returned so */
    uint8_t  pad;
    /* key[nkey], then value[nbytes] */
};

static inline char *mc_item_key(mc_item_t *it) { return (char *)(it + 1); }
static inline char *mc_item_data(mc_item_t *it) { return (char *)(it + 1) + it->nkey; }

/* Store results (memcached's store_item_type). */
enum { MC_STORED = 0, MC_NOT_STORED, MC_EXISTS, MC_NOT_FOUND };
/* Store commands (memcached's NREAD_*). */
enum { MC_CMD_SET = 0, MC_CMD_ADD, MC_CMD_REPLACE, MC_CMD_APPEND, MC_CMD_PREPEND, MC_CMD_CAS };
/* Allocation failures. */
enum { MC_ALLOC_OK = 0, MC_ALLOC_TOO_LARGE, MC_ALLOC_NO_MEMORY };
/* incr/decr results. */
enum { MC_DELTA_OK = 0, MC_DELTA_NON_NUMERIC, MC_DELTA_EOM, MC_DELTA_NOT_FOUND, MC_DELTA_CAS_MISMATCH };

#define MC_STORE_STATS(X) \
    X(curr_items) X(total_items) X(bytes) X(evictions) X(reclaimed) X(expired_unfetched) \
    X(evicted_unfetched) X(cmd_get) X(cmd_set) X(cmd_touch) X(cmd_flush) X(get_hits) X(get_misses) \
    X(get_expired) X(get_flushed) X(touch_hits) X(touch_misses) X(delete_hits) X(delete_misses) \
    X(incr_hits) X(incr_misses) X(decr_hits) X(decr_misses) X(cas_hits) X(cas_misses) X(cas_badval) \
    X(store_too_large) X(store_no_memory) X(pages_used) X(curr_connections) X(total_connections)

typedef struct mc_store_stats {
#define MC_STAT_FIELD(n) uint64_t n;
    MC_STORE_STATS(MC_STAT_FIELD)
#undef MC_STAT_FIELD
} mc_store_stats_t;

typedef struct mc_store mc_store_t;

/* Bytes of arena a store of these settings needs (0: bad settings). */
size_t      mc_store_footprint(const mc_settings_t *s);
/* Formats the arena (footprint bytes, MC_STORE_ALIGN-aligned); zeroed:
 * the caller knows the arena is all zero (the hash table is not cleared:
 * the chip's shared memory at boot). */
mc_store_t *mc_store_new(void *mem, const mc_settings_t *s, int zeroed);
/* The store formatted at mem by another tile, or NULL while it is not (yet). */
mc_store_t *mc_store_join(void *mem);

/* Takes the lock and advances the store's clock to now_ns (the caller's
 * clock; the store's never goes back). The calling tile's count of
 * acquisitions and of those that found the lock taken grow (mc_lock_stats). */
void mc_store_lock(mc_store_t *st, uint64_t now_ns);

/* This tile's (this process's) use of store locks: acquisitions, those that
 * found the lock taken, and the reads of the lock word made waiting. */
typedef struct mc_lock_stats { uint64_t taken, waited, spins, wait_cycles; } mc_lock_stats_t;
extern mc_lock_stats_t mc_lock_stats;
/* The caller's cycle counter (NULL: wait_cycles is not counted): the tile's
 * cycles spent waiting for the lock are wait_cycles. */
extern uint64_t (*mc_lock_clock)(void);
void mc_store_unlock(mc_store_t *st);

const mc_settings_t *mc_store_settings(const mc_store_t *st);
mc_store_stats_t    *mc_store_stats(mc_store_t *st);
uint32_t mc_store_now(const mc_store_t *st);        /* rel seconds */
int64_t  mc_store_unix_now(const mc_store_t *st);   /* unix seconds */
uint64_t mc_store_uptime(const mc_store_t *st);

/* memcached's realtime(EXPTIME_TO_POSITIVE_TIME(e)): the rel time of an
 * exptime given by a client. */
uint32_t mc_store_realtime(const mc_store_t *st, int32_t exptime);

/* The live item of key, or NULL (an expired or flushed one is removed).
 * update: counts as an access (LRU bump, fetched). */
mc_item_t *mc_store_get(mc_store_t *st, const char *key, uint32_t nkey, int update);
/* An unlinked item with room for nbytes of value ("\r\n" included), or
 * NULL and *err (MC_ALLOC_TOO_LARGE: over item_max as memcached counts it;
 * MC_ALLOC_NO_MEMORY: nothing to evict in its class). */
mc_item_t *mc_store_alloc(mc_store_t *st, const char *key, uint32_t nkey, uint32_t flags, uint32_t exptime,
                          uint32_t nbytes, int *err);
/* Frees an unlinked item. */
void mc_store_free(mc_store_t *st, mc_item_t *it);
/* memcached's do_store_item: it (unlinked, with it->cas = the CAS asked for
 * or 0) is linked or freed; *cas_out = its new CAS when STORED. */
int mc_store_item(mc_store_t *st, mc_item_t *it, int cmd, uint64_t *cas_out);
/* Removes a linked item; frees it unless it is referenced (then at its
 * last mc_store_release). */
void mc_store_unlink(mc_store_t *st, mc_item_t *it);
/* A reference keeps an item's bytes as they are (outside the lock too): a
 * referenced item is never changed in place, evicted or reused. */
void mc_store_ref(mc_store_t *st, mc_item_t *it);
void mc_store_release(mc_store_t *st, mc_item_t *it);
/* incr/decr: buf gets the new value (decimal, NUL-terminated). req_cas: 0
 * or the CAS the item must have. *it_out: the item now holding the value. */
int mc_store_delta(mc_store_t *st, const char *key, uint32_t nkey, int incr, uint64_t delta, char buf[24],
                   uint64_t req_cas, mc_item_t **it_out);
/* A new CAS unique (memcached's get_cas_id). */
uint64_t mc_store_next_cas(mc_store_t *st);
/* flush_all with memcached's exptime argument (0: now). */
void mc_store_flush(mc_store_t *st, int32_t exptime);
/* Whether an item of this key, flags and value (nbytes with "\r\n") is
 * within item_max as memcached counts it. */
int mc_store_size_ok(const mc_store_t *st, uint32_t nkey, uint32_t flags, uint32_t nbytes);

/* memcached's safe_strtoull/safe_strtoul/safe_strtol over [s, s+n): 1 and
 * *out, or 0. */
int mc_strtoull(const char *s, uint32_t n, uint64_t *out);
int mc_strtoul(const char *s, uint32_t n, uint32_t *out);
int mc_strtol(const char *s, uint32_t n, int32_t *out);
/* Decimal of v into p (no NUL); returns the end. */
char *mc_utoa(uint64_t v, char *p);

#endif
