/* mem_space.c - region tables and the layout builder (see mem_space.h). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/tile_memmap.h"
#include "mem/mem_range.h"
#include "mem/mem_space.h"
#include "mem/mem_sys.h"

void mem_space_free(mem_space *s)
{
    free(s->r);
    memset(s, 0, sizeof *s);
}

int mem_space_add(mem_space *s, const mem_region *r, char *err, size_t errlen)
{
    unsigned i;
    char a[32], b[32];
    for (i = 0; i < s->n && s->r[i].va < r->va; i++)
        ;
    if ((i > 0 && s->r[i - 1].va + s->r[i - 1].size > r->va) ||
        (i < s->n && r->va + r->size > s->r[i].va)) {
        const mem_region *o = i > 0 && s->r[i - 1].va + s->r[i - 1].size > r->va ? &s->r[i - 1] : &s->r[i];
        snprintf(err, errlen, "region %s at %#llx (%llu bytes) overlaps region %s at %#llx",
                 mem_region_name(r, a, sizeof a), (unsigned long long)r->va,
                 (unsigned long long)r->size, mem_region_name(o, b, sizeof b),
                 (unsigned long long)o->va);
        return -1;
    }
    if (s->n == s->cap) {
        unsigned cap = s->cap ? 2 * s->cap : 16;
        mem_region *nr = realloc(s->r, cap * sizeof *nr);
        if (!nr) {
            snprintf(err, errlen, "out of memory for the region table");
            return -1;
        }
        s->r = nr;
        s->cap = cap;
    }
    memmove(s->r + i + 1, s->r + i, (s->n - i) * sizeof *s->r);
    s->r[i] = *r;
    s->n++;
    return 0;
}

const mem_region *mem_space_find(const mem_space *s, uint64_t va)
{
    unsigned i = mem_range_find(s->r, s->n, sizeof *s->r, offsetof(mem_region, va),
                                offsetof(mem_region, size), va);
    return i < s->n ? &s->r[i] : NULL;
}

static const char *const kind_names[BOOT_REGION_KINDS] = {
    "boot_info", "mmio_sys", "mmio_udn", "mmio_mpipe", "rings", "hdr", "rx_pool", "tx", "shared",
    "code", "data",
};

const char *mem_region_name(const mem_region *r, char *buf, size_t len)
{
    if (!r)
        snprintf(buf, len, "unmapped");
    else if (r->app != BOOT_APP_NONE)
        snprintf(buf, len, "%s[%u]", kind_names[r->kind], r->app);
    else
        snprintf(buf, len, "%s", kind_names[r->kind]);
    return buf;
}

unsigned mem_layout_apps(const mem_params *mp)
{
    unsigned tiles = (unsigned)(mp->width * mp->height);
    if (mp->baseline) return tiles;
    return tiles > mp->stack_tiles ? tiles - mp->stack_tiles : 0;
}

int mem_layout_is_stack(const mem_params *mp, unsigned tile)
{
    if (mp->baseline) return 0;
    if (!(mp->stack_set[0] | mp->stack_set[1] | mp->stack_set[2] | mp->stack_set[3]))
        return tile < mp->stack_tiles;
    return tile < 256 && (mp->stack_set[tile / 64] >> (tile % 64) & 1);
}

/* Stack tiles below `tile`. */
static unsigned stacks_below(const mem_params *mp, unsigned tile)
{
    unsigned n = 0;
    for (unsigned t = 0; t < tile; t++) n += (unsigned)mem_layout_is_stack(mp, t);
    return n;
}

void mem_layout_role(const mem_params *mp, unsigned tile, unsigned *role, unsigned *app)
{
    if (mp->baseline) {
        *role = BOOT_ROLE_BASELINE;
        *app = tile;
    } else if (mem_layout_is_stack(mp, tile)) {
        *role = BOOT_ROLE_STACK;
        *app = BOOT_APP_NONE;
    } else {
        *role = BOOT_ROLE_APP;
        *app = tile - stacks_below(mp, tile);
    }
}

unsigned mem_layout_tile_of(const mem_params *mp, unsigned role, unsigned index)
{
    unsigned tiles = (unsigned)(mp->width * mp->height);
    if (mp->baseline) return index;
    for (unsigned t = 0; t < tiles; t++) {
        int stack = mem_layout_is_stack(mp, t);
        if ((role == BOOT_ROLE_STACK) == (stack != 0) && index-- == 0) return t;
    }
    return tiles;
}

/* Rights of `role` on a region of an application's (owner) kind, from the
 * three per-role keys. */
