/* mc_store.c - memcached's item store in a fixed arena (mc_store.h): hash
 * table, slab classes with pages handed out on demand, an LRU per class,
 * expiry and flush_all by memcached's rules, CAS uniques. */
#include "mc_store.h"

#include <string.h>

#define MC_STORE_MAGIC 0x4d43535430303031ULL /* "MCST0001" */
#define PAGE_MIN       (1024u * 1024u)
#define UPDATE_INTERVAL 60u   /* memcached's ITEM_UPDATE_INTERVAL */
#define TIME_START     62u    /* memcached's current_time at start (process_started = now - 62) */

typedef struct mc_class {
    uint32_t size, perpage;
    mc_item_t *free;
    mc_item_t *head, *tail;    /* LRU */
    uint8_t *cur;              /* rest of its newest page */
    uint32_t cur_left;
    uint32_t pad;
} mc_class_t;

/* The lock is a ticket lock: a tile takes the next ticket (one fetch-add)
 * and waits until `serving` shows it; the holder hands the lock on by
 * storing serving + 1. Each word has its cache line, apart from the store's
 * fields written under the lock, so waiters re-read `serving` only when
 * the lock changes hands. (A test-and-set lock, which this replaced, let
 * the tiles nearest the lock line's home win every release: with 36 tiles
 * the farthest waited for the lock for the whole run: README.md.) */
struct mc_store {
    uint64_t magic;
    _Alignas(64) volatile uint32_t next;     /* the next ticket to take */
    _Alignas(64) volatile uint32_t serving;  /* the ticket holding the lock */
    _Alignas(64) uint32_t nclasses;
    mc_settings_t s;
    uint64_t clock_ns;
    uint32_t now;              /* rel seconds */
    uint32_t oldest_live;      /* flush_all */
    uint64_t oldest_cas;
    uint64_t cas;
    uint64_t page_size, npages;
    mc_item_t **buckets;
    uint8_t *pages;
    mc_store_stats_t stats;
    mc_class_t cls[MC_CLASSES_MAX];
};

#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((uint64_t)(a) - 1))

static uint64_t page_size_of(const mc_settings_t *s)
{
    return s->item_max > PAGE_MIN ? ALIGN_UP((uint64_t)s->item_max, 64) : PAGE_MIN;
}

static uint64_t off_buckets(void) { return ALIGN_UP(sizeof(mc_store_t), 64); }
static uint64_t off_pages(const mc_settings_t *s)
{
    return ALIGN_UP(off_buckets() + ((uint64_t)8 << s->hash_power), 4096);
}

size_t mc_store_footprint(const mc_settings_t *s)
{
    if (!s || s->hash_power < 4 || s->hash_power > 28 || s->factor_pct < 101 || s->chunk_min < 64 ||
        s->item_max < 1024 || s->chunk_min > s->item_max)
        return 0;
    uint64_t page = page_size_of(s);
    if (s->mem_bytes < page) return 0;
    return (size_t)(off_pages(s) + s->mem_bytes / page * page);
}

mc_store_t *mc_store_new(void *mem, const mc_settings_t *s, int zeroed)
{
    if (!mem || ((uintptr_t)mem & (MC_STORE_ALIGN - 1)) || !mc_store_footprint(s)) return NULL;
    mc_store_t *st = (mc_store_t *)mem;
    memset(st, 0, sizeof *st);
    st->s = *s;
    st->now = TIME_START;
    st->page_size = page_size_of(s);
    st->npages = s->mem_bytes / st->page_size;
    st->buckets = (mc_item_t **)((uint8_t *)mem + off_buckets());
    if (!zeroed) memset(st->buckets, 0, (size_t)8 << s->hash_power);
    st->pages = (uint8_t *)mem + off_pages(s);
    /* chunk sizes: chunk_min growing by the factor, the last item_max */
    uint64_t size = ALIGN_UP((uint64_t)s->chunk_min, 8);
    uint32_t n = 0;
    while (n < MC_CLASSES_MAX - 1 && size < s->item_max) {
        st->cls[n].size = (uint32_t)size;
        n++;
        uint64_t next = ALIGN_UP(size * s->factor_pct / 100, 8);
        size = next > size ? next : size + 8;
    }
    st->cls[n++].size = s->item_max;
    for (uint32_t i = 0; i < n; i++) st->cls[i].perpage = (uint32_t)(st->page_size / st->cls[i].size);
    st->nclasses = n;
    st->stats.pages_used = 0;
    __atomic_store_n(&st->magic, MC_STORE_MAGIC, __ATOMIC_RELEASE);
    return st;
}

