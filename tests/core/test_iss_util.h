/* test_iss_util.h - for the ISS unit tests: instruction encoders (so that
 * programs are written as C arrays of words) and a core with 64 KiB of RAM
 * at TILE_DRAM_BASE plus a scriptable MMIO region on the slow path. */
#ifndef DL_CORE_TEST_ISS_UTIL_H
#define DL_CORE_TEST_ISS_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "abi/tile_memmap.h"
#include "core/iss.h"

#define T_RAM_SIZE 0x10000u
#define T_MMIO     0x20000000ull   /* slow-path test device */

/* Encoders (macros, so that programs can be static initialisers). */
#define T_U(v) ((uint32_t)(v))
#define t_r(op, f3, f7, rd, rs1, rs2) \
    (T_U(f7) << 25 | T_U(rs2) << 20 | T_U(rs1) << 15 | T_U(f3) << 12 | T_U(rd) << 7 | T_U(op))
#define t_i(op, f3, rd, rs1, imm) \
    (T_U(imm) << 20 | T_U(rs1) << 15 | T_U(f3) << 12 | T_U(rd) << 7 | T_U(op))
#define t_s(op, f3, rs1, rs2, imm) \
    ((T_U(imm) >> 5 & 0x7f) << 25 | T_U(rs2) << 20 | T_U(rs1) << 15 | T_U(f3) << 12 | \
     (T_U(imm) & 31) << 7 | T_U(op))
#define t_b(f3, rs1, rs2, off) \
    ((T_U(off) >> 12 & 1) << 31 | (T_U(off) >> 5 & 0x3f) << 25 | T_U(rs2) << 20 | \
     T_U(rs1) << 15 | T_U(f3) << 12 | (T_U(off) >> 1 & 0xf) << 8 | (T_U(off) >> 11 & 1) << 7 | 0x63u)
#define t_j(rd, off) \
    ((T_U(off) >> 20 & 1) << 31 | (T_U(off) >> 1 & 0x3ff) << 21 | (T_U(off) >> 11 & 1) << 20 | \
     (T_U(off) >> 12 & 0xff) << 12 | T_U(rd) << 7 | 0x6fu)

#define ADDI(rd, rs1, imm) t_i(0x13, 0, rd, rs1, imm)
#define ADD(rd, rs1, rs2)  t_r(0x33, 0, 0, rd, rs1, rs2)
#define MUL(rd, rs1, rs2)  t_r(0x33, 0, 1, rd, rs1, rs2)
#define DIV(rd, rs1, rs2)  t_r(0x33, 4, 1, rd, rs1, rs2)
#define LD(rd, rs1, imm)   t_i(0x03, 3, rd, rs1, imm)
#define LW(rd, rs1, imm)   t_i(0x03, 2, rd, rs1, imm)
#define SD(rs2, rs1, imm)  t_s(0x23, 3, rs1, rs2, imm)
#define SW(rs2, rs1, imm)  t_s(0x23, 2, rs1, rs2, imm)
#define BEQ(a, b, off)     t_b(0, a, b, off)
#define BNE(a, b, off)     t_b(1, a, b, off)
#define JAL(rd, off)       t_j(rd, off)
#define CSRRS(rd, csr, rs1) t_i(0x73, 2, rd, rs1, csr)
#define CSRRW(rd, csr, rs1) t_i(0x73, 1, rd, rs1, csr)
#define WFI                0x10500073u
#define ECALL              0x00000073u
#define MRET               0x30200073u
#define FENCE_I            0x0000100fu
/* A extension: funct5 << 2 | aq << 1 | rl in funct7. */
#define LR_W(rd, rs1)          t_r(0x2f, 2, 0x08, rd, rs1, 0)
#define SC_W(rd, rs2, rs1)     t_r(0x2f, 2, 0x0c, rd, rs1, rs2)
#define AMOADD_D(rd, rs2, rs1) t_r(0x2f, 3, 0x00, rd, rs1, rs2)

/* What the test device does on the slow path. */
typedef struct t_dev {
    iss_mem_status status;  /* returned by every access */
    uint64_t latency;       /* extra cycles per access */
    uint64_t value;         /* returned by loads; last stored value */
    uint64_t last_addr;
    unsigned loads, stores, retries_left;
} t_dev;

static inline iss_mem_status t_dev_load(void *ctx, uint64_t addr, unsigned size,
                                        uint64_t *val, uint64_t *lat)
{
    t_dev *d = ctx;
    (void)size;
    if (d->retries_left) {
        d->retries_left--;
        return ISS_MEM_RETRY;
    }
    d->loads++;
    d->last_addr = addr;
    *val = d->value;
    *lat = d->latency;
    return d->status;
}

static inline iss_mem_status t_dev_store(void *ctx, uint64_t addr, unsigned size,
                                         uint64_t val, uint64_t *lat)
{
    t_dev *d = ctx;
    (void)size;
    if (d->retries_left) {
        d->retries_left--;
        return ISS_MEM_RETRY;
    }
    d->stores++;
    d->last_addr = addr;
    d->value = val;
    *lat = d->latency;
    return d->status;
}

/* The TILE-Gx defaults of the configuration table. */
static inline iss_timing_cfg t_timing(int on)
{
    iss_timing_cfg t = { on, 3, 2, 0, 2, 2, 32, 4 };
    return t;
}

/* A core at TILE_DRAM_BASE running prog (n words); registers x5 = MMIO
 * device, x6 = a data area 0x8000 bytes into RAM. Free with t_core_free. */
static inline iss_core *t_core(const iss_timing_cfg *t, t_dev *dev, const uint32_t *prog, size_t n)
{
    iss_core *c = malloc(sizeof *c);
    uint8_t *ram = calloc(1, T_RAM_SIZE);
    iss_init(c, 7, TILE_DRAM_BASE, t);
    iss_set_ram(c, ram, TILE_DRAM_BASE, T_RAM_SIZE);
    memcpy(ram, prog, n * sizeof prog[0]);
    c->mem = (iss_mem_ops){ .ctx = dev, .load = t_dev_load, .store = t_dev_store };
    c->x[5] = T_MMIO;
    c->x[6] = TILE_DRAM_BASE + 0x8000;
    return c;
}

static inline void t_core_free(iss_core *c)
{
    free(c->ram);
    free(c);
}

#endif
