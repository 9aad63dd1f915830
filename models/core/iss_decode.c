/* iss_decode.c - turns a 32-bit RV64IMA/Zicsr/Zifencei instruction word into
 * an iss_dinsn (operation, registers, immediate) for the decode cache. */
#include "core/iss_internal.h"

static int32_t imm_i(uint32_t w) { return (int32_t)w >> 20; }
static int32_t imm_s(uint32_t w)
{
    return ((int32_t)(w & 0xfe000000u) >> 20) | (int32_t)((w >> 7) & 0x1f);
}
static int32_t imm_b(uint32_t w)
{
    return ((int32_t)(w & 0x80000000u) >> 19) | (int32_t)((w & 0x80) << 4) |
           (int32_t)((w >> 20) & 0x7e0) | (int32_t)((w >> 7) & 0x1e);
}
static int32_t imm_u(uint32_t w) { return (int32_t)(w & 0xfffff000u); }
static int32_t imm_j(uint32_t w)
{
    return ((int32_t)(w & 0x80000000u) >> 11) | (int32_t)(w & 0xff000) |
           (int32_t)((w >> 9) & 0x800) | (int32_t)((w >> 20) & 0x7fe);
}

/* Register-register ops: funct7 in {0, 0x20, 1} x funct3. */
static int decode_op(uint32_t f3, uint32_t f7)
{
    static const uint8_t base[8] = { ISS_OP_ADD, ISS_OP_SLL, ISS_OP_SLT, ISS_OP_SLTU,
                                     ISS_OP_XOR, ISS_OP_SRL, ISS_OP_OR, ISS_OP_AND };
    static const uint8_t mext[8] = { ISS_OP_MUL, ISS_OP_MULH, ISS_OP_MULHSU, ISS_OP_MULHU,
                                     ISS_OP_DIV, ISS_OP_DIVU, ISS_OP_REM, ISS_OP_REMU };
    if (f7 == 0) return base[f3];
    if (f7 == 1) return mext[f3];
    if (f7 == 0x20 && f3 == 0) return ISS_OP_SUB;
    if (f7 == 0x20 && f3 == 5) return ISS_OP_SRA;
    return ISS_OP_ILLEGAL;
}

static int decode_op32(uint32_t f3, uint32_t f7)
{
    if (f7 == 0) {
        switch (f3) {
        case 0: return ISS_OP_ADDW;
        case 1: return ISS_OP_SLLW;
        case 5: return ISS_OP_SRLW;
        }
    } else if (f7 == 0x20) {
        if (f3 == 0) return ISS_OP_SUBW;
        if (f3 == 5) return ISS_OP_SRAW;
    } else if (f7 == 1) {
        switch (f3) {
        case 0: return ISS_OP_MULW;
        case 4: return ISS_OP_DIVW;
        case 5: return ISS_OP_DIVUW;
        case 6: return ISS_OP_REMW;
        case 7: return ISS_OP_REMUW;
        }
    }
    return ISS_OP_ILLEGAL;
}

static int decode_system(uint32_t w, uint32_t f3, uint32_t rd, uint32_t rs1)
{
    static const uint8_t csr[8] = { ISS_OP_ILLEGAL, ISS_OP_CSRRW, ISS_OP_CSRRS, ISS_OP_CSRRC,
                                    ISS_OP_ILLEGAL, ISS_OP_CSRRWI, ISS_OP_CSRRSI, ISS_OP_CSRRCI };
    if (f3 != 0) return csr[f3];
    if (rd != 0 || rs1 != 0) return ISS_OP_ILLEGAL;
    switch (w >> 20) {
    case 0x000: return ISS_OP_ECALL;
    case 0x001: return ISS_OP_EBREAK;
    case 0x302: return ISS_OP_MRET;
    case 0x105: return ISS_OP_WFI;
    }
    return ISS_OP_ILLEGAL;
}

/* Atomics (opcode 0x2f): funct5 x width (funct3 2: .W, 3: .D); aq and rl
 * (bits 26 and 25) are accepted and change nothing (every atomic is
 * performed in order, see iss_amo.c). LR needs rs2 = 0. */
static int decode_amo(uint32_t w, uint32_t f3, int *use2)
{
    static const uint8_t amo_w[32] = {
        [0x00] = ISS_OP_AMOADD_W, [0x01] = ISS_OP_AMOSWAP_W, [0x02] = ISS_OP_LR_W, [0x03] = ISS_OP_SC_W,
        [0x04] = ISS_OP_AMOXOR_W, [0x08] = ISS_OP_AMOOR_W,   [0x0c] = ISS_OP_AMOAND_W,
        [0x10] = ISS_OP_AMOMIN_W, [0x14] = ISS_OP_AMOMAX_W,  [0x18] = ISS_OP_AMOMINU_W,
        [0x1c] = ISS_OP_AMOMAXU_W,
    };
    uint32_t f5 = w >> 27;
    int op = amo_w[f5];
    if (op == ISS_OP_ILLEGAL || (f3 != 2 && f3 != 3)) return ISS_OP_ILLEGAL;
    if (op == ISS_OP_LR_W && ((w >> 20) & 31) != 0) return ISS_OP_ILLEGAL;
    *use2 = op != ISS_OP_LR_W;
    /* The .D operations follow the .W ones in the same order. */
    return f3 == 3 ? op + (ISS_OP_LR_D - ISS_OP_LR_W) : op;
}

