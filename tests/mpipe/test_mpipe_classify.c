/* test_mpipe_classify.c - the classifier's parse, checksums, flow hash and
 * rules: layout of the ABI first, every rejection, then the happy paths. */
#include <check.h>
#include <stddef.h>
#include <string.h>

#include "abi/mpipe.h"
#include "mpipe/mpipe_classify.h"
#include "mpipe_frames.h"

_Static_assert(sizeof(mpipe_idesc) == 64, "ingress descriptor");
_Static_assert(sizeof(mpipe_edesc) == 16, "egress descriptor");
_Static_assert(offsetof(mpipe_idesc, bdesc) == 40, "buffer descriptor in word 5");

static uint8_t f[2048];

START_TEST(abi_encodings)
{
    uint64_t b = mpipe_bdesc(0x40001080, 7, 4, MPIPE_C_CHAINED);
    ck_assert_uint_eq(mpipe_bdesc_addr(b), 0x40001080);
    ck_assert_uint_eq(mpipe_bdesc_stack(b), 7);
    ck_assert_uint_eq(mpipe_bdesc_class(b), 4);
    ck_assert_uint_eq(mpipe_bdesc_c(b), MPIPE_C_CHAINED);
    ck_assert_uint_eq(mpipe_size_class_bytes(0), 128);
    ck_assert_uint_eq(mpipe_size_class_bytes(4), 1664);
    ck_assert_uint_eq(mpipe_size_class_bytes(7), 16384);
    ck_assert_uint_eq(mpipe_gen(0, 128), 1);
    ck_assert_uint_eq(mpipe_gen(127, 128), 1);
    ck_assert_uint_eq(mpipe_gen(128, 128), 0);
    ck_assert_uint_eq(mpipe_gen(256, 128), 1);
    ck_assert(mpipe_ring_entries_ok(2048) && !mpipe_ring_entries_ok(1024));
    ck_assert(mpipe_eg_entries_ok(8192) && !mpipe_eg_entries_ok(128));
}
END_TEST

START_TEST(parse_rejects_malformed)
{
    mpipe_parsed p;
    size_t n = tf_build(f, 100, 17, 0x0a000001, 0x0a000101, 1000, 7, 0, 0);
    ck_assert_int_eq(mpipe_parse(f, 13, &p), MPIPE_PARSE_ERROR);          /* no Ethernet header */
    ck_assert_int_eq(mpipe_parse(f, 30, &p), MPIPE_PARSE_ERROR);          /* IPv4 header cut */
    ck_assert_int_eq(mpipe_parse(f, n - 1, &p), MPIPE_PARSE_ERROR);       /* total length > frame */
    f[14] = 0x65;                                                         /* version 6 in an IPv4 type */
    ck_assert_int_eq(mpipe_parse(f, n, &p), MPIPE_PARSE_ERROR);
    f[14] = 0x44;                                                         /* IHL 16 bytes */
    ck_assert_int_eq(mpipe_parse(f, n, &p), MPIPE_PARSE_ERROR);
    tf_build(f, 100, 17, 0x0a000001, 0x0a000101, 1000, 7, 0, 0);
    f[14 + 10] ^= 1;                                                      /* header checksum */
    ck_assert_int_eq(mpipe_parse(f, n, &p), MPIPE_PARSE_BAD_IPCSUM);
    n = tf_build(f, 80, 6, 0x0a000001, 0x0a000101, 1000, 7, 0, 0);
    f[34 + 12] = 0xf0;                                                    /* TCP data offset 60 > 46-byte segment */
    ck_assert_int_eq(mpipe_parse(f, n, &p), MPIPE_PARSE_ERROR);
    f[34 + 12] = 0x40;                                                    /* data offset 16 < 20 */
    ck_assert_int_eq(mpipe_parse(f, n, &p), MPIPE_PARSE_ERROR);
    memset(f, 0, sizeof f);
    f[12] = 0x81;                                                         /* VLAN tag cut */
    ck_assert_int_eq(mpipe_parse(f, 16, &p), MPIPE_PARSE_ERROR);
}
END_TEST

