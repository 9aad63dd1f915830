/* test_mem.c - the memory system's unit tests: TLB misses per page size on a
 * known pattern, rights and fault records, the region layout per role,
 * exact latency per access class (through the cache model, and through the
 * ISS's timing loop), and DMA invalidation of cached lines. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "abi/boot_info.h"
#include "abi/tile_memmap.h"
#include "core/iss.h"
#include "mem/mem_mmu.h"
#include "mem/mem_space.h"
#include "mem/mem_sys.h"
#include "mem_test_params.h"

static char err[512];

/* An MMU whose space is one memory region of `size` bytes at va with the
 * given page size and rights, DMA-written (so the translations hand out no
 * host bytes: translation only). */
static void one_region_mmu(mem_mmu *m, const mem_params *cfg, uint64_t va, uint64_t size,
                           uint64_t page, unsigned rights)
{
    static uint8_t never_touched[1];
    mem_region r = { va, size, va, never_touched, page, rights, BOOT_REGION_SHARED, BOOT_APP_NONE, 1 };
    ck_assert_int_eq(mem_mmu_init(m, cfg, 0, NULL, NULL, err, sizeof err), 0);
    ck_assert_int_eq(mem_space_add(&m->space, &r, err, sizeof err), 0);
}

/* Loads every 16 KiB over 4 MiB, twice, in user mode; returns DTLB misses. */
static uint64_t walk(mem_mmu *m, uint64_t va)
{
    iss_xlate x;
    for (int pass = 0; pass < 2; pass++)
        for (uint64_t off = 0; off < (4ULL << 20); off += 16 << 10)
            ck_assert_int_eq(mem_mmu_translate(m, va + off, ISS_ACCESS_LOAD, ISS_PRIV_U, &x), ISS_MEM_OK);
    return m->dtlb.misses;
}

START_TEST(tlb_misses_per_page_size)
{
    /* DTLB: 32 entries, fully associative, FIFO. 16 KiB pages: 256 pages per
     * pass, each a miss; 64 KiB: 64 per pass (more than 32: FIFO misses
     * them all again); 16 MiB and 4 GiB: one page, one miss. */
    static const struct { int page; uint64_t misses; } want[] = {
        { 0, 512 }, { 1, 128 }, { 2, 1 }, { 3, 1 }, /* 16 KiB, 64 KiB, 16 MiB, 4 GiB */
    };
    mem_params cfg;
    cfg = mem_test_params();
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        mem_mmu m;
        one_region_mmu(&m, &cfg, 0x100000000ULL, 4ULL << 30, mem_test_page((unsigned)want[i].page), BOOT_RIGHT_R);
        ck_assert_uint_eq(walk(&m, 0x100000000ULL), want[i].misses);
        ck_assert_uint_eq(m.dtlb.misses_by_size[want[i].page], want[i].misses);
        ck_assert_uint_eq(m.itlb.misses, 0);
        mem_mmu_free(&m);
    }
    /* 16 pages of 64 KiB fit: one miss each, then hits. */
    mem_mmu m;
    iss_xlate x;
    one_region_mmu(&m, &cfg, 0x100000000ULL, 1ULL << 20, 64 << 10, BOOT_RIGHT_R);
    for (int pass = 0; pass < 3; pass++)
        for (uint64_t off = 0; off < (1ULL << 20); off += 4096) {
            ck_assert_int_eq(mem_mmu_translate(&m, 0x100000000ULL + off, ISS_ACCESS_LOAD, ISS_PRIV_U, &x),
                             ISS_MEM_OK);
            /* a miss costs the refill, a hit nothing */
            ck_assert_uint_eq(x.lat, pass == 0 && off % (64 << 10) == 0 ? cfg.tlb_refill : 0);
        }
    ck_assert_uint_eq(m.dtlb.misses, 16);
    mem_mmu_free(&m);
}
END_TEST

START_TEST(tlb_set_associative_round_robin)
{
    mem_tlb t;
    mem_tlb_entry ev;
    ck_assert_int_eq(mem_tlb_init(&t, 4, 2, err, sizeof err), 0); /* 2 sets of 2 ways */
    /* pages 0, 2, 4 map to set 0: the third evicts the first (round robin) */
    ck_assert_int_eq(mem_tlb_lookup(&t, 0 << 16, 64 << 10, &ev), 0);
    ck_assert_uint_eq(ev.size, 0);
    ck_assert_int_eq(mem_tlb_lookup(&t, 2 << 16, 64 << 10, &ev), 0);
    ck_assert_int_eq(mem_tlb_lookup(&t, 1 << 16, 64 << 10, &ev), 0); /* set 1 */
    ck_assert_int_eq(mem_tlb_lookup(&t, 4 << 16, 64 << 10, &ev), 0);
    ck_assert_uint_eq(ev.base, 0);
    ck_assert_uint_eq(ev.size, 64 << 10);
    ck_assert_int_eq(mem_tlb_lookup(&t, 2 << 16, 64 << 10, &ev), 1);
    ck_assert_int_eq(mem_tlb_lookup(&t, 0 << 16, 64 << 10, &ev), 0);
    ck_assert_uint_eq(ev.base, 2 << 16); /* next victim: way 1 */
    ck_assert_int_eq(mem_tlb_init(&t, 6, 4, err, sizeof err), -1);
    ck_assert_int_eq(mem_tlb_init(&t, 12, 4, err, sizeof err), -1); /* 3 sets */
    mem_tlb_free(&t);
}
END_TEST

