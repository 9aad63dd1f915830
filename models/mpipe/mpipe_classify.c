/* mpipe_classify.c - the classifier's parse, checksums, flow hash and rule
 * matching (see mpipe_classify.h). */
#include "mpipe/mpipe_classify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/mpipe.h"

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint16_t mpipe_csum_add(uint32_t sum, const uint8_t *d, size_t len)
{
    uint64_t s = sum;
    size_t i = 0;
    for (; i + 1 < len; i += 2) s += (uint32_t)(d[i] << 8 | d[i + 1]);
    if (i < len) s += (uint32_t)d[i] << 8;
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

static uint32_t fnv(uint32_t h, const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) h = (h ^ d[i]) * FNV_PRIME;
    return h;
}

uint32_t mpipe_flow_hash(const uint8_t *f, const mpipe_parsed *p)
{
    uint32_t h = FNV_BASIS;
    if (p->parse & MPIPE_PARSE_IPV4) {
        const uint8_t *ip = f + p->l3_off;
        h = fnv(h, ip + 12, 8);          /* source, destination */
        h = fnv(h, ip + 9, 1);           /* protocol */
        if (p->l4_off) h = fnv(h, f + p->l4_off, 4);   /* ports */
    } else {
        h = fnv(h, f, 12);
        h = fnv(h, f + p->l3_off - 2, 2);
    }
    return h ^ (h >> 16);
}

mpipe_parse_status mpipe_parse(const uint8_t *f, size_t len, mpipe_parsed *p)
{
    memset(p, 0, sizeof *p);
    if (len < 14) return MPIPE_PARSE_ERROR;
    size_t off = 12;
    uint16_t et = be16(f + off);
    if (et == 0x8100) {
        if (len < 18) return MPIPE_PARSE_ERROR;
        p->parse |= MPIPE_PARSE_VLAN;
        p->vlan = be16(f + 14);
        off += 4;
        et = be16(f + off);
    }
    off += 2;
    p->ethertype = et;
    p->l3_off = (uint8_t)off;
    p->csum_start = (uint16_t)off;
    if (et == 0x0800) {
        const uint8_t *ip = f + off;
        if (len < off + 20) return MPIPE_PARSE_ERROR;
        unsigned ihl = (ip[0] & 15u) * 4u, total = be16(ip + 2);
        if ((ip[0] >> 4) != 4 || ihl < 20 || len < off + ihl || total < ihl || len < off + total)
            return MPIPE_PARSE_ERROR;
        p->parse |= MPIPE_PARSE_IPV4;
        p->protocol = ip[9];
        p->ip_src = be32(ip + 12);
        p->ip_dst = be32(ip + 16);
        if (mpipe_csum_add(0, ip, ihl) != 0xffff) return MPIPE_PARSE_BAD_IPCSUM;
        p->ipck_ok = 1;
        if (be16(ip + 6) & 0x3fff) {
            p->parse |= MPIPE_PARSE_FRAG;   /* MF set or offset: no L4 header here */
        } else if (p->protocol == 6 || p->protocol == 17) {
            size_t l4 = off + ihl, l4len = total - ihl;
            size_t hdr = p->protocol == 6 ? 20 : 8;
            if (l4len < hdr) return MPIPE_PARSE_ERROR;
            if (p->protocol == 6 && ((f[l4 + 12] >> 4) * 4u < 20 || (f[l4 + 12] >> 4) * 4u > l4len))
                return MPIPE_PARSE_ERROR;
            p->parse |= p->protocol == 6 ? MPIPE_PARSE_TCP : MPIPE_PARSE_UDP;
            p->l4_off = (uint8_t)l4;
            p->port_src = be16(f + l4);
            p->port_dst = be16(f + l4 + 2);
            p->csum_start = (uint16_t)l4;
            /* verify with the pseudo-header over the datagram's L4 bytes */
            uint8_t ph[12];
            memcpy(ph, ip + 12, 8);
            ph[8] = 0;
            ph[9] = p->protocol;
            ph[10] = (uint8_t)(l4len >> 8);
            ph[11] = (uint8_t)l4len;
            int zero_udp = p->protocol == 17 && be16(f + l4 + 6) == 0;
            if (!zero_udp && mpipe_csum_add(mpipe_csum_add(0, ph, 12), f + l4, l4len) == 0xffff)
                p->l4ck_ok = 1;
        }
    }
    p->csum = mpipe_csum_add(0, f + p->csum_start, len - p->csum_start);
    p->flow_hash = mpipe_flow_hash(f, p);
    return MPIPE_PARSE_OK;
}

/* ---- rules ---- */

static int rule_err(char *err, size_t errlen, int idx, const char *what, const char *tok)
{
    snprintf(err, errlen, "mpipe.rules: rule %d: %s%s%s%s", idx + 1, what, tok ? " '" : "",
             tok ? tok : "", tok ? "'" : "");
    return -1;
}

/* Parses an unsigned number up to max; returns the end, or NULL. */
static const char *num(const char *s, unsigned long max, unsigned long *v)
{
    char *end;
    if (*s < '0' || *s > '9') return NULL;
    *v = strtoul(s, &end, 10);
    return *v > max ? NULL : end;
}