mc_store_t *mc_store_join(void *mem)
{
    mc_store_t *st = (mc_store_t *)mem;
    return st && __atomic_load_n(&st->magic, __ATOMIC_ACQUIRE) == MC_STORE_MAGIC ? st : NULL;
}

mc_lock_stats_t mc_lock_stats;
uint64_t (*mc_lock_clock)(void);

/* A waiter's pause between two reads of `serving`, in iterations of an
 * empty loop (about a cycle each on the tile): LOCK_POLL when it is next,
 * plus LOCK_BACKOFF per holder ahead of it, well under a holder's time
 * (the busy lock on the TILE-Gx36 changed hands ~1 M times a second:
 * ~1200 cycles each). Waiters read the line (a sync point in the model)
 * ~20 times per wait instead of thousands; the next one sees the lock
 * handed on at most LOCK_POLL iterations later. */
#define LOCK_BACKOFF 64u
#define LOCK_POLL    8u

void mc_store_lock(mc_store_t *st, uint64_t now_ns)
{
    mc_lock_stats.taken++;
    uint32_t ticket = __atomic_fetch_add(&st->next, 1u, __ATOMIC_ACQUIRE);
    uint32_t serving = __atomic_load_n(&st->serving, __ATOMIC_ACQUIRE);
    if (serving != ticket) {
        mc_lock_stats.waited++;
        uint64_t t0 = mc_lock_clock ? mc_lock_clock() : 0;
        while (serving != ticket) {
            /* Proportional back-off: d - 1 holders come first, each holding
             * the lock LOCK_BACKOFF idle iterations or (much) longer. */
            uint32_t d = ticket - serving;
            for (uint32_t i = (d - 1) * LOCK_BACKOFF + LOCK_POLL; i; i--) __asm__ volatile("");
            mc_lock_stats.spins++;
            serving = __atomic_load_n(&st->serving, __ATOMIC_ACQUIRE);
        }
        if (mc_lock_clock) mc_lock_stats.wait_cycles += mc_lock_clock() - t0;
    }
    if (now_ns > st->clock_ns) {
        st->clock_ns = now_ns;
        st->now = TIME_START + (uint32_t)(now_ns / 1000000000ull);
    }
}

/* Only the holder writes `serving`: a plain load and a store-release. */
void mc_store_unlock(mc_store_t *st) { __atomic_store_n(&st->serving, st->serving + 1u, __ATOMIC_RELEASE); }

const mc_settings_t *mc_store_settings(const mc_store_t *st) { return &st->s; }
mc_store_stats_t *mc_store_stats(mc_store_t *st) { return &st->stats; }
uint32_t mc_store_now(const mc_store_t *st) { return st->now; }
int64_t mc_store_unix_now(const mc_store_t *st) { return st->s.epoch - TIME_START + st->now; }
uint64_t mc_store_uptime(const mc_store_t *st) { return st->now - TIME_START; }

uint32_t mc_store_realtime(const mc_store_t *st, int32_t e)
{
    int64_t x = e < 0 ? MC_REALTIME_MAXDELTA + 1 : e;
    if (x == 0) return 0;
    if (x > MC_REALTIME_MAXDELTA) {
        int64_t started = st->s.epoch - TIME_START;
        if (x <= started) return 1;
        return (uint32_t)(x - started);
    }
    return (uint32_t)(x + st->now);
}

uint64_t mc_store_next_cas(mc_store_t *st) { return ++st->cas; }

int mc_store_size_ok(const mc_store_t *st, uint32_t nkey, uint32_t flags, uint32_t nbytes)
{
    uint64_t total = (uint64_t)MC_ITEM_HDR_MC + nkey + 1 + nbytes + (flags ? 4 : 0);
    return nbytes >= 2 && total <= st->s.item_max;
}

/* ---- hash table and LRU ---------------------------------------------------- */

static uint32_t hash_key(const char *k, uint32_t n)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i++) h = (h ^ (uint8_t)k[i]) * 16777619u;
    return h;
}

static mc_item_t **bucket(mc_store_t *st, const char *key, uint32_t nkey)
{
    return &st->buckets[hash_key(key, nkey) & ((1u << st->s.hash_power) - 1)];
}