START_TEST(rights_and_fault_records)
{
    mem_params cfg;
    mem_mmu m;
    iss_xlate x;
    static uint8_t code[1 << 16], data[1 << 16];
    mem_region c = { TILE_DRAM_BASE, 1 << 16, 0x100000000ULL, code, 64 << 10, BOOT_RIGHT_R | BOOT_RIGHT_X,
                     BOOT_REGION_CODE, BOOT_APP_NONE, 0 };
    mem_region d = { TILE_DRAM_BASE + (1 << 16), 1 << 16, 0x100010000ULL, data, 64 << 10,
                     BOOT_RIGHT_R | BOOT_RIGHT_W, BOOT_REGION_DATA, BOOT_APP_NONE, 0 };
    char text[256];
    cfg = mem_test_params();
    ck_assert_int_eq(mem_mmu_init(&m, &cfg, 1, NULL, NULL, err, sizeof err), 0);
    ck_assert_int_eq(mem_space_add(&m.space, &d, err, sizeof err), 0);
    ck_assert_int_eq(mem_space_add(&m.space, &c, err, sizeof err), 0);
    ck_assert_int_eq(mem_space_add(&m.space, &c, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "overlaps region code") != NULL, "%s", err);

    /* fetch code: execute tag only (from the ITLB); load data: r and w tags */
    ck_assert_int_eq(mem_mmu_translate(&m, TILE_DRAM_BASE + 0x1004, ISS_ACCESS_FETCH, ISS_PRIV_U, &x), ISS_MEM_OK);
    ck_assert_uint_eq(x.fill, ISS_FILL_X);
    ck_assert_ptr_eq(x.host, code + 0x1000);
    ck_assert_uint_eq(x.pa, 0x100001004ULL);
    ck_assert_int_eq(mem_mmu_translate(&m, TILE_DRAM_BASE + 0x10008, ISS_ACCESS_LOAD, ISS_PRIV_U, &x), ISS_MEM_OK);
    ck_assert_uint_eq(x.fill, ISS_FILL_R | ISS_FILL_W);
    ck_assert_int_eq(m.fault.valid, 0);

    /* store into code, fetch from data, unmapped: page faults, recorded */
    ck_assert_int_eq(mem_mmu_translate(&m, TILE_DRAM_BASE + 0x40, ISS_ACCESS_STORE, ISS_PRIV_U, &x),
                     ISS_MEM_PAGE_FAULT);
    mem_mmu_fault_text(&m, 0x80000010, text, sizeof text);
    ck_assert_msg(strstr(text, "store fault at pc 0x80000010, address 0x80000040, region code (rights r-x)"),
                  "%s", text);
    ck_assert_int_eq(mem_mmu_translate(&m, TILE_DRAM_BASE + 0x10000, ISS_ACCESS_FETCH, ISS_PRIV_U, &x),
                     ISS_MEM_PAGE_FAULT);
    ck_assert_int_eq(m.fault.kind, ISS_ACCESS_FETCH);
    ck_assert_int_eq(m.fault.region.kind, BOOT_REGION_DATA);
    ck_assert_int_eq(mem_mmu_translate(&m, 0x1234, ISS_ACCESS_LOAD, ISS_PRIV_U, &x), ISS_MEM_PAGE_FAULT);
    mem_mmu_fault_text(&m, 0, text, sizeof text);
    ck_assert_msg(strstr(text, "region unmapped") != NULL, "%s", text);

    /* machine mode: not checked against rights, no TLB; unmapped is an
     * access fault */
    uint64_t misses = m.dtlb.misses;
    ck_assert_int_eq(mem_mmu_translate(&m, TILE_DRAM_BASE + 0x40, ISS_ACCESS_STORE, ISS_PRIV_M, &x), ISS_MEM_OK);
    ck_assert_uint_eq(m.dtlb.misses, misses);
    ck_assert_int_eq(mem_mmu_translate(&m, 0x1234, ISS_ACCESS_LOAD, ISS_PRIV_M, &x), ISS_MEM_ACCESS_FAULT);

    /* device registers: rights apply, but no TLB and no cost (docs/DESIGN.md, fixed decision 6) */
    {
        mem_region udn = { TILE_UDN_BASE, TILE_UDN_SIZE, TILE_UDN_BASE, NULL, 64 << 10,
                           BOOT_RIGHT_R | BOOT_RIGHT_W, BOOT_REGION_MMIO_UDN, BOOT_APP_NONE, 0 };
        mem_region mp = { TILE_MPIPE_BASE, TILE_MPIPE_SIZE, TILE_MPIPE_BASE, NULL, 64 << 10, 0,
                          BOOT_REGION_MMIO_MPIPE, BOOT_APP_NONE, 0 };
        uint64_t im = m.itlb.misses, dm = m.dtlb.misses;
        ck_assert_int_eq(mem_space_add(&m.space, &udn, err, sizeof err), 0);
        ck_assert_int_eq(mem_space_add(&m.space, &mp, err, sizeof err), 0);
        ck_assert_int_eq(mem_mmu_translate(&m, TILE_UDN_BASE + 8, ISS_ACCESS_STORE, ISS_PRIV_U, &x), ISS_MEM_OK);
        ck_assert_ptr_null(x.host);
        ck_assert_int_eq(x.cached, 0);
        ck_assert_uint_eq(x.lat, 0);
        ck_assert_uint_eq(m.dtlb.misses, dm);
        ck_assert_uint_eq(m.itlb.misses, im);
        ck_assert_int_eq(mem_mmu_translate(&m, TILE_MPIPE_BASE, ISS_ACCESS_LOAD, ISS_PRIV_U, &x),
                         ISS_MEM_PAGE_FAULT);
        mem_mmu_fault_text(&m, 0, text, sizeof text);
        ck_assert_msg(strstr(text, "region mmio_mpipe (rights ---)") != NULL, "%s", text);
    }

    /* protection off: everything allowed */
    mem_space_unprotect(&m.space);
    ck_assert_int_eq(mem_mmu_translate(&m, TILE_DRAM_BASE + 0x40, ISS_ACCESS_STORE, ISS_PRIV_U, &x), ISS_MEM_OK);
    ck_assert_int_eq(mem_mmu_translate(&m, TILE_DRAM_BASE + 0x10000, ISS_ACCESS_FETCH, ISS_PRIV_U, &x), ISS_MEM_OK);
    mem_mmu_free(&m);
}
END_TEST

