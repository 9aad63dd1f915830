/* test_mesh_sender.cpp - the engine's sender records (mesh.sender_id, a
 * research option, not a TILE-Gx feature; UDN_SENDER in abi/udn.h): two
 * senders interleaving messages into one small queue, the register naming
 * each message's sender, length and unread words as the receiver reads;
 * the exact cycle a record becomes visible; the empty value; zero-length
 * messages; and the option off. */
#include <stdio.h>
#include <string.h>

#include <vector>

#include "mesh/udn_mesh.h"

#include <check.h>   /* last: it defines a macro named fail */

namespace {

udn_mesh_params params(int w, int h, int queue_words, int sender_id)
{
    udn_mesh_params p = {w, h, UDN_ORDER_XY, 1, 4, queue_words, 4, 0, 0, 0, 0, 0,
                         UDN_ARB_ROUND_ROBIN, sender_id};
    return p;
}

uint64_t expect(int tile, int length, int left)
{
    return ((uint64_t)tile << 16) | ((uint64_t)length << 8) | (uint64_t)left;
}

/* A message from one sender: length, then payload (src << 32 | k << 16 | j). */
struct stream {
    int src, k, j, len;
};

int msg_len(int src, int k) { return 1 + (k * 7 + src) % 5; }

/* Tiles 1 and 3 of a 3x3 mesh each send 40 messages of 1..5 words to queue 2
 * of tile 4, injecting a word whenever they can, in the same cycles; the
 * queue holds 2 words, so worms wait at the ejection port and the records
 * ring wraps. The receiver reads one word every other cycle; before each
 * read UDN_SENDER must name the word's sender, its message's length and
 * the words of it not yet read. */
START_TEST(test_two_senders_interleave)
{
    udn_mesh m(params(3, 3, 2, 1));
    const int dst = 4, q = 2, msgs = 40;
    stream s[2] = {{1, 0, 0, msg_len(1, 0)}, {3, 0, 0, msg_len(3, 0)}};
    int got[2] = {0, 0}, switches = 0, last_src = -1;
    uint64_t c = 0;
    for (; c < 100000 && (got[0] < msgs || got[1] < msgs); c++) {
        m.advance_to(c);
        for (int i = 0; i < 2; i++) {
            stream &t = s[i];
            if (t.k == msgs || m.send_space(t.src) == 0) continue;
            uint64_t w = t.j == 0 ? udn_header(1, 1, q, (uint32_t)t.len)
                                  : ((uint64_t)t.src << 32) | ((uint64_t)t.k << 16) | (uint64_t)t.j;
            ck_assert_int_eq(m.send(t.src, w), UDN_SEND_OK);
            if (t.j++ == t.len) {
                t.k++;
                t.j = 0;
                t.len = msg_len(t.src, t.k);
            }
        }
        uint64_t v = m.sender_of(dst, q);
        if (m.count(dst, q) == 0) {
            ck_assert_uint_eq(v, UDN_SENDER_EMPTY);
            continue;
        }
        ck_assert_uint_ne(v, UDN_SENDER_EMPTY);
        if (c % 2) continue;
        uint64_t w;
        ck_assert_int_eq(m.recv(dst, q, &w), 1);
        int src = (int)(w >> 32), k = (int)((w >> 16) & 0xffff), j = (int)(w & 0xffff);
        int len = msg_len(src, k);
        ck_assert_msg(v == expect(src, len, len - j + 1),
                      "cycle %llu: UDN_SENDER 0x%llx for word %d of message %d of tile %d (length %d)",
                      (unsigned long long)c, (unsigned long long)v, j, k, src, len);
        ck_assert_uint_eq(udn_sender_tile(v), (uint64_t)src);
        ck_assert_uint_eq(udn_sender_length(v), (uint64_t)len);
        ck_assert_uint_eq(udn_sender_left(v), (uint64_t)(len - j + 1));
        if (j == len) {
            ck_assert_int_eq(k, got[src == 3]);   /* each sender's messages in order */
            got[src == 3]++;
        }
        if (j == 1 && src != last_src) {
            switches++;
            last_src = src;
        }
    }
    ck_assert_int_eq(got[0], msgs);
    ck_assert_int_eq(got[1], msgs);
    ck_assert_msg(switches > 20, "the senders' messages hardly interleaved: %d switches", switches);
    ck_assert_uint_eq(m.sender_of(dst, q), UDN_SENDER_EMPTY);
    for (int i = 0; i < 4; i++) ck_assert_uint_eq(m.sender_of(dst, i), UDN_SENDER_EMPTY);
}
END_TEST

/* A 3-word message from tile 3 to tile 0 of a 2x2 mesh (2 hops): its first
 * word is readable 1 + 2 + 1 + 1 = 5 cycles after the header, and the
 * record with it, not a cycle earlier. A zero-length message before it
 * leaves no record. Reading as the words arrive, the queue is empty (0)
 * between words although the message is not finished. */
START_TEST(test_visible_with_first_word)
{
    udn_mesh m(params(2, 2, 128, 1));
    ck_assert_uint_eq(m.sender_of(0, 0), UDN_SENDER_EMPTY);
    ck_assert_int_eq(m.send(1, udn_header(0, 0, 0, 0)), UDN_SEND_OK);   /* tile 1, zero length */
    uint64_t t = 2;
    m.advance_to(t);
    ck_assert_int_eq(m.send(3, udn_header(0, 0, 0, 3)), UDN_SEND_OK);
    for (int j = 1; j <= 3; j++) {
        m.advance_to(t + (uint64_t)j);
        ck_assert_int_eq(m.send(3, 100 + (uint64_t)j), UDN_SEND_OK);
    }
    for (uint64_t c = t + 3; c < t + 5; c++) {
        m.advance_to(c);
        ck_assert_int_eq(m.count(0, 0), 0);
        ck_assert_uint_eq(m.sender_of(0, 0), UDN_SENDER_EMPTY);
    }
    for (int j = 1; j <= 3; j++) {
        m.advance_to(t + 4 + (uint64_t)j);
        ck_assert_int_eq(m.count(0, 0), 1);
        ck_assert_uint_eq(m.sender_of(0, 0), expect(3, 3, 4 - j));
        uint64_t w;
        ck_assert_int_eq(m.recv(0, 0, &w), 1);
        ck_assert_uint_eq(w, 100 + (uint64_t)j);
        ck_assert_uint_eq(m.sender_of(0, 0), UDN_SENDER_EMPTY);
    }
}
END_TEST

/* Off (the default): no record is kept, sender_of reads the empty value
 * whatever the queue holds (the tile device faults instead: test_udn_fw.c);
 * the parameter check names the key for a value other than 0 or 1. */
START_TEST(test_off_and_params)
{
    udn_mesh m(params(2, 2, 128, 0));
    ck_assert_int_eq(m.send(3, udn_header(0, 0, 1, 1)), UDN_SEND_OK);
    m.advance_to(1);
    ck_assert_int_eq(m.send(3, 7), UDN_SEND_OK);
    m.advance_to(20);
    ck_assert_int_eq(m.count(0, 1), 1);
    ck_assert_uint_eq(m.sender_of(0, 1), UDN_SENDER_EMPTY);
    uint64_t w;
    ck_assert_int_eq(m.recv(0, 1, &w), 1);
    ck_assert_uint_eq(w, 7);

    char err[200];
    udn_mesh_params p = params(2, 2, 128, 2);
    ck_assert_int_eq(udn_mesh_params_check(&p, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "mesh.sender_id = 2"));
    ck_assert_uint_eq(UDN_SENDER(0), 0x400);
    ck_assert_uint_eq(UDN_SENDER(3), 0x418);
}
END_TEST

}  // namespace

extern "C" Suite *mesh_sender_suite(void);
Suite *mesh_sender_suite(void)
{
    Suite *s = suite_create("mesh_sender");
    TCase *tc = tcase_create("sender");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_two_senders_interleave);
    tcase_add_test(tc, test_visible_with_first_word);
    tcase_add_test(tc, test_off_and_params);
    suite_add_tcase(s, tc);
    return s;
}