static uint64_t item_total(const mc_item_t *it) { return ALIGN_UP(sizeof(mc_item_t) + it->nkey + it->nbytes, 8); }

static void lru_remove(mc_store_t *st, mc_item_t *it)
{
    mc_class_t *c = &st->cls[it->cls];
    if (it->prev) it->prev->next = it->next; else c->head = it->next;
    if (it->next) it->next->prev = it->prev; else c->tail = it->prev;
    it->prev = it->next = NULL;
}

static void lru_head(mc_store_t *st, mc_item_t *it)
{
    mc_class_t *c = &st->cls[it->cls];
    it->prev = NULL;
    it->next = c->head;
    if (c->head) c->head->prev = it; else c->tail = it;
    c->head = it;
}

static void hash_remove(mc_store_t *st, mc_item_t *it)
{
    mc_item_t **pp = bucket(st, mc_item_key(it), it->nkey);
    while (*pp && *pp != it) pp = &(*pp)->hnext;
    if (*pp) *pp = it->hnext;
    it->hnext = NULL;
}

static void item_link(mc_store_t *st, mc_item_t *it)
{
    mc_item_t **b = bucket(st, mc_item_key(it), it->nkey);
    it->hnext = *b;
    *b = it;
    lru_head(st, it);
    it->linked = 1;
    it->time = st->now;
    it->cas = mc_store_next_cas(st);
    st->stats.curr_items++;
    st->stats.total_items++;
    st->stats.bytes += item_total(it);
}

static void chunk_free(mc_store_t *st, mc_item_t *it)
{
    mc_class_t *c = &st->cls[it->cls];
    it->linked = 0;
    it->hnext = c->free;
    c->free = it;
}

/* Unlinks without freeing the chunk. */
static void item_unlink_only(mc_store_t *st, mc_item_t *it)
{
    hash_remove(st, it);
    lru_remove(st, it);
    it->linked = 0;
    st->stats.curr_items--;
    st->stats.bytes -= item_total(it);
}

void mc_store_unlink(mc_store_t *st, mc_item_t *it)
{
    item_unlink_only(st, it);
    if (!it->refcount) chunk_free(st, it);
}

void mc_store_ref(mc_store_t *st, mc_item_t *it)
{
    (void)st;
    it->refcount++;
}

void mc_store_release(mc_store_t *st, mc_item_t *it)
{
    if (--it->refcount == 0 && !it->linked) chunk_free(st, it);
}

void mc_store_free(mc_store_t *st, mc_item_t *it) { chunk_free(st, it); }

static int is_dead(const mc_store_t *st, const mc_item_t *it, int *flushed)
{
    uint32_t ol = st->oldest_live;
    *flushed = ol != 0 && ol <= st->now &&
               (it->time <= ol || (st->oldest_cas != 0 && it->cas != 0 && it->cas < st->oldest_cas));
    return *flushed || (it->exptime != 0 && it->exptime <= st->now);
}

mc_item_t *mc_store_get(mc_store_t *st, const char *key, uint32_t nkey, int update)
{
    mc_item_t *it = *bucket(st, key, nkey);
    while (it && !(it->nkey == nkey && memcmp(mc_item_key(it), key, nkey) == 0)) it = it->hnext;
    if (!it) return NULL;
    int flushed;
    if (is_dead(st, it, &flushed)) {
        if (flushed) st->stats.get_flushed++;
        else st->stats.get_expired++;
        mc_store_unlink(st, it);
        return NULL;
    }
    if (update) {
        it->fetched = 1;
        if (it->time + UPDATE_INTERVAL <= st->now) it->time = st->now;
        lru_remove(st, it);
        lru_head(st, it);
    }
    return it;
}

/* ---- slabs ----------------------------------------------------------------- */

static mc_item_t *chunk_alloc(mc_store_t *st, uint32_t ci)
{
    mc_class_t *c = &st->cls[ci];
    if (c->free) {
        mc_item_t *it = c->free;
        c->free = it->hnext;
        return it;
    }
    if (!c->cur_left && st->stats.pages_used < st->npages) {
        c->cur = st->pages + st->stats.pages_used++ * st->page_size;
        c->cur_left = c->perpage;
    }
    if (c->cur_left) {
        mc_item_t *it = (mc_item_t *)c->cur;
        c->cur += c->size;
        c->cur_left--;
        return it;
    }
    mc_item_t *victim = c->tail;
    for (int i = 0; victim && victim->refcount && i < 8; i++) victim = victim->prev;   /* being sent: not reusable */
    if (!victim || victim->refcount) return NULL;
    int flushed;
    if (is_dead(st, victim, &flushed)) {
        st->stats.reclaimed++;
        if (!victim->fetched) st->stats.expired_unfetched++;
    } else {
        st->stats.evictions++;
        if (!victim->fetched) st->stats.evicted_unfetched++;
    }
    item_unlink_only(st, victim);
    return victim;
}

