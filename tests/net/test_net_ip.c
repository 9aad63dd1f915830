/* test_net_ip.c - Check tests of the stack below TCP with crafted frames:
 * construction and configuration checks, counters, Ethernet, ARP, IPv4
 * validation, ICMP echo, UDP. Every test ends with the leak check. */
#include <check.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "net/net_priv.h"
#include "net_fake.h"

#define CNT(f, name) (net_counters((f)->net)->name)
#define DONE(f) do { const char *e_ = fake_done(f); ck_assert_msg(!e_, "%s", e_); fake_free(f); } while (0)

static uint8_t fr[9100], out[9100];

START_TEST(config_rejects_bad_parameters)
{
    net_config_t c;
    net_config_default(&c);
    ck_assert_uint_eq(net_footprint(&c), 0); /* no address yet */
    c.ip = FAKE_IP;
    ck_assert_uint_gt(net_footprint(&c), 0);
    net_config_t bad;
#define REJECT(field, value) do { bad = c; bad.field = value; ck_assert_uint_eq(net_footprint(&bad), 0); } while (0)
    REJECT(mtu, 100);
    REJECT(mtu, 9001);
    REJECT(ttl, 0);
    REJECT(max_conns, 0);
    REJECT(rcv_buf, 10000);      /* not a power of two */
    REJECT(rcv_buf, 2048);       /* smaller than two segments */
    REJECT(snd_buf, 12345);
    REJECT(hash_buckets, 100);
    REJECT(ooo_ranges, 17);
    REJECT(arp_entries, 0);
    REJECT(port_lo, 0);
    REJECT(rto_min_ns, 0);
    REJECT(rto_init_ns, 1);
    REJECT(max_retries, 0);
    REJECT(ip, 0xffffffffu);
    ck_assert_uint_eq(net_footprint(NULL), 0);
    /* new: misaligned memory or missing HAL functions are refused. */
    size_t fp = net_footprint(&c);
    uint8_t *mem = aligned_alloc(64, fp + 64);
    net_hal_t hal = {0};
    ck_assert_ptr_null(net_new(mem, &c, &hal));
    ck_assert_ptr_null(net_join(mem + 8));
    memset(mem, 0, 64);
    ck_assert_ptr_null(net_join(mem));
    ck_assert_ptr_null(net_delete(mem));
    free(mem);
}
END_TEST

/* Name and meaning i describe the counter at index i of net_counters_t read
 * as an array (as dlnet and the stats read it): the field of that name. Names
 * are distinct identifiers, meanings distinct non-empty sentences. */
