/* elf_run.c - dlsim --elf: one RISC-V ELF on one tile with no chip around
 * it. RAM starts at the page of the lowest segment (0x80000000 for the ISA
 * suites and riscv-tests-style programs) and spans --ram-mb MiB (default
 * 256), as memory does on Spike: programs may keep their stack and heap
 * above their image. It is reserved, not allocated: untouched pages cost no
 * host memory. The SYS page gives console and exit; the `tohost` symbol
 * reports pass/fail as in the RISC-V ISA suites and carries the HTIF system
 * calls of riscv-tests-style programs (write, exit: sim/elf_htif.h).
 *
 * Protection: the runner's own default for mem.protection is off (the ISA
 * suites link everything into one segment without rights; dlsim_main sets
 * it before reading the file and --set). With it on, user mode sees only
 * the ELF's loadable segments, with the rights of their program-header
 * flags, and the SYS page (the runner's console and exit); machine mode is
 * not translated and sees all of RAM. A user-mode fault with no handler
 * installed stops the program with a report naming pc, address, access and
 * region (exit 1). A trap handler that faults on itself (the same trap at
 * the same pc again and again without mret, e.g. on a stack outside RAM)
 * stops the program with that diagnosis. The cache model (mem.timing, with
 * core.timing) runs as tile 0 of the configured chip either way. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/iss.h"
#include "core/tile_sys.h"
#include "abi/tile_memmap.h"
#include "elf_htif.h"
#include "elf_load.h"
#include "mem/mem_mmu.h"
#include "mem/mem_sys.h"
#include "model_params.h"
#include "modes.h"
#include "stats.h"

#define ELF_RUN_BATCH 1000000ULL       /* cycles per iss_run call */
#define ELF_RUN_NESTED_TRAPS 16        /* identical traps in a row: a handler faulting on itself */

typedef struct elf_run_ctx {
    iss_core *core;
    tile_sys sys;
    uint64_t tohost;
    int have_tohost;
    elf_htif htif;           /* tohost's host side */
    elf_htif_result end;     /* how tohost ended the run (SERVED: it did not) */
    mem_mmu *mmu;            /* protection on: the user address space (&mmu_store), or NULL */
    mem_sys *msys;           /* cache model (&sys_store), or NULL */
    uint8_t *ram;            /* RAM [base, base + size), or MAP_FAILED */
    uint64_t base, size;
    mem_mmu mmu_store;
    mem_sys sys_store;
    mem_params mp;           /* the memory models' parameters, from the configuration */
} elf_run_ctx;

/* Protection on: the MMU's translation, keeping tohost's page out of the
 * host TLB's write tags (watched stores reach elf_run_store). */
static iss_mem_status elf_run_translate(void *ctx, uint64_t va, iss_access kind, int priv,
                                        iss_xlate *x)
{
    elf_run_ctx *r = ctx;
    iss_mem_status ms = mem_mmu_translate(r->mmu, va, kind, priv, x);
    if (ms != ISS_MEM_OK || !r->have_tohost)
        return ms;
    uint64_t page = va & ~((1ULL << ISS_PAGE_SHIFT) - 1);
    if (page <= r->tohost + 7 && page + (1ULL << ISS_PAGE_SHIFT) > r->tohost) {
        x->fill &= ~(unsigned)ISS_FILL_W;
        if (kind == ISS_ACCESS_STORE && va + 7 >= r->tohost && va <= r->tohost + 7)
            x->host = NULL;
    }
    return ms;
}

static uint64_t elf_run_latency(void *ctx, uint64_t pa, unsigned size, iss_access kind)
{
    elf_run_ctx *r = ctx;
    return mem_sys_access(r->msys, 0, pa, size, kind);
}

/* Builds the address space: the segments with their rights, the rest of
 * RAM for machine mode only (no user rights), and the SYS page. */