/* Rights of the space's region of kind/app (0 when absent: listed anyway). */
static unsigned rights_of(const mem_space *s, unsigned kind, unsigned app, int *found)
{
    for (unsigned i = 0; i < s->n; i++)
        if (s->r[i].kind == kind && s->r[i].app == app) {
            *found = 1;
            return s->r[i].rights;
        }
    *found = 0;
    return 0;
}

START_TEST(layout_rights_per_role)
{
    mem_params cfg;
    mem_space s = { 0 };
    int found;
    static uint8_t host[1];
    cfg = mem_test_params(); /* 6 x 6, 8 stack tiles: 28 applications */
    ck_assert_uint_eq(mem_layout_apps(&cfg), 28);
    unsigned role, app;
    mem_layout_role(&cfg, 9, &role, &app);
    ck_assert_uint_eq(role, BOOT_ROLE_APP);
    ck_assert_uint_eq(app, 1);
    ck_assert_int_eq(mem_layout_shared(&s, &cfg, role, app, host, 256ULL << 20, err, sizeof err), 0);
    ck_assert_uint_eq(rights_of(&s, BOOT_REGION_RX_POOL, 1, &found), BOOT_RIGHT_R);
    ck_assert_uint_eq(rights_of(&s, BOOT_REGION_RX_POOL, 0, &found), 0);
    ck_assert(found);
    ck_assert_uint_eq(rights_of(&s, BOOT_REGION_TX, 1, &found), BOOT_RIGHT_R | BOOT_RIGHT_W);
    ck_assert_uint_eq(rights_of(&s, BOOT_REGION_TX, 2, &found), 0);
    ck_assert_uint_eq(rights_of(&s, BOOT_REGION_RINGS, BOOT_APP_NONE, &found), 0);
    ck_assert_uint_eq(rights_of(&s, BOOT_REGION_MMIO_MPIPE, BOOT_APP_NONE, &found), 0);
    ck_assert_uint_eq(rights_of(&s, BOOT_REGION_MMIO_UDN, BOOT_APP_NONE, &found), BOOT_RIGHT_R | BOOT_RIGHT_W);
    /* shared regions are identity-mapped and page-aligned; DMA-written ones sync */
    for (unsigned i = 0; i < s.n; i++) {
        ck_assert_uint_eq(s.r[i].va, s.r[i].pa);
        if (s.r[i].host) ck_assert_uint_eq(s.r[i].va % s.r[i].page_size, 0); /* MMIO pages share one */
        if (s.r[i].kind == BOOT_REGION_RX_POOL || s.r[i].kind == BOOT_REGION_RINGS) ck_assert(s.r[i].sync);
        if (s.r[i].kind == BOOT_REGION_TX) ck_assert(!s.r[i].sync);
    }
    mem_space_free(&s);

    mem_layout_role(&cfg, 3, &role, &app);
    ck_assert_uint_eq(role, BOOT_ROLE_STACK);
    ck_assert_int_eq(mem_layout_shared(&s, &cfg, role, app, host, 256ULL << 20, err, sizeof err), 0);
    ck_assert_uint_eq(rights_of(&s, BOOT_REGION_RX_POOL, 27, &found), BOOT_RIGHT_R | BOOT_RIGHT_W);
    ck_assert_uint_eq(rights_of(&s, BOOT_REGION_TX, 27, &found), BOOT_RIGHT_R);
    ck_assert_uint_eq(rights_of(&s, BOOT_REGION_RINGS, BOOT_APP_NONE, &found), BOOT_RIGHT_R | BOOT_RIGHT_W);
    mem_space_free(&s);

    /* does not fit: named error */
    ck_assert_int_eq(mem_layout_shared(&s, &cfg, role, app, host, 8ULL << 20, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "does not fit mem.dram_mib") != NULL, "%s", err);
    mem_space_free(&s);

    /* baseline: every tile an application, baseline rights everywhere */
    cfg.baseline = 1;
    ck_assert_uint_eq(mem_layout_apps(&cfg), 36);
    mem_layout_role(&cfg, 5, &role, &app);
    ck_assert_uint_eq(role, BOOT_ROLE_BASELINE);
    ck_assert_int_eq(mem_layout_shared(&s, &cfg, role, app, host, 256ULL << 20, err, sizeof err), 0);
    ck_assert_uint_eq(rights_of(&s, BOOT_REGION_TX, 7, &found), BOOT_RIGHT_R | BOOT_RIGHT_W);
    mem_space_free(&s);
}
END_TEST