static unsigned role_rights(unsigned role, unsigned app, unsigned owner, int stack, int app_r, int base)
{
    if (role == BOOT_ROLE_STACK) return (unsigned)stack;
    if (role == BOOT_ROLE_BASELINE) return (unsigned)base;
    return owner == BOOT_APP_NONE || owner == app ? (unsigned)app_r : 0;
}

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

int mem_layout_shared(mem_space *s, const mem_params *mp, unsigned role, unsigned app,
                      uint8_t *shared_host, uint64_t shared_size, char *err, size_t errlen)
{
    const struct { unsigned kind; uint64_t base, size; unsigned rights; } mmio[] = {
        { BOOT_REGION_MMIO_SYS, TILE_SYS_BASE, TILE_SYS_SIZE, BOOT_RIGHT_R | BOOT_RIGHT_W },
        { BOOT_REGION_MMIO_UDN, TILE_UDN_BASE, TILE_UDN_SIZE, BOOT_RIGHT_R | BOOT_RIGHT_W },
        { BOOT_REGION_MMIO_MPIPE, TILE_MPIPE_BASE, TILE_MPIPE_SIZE,
          role == BOOT_ROLE_APP ? (unsigned)mp->mpipe_app : BOOT_RIGHT_R | BOOT_RIGHT_W },
    };
    unsigned apps = mem_layout_apps(mp);
    uint64_t end = TILE_SHARED_BASE + shared_size, at = TILE_SHARED_BASE;
    mem_region r;
    for (size_t i = 0; i < sizeof mmio / sizeof mmio[0]; i++) {
        r = (mem_region){ mmio[i].base, mmio[i].size, mmio[i].base, NULL, 64ULL << 10, mmio[i].rights,
                          mmio[i].kind, BOOT_APP_NONE, 0 };
        if (mem_space_add(s, &r, err, errlen) < 0) return -1;
    }
    /* kind, owner, size, page, rights, sync (DMA writes it) */
    struct part { unsigned kind, owner; uint64_t size, page; unsigned rights; int sync; };
    struct part p;
#define ADD_PART()                                                                                 \
    do {                                                                                           \
        at = align_up(at, p.page);                                                                 \
        if (at > end || p.size > end - at) {                                                       \
            snprintf(err, errlen, "the region table does not fit mem.dram_mib = %lld MiB of shared memory " \
                     "(%u applications; see mem.rx_pool_kib, mem.tx_kib)", (long long)mp->dram_mib, apps); \
            return -1;                                                                             \
        }                                                                                          \
        r = (mem_region){ at, p.size, at, shared_host + (at - TILE_SHARED_BASE), p.page, p.rights, \
                          p.kind, p.owner, p.sync };                                               \
        if (mem_space_add(s, &r, err, errlen) < 0) return -1;                                      \
        at += p.size;                                                                              \
    } while (0)
    p = (struct part){ BOOT_REGION_RINGS, BOOT_APP_NONE, (uint64_t)mp->rings_kib << 10,
                       mp->rings_page,
                       role_rights(role, app, BOOT_APP_NONE, mp->rings_stack, mp->rings_app,
                                   mp->rings_baseline), 1 };
    ADD_PART();
    p = (struct part){ BOOT_REGION_HDR, BOOT_APP_NONE, (uint64_t)mp->hdr_kib << 10,
                       mp->hdr_page,
                       role_rights(role, app, BOOT_APP_NONE, mp->hdr_stack, mp->hdr_app,
                                   mp->hdr_baseline), 0 };
    ADD_PART();
    for (unsigned a = 0; a < apps; a++) {
        p = (struct part){ BOOT_REGION_RX_POOL, a, (uint64_t)mp->rx_pool_kib << 10,
                           mp->rx_pool_page,
                           role_rights(role, app, a, mp->rx_pool_stack, mp->rx_pool_app,
                                       mp->rx_pool_baseline), 1 };
        ADD_PART();
    }
    for (unsigned a = 0; a < apps; a++) {
        p = (struct part){ BOOT_REGION_TX, a, (uint64_t)mp->tx_kib << 10,
                           mp->tx_page,
                           role_rights(role, app, a, mp->tx_stack, mp->tx_app,
                                       mp->tx_baseline), 0 };
        ADD_PART();
    }
    /* The rest, in whole pages, if any is left. */
    {
        uint64_t page = mp->shared_page;
        at = align_up(at, page);
        if (at < end && (end - at) / page) {
            p = (struct part){ BOOT_REGION_SHARED, BOOT_APP_NONE, (end - at) / page * page, page,
                               role_rights(role, app, BOOT_APP_NONE, mp->shared_stack,
                                           mp->shared_app, mp->shared_baseline), 1 };
            ADD_PART();
        }
    }
#undef ADD_PART
    return 0;
}