static int elf_run_space(elf_run_ctx *r, const mem_params *mp, const mem_segment *seg, unsigned n,
                         uint8_t *ram, uint64_t base, uint64_t size, char *err, size_t errlen)
{
    mem_region sys = { TILE_SYS_BASE, TILE_SYS_SIZE, TILE_SYS_BASE, NULL, 64ULL << 10,
                       BOOT_RIGHT_R | BOOT_RIGHT_W, BOOT_REGION_MMIO_SYS, BOOT_APP_NONE, 0 };
    uint64_t page = mp->code_page, at = base;
    mem_space *s = &r->mmu->space;
    unsigned nseg;
    if (mp->data_page < page) page = mp->data_page;
    if (mem_layout_private(s, mp, seg, n, base, size, ram, base, NULL, 0, err, errlen) < 0)
        return -1;
    /* The gaps between the segments' regions (aligned to their pages). */
    nseg = s->n;
    for (unsigned i = 0; i <= nseg; i++) {
        uint64_t end = i < nseg ? s->r[i].va : base + size;
        if (end > at) {
            mem_region gap = { at, end - at, at, ram + (at - base), page, 0, BOOT_REGION_DATA,
                               BOOT_APP_NONE, 0 };
            if (mem_space_add(s, &gap, err, errlen) < 0)
                return -1;
        }
        if (i < nseg)
            at = s->r[i].va + s->r[i].size;
    }
    return mem_space_add(s, &sys, err, errlen);
}

/* The RAM window [base, base + size): from the page of the lowest segment,
 * ram_mb MiB (rounded out to the largest TLB page with protection on);
 * the segments must fit and RAM must not reach the MMIO window. Returns 0,
 * or -1 with a message naming path. */
static int elf_run_window(const mem_params *mp, const elf_image *img, const char *path,
                          const mem_segment *seg, unsigned n, uint64_t ram_mb, int ram_default,
                          uint64_t *base, uint64_t *size, char *err, size_t errlen)
{
    uint64_t ram = ram_mb << 20, need;
    char e[256];
    if (elf_ram_window(img, path, base, &need, err, errlen) != 0)
        return -1;
    if (mp->protection) {
        /* Regions are whole TLB pages: round out to the largest. */
        uint64_t page = mp->code_page;
        if (mp->data_page > page) page = mp->data_page;
        mem_layout_window(mp, seg, n, base, &need);
        ram = (ram + page - 1) & ~(page - 1);
    }
    if (need > ram) {
        snprintf(err, errlen, "%s: the loadable segments need %llu KiB of RAM, more than --ram-mb %llu%s",
                 path, (unsigned long long)(need >> 10), (unsigned long long)ram_mb,
                 ram_default ? " (the default)" : "");
        return -1;
    }
    *size = ram;
    if (*base < TILE_MMIO_BASE && *base + *size > TILE_MMIO_BASE)
        *size = TILE_MMIO_BASE - *base; /* RAM below the MMIO window stops there */
    if (*base + *size < *base || (*base < TILE_MMIO_BASE + TILE_MMIO_SIZE && TILE_MMIO_BASE < *base + *size)) {
        snprintf(e, sizeof e, "%#llx..%#llx", (unsigned long long)*base,
                 (unsigned long long)(*base + *size - 1));
        snprintf(err, errlen, "%s: RAM %s does not fit the address space below or above the MMIO window",
                 path, e);
        return -1;
    }
    return 0;
}

static int elf_run_in_ram(const iss_core *c, uint64_t addr, unsigned size)
{
    uint64_t off = addr - c->ram_base;
    return off < c->ram_size && size <= c->ram_size - off;
}

static iss_mem_status elf_run_load(void *ctx, uint64_t addr, unsigned size,
                                   uint64_t *val, uint64_t *lat)
{
    elf_run_ctx *r = ctx;
    (void)lat;
    if (tile_sys_owns(addr))
        return tile_sys_load(&r->sys, addr, size, r->core->cycle, val);
    return ISS_MEM_ACCESS_FAULT;
}