/* The boot-information block says whether the mesh records senders
 * (mesh.sender_id: BOOT_FLAG_UDN_SENDER), so firmware reads UDN_SENDER only
 * when it exists. */
START_TEST(boot_info_flags_udn_sender)
{
    static uint8_t page[TILE_BOOT_INFO_SIZE];
    static uint8_t host[1];
    mem_params cfg = mem_test_params();
    mem_space s = { 0 };
    unsigned role, app;
    mem_layout_role(&cfg, 9, &role, &app);
    ck_assert_int_eq(mem_layout_shared(&s, &cfg, role, app, host, 256ULL << 20, err, sizeof err), 0);
    const boot_info *b = (const boot_info *)page;
    mem_layout_boot_info(&s, &cfg, 9, role, app, page);
    ck_assert_uint_eq(b->magic, BOOT_INFO_MAGIC);
    ck_assert_uint_eq(b->flags, 0);
    cfg.udn_sender = 1;
    mem_layout_boot_info(&s, &cfg, 9, role, app, page);
    ck_assert_uint_eq(b->flags, BOOT_FLAG_UDN_SENDER);
    ck_assert_uint_eq(b->reserved0, 0);
    cfg.clock_mhz = 1000;
    cfg.udn_queue_words = 64;
    mem_layout_boot_info(&s, &cfg, 9, role, app, page);
    ck_assert_uint_eq(b->clock_mhz, 1000);
    ck_assert_uint_eq(b->udn_queue_words, 64);
    mem_space_free(&s);
}
END_TEST

/* A stack set (deployment.stack_set) makes exactly its tiles stack tiles,
 * numbers the applications over the other tiles in tile order, and reaches
 * the boot information with each tile's rank; the chip's address and the
 * app's args reach it too (args on app tiles only). */