static uint64_t private_page(const mem_params *mp, unsigned rights)
{
    return (rights & BOOT_RIGHT_X) ? mp->code_page : mp->data_page;
}

void mem_layout_window(const mem_params *mp, const mem_segment *seg, unsigned nseg,
                       uint64_t *win_va, uint64_t *win_size)
{
    uint64_t page = mp->code_page, lo = UINT64_MAX, hi = 0;
    if (mp->data_page > page) page = mp->data_page;
    for (unsigned i = 0; i < nseg; i++) {
        if (seg[i].va < lo) lo = seg[i].va;
        if (seg[i].va + seg[i].size > hi) hi = seg[i].va + seg[i].size;
    }
    if (nseg == 0) lo = hi = TILE_DRAM_BASE;
    *win_va = lo & ~(page - 1);
    *win_size = align_up(hi, page) - *win_va;
}

static const char *rights_text(unsigned r, char buf[4])
{
    buf[0] = (r & BOOT_RIGHT_R) ? 'r' : '-';
    buf[1] = (r & BOOT_RIGHT_W) ? 'w' : '-';
    buf[2] = (r & BOOT_RIGHT_X) ? 'x' : '-';
    buf[3] = 0;
    return buf;
}

/* Segments a and b (in address order) of different rights fall in one page
 * of `page` bytes. */
static int shared_page_error(const mem_segment *a, const mem_segment *b, uint64_t page, char *err, size_t errlen)
{
    char ra[4], rb[4];
    unsigned shift = page >= (1ULL << 30) ? 30 : page >= (1ULL << 20) ? 20 : 10;
    snprintf(err, errlen,
             "the %s segment %#llx..%#llx and the %s segment %#llx..%#llx share the %llu %s page at %#llx: "
             "with mem.protection on a page has one set of rights; align the segments to the page size "
             "(mem.code_page, mem.data_page), as stack/boot/tile.ld does, or set mem.protection=off",
             rights_text(a->rights, ra), (unsigned long long)a->va, (unsigned long long)(a->va + a->size),
             rights_text(b->rights, rb), (unsigned long long)b->va, (unsigned long long)(b->va + b->size),
             (unsigned long long)(page >> shift), shift == 30 ? "GiB" : shift == 20 ? "MiB" : "KiB",
             (unsigned long long)(b->va & ~(page - 1)));
    return -1;
}

int mem_layout_private(mem_space *s, const mem_params *mp, const mem_segment *seg, unsigned nseg,
                       uint64_t win_va, uint64_t win_size, uint8_t *host, uint64_t pa,
                       uint8_t *boot_host, uint64_t boot_pa, char *err, size_t errlen)
{
    mem_region cur = { 0 }, r;
    int have = 0;
    /* Segments in address order (ELF requires it for PT_LOAD). */
    for (unsigned i = 0; i < nseg; i++) {
        uint64_t page = private_page(mp, seg[i].rights);
        uint64_t lo = seg[i].va & ~(page - 1), hi = align_up(seg[i].va + seg[i].size, page);
        if (lo < win_va || hi > win_va + win_size) {
            snprintf(err, errlen, "segment at %#llx (%llu bytes) is outside the private window",
                     (unsigned long long)seg[i].va, (unsigned long long)seg[i].size);
            return -1;
        }
        if (have && lo < cur.va + cur.size) {
            /* shares a page with the previous segment: one region; with
             * protection on, only if their rights are the same */
            if (mp->protection && seg[i].rights != seg[i - 1].rights)
                return shared_page_error(&seg[i - 1], &seg[i], cur.page_size > page ? cur.page_size : page,
                                         err, errlen);
            if (hi > cur.va + cur.size) cur.size = hi - cur.va;
            cur.rights |= seg[i].rights;
            if (seg[i].rights & BOOT_RIGHT_X) cur.kind = BOOT_REGION_CODE;
            continue;
        }
        if (have && mem_space_add(s, &cur, err, errlen) < 0) return -1;
        cur = (mem_region){ lo, hi - lo, pa + (lo - win_va), host + (lo - win_va), page, seg[i].rights,
                            (seg[i].rights & BOOT_RIGHT_X) ? BOOT_REGION_CODE : BOOT_REGION_DATA,
                            BOOT_APP_NONE, 0 };
        have = 1;
    }
    if (have && mem_space_add(s, &cur, err, errlen) < 0) return -1;
    if (!boot_host) return 0;
    r = (mem_region){ TILE_BOOT_INFO_BASE, TILE_BOOT_INFO_SIZE, boot_pa, boot_host, TILE_BOOT_INFO_SIZE,
                      BOOT_RIGHT_R, BOOT_REGION_BOOT_INFO, BOOT_APP_NONE, 0 };
    return mem_space_add(s, &r, err, errlen);
}