/* Stores reach here for the SYS page and for the watched tohost window. */
static iss_mem_status elf_run_store(void *ctx, uint64_t addr, unsigned size,
                                    uint64_t val, uint64_t *lat)
{
    elf_run_ctx *r = ctx;
    iss_core *c = r->core;
    (void)lat;
    if (tile_sys_owns(addr))
        return tile_sys_store(&r->sys, addr, size, val);
    if (!elf_run_in_ram(c, addr, size))
        return ISS_MEM_ACCESS_FAULT;
    memcpy(c->ram + (addr - c->ram_base), &val, size);
    if (r->have_tohost) {
        uint64_t v;
        memcpy(&v, c->ram + (r->tohost - c->ram_base), 8);
        if (v != 0) {
            /* tohost's host side answers at once: a served call has its
             * result and fromhost set before the next instruction. */
            r->end = elf_htif_serve(&r->htif, v);
            if (r->end != ELF_HTIF_SERVED)
                return ISS_MEM_STOP;
        }
    }
    return ISS_MEM_OK;
}

/* Prints the outcome; returns the exit status. */
static int elf_run_report(const char *path, elf_run_ctx *r, iss_stop st,
                          uint64_t max_cycles)
{
    iss_core *c = r->core;
    int rc = 1;
    tile_sys_flush(&r->sys);
    if (r->end != ELF_HTIF_SERVED) {
        rc = elf_htif_report(&r->htif, r->end, path, stdout);
    } else if (r->sys.exited) {
        printf("elf: %s: exit code %lld\n", path, (long long)r->sys.exit_code);
        rc = r->sys.exit_code == 0 ? 0 : 1;
    } else if (st == ISS_STOP_TRAP && c->trap_nested) {
        printf("elf: %s: tile %u: the trap handler faults on itself: %s (cause %#llx) at pc %#llx, "
               "%u times in a row without mret (tval %#llx)%s\n", path, r->sys.tile,
               iss_cause_name(c->trap_cause), (unsigned long long)c->trap_cause,
               (unsigned long long)c->trap_pc, c->trap_nested, (unsigned long long)c->trap_tval,
               elf_run_in_ram(c, c->trap_tval, 1) ? "" : "; is its stack in RAM (--ram-mb)?");
    } else if (st == ISS_STOP_TRAP && r->mmu && r->mmu->fault.valid &&
               (c->trap_cause == ISS_CAUSE_FETCH_PAGE || c->trap_cause == ISS_CAUSE_LOAD_PAGE ||
                c->trap_cause == ISS_CAUSE_STORE_PAGE)) {
        char text[256];
        mem_mmu_fault_text(r->mmu, c->trap_pc, text, sizeof text);
        printf("elf: %s: memory protection fault: %s\n", path, text);
    } else if (st == ISS_STOP_TRAP) {
        int access = c->trap_cause == ISS_CAUSE_FETCH_ACCESS || c->trap_cause == ISS_CAUSE_LOAD_ACCESS ||
                     c->trap_cause == ISS_CAUSE_STORE_ACCESS;
        char where[128] = "";
        if (access && !elf_run_in_ram(c, c->trap_tval, 1) && !tile_sys_owns(c->trap_tval))
            snprintf(where, sizeof where, " (outside RAM %#llx..%#llx: see --ram-mb)",
                     (unsigned long long)c->ram_base, (unsigned long long)(c->ram_base + c->ram_size - 1));
        printf("elf: %s: tile %u: unhandled trap: %s (cause %#llx) at pc %#llx, "
               "instruction %#010x, tval %#llx%s\n", path, r->sys.tile,
               iss_cause_name(c->trap_cause), (unsigned long long)c->trap_cause,
               (unsigned long long)c->trap_pc, c->trap_insn,
               (unsigned long long)c->trap_tval, where);
    } else if (st == ISS_STOP_WFI) {
        printf("elf: %s: tile %u: wfi with no interrupt source, at pc %#llx\n", path,
               r->sys.tile, (unsigned long long)c->pc);
    } else {
        printf("elf: %s: --max-cycles %llu reached at pc %#llx\n", path,
               (unsigned long long)max_cycles, (unsigned long long)c->pc);
    }
    printf("elf: retired %llu instructions in %llu cycles (timing %s)\n",
           (unsigned long long)c->instret, (unsigned long long)c->cycle,
           c->tcfg.timing ? "on" : "off");
    return rc;
}