START_TEST(boot_info_stack_set_net_args)
{
    static uint8_t page[TILE_BOOT_INFO_SIZE];
    static uint8_t host[1];
    mem_params cfg = mem_test_params();   /* 6 x 6 */
    cfg.stack_tiles = 3;
    cfg.stack_set[0] = 1ULL << 1 | 1ULL << 7 | 1ULL << 35;
    cfg.net_ip = 0xc0a80102u;
    cfg.net_netmask = 0xffff0000u;
    cfg.net_mac = 0x02aabbccddeeULL;
    cfg.app_args = "docs=/64:64";
    unsigned role, app;
    mem_layout_role(&cfg, 0, &role, &app);
    ck_assert_uint_eq(role, BOOT_ROLE_APP);
    ck_assert_uint_eq(app, 0);
    mem_layout_role(&cfg, 7, &role, &app);
    ck_assert_uint_eq(role, BOOT_ROLE_STACK);
    mem_layout_role(&cfg, 8, &role, &app);
    ck_assert_uint_eq(role, BOOT_ROLE_APP);
    ck_assert_uint_eq(app, 6);           /* tiles 0, 2-6 are apps 0-5 */
    ck_assert_uint_eq(mem_layout_tile_of(&cfg, BOOT_ROLE_STACK, 2), 35);
    ck_assert_uint_eq(mem_layout_tile_of(&cfg, BOOT_ROLE_APP, 6), 8);
    ck_assert_uint_eq(mem_layout_tile_of(&cfg, BOOT_ROLE_STACK, 3), 36);
    ck_assert_uint_eq(mem_layout_apps(&cfg), 33);
    const boot_info *b = (const boot_info *)page;
    for (unsigned t = 0; t < 36; t++) {
        mem_space s = { 0 };
        mem_layout_role(&cfg, t, &role, &app);
        ck_assert_int_eq(mem_layout_shared(&s, &cfg, role, app, host, 256ULL << 20, err, sizeof err), 0);
        mem_layout_boot_info(&s, &cfg, t, role, app, page);
        ck_assert_uint_eq(b->version, 2);
        ck_assert_uint_eq(b->stack_set[0], cfg.stack_set[0]);
        ck_assert_int_eq(boot_info_is_stack(b, t), t == 1 || t == 7 || t == 35);
        ck_assert_uint_eq(b->stack_index, t == 1 ? 0 : t == 7 ? 1 : t == 35 ? 2 : BOOT_APP_NONE);
        ck_assert_uint_eq(b->ip, 0xc0a80102u);
        ck_assert_uint_eq(b->netmask, 0xffff0000u);
        ck_assert_uint_eq(b->mac, 0x02aabbccddeeULL);
        ck_assert_str_eq(boot_info_args(b), role == BOOT_ROLE_APP ? "docs=/64:64" : "");
        ck_assert_uint_eq(b->args_len, role == BOOT_ROLE_APP ? 11 : 0);
        mem_space_free(&s);
    }
}
END_TEST

/* ---- latency per access class: the cache model ---- */

static mem_sys sys;
static mem_params lcfg;

static void sys_setup(void)
{
    lcfg = mem_test_params();
    ck_assert_int_eq(mem_sys_init(&sys, &lcfg, err, sizeof err), 0);
}

static void sys_teardown(void) { mem_sys_free(&sys); }

/* A line whose home is k hops from tile 0 (hash homing). */
static uint64_t line_at_hops(unsigned k)
{
    for (uint64_t pa = TILE_SHARED_BASE;; pa += 64)
        if (mem_sys_home(&sys, pa) != 0 && mem_sys_hops(&sys, 0, mem_sys_home(&sys, pa)) == k) return pa;
}

START_TEST(latency_l1_l2_remote_dram)
{
    /* defaults: load_use 2, l2 11, remote 31 + 1/hop, dram 67 + 1/hop */
    uint64_t a = line_at_hops(3), h = mem_sys_home(&sys, a);
    unsigned mc = mem_sys_controller_tile(&sys, a);
    /* first touch: DRAM through the home */
    ck_assert_uint_eq(mem_sys_access(&sys, 0, a, 8, ISS_ACCESS_LOAD),
                      67 + 3 + mem_sys_hops(&sys, (unsigned)h, mc) - 2);
    ck_assert_uint_eq(sys.last_class, MEM_CLASS_DRAM);
    /* again: L1 hit, nothing beyond load_use */
    ck_assert_uint_eq(mem_sys_access(&sys, 0, a + 8, 8, ISS_ACCESS_LOAD), 0);
    ck_assert_uint_eq(sys.last_class, MEM_CLASS_L1);
    /* two more lines in a's L1 set (256 sets of 2 ways): a leaves L1, stays in L2 */
    mem_sys_access(&sys, 0, a + 256 * 64, 8, ISS_ACCESS_LOAD);
    mem_sys_access(&sys, 0, a + 512 * 64, 8, ISS_ACCESS_LOAD);
    ck_assert_uint_eq(mem_sys_access(&sys, 0, a, 8, ISS_ACCESS_LOAD), 11 - 2);
    ck_assert_uint_eq(sys.last_class, MEM_CLASS_L2);
    /* remote home at k hops: the home has the line (it loaded it), tile 0 not */
    for (unsigned k = 1; k <= 10; k++) {
        uint64_t b = line_at_hops(k) + (1ULL << 24); /* lines nobody touched */
        while (mem_sys_hops(&sys, 0, mem_sys_home(&sys, b)) != k || mem_sys_home(&sys, b) == 0) b += 64;
        mem_sys_access(&sys, mem_sys_home(&sys, b), b, 8, ISS_ACCESS_LOAD);
        ck_assert_uint_eq(mem_sys_access(&sys, 0, b, 8, ISS_ACCESS_LOAD), 31 + k - 2);
        ck_assert_uint_eq(sys.last_class, MEM_CLASS_REMOTE);
    }
    /* fetches use L1I: a line in L1D is not in L1I but is in L2 */
    ck_assert_uint_eq(mem_sys_access(&sys, 0, a, 4, ISS_ACCESS_FETCH), 11 - 2);
    /* a store to shared memory invalidates the other tiles' copies, not the home's */
    {
        uint64_t c = TILE_SHARED_BASE + (5ULL << 24);
        unsigned hc = mem_sys_home(&sys, c), other = hc == 7 ? 8 : 7;
        mem_sys_access(&sys, other, c, 8, ISS_ACCESS_LOAD);
        mem_sys_access(&sys, hc, c, 8, ISS_ACCESS_LOAD);
        ck_assert_uint_eq(mem_sys_access(&sys, other, c, 8, ISS_ACCESS_LOAD), 0);
        mem_sys_access(&sys, 0, c, 8, ISS_ACCESS_STORE);
        ck_assert_uint_eq(sys.t[other].coherence_invalidations, 1);
        ck_assert_uint_eq(mem_sys_access(&sys, other, c, 8, ISS_ACCESS_LOAD),
                          hc == other ? 11 - 2 : 31 + mem_sys_hops(&sys, other, hc) - 2);
    }
    /* stores never stall */
    ck_assert_uint_eq(mem_sys_access(&sys, 0, TILE_SHARED_BASE + (3ULL << 24), 8, ISS_ACCESS_STORE), 0);
}
END_TEST

