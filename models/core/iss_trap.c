/* iss_trap.c - trap entry and return (machine mode only: no delegation),
 * pending-interrupt selection, and the names of causes and stop reasons. */
#include "core/iss_internal.h"

uint64_t iss_trap_enter(iss_core *c, uint64_t cause, uint64_t epc,
                        uint64_t tval, uint32_t insn)
{
    uint64_t base = c->mtvec & ~3ULL;
    c->stat_traps++;
    if (!(cause & ISS_CAUSE_INTERRUPT) && cause != ISS_CAUSE_FETCH_ACCESS && cause != ISS_CAUSE_FETCH_PAGE)
        c->stat_fetched_traps++;
    if (c->nested_trap_limit && !(cause & ISS_CAUSE_INTERRUPT)) {
        if (c->in_trap && epc == c->mepc && cause == c->mcause)
            c->nested_traps++;
        else
            c->nested_traps = 0;
        if (c->nested_traps + 1 >= c->nested_trap_limit)
            c->trap_nested = c->nested_traps + 1; /* identical traps in a row */
    }
    if (base == 0 || c->trap_nested) {
        /* No handler installed, or one faulting on itself: the trap stops
         * this core. */
        c->halted = 1;
        c->trap_cause = cause;
        c->trap_pc = epc;
        c->trap_tval = tval;
        c->trap_insn = insn;
        return 0;
    }
    c->in_trap = 1;
    c->resv_valid = 0; /* a trap clears the LR reservation */
    c->mepc = epc;
    c->mcause = cause;
    c->mtval = tval;
    uint64_t st = c->mstatus & ~(ISS_MSTATUS_MPIE | ISS_MSTATUS_MPP | ISS_MSTATUS_MIE);
    if (c->mstatus & ISS_MSTATUS_MIE)
        st |= ISS_MSTATUS_MPIE;
    st |= (uint64_t)c->priv << 11;
    c->mstatus = st;
    if (c->priv != ISS_PRIV_M)
        iss_tlb_flush(c); /* host TLB tags hold the rights of one privilege */
    c->priv = ISS_PRIV_M;
    if ((cause & ISS_CAUSE_INTERRUPT) && (c->mtvec & 1))
        return base + 4 * (cause & 63);
    return base;
}

uint64_t iss_trap_mret(iss_core *c)
{
    uint64_t st = c->mstatus;
    int priv = (int)((st & ISS_MSTATUS_MPP) >> 11);
    c->in_trap = 0;
    c->nested_traps = 0;
    c->resv_valid = 0; /* and so does mret */
    if (priv != c->priv)
        iss_tlb_flush(c);
    c->priv = priv;
    st &= ~(ISS_MSTATUS_MIE | ISS_MSTATUS_MPP);
    if (st & ISS_MSTATUS_MPIE)
        st |= ISS_MSTATUS_MIE;
    st |= ISS_MSTATUS_MPIE; /* MPP becomes U (0), MPIE becomes 1 */
    c->mstatus = st;
    return c->mepc;
}

uint64_t iss_irq_pending(const iss_core *c)
{
    uint64_t p = c->mip & c->mie & ISS_MIP_MASK;
    if (p == 0)
        return 0;
    if (c->priv == ISS_PRIV_M && !(c->mstatus & ISS_MSTATUS_MIE))
        return 0;
    if (p & (1ULL << 11)) return ISS_CAUSE_INTERRUPT | 11;
    if (p & (1ULL << 3))  return ISS_CAUSE_INTERRUPT | 3;
    return ISS_CAUSE_INTERRUPT | 7;
}

const char *iss_cause_name(uint64_t cause)
{
    if (cause & ISS_CAUSE_INTERRUPT) {
        switch (cause & 63) {
        case 3:  return "machine software interrupt";
        case 7:  return "machine timer interrupt";
        case 11: return "machine external interrupt";
        }
        return "unknown interrupt";
    }
    switch (cause) {
    case ISS_CAUSE_MISALIGNED_FETCH: return "instruction address misaligned";
    case ISS_CAUSE_FETCH_ACCESS:     return "instruction access fault";
    case ISS_CAUSE_ILLEGAL:          return "illegal instruction";
    case ISS_CAUSE_BREAKPOINT:       return "breakpoint";
    case ISS_CAUSE_LOAD_ACCESS:      return "load access fault";
    case ISS_CAUSE_STORE_ACCESS:     return "store access fault";
    case ISS_CAUSE_ECALL_U:          return "environment call from U-mode";
    case ISS_CAUSE_ECALL_M:          return "environment call from M-mode";
    case ISS_CAUSE_FETCH_PAGE:       return "instruction page fault";
    case ISS_CAUSE_LOAD_PAGE:        return "load page fault";
    case ISS_CAUSE_STORE_PAGE:       return "store page fault";
    }
    return "unknown exception";
}

const char *iss_stop_name(iss_stop s)
{
    switch (s) {
    case ISS_STOP_BUDGET: return "budget";
    case ISS_STOP_WFI:    return "wfi";
    case ISS_STOP_SYNC:   return "sync";
    case ISS_STOP_DEVICE: return "device";
    case ISS_STOP_TRAP:   return "trap";
    case ISS_STOP_HALTED: return "halted";
    }
    return "unknown";
}