/* Loads the ELF, lists its loadable segments and sizes the RAM window
 * (r->base, r->size). Returns 0, or 2 with the error printed. */
static int elf_run_open(elf_run_ctx *r, const char *path, uint64_t ram_mb,
                        elf_image *img, mem_segment seg[ELF_MAX_SEGMENTS], unsigned *nseg)
{
    char err[512];
    if (elf_load_file(path, img, err, sizeof err) != 0) {
        fprintf(stderr, "dlsim: %s\n", err);
        return 2;
    }
    int n = elf_mem_segments(img, path, seg, err, sizeof err);
    if (n < 0 || elf_run_window(&r->mp, img, path, seg, (unsigned)n, ram_mb ? ram_mb : ELF_RUN_RAM_MB_DEFAULT,
                                ram_mb == 0, &r->base, &r->size, err, sizeof err) != 0) {
        fprintf(stderr, "dlsim: %s\n", err);
        return 2;
    }
    *nseg = (unsigned)n;
    return 0;
}

/* Reserves RAM (zero-filled on first touch), copies the segments in and
 * starts the core at the entry point with the SYS page and tohost's host
 * side. Returns 0, or 1 with the error printed. */
static int elf_run_core(elf_run_ctx *r, const dl_config *cfg, const char *path, const elf_image *img)
{
    iss_timing_cfg tc;
    uint64_t sym;
    r->ram = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    r->core = malloc(sizeof *r->core);
    if (r->ram == MAP_FAILED || !r->core) {
        fprintf(stderr, "dlsim: %s: cannot reserve %llu MiB of RAM: %s\n", path,
                (unsigned long long)(r->size >> 20), r->ram == MAP_FAILED ? strerror(errno) : "out of memory");
        return 1;
    }
    elf_copy_segments(img, r->ram, r->base);
    iss_timing_from_config(cfg, &tc);
    iss_init(r->core, 0, img->entry, &tc);
    iss_set_ram(r->core, r->ram, r->base, r->size);
    r->core->nested_trap_limit = ELF_RUN_NESTED_TRAPS;
    tile_sys_init(&r->sys, 0, stdout);
    r->htif = (elf_htif){ .ram = r->ram, .ram_base = r->base, .ram_size = r->size, .out = stdout,
                          .err = stderr };
    if (elf_find_symbol(img, "tohost", &r->tohost) == 0 && elf_run_in_ram(r->core, r->tohost, 8)) {
        r->have_tohost = 1;
        r->htif.tohost = r->tohost;
        iss_set_store_watch(r->core, r->tohost, 8);
    }
    if (elf_find_symbol(img, "fromhost", &sym) == 0 && elf_run_in_ram(r->core, sym, 8))
        r->htif.fromhost = sym;
    /* No fetch callback: code runs from RAM only, fetching elsewhere faults. */
    r->core->mem = (iss_mem_ops){ .ctx = r, .load = elf_run_load, .store = elf_run_store };
    return 0;
}

/* The memory models the configuration asks for: the caches (core.timing
 * and mem.timing) and the MMU (mem.protection). Returns 0, or 2 with the
 * error printed. */