START_TEST(latency_dram_page_homing_controllers)
{
    /* homing per page: tile 0's private memory is homed on tile 0; the
     * controllers sit at (0,3) (tile 18) and (5,3) (tile 23), 4 KiB stripes */
    mem_sys_free(&sys);
    lcfg.homing = MEM_HOMING_PAGE;
    ck_assert_int_eq(mem_sys_init(&sys, &lcfg, err, sizeof err), 0);
    ck_assert_uint_eq(mem_sys_home(&sys, TILE_PRIVATE_PHYS_BASE + 5 * TILE_PRIVATE_PHYS_STRIDE), 5);
    ck_assert_uint_eq(mem_sys_controller_tile(&sys, TILE_PRIVATE_PHYS_BASE), 18);
    ck_assert_uint_eq(mem_sys_controller_tile(&sys, TILE_PRIVATE_PHYS_BASE + 4096), 23);
    ck_assert_uint_eq(mem_sys_access(&sys, 0, TILE_PRIVATE_PHYS_BASE, 8, ISS_ACCESS_LOAD), 67 + 3 - 2);
    ck_assert_uint_eq(mem_sys_access(&sys, 0, TILE_PRIVATE_PHYS_BASE + 4096, 8, ISS_ACCESS_LOAD), 67 + 8 - 2);
    /* shared regions: RX pool and TX region on the application's tile,
     * rings over the stack tiles (8 by default: apps start at tile 8) */
    {
        mem_space sp = { 0 };
        static uint8_t host[1];
        ck_assert_int_eq(mem_layout_homes(&sys, &lcfg, host, 256ULL << 20, err, sizeof err), 0);
        ck_assert_int_eq(mem_layout_shared(&sp, &lcfg, BOOT_ROLE_STACK, BOOT_APP_NONE, host, 256ULL << 20, err,
                                           sizeof err), 0);
        for (unsigned i = 0; i < sp.n; i++) {
            const mem_region *r = &sp.r[i];
            if (r->kind == BOOT_REGION_RX_POOL || r->kind == BOOT_REGION_TX) {
                ck_assert_uint_eq(mem_sys_home(&sys, r->pa), 8 + r->app);
                ck_assert_uint_eq(mem_sys_home(&sys, r->pa + r->size - 1), 8 + r->app);
            }
            if (r->kind == BOOT_REGION_RINGS)
                for (uint64_t off = 0; off < r->size; off += 64 << 10)
                    ck_assert_uint_eq(mem_sys_home(&sys, r->pa + off), (off >> 16) % 8);
        }
        mem_space_free(&sp);
    }
    /* home miss on a remote home: hops to the home and from it to the controller */
    uint64_t p7 = TILE_PRIVATE_PHYS_BASE + 7 * TILE_PRIVATE_PHYS_STRIDE; /* home 7 = (1,1), mc 18 */
    ck_assert_uint_eq(mem_sys_access(&sys, 0, p7, 8, ISS_ACCESS_LOAD), 67 + 2 + 3 - 2);
    /* the store to a line homed elsewhere writes through to the home: the home then hits */
    uint64_t p8 = TILE_PRIVATE_PHYS_BASE + 8 * TILE_PRIVATE_PHYS_STRIDE;
    mem_sys_access(&sys, 0, p8, 8, ISS_ACCESS_STORE);
    ck_assert_uint_eq(mem_sys_access(&sys, 8, p8, 8, ISS_ACCESS_LOAD), 11 - 2);
}
END_TEST

