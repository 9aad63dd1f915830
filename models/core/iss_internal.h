/* iss_internal.h - what the ISS source files share and nobody else needs:
 * the decoded operation codes, the decoder, CSR access and trap entry. */
#ifndef DL_CORE_ISS_INTERNAL_H
#define DL_CORE_ISS_INTERNAL_H

#include "core/iss.h"

/* Decoded operations. ISS_OP_ILLEGAL is 0 so that a zeroed decode-cache
 * entry (word 0, itself an illegal instruction) is consistent. The order
 * matches the dispatch table of iss_loop.inc. A marks the atomics, which
 * share one handler there (a label each cost the functional loop two
 * registers: 7.7 % more host instructions on bench_compute); the .D ones
 * follow the .W ones in the same order. */
#define ISS_OPS(X, A) \
    X(ILLEGAL) X(LUI) X(AUIPC) X(JAL) X(JALR) \
    X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) X(BGEU) \
    X(LB) X(LH) X(LW) X(LD) X(LBU) X(LHU) X(LWU) \
    X(SB) X(SH) X(SW) X(SD) \
    X(ADDI) X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) X(SRAI) \
    X(ADD) X(SUB) X(SLL) X(SLT) X(SLTU) X(XOR) X(SRL) X(SRA) X(OR) X(AND) \
    X(ADDIW) X(SLLIW) X(SRLIW) X(SRAIW) \
    X(ADDW) X(SUBW) X(SLLW) X(SRLW) X(SRAW) \
    X(MUL) X(MULH) X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU) \
    X(MULW) X(DIVW) X(DIVUW) X(REMW) X(REMUW) \
    X(FENCE) X(FENCE_I) X(ECALL) X(EBREAK) X(MRET) X(WFI) \
    X(CSRRW) X(CSRRS) X(CSRRC) X(CSRRWI) X(CSRRSI) X(CSRRCI) \
    A(LR_W) A(SC_W) A(AMOSWAP_W) A(AMOADD_W) A(AMOXOR_W) A(AMOAND_W) A(AMOOR_W) \
    A(AMOMIN_W) A(AMOMAX_W) A(AMOMINU_W) A(AMOMAXU_W) \
    A(LR_D) A(SC_D) A(AMOSWAP_D) A(AMOADD_D) A(AMOXOR_D) A(AMOAND_D) A(AMOOR_D) \
    A(AMOMIN_D) A(AMOMAX_D) A(AMOMINU_D) A(AMOMAXU_D)

#define ISS_OP_ENUM(n) ISS_OP_##n,
enum { ISS_OPS(ISS_OP_ENUM, ISS_OP_ENUM) ISS_OP_COUNT };
#undef ISS_OP_ENUM

/* Fills d from the instruction word w (unknown encodings: ISS_OP_ILLEGAL). */
void iss_decode(iss_dinsn *d, uint32_t w);

/* CSR numbers the core implements. */
enum {
    ISS_CSR_MSTATUS = 0x300, ISS_CSR_MISA = 0x301, ISS_CSR_MIE = 0x304,
    ISS_CSR_MTVEC = 0x305, ISS_CSR_MSCRATCH = 0x340, ISS_CSR_MEPC = 0x341,
    ISS_CSR_MCAUSE = 0x342, ISS_CSR_MTVAL = 0x343, ISS_CSR_MIP = 0x344,
    ISS_CSR_MCYCLE = 0xB00, ISS_CSR_MINSTRET = 0xB02,
    ISS_CSR_CYCLE = 0xC00, ISS_CSR_TIME = 0xC01, ISS_CSR_INSTRET = 0xC02,
    ISS_CSR_MVENDORID = 0xF11, ISS_CSR_MARCHID = 0xF12, ISS_CSR_MIMPID = 0xF13,
    ISS_CSR_MHARTID = 0xF14
};

/* mstatus bits the core keeps. */
#define ISS_MSTATUS_MIE  (1ULL << 3)
#define ISS_MSTATUS_MPIE (1ULL << 7)
#define ISS_MSTATUS_MPP  (3ULL << 11)
/* Interrupt bits of mie/mip: software, timer, external (machine level). */
#define ISS_MIP_MASK     ((1ULL << 3) | (1ULL << 7) | (1ULL << 11))

/* Atomic CSR read-modify-write as csrrw/csrrs/csrrc do it. `write` says
 * whether the CSR is written (rs1 != x0 or csrrw). Returns 0 and the old
 * value in *old, or -1 for an unimplemented CSR, a write to a read-only one,
 * or a privilege violation (the caller raises illegal instruction). The
 * counters are read from c->cycle and c->instret, which the loop keeps
 * current before calling. */
int iss_csr_access(iss_core *c, unsigned csr, int op, uint64_t src,
                   int write, uint64_t *old);

/* Trap entry: updates mepc/mcause/mtval/mstatus and returns the handler pc,
 * or records an unhandled trap in c (halted) and returns 0 when mtvec is 0. */
uint64_t iss_trap_enter(iss_core *c, uint64_t cause, uint64_t epc,
                        uint64_t tval, uint32_t insn);

/* mret: restores the privilege and interrupt enable; returns mepc. */
uint64_t iss_trap_mret(iss_core *c);

/* The slow path of a memory access of n bytes at virtual address va (a
 * host-TLB miss): translation, host-TLB refill, device callbacks. Loads and
 * fetches return the zero-extended value in *val, stores take it from
 * there. Adds the extra cycles to *lat. Returns the device's status or the
 * translation's fault. */
iss_mem_status iss_mem_slow(iss_core *c, uint64_t va, unsigned n, iss_access kind,
                            uint64_t *val, uint64_t *lat);

/* An atomic (A extension; iss_amo.c): the instruction op (ISS_OP_LR_W ..
 * ISS_OP_AMOMAXU_D) at virtual address va with rs2's value src. Checks the
 * alignment, translates (as a load for LR, a store for SC and the AMOs),
 * calls the chip's part (iss_mem_ops.atomic: sync point, reservations),
 * then does the read-modify-write (iss_amo_value gives what an AMO
 * stores). *rd receives what goes to rd (the old value, sign-extended for
 * .W; an SC's 0 or 1) and *lat the cycles beyond an L1 hit. Returns
 * ISS_MEM_OK, ISS_MEM_RETRY (nothing done), ISS_MEM_STOP, or a fault with
 * *cause set to the exception to raise (misaligned, access or page fault
 * of the load or the store/AMO kind; tval is va). */
iss_mem_status iss_atomic(iss_core *c, int op, uint64_t va, uint64_t src, uint64_t *rd, uint64_t *lat,
                          uint64_t *cause);

/* Translation of one access for the slow paths: the MMU callback, or the
 * RAM window one to one (x is filled as iss_mem_ops.translate does). */
iss_mem_status iss_mem_translate(iss_core *c, uint64_t va, unsigned n, iss_access kind, iss_xlate *x);

/* Returns the cause of the highest-priority pending and enabled interrupt,
 * or 0 when there is none. */
uint64_t iss_irq_pending(const iss_core *c);

#endif