START_TEST(counters_are_named)
{
    unsigned listed = 0;
#define CHECK_FIELD(name, text)                                                          \
    do {                                                                                 \
        unsigned i_ = (unsigned)(offsetof(net_counters_t, name) / sizeof(uint64_t));     \
        ck_assert_msg(net_counter_name(i_) && strcmp(net_counter_name(i_), #name) == 0,  \
                      "counter %u is %s, named %s", i_, #name, net_counter_name(i_));    \
        ck_assert_msg(net_counter_text(i_) && strcmp(net_counter_text(i_), text) == 0,   \
                      "counter %s has the meaning of another", #name);                   \
        listed++;                                                                        \
    } while (0);
    NET_COUNTERS(CHECK_FIELD)
#undef CHECK_FIELD
    ck_assert_uint_eq(listed, NET_COUNTER_CNT); /* no field outside the list */
    for (unsigned i = 0; i < NET_COUNTER_CNT; i++) {
        const char *n = net_counter_name(i), *t = net_counter_text(i);
        ck_assert_msg(n[0] && strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(n),
                      "counter %u: name '%s' is not an identifier", i, n);
        ck_assert_msg(strlen(t) > 8, "counter %s: meaning '%s' too short", n, t);
        for (unsigned j = 0; j < i; j++) {
            ck_assert_str_ne(n, net_counter_name(j));
            ck_assert_msg(strcmp(t, net_counter_text(j)) != 0, "%s and %s mean the same", n,
                          net_counter_name(j));
        }
    }
    ck_assert_ptr_null(net_counter_name(NET_COUNTER_CNT));
    ck_assert_ptr_null(net_counter_text(NET_COUNTER_CNT));
}
END_TEST

/* What the stack counts is what the names say: a runt frame moves exactly
 * the counters named eth_rx and eth_short, found by name in the array. */
START_TEST(counter_names_index_the_counts)
{
    fake_t *f = fake_new(NULL);
    uint64_t before[NET_COUNTER_CNT];
    memcpy(before, net_counters(f->net), sizeof before);
    memset(fr, 0, 13);
    fake_input(f, fr, 13);
    const uint64_t *after = (const uint64_t *)net_counters(f->net);
    for (unsigned i = 0; i < NET_COUNTER_CNT; i++) {
        const char *n = net_counter_name(i);
        uint64_t want = strcmp(n, "eth_rx") == 0 || strcmp(n, "eth_short") == 0;
        ck_assert_msg(after[i] - before[i] == want, "%s moved by %llu, expected %llu", n,
                      (unsigned long long)(after[i] - before[i]), (unsigned long long)want);
    }
    DONE(f);
}
END_TEST

START_TEST(checksum_matches_reference_at_any_alignment)
{
    static uint8_t buf[300];
    uint32_t x = 12345;
    for (unsigned i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)((x = x * 1103515245u + 12345u) >> 16);
    for (unsigned off = 0; off < 4; off++)
        for (unsigned len = 0; len < 260; len++) {
            uint64_t ref = 7; /* RFC 1071, byte pairs in network order */
            for (unsigned i = 0; i < len; i++) ref += i & 1 ? buf[off + i] : (uint32_t)buf[off + i] << 8;
            ck_assert_uint_eq(net_csum_fold(net_csum_add(7, buf + off, len)), net_csum_fold(ref));
        }
}
END_TEST

START_TEST(ethernet_drops)
{
    fake_t *f = fake_new(NULL);
    fake_input(f, fr, 10);
    ck_assert_uint_eq(CNT(f, eth_short), 1);
    uint32_t n = build_icmp_echo(fr, 1, 1, "x", 1);
    fr[0] = 0x04; /* another host's MAC */
    fake_input(f, fr, n);
    ck_assert_uint_eq(CNT(f, eth_not_us), 1);
    n = build_icmp_echo(fr, 1, 1, "x", 1);
    fr[12] = 0x86; fr[13] = 0xdd; /* IPv6 */
    fake_input(f, fr, n);
    ck_assert_uint_eq(CNT(f, eth_bad_type), 1);
    ck_assert_uint_eq(f->qn, 0);
    DONE(f);
}
END_TEST

START_TEST(arp_answers_requests_for_us_only)
{
    fake_t *f = fake_new(NULL);
    static const uint8_t other[6] = {2, 0, 0, 0, 0, 9};
    fake_input(f, fr, build_arp(fr, 1, other, 0x0a000009, FAKE_IP));
    ck_assert_uint_eq(fake_pop(f, out), 60);
    ck_assert_mem_eq(out, other, 6);
    ck_assert_mem_eq(out + 6, fake_mac, 6);
    ck_assert_uint_eq(out[12], 0x08); ck_assert_uint_eq(out[13], 0x06);
    ck_assert_uint_eq(out[21], 2); /* reply */
    ck_assert_mem_eq(out + 22, fake_mac, 6);
    ck_assert_mem_eq(out + 32, other, 6);
    ck_assert_uint_eq(CNT(f, arp_reply_tx), 2); /* the peer's in fake_new, and this one */
    /* For another address: learnt only if known, never answered. */
    fake_input(f, fr, build_arp(fr, 1, other, 0x0a000009, 0x0a000077));
    ck_assert_uint_eq(f->qn, 0);
    ck_assert_uint_eq(CNT(f, arp_not_us), 1);
    /* Malformed: short, wrong hardware type, bad opcode, multicast sender. */
    uint32_t n = build_arp(fr, 1, other, 0x0a000009, FAKE_IP);
    fake_input(f, fr, 14 + 20);
    fr[15] = 6;
    fake_input(f, fr, n);
    build_arp(fr, 7, other, 0x0a000009, FAKE_IP);
    fake_input(f, fr, n);
    static const uint8_t mcast[6] = {1, 0, 0x5e, 0, 0, 1};
    fake_input(f, fr, build_arp(fr, 1, mcast, 0x0a000009, FAKE_IP));
    ck_assert_uint_eq(CNT(f, arp_bad), 4);
    ck_assert_uint_eq(f->qn, 0);
    ck_assert_uint_eq(net_arp_used(f->net), 2);
    DONE(f);
}
END_TEST

START_TEST(arp_resolves_retries_and_gives_up)
{
    fake_t *f = fake_new(NULL);
    ck_assert_int_eq(net_udp_send(f->net, 5000, 0x0a000005, 53, "q", 1), -NET_ENOROUTE);
    ck_assert_uint_eq(fake_pop(f, out), 60);
    ck_assert_uint_eq(out[0], 0xff);
    ck_assert_uint_eq(out[21], 1); /* request */
    ck_assert_uint_eq(CNT(f, arp_miss_drop), 1);
    /* Still pending: no second request before the retry interval. */
    ck_assert_int_eq(net_udp_send(f->net, 5000, 0x0a000005, 53, "q", 1), -NET_ENOROUTE);
    ck_assert_uint_eq(f->qn, 0);
    fake_advance(f, 1000000000ULL);
    ck_assert_uint_eq(CNT(f, arp_req_tx), 2);
    fake_advance(f, 1000000000ULL);
    fake_advance(f, 1000000000ULL);
    ck_assert_uint_eq(CNT(f, arp_req_tx), 3);
    ck_assert_uint_eq(CNT(f, arp_fail), 1);
    ck_assert_uint_eq(net_arp_used(f->net), 1); /* only the peer */
    /* Resolution by a reply; then the datagram goes out. */
    fake_clear(f);
    static const uint8_t m5[6] = {2, 0, 0, 0, 0, 5};
    ck_assert_int_eq(net_udp_send(f->net, 5000, 0x0a000005, 53, "q", 1), -NET_ENOROUTE);
    build_arp(fr, 2, m5, 0x0a000005, FAKE_IP);
    memcpy(fr, fake_mac, 6);
    fake_input(f, fr, 60);
    fake_clear(f);
    ck_assert_int_eq(net_udp_send(f->net, 5000, 0x0a000005, 53, "q", 1), 0);
    ck_assert_uint_gt(fake_pop(f, out), 0);
    ck_assert_mem_eq(out, m5, 6);
    /* At the end of its lifetime an entry in use is re-confirmed by unicast
     * requests while it stays usable; unused entries just go. */
    fake_clear(f);
    fake_advance(f, 301000000000ULL);
    ck_assert_uint_eq(fake_pop(f, out), 60);
    ck_assert_mem_eq(out, m5, 6);
    ck_assert_uint_eq(out[21], 1);
    ck_assert_mem_eq(out + 32, m5, 6);
    ck_assert_uint_eq(net_arp_used(f->net), 1);
    ck_assert_int_eq(net_udp_send(f->net, 5000, 0x0a000005, 53, "q", 1), 0);
    /* A reply renews it; without one it is dropped after arp_tries. */
    build_arp(fr, 2, m5, 0x0a000005, FAKE_IP);
    memcpy(fr, fake_mac, 6);
    fake_input(f, fr, 60);
    fake_clear(f);
    fake_advance(f, 3000000000ULL);
    ck_assert_uint_eq(f->qn, 0);
    ck_assert_uint_eq(net_arp_used(f->net), 1);
    ck_assert_int_eq(net_udp_send(f->net, 5000, 0x0a000005, 53, "q", 1), 0);
    fake_advance(f, 300000000000ULL);
    for (int i = 0; i < 3; i++) fake_advance(f, 1000000000ULL);
    ck_assert_uint_eq(CNT(f, arp_fail), 2);
    ck_assert_uint_eq(net_arp_used(f->net), 0);
    DONE(f);
}
END_TEST

START_TEST(arp_cache_is_bounded)
{
    net_config_t c;
    net_config_default(&c);
    c.ip = FAKE_IP;
    memcpy(c.mac, fake_mac, 6);
    c.arp_entries = 2;
    fake_t *f = fake_new(&c);
    uint8_t m[6] = {2, 0, 0, 0, 1, 0};
    for (int i = 0; i < 5; i++) {
        m[5] = (uint8_t)i;
        fake_input(f, fr, build_arp(fr, 1, m, 0x0a000010u + (uint32_t)i, FAKE_IP));
    }
    ck_assert_uint_eq(net_arp_used(f->net), 2);
    ck_assert_uint_eq(CNT(f, arp_evict), 4);
    DONE(f);
}
END_TEST

START_TEST(ip_validation)
{
    fake_t *f = fake_new(NULL);
    uint32_t n;
#define MUTATE(stmt, counter) do { \
        n = build_icmp_echo(fr, 1, 1, "abcd", 4); stmt; \
        uint64_t before_ = CNT(f, counter); fake_input(f, fr, n); \
        ck_assert_uint_eq(CNT(f, counter), before_ + 1); ck_assert_uint_eq(f->qn, 0); } while (0)
    MUTATE(n = 14 + 10, ip_short);
    MUTATE((fr[14] = 0x65, fix_ip_csum(fr)), ip_bad_version);
    MUTATE((fr[14] = 0x44, fix_ip_csum(fr)), ip_bad_hlen);
    MUTATE((fr[14] = 0x4f, fix_ip_csum(fr)), ip_bad_hlen);
    MUTATE((fr[16] = 0x05, fix_ip_csum(fr)), ip_bad_len);       /* total > frame */
    MUTATE((fr[16] = 0, fr[17] = 10, fix_ip_csum(fr)), ip_bad_len); /* total < header */
    MUTATE(fr[24] ^= 1, ip_bad_csum);
    MUTATE((fr[33] = 3, fix_ip_csum(fr)), ip_not_us);
    MUTATE((fr[26] = 255, fr[27] = 255, fr[28] = 255, fr[29] = 255, fix_ip_csum(fr)), ip_bad_src);
    MUTATE((fr[26] = 224, fix_ip_csum(fr)), ip_bad_src);
    MUTATE((fr[29] = 2, fix_ip_csum(fr)), ip_bad_src);           /* our own address */
    MUTATE((fr[29] = 255, fix_ip_csum(fr)), ip_bad_src);         /* subnet broadcast */
    MUTATE((fr[20] = 0x20, fix_ip_csum(fr)), ip_frag_drop);      /* MF */
    MUTATE((fr[21] = 0x08, fix_ip_csum(fr)), ip_frag_drop);      /* offset */
    MUTATE((fr[23] = 99, fix_ip_csum(fr)), ip_bad_proto);
    /* Ethernet padding after the IP packet is ignored. */
    n = build_icmp_echo(fr, 1, 1, "abcd", 4);
    memset(fr + n, 0xee, 20);
    fake_input(f, fr, n + 20);
    ck_assert_uint_eq(CNT(f, icmp_echo_tx), 1);
    DONE(f);
}
END_TEST

START_TEST(icmp_echo_reply)
{
    fake_t *f = fake_new(NULL);
    char data[1000];
    for (int i = 0; i < 1000; i++) data[i] = (char)i;
    fake_input(f, fr, build_icmp_echo(fr, 0x1234, 7, data, sizeof data));
    uint32_t n = fake_pop(f, out);
    ck_assert_uint_eq(n, 14 + 20 + 8 + 1000);
    ck_assert_uint_eq(net_csum_fold(net_csum_add(0, out + 14, 20)), 0);
    ck_assert_uint_eq(rd32(out + 26), FAKE_IP);
    ck_assert_uint_eq(rd32(out + 30), FAKE_PEER_IP);
    ck_assert_uint_eq(out[34], 0);
    ck_assert_uint_eq(rd16(out + 38), 0x1234);
    ck_assert_uint_eq(rd16(out + 40), 7);
    ck_assert_mem_eq(out + 42, data, 1000);
    ck_assert_uint_eq(net_csum_fold(net_csum_add(0, out + 34, 1008)), 0);
    /* With IP options (IHL 6) too. */
    n = build_icmp_echo(fr, 1, 2, "hi", 2);
    memmove(fr + 38, fr + 34, n - 34);
    memset(fr + 34, 1, 4); /* four NOP options */
    fr[14] = 0x46;
    fr[17] = (uint8_t)(fr[17] + 4);
    fix_ip_csum(fr);
    fake_input(f, fr, n + 4);
    ck_assert_uint_eq(CNT(f, icmp_echo_tx), 2);
    /* Bad checksum, too short, and not a request. */
    n = build_icmp_echo(fr, 1, 1, "x", 1);
    fr[36] ^= 0xff;
    fake_input(f, fr, n);
    n = build_icmp_echo(fr, 1, 1, "", 0);
    fr[17] = 20 + 4;
    fix_ip_csum(fr);
    fake_input(f, fr, n);
    ck_assert_uint_eq(CNT(f, icmp_bad), 2);
    n = build_icmp_echo(fr, 1, 1, "", 0);
    fr[34] = 0; /* an echo reply */
    fr[36] = (uint8_t)(fr[36] + 8);
    fake_input(f, fr, n);
    ck_assert_uint_eq(CNT(f, icmp_other), 1);
    fake_clear(f);
    DONE(f);
}
END_TEST

START_TEST(udp_receive_send_and_errors)
{
    fake_t *f = fake_new(NULL);
    ck_assert_int_eq(net_udp_bind(f->net, 9), 0);
    ck_assert_int_eq(net_udp_bind(f->net, 9), -NET_EADDRINUSE);
    ck_assert_int_eq(net_udp_bind(f->net, 0), -NET_EINVAL);
    f->udp_echo = 1;
    fake_input(f, fr, build_udp(fr, 4444, 9, "hello", 5));
    ck_assert_uint_eq(f->udp_n, 1);
    ck_assert_uint_eq(f->udp_last_len, 5);
    ck_assert_mem_eq(f->udp_last, "hello", 5);
    ck_assert_uint_eq(f->udp_meta.src_port, 4444);
    ck_assert_uint_eq(f->udp_meta.src_ip, FAKE_PEER_IP);
    uint32_t n = fake_pop(f, out);
    ck_assert_uint_eq(n, 60); /* padded */
    ck_assert_uint_eq(out[23], 17);
    ck_assert_uint_eq(rd16(out + 34), 9);
    ck_assert_uint_eq(rd16(out + 36), 4444);
    ck_assert_uint_eq(rd16(out + 38), 13);
    ck_assert_mem_eq(out + 42, "hello", 5);
    ck_assert_uint_eq(net_csum_fold(net_csum_add(net_csum_pseudo(FAKE_IP, FAKE_PEER_IP, 17, 13), out + 34, 13)), 0);
    /* Checksum 0 means none. */
    n = build_udp(fr, 4444, 9, "abc", 3);
    fr[40] = fr[41] = 0;
    fake_input(f, fr, n);
    ck_assert_uint_eq(f->udp_n, 2);
    fake_clear(f);
    f->udp_echo = 0;
    n = build_udp(fr, 4444, 9, "abc", 3);
    fr[43] ^= 1;
    fake_input(f, fr, n);
    ck_assert_uint_eq(CNT(f, udp_bad_csum), 1);
    n = build_udp(fr, 4444, 9, "abc", 3);
    fr[39] = 40; /* UDP length beyond the IP packet */
    fake_input(f, fr, n);
    fr[39] = 4;  /* shorter than its header */
    fake_input(f, fr, n);
    n = build_udp(fr, 4444, 9, "abc", 3);
    fr[16] = 0; fr[17] = 24; /* IP payload shorter than a UDP header */
    fix_ip_csum(fr);
    fake_input(f, fr, n);
    ck_assert_uint_eq(CNT(f, udp_bad), 3);
    ck_assert_uint_eq(f->udp_n, 2);
    ck_assert_uint_eq(f->qn, 0);
    /* Unbound port: ICMP port unreachable quoting the datagram. */
    fake_input(f, fr, build_udp(fr, 4444, 10, "abc", 3));
    ck_assert_uint_eq(CNT(f, udp_no_port), 1);
    n = fake_pop(f, out);
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_eq(out[23], 1);
    ck_assert_uint_eq(out[34], 3);
    ck_assert_uint_eq(out[35], 3);
    ck_assert_mem_eq(out + 42, fr + 14, 28);
    /* Sending: too big for the MTU, bad arguments. */
    static uint8_t big[1500];
    ck_assert_int_eq(net_udp_send(f->net, 9, FAKE_PEER_IP, 7, big, 1473), -NET_EINVAL);
    ck_assert_int_eq(net_udp_send(f->net, 9, FAKE_PEER_IP, 7, big, 1472), 0);
    ck_assert_int_eq(net_udp_send(f->net, 0, FAKE_PEER_IP, 7, big, 1), -NET_EINVAL);
    fake_clear(f);
    DONE(f);
}
END_TEST

START_TEST(routing_off_link)
{
    fake_t *f = fake_new(NULL);
    ck_assert_int_eq(net_udp_send(f->net, 9, 0x08080808, 53, "q", 1), -NET_ENOROUTE);
    ck_assert_uint_eq(CNT(f, ip_no_route), 1);
    ck_assert_uint_eq(f->qn, 0);
    DONE(f);
    net_config_t c;
    net_config_default(&c);
    c.ip = FAKE_IP;
    memcpy(c.mac, fake_mac, 6);
    c.gateway = FAKE_PEER_IP;
    f = fake_new(&c);
    ck_assert_int_eq(net_udp_send(f->net, 9, 0x08080808, 53, "q", 1), 0);
    ck_assert_uint_gt(fake_pop(f, out), 0);
    ck_assert_mem_eq(out, fake_peer_mac, 6);  /* to the gateway's MAC */
    ck_assert_uint_eq(rd32(out + 30), 0x08080808);
    DONE(f);
}
END_TEST

Suite *net_ip_suite(void)
{
    Suite *s = suite_create("net_ip");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, config_rejects_bad_parameters);
    tcase_add_test(tc, counters_are_named);
    tcase_add_test(tc, counter_names_index_the_counts);
    tcase_add_test(tc, checksum_matches_reference_at_any_alignment);
    tcase_add_test(tc, ethernet_drops);
    tcase_add_test(tc, arp_answers_requests_for_us_only);
    tcase_add_test(tc, arp_resolves_retries_and_gives_up);
    tcase_add_test(tc, arp_cache_is_bounded);
    tcase_add_test(tc, ip_validation);
    tcase_add_test(tc, icmp_echo_reply);
    tcase_add_test(tc, udp_receive_send_and_errors);
    tcase_add_test(tc, routing_off_link);
    suite_add_tcase(s, tc);
    return s;
}