static int parse_stacks(const char *s, uint32_t *mask)
{
    *mask = 0;
    for (;;) {
        unsigned long a, b;
        if (!(s = num(s, MPIPE_STACKS - 1, &a))) return -1;
        b = a;
        if (*s == '-' && (!(s = num(s + 1, MPIPE_STACKS - 1, &b)) || b < a)) return -1;
        for (unsigned long i = a; i <= b; i++) *mask |= 1u << i;
        if (!*s) return 0;
        if (*s++ != ',') return -1;
    }
}

int mpipe_rules_parse(const char *text, mpipe_rules *out, char *err, size_t errlen)
{
    char buf[1024];
    if (strlen(text) >= sizeof buf) return rule_err(err, errlen, 0, "rule text too long", NULL);
    strcpy(buf, text);
    memset(out, 0, sizeof *out);
    int defaults = 0;
    char *save_rule = NULL;
    for (char *r = strtok_r(buf, "|", &save_rule); r; r = strtok_r(NULL, "|", &save_rule)) {
        int idx = out->n;
        if (idx == MPIPE_RULES_MAX)
            return rule_err(err, errlen, idx, "too many rules (at most 16)", NULL);
        mpipe_rule *ru = &out->rule[idx];
        int have_match = 0, have_stacks = 0, have_buckets = 0;
        char *save_tok = NULL;
        for (char *t = strtok_r(r, " \t", &save_tok); t; t = strtok_r(NULL, " \t", &save_tok)) {
            unsigned long a, b;
            const char *s;
            if (!strcmp(t, "default")) {
                ru->is_default = 1;
                have_match++;
            } else if (!strncmp(t, "dport=", 6)) {
                if (!(s = num(t + 6, 65535, &a))) return rule_err(err, errlen, idx, "bad port in", t);
                b = a;
                if (*s == '-' && (!(s = num(s + 1, 65535, &b)) || b < a))
                    return rule_err(err, errlen, idx, "bad port range in", t);
                if (*s) return rule_err(err, errlen, idx, "bad port in", t);
                ru->dport_lo = (uint16_t)a;
                ru->dport_hi = (uint16_t)b;
                have_match++;
            } else if (!strncmp(t, "stacks=", 7)) {
                if (parse_stacks(t + 7, &ru->stacks) < 0)
                    return rule_err(err, errlen, idx, "expected stacks=S[-T][,...] with stacks 0..31, got", t);
                have_stacks = 1;
            } else if (!strncmp(t, "buckets=", 8)) {
                if (!(s = num(t + 8, MPIPE_BUCKETS - 1, &a)) || *s != '+' ||
                    !(s = num(s + 1, MPIPE_BUCKETS, &b)) || *s || b == 0 || a + b > MPIPE_BUCKETS)
                    return rule_err(err, errlen, idx,
                                    "expected buckets=FIRST+COUNT inside 0..4159, got", t);
                ru->first_bucket = (uint16_t)a;
                ru->buckets = (uint16_t)b;
                have_buckets = 1;
            } else if (!strncmp(t, "split=", 6)) {
                if (!(s = num(t + 6, MPIPE_STACKS, &a)) || *s || a == 0)
                    return rule_err(err, errlen, idx, "expected split=N with N in 1..32, got", t);
                ru->split = (uint16_t)a;
            } else {
                return rule_err(err, errlen, idx, "unknown field", t);
            }
        }
        if (have_match != 1)
            return rule_err(err, errlen, idx, "needs exactly one of dport=P[-Q] or default", NULL);
        if (!have_stacks) return rule_err(err, errlen, idx, "needs stacks=", NULL);
        if (!have_buckets) return rule_err(err, errlen, idx, "needs buckets=", NULL);
        if (ru->split && (unsigned)__builtin_popcount(ru->stacks) % ru->split) {
            snprintf(err, errlen, "mpipe.rules: rule %d: split=%u does not divide the %d stacks named", idx + 1,
                     (unsigned)ru->split, __builtin_popcount(ru->stacks));
            return -1;
        }
        defaults += ru->is_default;
        out->n++;
    }
    if (defaults != 1) {
        snprintf(err, errlen, "mpipe.rules: needs exactly one default rule (found %d)", defaults);
        return -1;
    }
    return 0;
}

uint32_t mpipe_rule_stacks(const mpipe_rule *r, unsigned bucket)
{
    if (r->split <= 1) return r->stacks;
    unsigned per = (unsigned)__builtin_popcount(r->stacks) / r->split;
    unsigned first = ((bucket - r->first_bucket) % r->split) * per, k = 0;
    uint32_t set = 0;
    for (unsigned s = 0; s < MPIPE_STACKS; s++)
        if (r->stacks & (1u << s)) {
            if (k >= first && k < first + per) set |= 1u << s;
            k++;
        }
    return set;
}

const mpipe_rule *mpipe_rules_match(const mpipe_rules *r, const mpipe_parsed *p)
{
    const mpipe_rule *def = NULL;
    for (int i = 0; i < r->n; i++) {
        const mpipe_rule *ru = &r->rule[i];
        if (ru->is_default) {
            if (!def) def = ru;
        } else if (p->l4_off && p->port_dst >= ru->dport_lo && p->port_dst <= ru->dport_hi) {
            return ru;
        }
    }
    return def;
}