int mem_layout_homes(struct mem_sys *sys, const mem_params *mp, uint8_t *shared_host, uint64_t shared_size,
                     char *err, size_t errlen)
{
    mem_space s = { 0 };
    unsigned tiles = (unsigned)(mp->width * mp->height), stack[MEM_HOME_TILES_MAX], nstack = 0;
    int rc = 0;
    for (unsigned t = 0; t < tiles && nstack < MEM_HOME_TILES_MAX; t++)
        if (mp->baseline || mem_layout_is_stack(mp, t)) stack[nstack++] = t;
    if (mem_layout_shared(&s, mp, BOOT_ROLE_STACK, BOOT_APP_NONE, shared_host, shared_size, err, errlen) < 0)
        return -1;
    for (unsigned i = 0; i < s.n && rc == 0; i++) {
        const mem_region *r = &s.r[i];
        if (r->kind == BOOT_REGION_RX_POOL || r->kind == BOOT_REGION_TX)
            rc = mem_sys_home_range(sys, r->pa, r->size, mem_layout_tile_of(mp, BOOT_ROLE_APP, r->app), 1);
        else if (r->kind == BOOT_REGION_RINGS || r->kind == BOOT_REGION_HDR)
            rc = mem_sys_home_tiles(sys, r->pa, r->size, stack, nstack);
    }
    if (rc < 0) snprintf(err, errlen, "cannot record the homes of the shared regions");
    mem_space_free(&s);
    return rc;
}

void mem_space_unprotect(mem_space *s)
{
    for (unsigned i = 0; i < s->n; i++)
        s->r[i].rights = BOOT_RIGHT_R | BOOT_RIGHT_W | BOOT_RIGHT_X;
}

void mem_layout_boot_info(const mem_space *s, const mem_params *mp, unsigned tile, unsigned role,
                          unsigned app, uint8_t *page)
{
    boot_info *b = (boot_info *)page;
    unsigned n = s->n < BOOT_INFO_MAX_REGIONS ? s->n : BOOT_INFO_MAX_REGIONS;
    memset(page, 0, TILE_BOOT_INFO_SIZE);
    b->magic = BOOT_INFO_MAGIC;
    b->version = BOOT_INFO_VERSION;
    b->tile = tile;
    b->role = role;
    b->app = app;
    b->apps = mem_layout_apps(mp);
    b->stack_tiles = mp->baseline ? 0 : (uint32_t)mp->stack_tiles;
    b->regions = n;
    b->protection = mp->protection ? 1 : 0;
    b->flags = mp->udn_sender ? BOOT_FLAG_UDN_SENDER : 0u;
    b->clock_mhz = mp->clock_mhz;
    b->udn_queue_words = mp->udn_queue_words;
    b->width = (uint32_t)mp->width;
    b->height = (uint32_t)mp->height;
    b->stack_index = BOOT_APP_NONE;
    for (unsigned t = 0, k = 0; t < (unsigned)(mp->width * mp->height) && t < 256; t++) {
        if (!mem_layout_is_stack(mp, t)) continue;
        b->stack_set[t / 64] |= 1ULL << (t % 64);
        if (t == tile) b->stack_index = k;
        k++;
    }
    b->ip = mp->net_ip;
    b->netmask = mp->net_netmask;
    b->mac = mp->net_mac;
    if (mp->app_args && (role == BOOT_ROLE_APP || role == BOOT_ROLE_BASELINE)) {
        size_t len = strlen(mp->app_args);
        if (len > BOOT_INFO_ARGS_MAX - 1) len = BOOT_INFO_ARGS_MAX - 1; /* the config's limit is lower */
        memcpy(page + BOOT_INFO_ARGS_OFF, mp->app_args, len);
        b->args_len = (uint32_t)len;
    }
    for (unsigned i = 0; i < n; i++) {
        boot_region *r = &b->region[i];
        r->base = s->r[i].va;
        r->size = s->r[i].size;
        r->page_size = s->r[i].page_size;
        r->kind = s->r[i].kind;
        r->app = s->r[i].app;
        r->rights = s->r[i].rights;
    }
}