mc_item_t *mc_store_alloc(mc_store_t *st, const char *key, uint32_t nkey, uint32_t flags, uint32_t exptime,
                          uint32_t nbytes, int *err)
{
    if (nkey > MC_KEY_MAX || !mc_store_size_ok(st, nkey, flags, nbytes)) {
        *err = MC_ALLOC_TOO_LARGE;
        return NULL;
    }
    uint64_t need = ALIGN_UP(sizeof(mc_item_t) + nkey + nbytes, 8);
    uint32_t ci = 0;
    while (ci < st->nclasses && st->cls[ci].size < need) ci++;
    mc_item_t *it = ci < st->nclasses ? chunk_alloc(st, ci) : NULL;
    if (!it) {
        *err = MC_ALLOC_NO_MEMORY;
        return NULL;
    }
    memset(it, 0, sizeof *it);
    it->cls = (uint8_t)ci;
    it->nkey = (uint8_t)nkey;
    it->nbytes = nbytes;
    it->flags = flags;
    it->exptime = exptime;
    memcpy(mc_item_key(it), key, nkey);
    *err = MC_ALLOC_OK;
    return it;
}

/* An allocation while old must survive (append, incr): old is out of the
 * LRU meanwhile, so that its class cannot evict it. */
static mc_item_t *alloc_keeping(mc_store_t *st, mc_item_t *old, uint32_t nbytes)
{
    int err;
    lru_remove(st, old);
    mc_item_t *it = mc_store_alloc(st, mc_item_key(old), old->nkey, old->flags, old->exptime, nbytes, &err);
    lru_head(st, old);
    return it;
}

static void item_replace(mc_store_t *st, mc_item_t *old, mc_item_t *it)
{
    mc_store_unlink(st, old);
    item_link(st, it);
}

int mc_store_item(mc_store_t *st, mc_item_t *it, int cmd, uint64_t *cas_out)
{
    mc_item_t *old = mc_store_get(st, mc_item_key(it), it->nkey, 0);
    int stored = MC_NOT_STORED, store = 0;
    if (old) {
        uint64_t want = it->cas;
        int match = want != 0 && want == old->cas, bad = want != 0 && want != old->cas;
        switch (cmd) {
        case MC_CMD_ADD:
            if (old->time + UPDATE_INTERVAL <= st->now) old->time = st->now;
            break;
        case MC_CMD_CAS:
            if (match) { store = 1; st->stats.cas_hits++; }
            else { stored = MC_EXISTS; st->stats.cas_badval++; }
            break;
        case MC_CMD_APPEND:
        case MC_CMD_PREPEND: {
            if (bad) { stored = MC_EXISTS; break; }
            mc_item_t *n = alloc_keeping(st, old, it->nbytes + old->nbytes - 2);
            if (!n) break;
            char *d = mc_item_data(n);
            if (cmd == MC_CMD_APPEND) {
                memcpy(d, mc_item_data(old), old->nbytes - 2);
                memcpy(d + old->nbytes - 2, mc_item_data(it), it->nbytes);
            } else {
                memcpy(d, mc_item_data(it), it->nbytes - 2);
                memcpy(d + it->nbytes - 2, mc_item_data(old), old->nbytes);
            }
            chunk_free(st, it);
            it = n;
            store = 1;
            break;
        }
        default:   /* set, replace */
            store = 1;
        }
        if (store) {
            item_replace(st, old, it);
            stored = MC_STORED;
        }
    } else {
        switch (cmd) {
        case MC_CMD_ADD:
        case MC_CMD_SET:
            item_link(st, it);
            stored = MC_STORED;
            break;
        case MC_CMD_CAS:
            stored = MC_NOT_FOUND;
            st->stats.cas_misses++;
            break;
        default:
            break;
        }
    }
    if (stored == MC_STORED) {
        if (cas_out) *cas_out = it->cas;
    } else {
        chunk_free(st, it);
    }
    return stored;
}

