/* iss_csr.c - the control and status registers of the tile core (machine
 * mode, user-readable counters). Any other CSR number is unimplemented and
 * the instruction that names it raises illegal instruction. */
#include "core/iss_internal.h"

/* misa: RV64 (MXL = 2), extensions I, M, A and U. */
#define ISS_MISA ((2ULL << 62) | (1ULL << ('I' - 'A')) | (1ULL << ('M' - 'A')) | (1ULL << 0) /* A */ | \
                  (1ULL << ('U' - 'A')))
/* mstatus.UXL = 2 (U mode is 64-bit), read-only. */
#define ISS_MSTATUS_UXL (2ULL << 32)

static int csr_read(const iss_core *c, unsigned csr, uint64_t *v)
{
    switch (csr) {
    case ISS_CSR_MSTATUS:  *v = c->mstatus | ISS_MSTATUS_UXL; return 0;
    case ISS_CSR_MISA:     *v = ISS_MISA; return 0;
    case ISS_CSR_MIE:      *v = c->mie; return 0;
    case ISS_CSR_MTVEC:    *v = c->mtvec; return 0;
    case ISS_CSR_MSCRATCH: *v = c->mscratch; return 0;
    case ISS_CSR_MEPC:     *v = c->mepc; return 0;
    case ISS_CSR_MCAUSE:   *v = c->mcause; return 0;
    case ISS_CSR_MTVAL:    *v = c->mtval; return 0;
    case ISS_CSR_MIP:      *v = c->mip; return 0;
    case ISS_CSR_MCYCLE:
    case ISS_CSR_CYCLE:
    case ISS_CSR_TIME:     *v = c->cycle + c->mcycle_off; return 0;
    case ISS_CSR_MINSTRET:
    case ISS_CSR_INSTRET:  *v = c->instret + c->minstret_off; return 0;
    case ISS_CSR_MVENDORID:
    case ISS_CSR_MARCHID:
    case ISS_CSR_MIMPID:   *v = 0; return 0;
    case ISS_CSR_MHARTID:  *v = c->hartid; return 0;
    }
    return -1;
}

static void csr_write(iss_core *c, unsigned csr, uint64_t v)
{
    switch (csr) {
    case ISS_CSR_MSTATUS: {
        uint64_t mpp = v & ISS_MSTATUS_MPP;
        /* WARL: only M (3) and U (0) are legal previous privileges. */
        if (mpp != ISS_MSTATUS_MPP && mpp != 0)
            mpp = c->mstatus & ISS_MSTATUS_MPP;
        c->mstatus = (v & (ISS_MSTATUS_MIE | ISS_MSTATUS_MPIE)) | mpp;
        break;
    }
    case ISS_CSR_MIE:      c->mie = v & ISS_MIP_MASK; break;
    case ISS_CSR_MTVEC:    c->mtvec = v & ~2ULL; break; /* modes 0 and 1 */
    case ISS_CSR_MSCRATCH: c->mscratch = v; break;
    case ISS_CSR_MEPC:     c->mepc = v & ~3ULL; break;
    case ISS_CSR_MCAUSE:   c->mcause = v; break;
    case ISS_CSR_MTVAL:    c->mtval = v; break;
    case ISS_CSR_MCYCLE:   c->mcycle_off = v - c->cycle; break;
    case ISS_CSR_MINSTRET: c->minstret_off = v - c->instret; break;
    default: break; /* misa and mip: writable, but no bit changes */
    }
}

int iss_csr_access(iss_core *c, unsigned csr, int op, uint64_t src,
                   int write, uint64_t *old)
{
    uint64_t v;
    if ((unsigned)c->priv < ((csr >> 8) & 3))
        return -1;
    if (csr_read(c, csr, &v) != 0)
        return -1;
    if (write) {
        uint64_t nv;
        if ((csr >> 10) == 3) /* read-only range */
            return -1;
        switch (op) {
        case ISS_OP_CSRRW: case ISS_OP_CSRRWI: nv = src; break;
        case ISS_OP_CSRRS: case ISS_OP_CSRRSI: nv = v | src; break;
        default:                               nv = v & ~src; break;
        }
        csr_write(c, csr, nv);
    }
    *old = v;
    return 0;
}