START_TEST(dma_write_invalidates_every_copy)
{
    uint64_t a = TILE_SHARED_BASE + 0x1000, line = a >> 6;
    mem_sys_access(&sys, 0, a, 8, ISS_ACCESS_LOAD);
    mem_sys_access(&sys, 5, a, 8, ISS_ACCESS_LOAD);
    ck_assert_uint_eq(mem_sys_access(&sys, 0, a, 8, ISS_ACCESS_LOAD), 0);
    ck_assert_uint_eq(sys.t[0].l1d.mru[line & (sys.t[0].l1d.sets - 1)], line); /* the core's L1 filter */
    mem_sys_dma_written(&sys, a - 8, 16);
    ck_assert_uint_eq(sys.t[0].l1d.mru[line & (sys.t[0].l1d.sets - 1)], MEM_CACHE_EMPTY); /* forgets */
    ck_assert_uint_eq(sys.t[0].dma_invalidations, 1); /* the one line tile 0 had */
    ck_assert_uint_eq(sys.t[5].dma_invalidations, 1);
    mem_sys_access(&sys, 0, a, 8, ISS_ACCESS_LOAD);
    ck_assert_uint_eq(sys.last_class, MEM_CLASS_DRAM);
}
END_TEST

/* ---- latency per access class through the ISS's timed loop ---- */

static uint64_t hook(void *ctx, uint64_t pa, unsigned size, iss_access kind)
{
    return mem_sys_access(ctx, 0, pa, size, kind);
}

/* ld x1, 0(x6); addi x3, x1, 1; wfi - all in one line. Runs with x6 = data
 * on a fresh memory system prepared by prep(); returns the cycles. */
static uint64_t run_load(uint64_t data, void (*prep)(uint64_t))
{
    static const uint32_t prog[] = { 0x00033083, 0x00108193, 0x10500073 };
    iss_core *c = calloc(1, sizeof *c);
    uint8_t *ram = calloc(1, 1 << 16);
    iss_timing_cfg t = { 1, 3, 2, 0, 2, 2, 32, 4 };
    uint64_t cycles;
    memcpy(ram, prog, sizeof prog);
    mem_sys_free(&sys);
    ck_assert_int_eq(mem_sys_init(&sys, &lcfg, err, sizeof err), 0);
    if (prep) prep(data);
    iss_init(c, 0, TILE_DRAM_BASE, &t);
    iss_set_ram(c, ram, TILE_DRAM_BASE, 1 << 16);
    c->mem.ctx = &sys;
    c->mem.ram_latency = hook;
    mem_sys_l1_filters(&sys, 0, c);
    c->x[6] = data;
    ck_assert_int_eq(iss_run(c, 100000), ISS_STOP_WFI);
    cycles = c->cycle;
    free(c);
    free(ram);
    return cycles;
}

static void prep_l1(uint64_t a) { mem_sys_access(&sys, 0, a, 8, ISS_ACCESS_LOAD); }
static void prep_l2(uint64_t a)
{
    prep_l1(a);
    mem_sys_access(&sys, 0, a + 256 * 64, 8, ISS_ACCESS_LOAD);
    mem_sys_access(&sys, 0, a + 512 * 64, 8, ISS_ACCESS_LOAD);
}
static void prep_remote(uint64_t a) { mem_sys_access(&sys, mem_sys_home(&sys, a), a, 8, ISS_ACCESS_LOAD); }

START_TEST(iss_charges_each_class_exactly)
{
    uint64_t a = TILE_DRAM_BASE + 0x8000;
    while (mem_sys_home(&sys, a) == 0) a += 64;
    unsigned h = mem_sys_home(&sys, a), k = mem_sys_hops(&sys, 0, h);
    uint64_t l1 = run_load(a, prep_l1);
    /* the load's result is late by exactly the class's extra latency */
    ck_assert_uint_eq(run_load(a, prep_l2) - l1, 11 - 2);
    ck_assert_uint_eq(run_load(a, prep_remote) - l1, 31 + k - 2);
    ck_assert_uint_eq(run_load(a, NULL) - l1,
                      67 + k + mem_sys_hops(&sys, h, mem_sys_controller_tile(&sys, a)) - 2);
}
END_TEST

/* ---- the ISS with the MMU: a host-TLB hit is always a modelled hit ---- */

static iss_mem_status xlate(void *ctx, uint64_t va, iss_access kind, int priv, iss_xlate *x)
{
    return mem_mmu_translate(ctx, va, kind, priv, x);
}