START_TEST(parse_udp_tcp_vlan)
{
    mpipe_parsed p;
    size_t n = tf_build(f, 120, 17, 0x0a000001, 0x0a000101, 1000, 7, 0, 3);
    ck_assert_int_eq(mpipe_parse(f, n, &p), MPIPE_PARSE_OK);
    ck_assert_uint_eq(p.parse, MPIPE_PARSE_IPV4 | MPIPE_PARSE_UDP);
    ck_assert_uint_eq(p.l3_off, 14);
    ck_assert_uint_eq(p.l4_off, 34);
    ck_assert_uint_eq(p.protocol, 17);
    ck_assert_uint_eq(p.ip_src, 0x0a000001);
    ck_assert_uint_eq(p.port_src, 1000);
    ck_assert_uint_eq(p.port_dst, 7);
    ck_assert(p.ipck_ok && p.l4ck_ok);
    ck_assert_uint_eq(p.flow_hash, tf_flow_hash(0x0a000001, 0x0a000101, 17, 1000, 7));
    ck_assert_uint_eq(p.csum_start, 34);
    /* csum: the sum from csum_start to the end; with the pseudo-header it verifies */
    f[34 + 6] ^= 0x10;
    ck_assert_int_eq(mpipe_parse(f, n, &p), MPIPE_PARSE_OK);
    ck_assert(!p.l4ck_ok);

    n = tf_build(f, 200, 6, 0xc0a80001, 0x0a000101, 4321, 80, 0x0123, 9);
    ck_assert_int_eq(mpipe_parse(f, n, &p), MPIPE_PARSE_OK);
    ck_assert_uint_eq(p.parse, MPIPE_PARSE_VLAN | MPIPE_PARSE_IPV4 | MPIPE_PARSE_TCP);
    ck_assert_uint_eq(p.vlan, 0x0123);
    ck_assert_uint_eq(p.ethertype, 0x0800);
    ck_assert_uint_eq(p.l3_off, 18);
    ck_assert_uint_eq(p.l4_off, 38);
    ck_assert(p.l4ck_ok);
    ck_assert_uint_eq(p.flow_hash, tf_flow_hash(0xc0a80001, 0x0a000101, 6, 4321, 80));

    /* a fragment carries no L4 header; the hash covers addresses and protocol */
    f[18 + 6] = 0x20;                      /* MF */
    f[18 + 10] = f[18 + 11] = 0;
    uint16_t c = (uint16_t)~mpipe_csum_add(0, f + 18, 20);
    f[18 + 10] = (uint8_t)(c >> 8);
    f[18 + 11] = (uint8_t)c;
    ck_assert_int_eq(mpipe_parse(f, n, &p), MPIPE_PARSE_OK);
    ck_assert(p.parse & MPIPE_PARSE_FRAG);
    ck_assert_uint_eq(p.l4_off, 0);

    /* ARP: L2 only, hashed over the MACs and the ethertype */
    memset(f, 0, 60);
    f[0] = 0xff;
    f[12] = 0x08;
    f[13] = 0x06;
    ck_assert_int_eq(mpipe_parse(f, 60, &p), MPIPE_PARSE_OK);
    ck_assert_uint_eq(p.parse, 0);
    ck_assert_uint_eq(p.ethertype, 0x0806);
    uint32_t h = 2166136261u;
    for (int i = 0; i < 14; i++) h = (h ^ f[i]) * 16777619u;
    ck_assert_uint_eq(p.flow_hash, h ^ (h >> 16));
}
END_TEST

START_TEST(hash_spreads_flows)
{
    /* 4096 flows over 16 buckets: every bucket gets between half and
     * twice its share */
    unsigned count[16] = { 0 };
    for (unsigned i = 0; i < 4096; i++)
        count[tf_flow_hash(0x0a000000 + i, 0x0a000101, 6, (uint16_t)(1024 + i), 80) % 16]++;
    for (int b = 0; b < 16; b++) ck_assert_msg(count[b] > 128 && count[b] < 512, "bucket %d: %u", b, count[b]);
}
END_TEST

