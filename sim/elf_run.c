/* elf_run.c - dlsim --elf: one RISC-V ELF on one tile with no chip around
 * it. RAM covers the ELF's segments; the SYS page gives console and exit;
 * the `tohost` symbol reports pass/fail as in the RISC-V ISA test suites.
 *
 * Protection: the runner's own default for mem.protection is off (the ISA
 * suites link everything into one segment without rights; dlsim_main sets
 * it before reading the file and --set). With it on, user mode sees only
 * the ELF's loadable segments, with the rights of their program-header
 * flags, and the SYS page (the runner's console and exit); machine mode is
 * not translated. A user-mode fault with no handler installed stops the
 * program with a report naming pc, address, access and region (exit 1).
 * The cache model (mem.timing, with core.timing) runs as tile 0 of the
 * configured chip either way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/iss.h"
#include "core/iss_config.h"
#include "core/tile_sys.h"
#include "abi/tile_memmap.h"
#include "elf_load.h"
#include "mem/mem_mmu.h"
#include "mem/mem_sys.h"
#include "modes.h"
#include "stats.h"

#define ELF_RUN_BATCH 1000000ULL       /* cycles per iss_run call */

typedef struct elf_run_ctx {
    iss_core *core;
    tile_sys sys;
    uint64_t tohost;
    int have_tohost;
    uint64_t tohost_value;   /* non-zero once the program wrote tohost */
    mem_mmu *mmu;            /* protection on: the user address space */
    mem_sys *msys;           /* cache model, or NULL */
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

/* Builds the user address space: the segments and the SYS page. */
static int elf_run_space(elf_run_ctx *r, const dl_config *cfg, const elf_image *img, uint8_t *ram,
                         uint64_t base, uint64_t size, char *err, size_t errlen)
{
    mem_segment seg[ELF_MAX_SEGMENTS];
    int n = elf_mem_segments(img, "", seg, err, errlen);
    mem_region sys = { TILE_SYS_BASE, TILE_SYS_SIZE, TILE_SYS_BASE, NULL, 64ULL << 10,
                       BOOT_RIGHT_R | BOOT_RIGHT_W, BOOT_REGION_MMIO_SYS, BOOT_APP_NONE, 0 };
    if (n < 0)
        return -1;
    if (mem_mmu_init(r->mmu, cfg, 0, r->core, r->msys, err, errlen) < 0)
        return -1;
    return mem_layout_private(&r->mmu->space, cfg, seg, (unsigned)n, base, size, ram, base, NULL, 0, err, errlen) < 0 ||
                   mem_space_add(&r->mmu->space, &sys, err, errlen) < 0
               ? -1
               : 0;
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
            r->tohost_value = v;
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
    if (r->tohost_value) {
        uint64_t v = r->tohost_value;
        if (v == 1) {
            printf("elf: %s: PASS\n", path);
            rc = 0;
        } else {
            printf("elf: %s: FAIL: test %llu failed (tohost = %#llx)\n", path,
                   (unsigned long long)(v >> 1), (unsigned long long)v);
        }
    } else if (r->sys.exited) {
        printf("elf: %s: exit code %lld\n", path, (long long)r->sys.exit_code);
        rc = r->sys.exit_code == 0 ? 0 : 1;
    } else if (st == ISS_STOP_TRAP && r->mmu && r->mmu->fault.valid &&
               (c->trap_cause == ISS_CAUSE_FETCH_PAGE || c->trap_cause == ISS_CAUSE_LOAD_PAGE ||
                c->trap_cause == ISS_CAUSE_STORE_PAGE)) {
        char text[256];
        mem_mmu_fault_text(r->mmu, c->trap_pc, text, sizeof text);
        printf("elf: %s: memory protection fault: %s\n", path, text);
    } else if (st == ISS_STOP_TRAP) {
        printf("elf: %s: tile %u: unhandled trap: %s (cause %#llx) at pc %#llx, "
               "instruction %#010x, tval %#llx\n", path, r->sys.tile,
               iss_cause_name(c->trap_cause), (unsigned long long)c->trap_cause,
               (unsigned long long)c->trap_pc, c->trap_insn,
               (unsigned long long)c->trap_tval);
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

int elf_run(const dl_config *cfg, const char *elf_path, uint64_t max_cycles,
            const char *outdir)
{
    char err[512];
    elf_image img;
    iss_timing_cfg tc;
    elf_run_ctx r;
    uint64_t base, size;
    uint8_t *ram;
    iss_stop st = ISS_STOP_BUDGET;
    double t0, t1;
    int rc = 0;
    mem_mmu mmu;
    mem_sys sys;
    (void)outdir; /* the bare-metal runner writes no stats.json */

    if (elf_load_file(elf_path, &img, err, sizeof err) != 0) {
        fprintf(stderr, "dlsim: %s\n", err);
        return 2;
    }
    if (elf_ram_window(&img, elf_path, &base, &size, err, sizeof err) != 0) {
        fprintf(stderr, "dlsim: %s\n", err);
        elf_free(&img);
        return 2;
    }
    if (cfg->mem.protection) {
        /* Regions are whole TLB pages: RAM covers the rounded segments. */
        mem_segment seg[ELF_MAX_SEGMENTS];
        int n = elf_mem_segments(&img, elf_path, seg, err, sizeof err);
        if (n < 0) {
            fprintf(stderr, "dlsim: %s\n", err);
            elf_free(&img);
            return 2;
        }
        mem_layout_window(cfg, seg, (unsigned)n, &base, &size);
    }
    ram = calloc(1, size);
    memset(&r, 0, sizeof r);
    r.core = malloc(sizeof *r.core);
    if (!ram || !r.core) {
        fprintf(stderr, "dlsim: %s: out of memory for %llu bytes of RAM\n", elf_path,
                (unsigned long long)size);
        free(ram);
        free(r.core);
        elf_free(&img);
        return 1;
    }
    elf_copy_segments(&img, ram, base);
    iss_timing_from_config(cfg, &tc);
    iss_init(r.core, 0, img.entry, &tc);
    iss_set_ram(r.core, ram, base, size);
    tile_sys_init(&r.sys, 0, stdout);
    if (elf_find_symbol(&img, "tohost", &r.tohost) == 0 &&
        elf_run_in_ram(r.core, r.tohost, 8)) {
        r.have_tohost = 1;
        iss_set_store_watch(r.core, r.tohost, 8);
    }
    /* No fetch callback: code runs from RAM only, fetching elsewhere faults. */
    r.core->mem = (iss_mem_ops){ .ctx = &r, .load = elf_run_load, .store = elf_run_store };
    if (cfg->core.timing && cfg->mem.timing) {
        r.msys = &sys;
        if (mem_sys_init(&sys, cfg, err, sizeof err) < 0) {
            fprintf(stderr, "dlsim: %s\n", err);
            r.msys = NULL;
            rc = 2;
            goto done;
        }
        r.core->mem.ram_latency = elf_run_latency;
        mem_sys_l1_filters(&sys, 0, r.core);
    }
    if (cfg->mem.protection) {
        r.mmu = &mmu;
        if (elf_run_space(&r, cfg, &img, ram, base, size, err, sizeof err) < 0) {
            fprintf(stderr, "dlsim: %s: %s\n", elf_path, err);
            rc = 2;
            goto done;
        }
        r.core->mem.translate = elf_run_translate;
    }

    t0 = stats_host_seconds();
    for (;;) {
        uint64_t budget = ELF_RUN_BATCH;
        if (max_cycles) {
            if (r.core->cycle >= max_cycles)
                break;
            if (max_cycles - r.core->cycle < budget)
                budget = max_cycles - r.core->cycle;
        }
        st = iss_run(r.core, budget);
        if (st == ISS_STOP_BUDGET || st == ISS_STOP_SYNC)
            continue;
        if (st == ISS_STOP_DEVICE && !r.tohost_value && !r.sys.exited)
            continue;
        break;
    }
    t1 = stats_host_seconds();
    fflush(stdout);
    rc = elf_run_report(elf_path, &r, st, max_cycles);
    fflush(stdout);
    /* Host speed goes to stderr: never into the deterministic output. */
    fprintf(stderr, "elf: host %.3f s, %.1f MIPS\n", t1 - t0,
            t1 > t0 ? (double)r.core->instret / (t1 - t0) / 1e6 : 0.0);
    if (r.mmu)
        fprintf(stderr, "elf: TLB misses: itlb %llu, dtlb %llu\n", (unsigned long long)mmu.itlb.misses,
                (unsigned long long)mmu.dtlb.misses);
done:
    elf_free(&img);
    if (r.mmu) mem_mmu_free(&mmu);
    if (r.msys) mem_sys_free(&sys);
    free(r.core);
    free(ram);
    return rc;
}