/* ---- numbers (memcached's safe_strto*: strto* then the end checks) -------- */

static int is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* strtoull/strtol over [s, s+n): the magnitude, the sign and the end. */
typedef struct num { uint64_t mag; int neg, overflow, ok; uint32_t end; } num_t;

static num_t scan(const char *s, uint32_t n)
{
    num_t r = { 0, 0, 0, 0, 0 };
    uint32_t i = 0;
    while (i < n && is_space(s[i])) i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) r.neg = s[i++] == '-';
    uint32_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        uint64_t d = (uint64_t)(s[i] - '0');
        if (r.mag > (UINT64_MAX - d) / 10) r.overflow = 1;
        else r.mag = r.mag * 10 + d;
        i++;
    }
    if (i == start) return r;   /* no digits: end = str */
    r.end = i;
    r.ok = i == n || is_space(s[i]);
    return r;
}

int mc_strtoull(const char *s, uint32_t n, uint64_t *out)
{
    num_t r = scan(s, n);
    *out = 0;
    if (!r.ok || r.overflow) return 0;
    uint64_t v = r.neg ? (uint64_t)0 - r.mag : r.mag;
    if ((int64_t)v < 0 && memchr(s, '-', n)) return 0;
    *out = v;
    return 1;
}

int mc_strtoul(const char *s, uint32_t n, uint32_t *out)
{
    uint64_t v;
    if (!mc_strtoull(s, n, &v)) { *out = 0; return 0; }
    *out = (uint32_t)v;
    return 1;
}

int mc_strtol(const char *s, uint32_t n, int32_t *out)
{
    num_t r = scan(s, n);
    *out = 0;
    if (!r.ok || r.overflow || r.mag > (r.neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1)) return 0;
    *out = (int32_t)(uint32_t)(r.neg ? (uint64_t)0 - r.mag : r.mag);
    return 1;
}

char *mc_utoa(uint64_t v, char *p)
{
    char t[24];
    int n = 0;
    do { t[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) *p++ = t[--n];
    return p;
}

/* ---- incr/decr and flush_all ------------------------------------------------- */

int mc_store_delta(mc_store_t *st, const char *key, uint32_t nkey, int incr, uint64_t delta, char buf[24],
                   uint64_t req_cas, mc_item_t **it_out)
{
    *it_out = NULL;
    mc_item_t *it = mc_store_get(st, key, nkey, 0);
    if (!it) {
        if (incr) st->stats.incr_misses++; else st->stats.decr_misses++;
        return MC_DELTA_NOT_FOUND;
    }
    if (req_cas && it->cas != req_cas) return MC_DELTA_CAS_MISMATCH;
    uint64_t v;
    if (it->nbytes <= 2 || !mc_strtoull(mc_item_data(it), it->nbytes, &v)) return MC_DELTA_NON_NUMERIC;
    if (incr) v += delta;
    else v = delta > v ? 0 : v - delta;
    if (incr) st->stats.incr_hits++; else st->stats.decr_hits++;
    uint32_t res = (uint32_t)(mc_utoa(v, buf) - buf);
    buf[res] = 0;
    if (res + 2 <= it->nbytes && !it->refcount) {   /* in place, padded with spaces as memcached does */
        it->cas = mc_store_next_cas(st);
        memcpy(mc_item_data(it), buf, res);
        memset(mc_item_data(it) + res, ' ', it->nbytes - res - 2);
        if (it->time + UPDATE_INTERVAL <= st->now) it->time = st->now;
        *it_out = it;
        return MC_DELTA_OK;
    }
    mc_item_t *n = alloc_keeping(st, it, res + 2);
    if (!n) return MC_DELTA_EOM;
    memcpy(mc_item_data(n), buf, res);
    memcpy(mc_item_data(n) + res, "\r\n", 2);
    item_replace(st, it, n);
    *it_out = n;
    return MC_DELTA_OK;
}

void mc_store_flush(mc_store_t *st, int32_t exptime)
{
    uint32_t oldest = exptime > 0 ? mc_store_realtime(st, exptime) : st->now;
    st->oldest_live = oldest - 1;
    if (st->oldest_live <= st->now) st->oldest_cas = mc_store_next_cas(st);
    st->stats.cmd_flush++;
}