/* Three loads from three 64 KiB pages, ten times, in user mode, with a
 * DTLB of `entries` (fully associative); returns the DTLB misses. */
static uint64_t cyclic_pages_cycles; /* cycles of the last run (timing on) */

static uint64_t cyclic_pages(unsigned entries, uint64_t *itlb_misses)
{
    static const uint32_t prog[] = {
        0x0002b083, /* ld x1, 0(x5) */
        0x00033083, /* ld x1, 0(x6) */
        0x0003b083, /* ld x1, 0(x7) */
        0xfff40413, /* addi x8, x8, -1 */
        0xfe0418e3, /* bne x8, x0, -16 */
        0x00000073, /* ecall: stops the core (no handler) */
    };
    mem_params cfg;
    mem_mmu m;
    iss_core *c = calloc(1, sizeof *c);
    uint8_t *code = calloc(1, 64 << 10), *data = calloc(1, 3 << 16);
    iss_timing_cfg t = { 1, 3, 2, 0, 2, 2, 32, 4 };
    cfg = mem_test_params();
    cfg.dtlb_entries = cfg.dtlb_assoc = entries;
    memcpy(code, prog, sizeof prog);
    iss_init(c, 0, TILE_DRAM_BASE, &t);
    ck_assert_int_eq(mem_mmu_init(&m, &cfg, 0, c, NULL, err, sizeof err), 0);
    mem_region rc = { TILE_DRAM_BASE, 64 << 10, TILE_DRAM_BASE, code, 64 << 10, BOOT_RIGHT_R | BOOT_RIGHT_X,
                      BOOT_REGION_CODE, BOOT_APP_NONE, 0 };
    mem_region rd = { TILE_SHARED_BASE, 3 << 16, TILE_SHARED_BASE, data, 64 << 10, BOOT_RIGHT_R | BOOT_RIGHT_W,
                      BOOT_REGION_TX, 0, 0 };
    ck_assert_int_eq(mem_space_add(&m.space, &rc, err, sizeof err), 0);
    ck_assert_int_eq(mem_space_add(&m.space, &rd, err, sizeof err), 0);
    c->mem.ctx = &m;
    c->mem.translate = xlate;
    c->priv = ISS_PRIV_U;
    c->x[5] = TILE_SHARED_BASE;
    c->x[6] = TILE_SHARED_BASE + (1 << 16);
    c->x[7] = TILE_SHARED_BASE + (2 << 16);
    c->x[8] = 10;
    ck_assert_int_eq(iss_run(c, 100000), ISS_STOP_TRAP);
    ck_assert_uint_eq(c->trap_cause, ISS_CAUSE_ECALL_U);
    uint64_t misses = m.dtlb.misses;
    *itlb_misses = m.itlb.misses;
    cyclic_pages_cycles = c->cycle;
    mem_mmu_free(&m);
    free(c);
    free(code);
    free(data);
    return misses;
}

START_TEST(iss_host_tlb_never_hides_a_modelled_miss)
{
    uint64_t im;
    /* 2 entries, 3 pages in a cycle: FIFO misses every access, although the
     * host TLB alone could hold all three pages */
    ck_assert_uint_eq(cyclic_pages(2, &im), 30);
    ck_assert_uint_eq(im, 1);
    uint64_t thrash = cyclic_pages_cycles;
    /* 4 entries: one miss per page */
    ck_assert_uint_eq(cyclic_pages(4, &im), 3);
    /* each of the 27 extra misses stalls the pipeline for the refill; and in
     * iterations 2-10 the third load's stall also keeps the addi out of its
     * issue group (one cycle each) */
    ck_assert_uint_eq(thrash - cyclic_pages_cycles, 27 * 21 + 9);
}
END_TEST

Suite *mem_suite(void)
{
    Suite *s = suite_create("mem");
    TCase *t = tcase_create("mmu");
    tcase_add_test(t, tlb_misses_per_page_size);
    tcase_add_test(t, tlb_set_associative_round_robin);
    tcase_add_test(t, rights_and_fault_records);
    tcase_add_test(t, layout_rights_per_role);
    tcase_add_test(t, boot_info_flags_udn_sender);
    tcase_add_test(t, boot_info_stack_set_net_args);
    tcase_add_test(t, iss_host_tlb_never_hides_a_modelled_miss);
    suite_add_tcase(s, t);
    t = tcase_create("latency");
    tcase_add_checked_fixture(t, sys_setup, sys_teardown);
    tcase_add_test(t, latency_l1_l2_remote_dram);
    tcase_add_test(t, latency_dram_page_homing_controllers);
    tcase_add_test(t, dma_write_invalidates_every_copy);
    tcase_add_test(t, iss_charges_each_class_exactly);
    suite_add_tcase(s, t);
    return s;
}