/* Returns the operation of w and sets which source registers it reads. */
static int decode_word(uint32_t w, int32_t *imm, int *use1, int *use2)
{
    uint32_t f3 = (w >> 12) & 7, f7 = w >> 25;
    uint32_t rd = (w >> 7) & 31, rs1 = (w >> 15) & 31;
    *use1 = 1;
    *use2 = 0;
    switch (w & 0x7f) {
    case 0x37: *imm = imm_u(w); *use1 = 0; return ISS_OP_LUI;
    case 0x17: *imm = imm_u(w); *use1 = 0; return ISS_OP_AUIPC;
    case 0x6f: *imm = imm_j(w); *use1 = 0; return ISS_OP_JAL;
    case 0x67: *imm = imm_i(w); return f3 == 0 ? ISS_OP_JALR : ISS_OP_ILLEGAL;
    case 0x63: {
        static const uint8_t br[8] = { ISS_OP_BEQ, ISS_OP_BNE, ISS_OP_ILLEGAL, ISS_OP_ILLEGAL,
                                       ISS_OP_BLT, ISS_OP_BGE, ISS_OP_BLTU, ISS_OP_BGEU };
        *imm = imm_b(w);
        *use2 = 1;
        return br[f3];
    }
    case 0x03: {
        static const uint8_t ld[8] = { ISS_OP_LB, ISS_OP_LH, ISS_OP_LW, ISS_OP_LD,
                                       ISS_OP_LBU, ISS_OP_LHU, ISS_OP_LWU, ISS_OP_ILLEGAL };
        *imm = imm_i(w);
        return ld[f3];
    }
    case 0x23: {
        static const uint8_t st[8] = { ISS_OP_SB, ISS_OP_SH, ISS_OP_SW, ISS_OP_SD,
                                       ISS_OP_ILLEGAL, ISS_OP_ILLEGAL, ISS_OP_ILLEGAL,
                                       ISS_OP_ILLEGAL };
        *imm = imm_s(w);
        *use2 = 1;
        return st[f3];
    }
    case 0x13:
        *imm = imm_i(w);
        switch (f3) {
        case 0: return ISS_OP_ADDI;
        case 2: return ISS_OP_SLTI;
        case 3: return ISS_OP_SLTIU;
        case 4: return ISS_OP_XORI;
        case 6: return ISS_OP_ORI;
        case 7: return ISS_OP_ANDI;
        case 1:
            *imm &= 63;
            return (w >> 26) == 0 ? ISS_OP_SLLI : ISS_OP_ILLEGAL;
        default: /* 5 */
            *imm &= 63;
            if ((w >> 26) == 0) return ISS_OP_SRLI;
            if ((w >> 26) == 0x10) return ISS_OP_SRAI;
            return ISS_OP_ILLEGAL;
        }
    case 0x1b:
        *imm = imm_i(w);
        if (f3 == 0) return ISS_OP_ADDIW;
        *imm &= 31;
        if (f3 == 1 && f7 == 0) return ISS_OP_SLLIW;
        if (f3 == 5 && f7 == 0) return ISS_OP_SRLIW;
        if (f3 == 5 && f7 == 0x20) return ISS_OP_SRAIW;
        return ISS_OP_ILLEGAL;
    case 0x33: *use2 = 1; return decode_op(f3, f7);
    case 0x3b: *use2 = 1; return decode_op32(f3, f7);
    case 0x2f: return decode_amo(w, f3, use2);
    case 0x0f:
        *use1 = 0;
        if (f3 == 0) return ISS_OP_FENCE;
        if (f3 == 1) return ISS_OP_FENCE_I;
        return ISS_OP_ILLEGAL;
    case 0x73:
        *imm = (int32_t)(w >> 20);
        *use1 = f3 < 4 && f3 != 0;
        return decode_system(w, f3, rd, rs1);
    }
    return ISS_OP_ILLEGAL;
}

void iss_decode(iss_dinsn *d, uint32_t w)
{
    int32_t imm = 0;
    int use1, use2;
    int op = decode_word(w, &imm, &use1, &use2);
    d->word = w;
    d->op = (uint8_t)op;
    d->rd = (uint8_t)((w >> 7) & 31);
    /* Unused sources read x0 so that the scoreboard sees them ready. */
    d->rs1 = use1 ? (uint8_t)((w >> 15) & 31) : 0;
    d->rs2 = use2 ? (uint8_t)((w >> 20) & 31) : 0;
    d->imm = imm;
    d->rdt = d->rd ? d->rd : 32;
    d->aux = (uint8_t)((w >> 15) & 31);
    d->pad[0] = d->pad[1] = 0;
    if (op == ISS_OP_ILLEGAL) {
        d->rd = 0;
        d->rdt = 32;
    }
}
