/* mpipe_classify.h - what one classifier processor computes for a frame:
 * the L2-L4 parse (Ethernet, 802.1Q, IPv4, TCP, UDP), the IPv4 header
 * checksum check, the L4 checksum, the flow hash, and the rule that picks
 * the buffer stacks and the bucket range. Plain C, no SystemC: the model and
 * the tests call it directly.
 *
 * Flow hash (documented, deterministic): 32-bit FNV-1a (offset basis
 * 2166136261, prime 16777619) over, in this order and in network byte order,
 *   IPv4 TCP/UDP (not a fragment): source address, destination address,
 *       protocol (1 byte), source port, destination port;
 *   other IPv4: source address, destination address, protocol;
 *   anything else: destination MAC, source MAC, ethertype;
 * then mixed with h ^= h >> 16 so that its low bits (the bucket) depend on
 * every input byte. */
#ifndef DL_MPIPE_CLASSIFY_H
#define DL_MPIPE_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the parse found; ports and addresses in host order. */
typedef struct mpipe_parsed {
    uint16_t ethertype, vlan;       /* inner ethertype; VLAN TCI (0 without a tag) */
    uint8_t l3_off, l4_off;         /* l4_off 0 when there is no L4 header */
    uint8_t protocol, parse;        /* IPv4 protocol; MPIPE_PARSE_* bits */
    uint32_t ip_src, ip_dst;
    uint16_t port_src, port_dst;
    uint16_t csum_start, csum;      /* ones'-complement sum from csum_start to the end */
    int ipck_ok, l4ck_ok;           /* checksums verified */
    uint32_t flow_hash;
} mpipe_parsed;

typedef enum {
    MPIPE_PARSE_OK = 0,
    MPIPE_PARSE_ERROR,        /* malformed: truncated header, bad IPv4 version/length */
    MPIPE_PARSE_BAD_IPCSUM,   /* IPv4 header checksum wrong */
} mpipe_parse_status;

/* Parses frame[0, len) (without FCS) into *p. Returns MPIPE_PARSE_OK, or why
 * the frame is to be dropped (p is filled as far as the parse went). */
mpipe_parse_status mpipe_parse(const uint8_t *frame, size_t len, mpipe_parsed *p);

/* Ones'-complement sum (not complemented, folded to 16 bits) of
 * data[0, len) as big-endian 16-bit words, added to `sum`. */
uint16_t mpipe_csum_add(uint32_t sum, const uint8_t *data, size_t len);

/* The flow hash of a parsed frame (see the header comment). */
uint32_t mpipe_flow_hash(const uint8_t *frame, const mpipe_parsed *p);

/* ---- classifier rules ---- */
#define MPIPE_RULES_MAX 16

typedef struct mpipe_rule {
    int is_default;
    uint16_t dport_lo, dport_hi;    /* TCP/UDP destination port range */
    uint32_t stacks;                /* bit s: buffer stack s may be used */
    uint16_t first_bucket, buckets;
    uint16_t split;                 /* 0: all of stacks; N: N sets chosen by bucket */
} mpipe_rule;

typedef struct mpipe_rules {
    int n;
    mpipe_rule rule[MPIPE_RULES_MAX];
} mpipe_rules;

/* Parses the rule text of mpipe.rules:
 *   RULE [| RULE ...]
 *   RULE  = (dport=P[-Q] | default) stacks=S[-T][,...] buckets=FIRST+COUNT [split=N]
 * e.g. "dport=80 stacks=0-1 buckets=0+128 | default stacks=2 buckets=128+64".
 * split=N (ours: what a custom classifier program of the real chip can do,
 * which chooses a frame's buffer stack itself): the rule's stacks, in
 * ascending order, form N equal sets of consecutive stacks; a frame of
 * bucket b uses set (b - FIRST) % N only, so that the flows of a bucket
 * land in one set's memory (e.g. one application tile's RX pool). N must
 * divide the number of stacks named.
 * Rules are tried in order; exactly one default is required and it matches
 * what no other rule does. ('|' separates rules because an INI file
 * takes ';' as the start of a comment.) Returns 0, or -1 with a message naming the rule
 * and the problem in err. */
int mpipe_rules_parse(const char *text, mpipe_rules *out, char *err, size_t errlen);

/* The rule that takes a parsed frame (never NULL for parsed rules). */
const mpipe_rule *mpipe_rules_match(const mpipe_rules *r, const mpipe_parsed *p);

/* The buffer stacks a frame of bucket `bucket` may use under a rule. */
uint32_t mpipe_rule_stacks(const mpipe_rule *r, unsigned bucket);

/* Bucket of a frame under a rule. */
static inline unsigned mpipe_rule_bucket(const mpipe_rule *r, uint32_t flow_hash)
{
    return r->first_bucket + flow_hash % r->buckets;
}

#ifdef __cplusplus
}
#endif
#endif