START_TEST(rules_reject_bad_text)
{
    mpipe_rules r;
    char err[256];
    const char *bad[][2] = {
        { "", "exactly one default" },
        { "dport=80 stacks=0 buckets=0+4", "exactly one default" },
        { "default stacks=0", "needs buckets=" },
        { "default buckets=0+4", "needs stacks=" },
        { "default stacks=32 buckets=0+4", "stacks 0..31" },
        { "default stacks=3-1 buckets=0+4", "stacks 0..31" },
        { "default stacks=0 buckets=4100+100", "inside 0..4159" },
        { "default stacks=0 buckets=0+0", "inside 0..4159" },
        { "default stacks=0 buckets=0+4 | default stacks=1 buckets=0+4", "found 2" },
        { "dport=70000 stacks=0 buckets=0+4 | default stacks=0 buckets=0+1", "bad port" },
        { "dport=80 default stacks=0 buckets=0+4", "exactly one of" },
        { "default stacks=0 buckets=0+4 colour=red", "unknown field 'colour=red'" },
        { "default stacks=0-2 buckets=0+4 split=2", "split=2 does not divide the 3 stacks" },
        { "default stacks=0 buckets=0+4 split=0", "expected split=N" },
        { "default stacks=0 buckets=0+4 split=33", "expected split=N" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(mpipe_rules_parse(bad[i][0], &r, err, sizeof err) == -1, "accepted '%s'", bad[i][0]);
        ck_assert_msg(strstr(err, bad[i][1]) && strstr(err, "mpipe.rules"), "'%s': %s", bad[i][0], err);
    }
}
END_TEST

START_TEST(rules_match_by_port)
{
    mpipe_rules r;
    char err[256];
    ck_assert_int_eq(mpipe_rules_parse("dport=80 stacks=0-1 buckets=0+128 | dport=11211-11212 stacks=2,4 "
                                       "buckets=128+64|default stacks=5 buckets=200+8", &r, err, sizeof err), 0);
    ck_assert_int_eq(r.n, 3);
    ck_assert_uint_eq(r.rule[1].stacks, (1u << 2) | (1u << 4));
    mpipe_parsed p;
    size_t n = tf_build(f, 80, 6, 1, 2, 5555, 80, 0, 0);
    mpipe_parse(f, n, &p);
    ck_assert_ptr_eq(mpipe_rules_match(&r, &p), &r.rule[0]);
    ck_assert_uint_lt(mpipe_rule_bucket(&r.rule[0], p.flow_hash), 128);
    n = tf_build(f, 80, 17, 1, 2, 5555, 11212, 0, 0);
    mpipe_parse(f, n, &p);
    ck_assert_ptr_eq(mpipe_rules_match(&r, &p), &r.rule[1]);
    ck_assert_uint_eq(mpipe_rule_bucket(&r.rule[1], p.flow_hash), 128 + p.flow_hash % 64);
    n = tf_build(f, 80, 17, 1, 2, 80, 81, 0, 0);   /* source port 80 does not count */
    mpipe_parse(f, n, &p);
    ck_assert_ptr_eq(mpipe_rules_match(&r, &p), &r.rule[2]);
    ck_assert_uint_eq(mpipe_rule_bucket(&r.rule[2], p.flow_hash), 200 + p.flow_hash % 8);
}
END_TEST

/* split=N: the rule's stacks form N sets of consecutive stacks, the
 * bucket picks one: with 28 stacks in 28 sets bucket b takes stack b % 28;
 * with 4 stacks (2, 3, 6, 7) in 2 sets, {2, 3} and {6, 7} by bucket parity
 * counted from the rule's first bucket; without split every stack. */
START_TEST(rules_split_stacks_by_bucket)
{
    mpipe_rules r;
    char err[256];
    ck_assert_int_eq(mpipe_rules_parse("dport=80 stacks=2-3,6-7 buckets=10+64 split=2 | "
                                       "default stacks=0-27 buckets=0+252 split=28", &r, err, sizeof err), 0);
    ck_assert_uint_eq(r.rule[0].split, 2);
    ck_assert_uint_eq(mpipe_rule_stacks(&r.rule[0], 10), (1u << 2) | (1u << 3));
    ck_assert_uint_eq(mpipe_rule_stacks(&r.rule[0], 11), (1u << 6) | (1u << 7));
    ck_assert_uint_eq(mpipe_rule_stacks(&r.rule[0], 73), (1u << 6) | (1u << 7));
    for (unsigned b = 0; b < 252; b++) ck_assert_uint_eq(mpipe_rule_stacks(&r.rule[1], b), 1u << (b % 28));
    ck_assert_int_eq(mpipe_rules_parse("default stacks=0-3 buckets=0+8", &r, err, sizeof err), 0);
    ck_assert_uint_eq(mpipe_rule_stacks(&r.rule[0], 5), 0xfu);
}
END_TEST

Suite *mpipe_classify_suite(void)
{
    Suite *s = suite_create("mpipe_classify");
    TCase *t = tcase_create("classify");
    tcase_add_test(t, abi_encodings);
    tcase_add_test(t, parse_rejects_malformed);
    tcase_add_test(t, parse_udp_tcp_vlan);
    tcase_add_test(t, hash_spreads_flows);
    tcase_add_test(t, rules_reject_bad_text);
    tcase_add_test(t, rules_match_by_port);
    tcase_add_test(t, rules_split_stacks_by_bucket);
    suite_add_tcase(s, t);
    return s;
}