static int elf_run_memory(elf_run_ctx *r, const dl_config *cfg, const char *path,
                          const mem_segment *seg, unsigned nseg)
{
    char err[512];
    if (cfg->core.timing && cfg->mem.timing) {
        if (mem_sys_init(&r->sys_store, &r->mp, err, sizeof err) < 0) {
            fprintf(stderr, "dlsim: %s\n", err);
            return 2;
        }
        r->msys = &r->sys_store; /* initialised: freed at the end */
        r->core->mem.ram_latency = elf_run_latency;
        mem_sys_l1_filters(r->msys, 0, r->core);
    }
    if (cfg->mem.protection) {
        if (mem_mmu_init(&r->mmu_store, &r->mp, 0, r->core, r->msys, err, sizeof err) < 0) {
            fprintf(stderr, "dlsim: %s: %s\n", path, err);
            return 2;
        }
        r->mmu = &r->mmu_store; /* initialised: freed at the end */
        if (elf_run_space(r, &r->mp, seg, nseg, r->ram, r->base, r->size, err, sizeof err) < 0) {
            fprintf(stderr, "dlsim: %s: %s\n", path, err);
            return 2;
        }
        r->core->mem.translate = elf_run_translate;
    }
    return 0;
}

/* Runs the core in batches until it stops for good or reaches max_cycles
 * (0: no bound); returns why it stopped. */
static iss_stop elf_run_loop(elf_run_ctx *r, uint64_t max_cycles)
{
    iss_stop st = ISS_STOP_BUDGET;
    for (;;) {
        uint64_t budget = ELF_RUN_BATCH;
        if (max_cycles) {
            if (r->core->cycle >= max_cycles)
                break;
            if (max_cycles - r->core->cycle < budget)
                budget = max_cycles - r->core->cycle;
        }
        st = iss_run(r->core, budget);
        if (st == ISS_STOP_BUDGET || st == ISS_STOP_SYNC)
            continue;
        if (st == ISS_STOP_DEVICE && r->end == ELF_HTIF_SERVED && !r->sys.exited)
            continue;
        break;
    }
    return st;
}

int elf_run(const dl_config *cfg, const char *elf_path, uint64_t max_cycles, uint64_t ram_mb,
            const char *outdir)
{
    elf_image img;
    elf_run_ctx r;
    mem_segment seg[ELF_MAX_SEGMENTS];
    unsigned nseg = 0;
    int rc;
    (void)outdir; /* the bare-metal runner writes no stats.json */

    memset(&r, 0, sizeof r);
    r.ram = MAP_FAILED;
    memset(&img, 0, sizeof img);
    mem_params_from_config(cfg, &r.mp);
    rc = elf_run_open(&r, elf_path, ram_mb, &img, seg, &nseg);
    if (rc == 0) rc = elf_run_core(&r, cfg, elf_path, &img);
    if (rc == 0) rc = elf_run_memory(&r, cfg, elf_path, seg, nseg);
    if (rc == 0) {
        double t0 = stats_host_seconds();
        iss_stop st = elf_run_loop(&r, max_cycles);
        double t1 = stats_host_seconds();
        fflush(stdout);
        rc = elf_run_report(elf_path, &r, st, max_cycles);
        fflush(stdout);
        /* Host speed goes to stderr: never into the deterministic output. */
        fprintf(stderr, "elf: host %.3f s, %.1f MIPS\n", t1 - t0,
                t1 > t0 ? (double)r.core->instret / (t1 - t0) / 1e6 : 0.0);
        if (r.mmu)
            fprintf(stderr, "elf: TLB misses: itlb %llu, dtlb %llu\n",
                    (unsigned long long)r.mmu->itlb.misses, (unsigned long long)r.mmu->dtlb.misses);
    }
    elf_free(&img);
    if (r.mmu) mem_mmu_free(r.mmu);
    if (r.msys) mem_sys_free(r.msys);
    free(r.core);
    if (r.ram != MAP_FAILED) munmap(r.ram, r.size);
    return rc;
}
