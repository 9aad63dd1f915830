/* test_sock_abi.c - the socket messages of abi/sock.h: exact words of known
 * messages (the layout of the header's pictures), encode/decode round trips
 * with extreme values, lengths per type, handles, initial credits. */
#include <check.h>
#include <string.h>

#include "abi/sock.h"

/* One known message per layout, word for word: a change of a field's place
 * breaks these. */
START_TEST(known_words)
{
    uint64_t w[SOCK_MSG_WORDS_MAX];
    ck_assert_uint_eq(sock_enc_send(w, 3, 0x1234, 0xaabbccdd00050007ULL, 0x40, 100), 3);
    ck_assert_uint_eq(w[0], 0x0203123400000064ULL);
    ck_assert_uint_eq(w[1], 0xaabbccdd00050007ULL);
    ck_assert_uint_eq(w[2], 0x40);
    ck_assert_uint_eq(sock_enc_listen(w, 0, 7, 80, 128), 1);
    ck_assert_uint_eq(w[0], 0x0100000700800050ULL);
    ck_assert_uint_eq(sock_enc_data(w, 255, 0xffff, 1, 0x10000000, 1460, 9), 4);
    ck_assert_uint_eq(w[0], 0x84ffffff000005b4ULL);
    ck_assert_uint_eq(w[3], 9);
    ck_assert_uint_eq(sock_enc_error(w, 1, 2, SOCK_REQ_SEND, SOCK_ERR_TX_RANGE, 3, 0x55), 2);
    ck_assert_uint_eq(w[0], 0x8201000200030206ULL);
    ck_assert_uint_eq(sock_enc_accepted(w, 0, 0, 5, 0x0a000001, 40000, 7), 3);
    ck_assert_uint_eq(w[2], (40000ULL << 32) | 0x0a000001);
    ck_assert_uint_eq(sock_handle(0xdeadbeef, 0x1234, 0x5678), 0xdeadbeef12345678ULL);
}
END_TEST

START_TEST(round_trips)
{
    uint64_t w[SOCK_MSG_WORDS_MAX];
    const uint32_t cr[] = { 0, 1, 254, 255 }, tiles[] = { 0, 1, 35, 0xffff };
    const uint64_t hs[] = { 0, 1, ~0ULL, 0x8000000000000001ULL };
    for (int i = 0; i < 4; i++) {
        uint32_t c = cr[i], t = tiles[(i + 1) % 4];
        uint64_t h = hs[(i + 2) % 4];
        sock_enc_send(w, c, t, h, ~0ULL - (uint64_t)i, 0xffffffffu - (uint32_t)i);
        ck_assert_uint_eq(sock_w0_type(w[0]), SOCK_REQ_SEND);
        ck_assert_uint_eq(sock_w0_credits(w[0]), c);
        ck_assert_uint_eq(sock_w0_sender(w[0]), t);
        ck_assert_uint_eq(sock_msg_handle(w), h);
        ck_assert_uint_eq(sock_send_off(w), ~0ULL - (uint64_t)i);
        ck_assert_uint_eq(sock_send_len(w), 0xffffffffu - (uint32_t)i);
        sock_enc_listen(w, c, t, (uint16_t)(0xffff - i), (uint16_t)(i + 1));
        ck_assert_uint_eq(sock_listen_port(w), 0xffff - i);
        ck_assert_uint_eq(sock_listen_backlog(w), i + 1);
        ck_assert_uint_eq(sock_w0_credits(w[0]), c);
        sock_enc_send_release(w, c, t, h, 0xffffffffu - (uint32_t)i, 1u + (uint32_t)i, 0xfffffff0u + (uint32_t)i);
        ck_assert_uint_eq(sock_w0_type(w[0]), SOCK_REQ_SEND_RELEASE);
        ck_assert_uint_eq(sock_w0_credits(w[0]), c);
        ck_assert_uint_eq(sock_msg_handle(w), h);
        ck_assert_uint_eq(sock_sendrel_off(w), 0xffffffffu - (uint32_t)i);
        ck_assert_uint_eq(sock_send_len(w), 1u + (uint32_t)i);
        ck_assert_uint_eq(sock_sendrel_ref(w), 0xfffffff0u + (uint32_t)i);
        sock_enc_release(w, c, t, h, 0xfffffff0u + (uint32_t)i);
        ck_assert_uint_eq(sock_release_ref(w), 0xfffffff0u + (uint32_t)i);
        ck_assert_uint_eq(sock_msg_handle(w), h);
        sock_enc_data(w, c, t, h, 0x123456789abcULL + (uint64_t)i, 65535u + (uint32_t)i, 0xffffffffu);
        ck_assert_uint_eq(sock_w0_type(w[0]), SOCK_EV_DATA);
        ck_assert_uint_eq(sock_data_addr(w), 0x123456789abcULL + (uint64_t)i);
        ck_assert_uint_eq(sock_data_len(w), 65535u + (uint32_t)i);
        ck_assert_uint_eq(sock_data_ref(w), 0xffffffffu);
        ck_assert_uint_eq(sock_w0_sender(w[0]), t);
        sock_enc_accepted(w, c, t, h, 0xffffffffu - (uint32_t)i, (uint16_t)(65535 - i), (uint16_t)i);
        ck_assert_uint_eq(sock_accepted_ip(w), 0xffffffffu - (uint32_t)i);
        ck_assert_uint_eq(sock_accepted_port(w), 65535 - i);
        ck_assert_uint_eq(sock_accepted_lport(w), i);
        sock_enc_error(w, c, t, SOCK_REQ_ABORT, SOCK_ERR_BAD_REF, 70000, h); /* count saturates */
        ck_assert_uint_eq(sock_error_req(w), SOCK_REQ_ABORT);
        ck_assert_uint_eq(sock_error_code(w), SOCK_ERR_BAD_REF);
        ck_assert_uint_eq(sock_error_count(w), 0xffff);
        ck_assert_uint_eq(sock_error_what(w), h);
        sock_enc_sent(w, c, t, h, 0xffffffffu);
        ck_assert_uint_eq(sock_sent_bytes(w), 0xffffffffu);
        sock_enc_listening(w, c, t, 8080);
        ck_assert_uint_eq(sock_listening_port(w), 8080);
        uint32_t types[] = { SOCK_EV_PEER_CLOSED, SOCK_EV_RESET, SOCK_EV_CLOSED };
        for (int k = 0; k < 3; k++) {
            ck_assert_uint_eq(sock_enc_conn_ev(w, types[k], c, t, h), 2);
            ck_assert_uint_eq(sock_w0_type(w[0]), types[k]);
            ck_assert_uint_eq(sock_w0_arg(w[0]), 0);
            ck_assert_uint_eq(sock_msg_handle(w), h);
        }
        uint32_t hn = (uint32_t)(0xffffffffu - (uint32_t)i), hg = 0xffffu - (uint32_t)i, hi = (uint32_t)i * 77u;
        uint64_t hh = sock_handle(hn, hg, hi);
        ck_assert_uint_eq(sock_handle_nonce(hh), hn);
        ck_assert_uint_eq(sock_handle_gen(hh), hg);
        ck_assert_uint_eq(sock_handle_index(hh), hi);
    }
    /* Fields wider than their place are cut, never spill into a neighbour. */
    uint64_t w0 = sock_w0(0x1ff, 0x1ff, 0x1ffff, 0);
    ck_assert_uint_eq(w0, 0xffffffff00000000ULL);
}
END_TEST

/* Every encoder writes the count sock_msg_words gives its type; requests and
 * events are told apart; unknown types have length 0. */
START_TEST(lengths_per_type)
{
    uint64_t w[SOCK_MSG_WORDS_MAX];
    struct { uint32_t n; } got[] = {
        { sock_enc_listen(w, 0, 0, 1, 1) }, { sock_enc_send(w, 0, 0, 0, 0, 1) }, { sock_enc_release(w, 0, 0, 0, 0) },
        { sock_enc_close(w, 0, 0, 0) }, { sock_enc_abort(w, 0, 0, 0) }, { sock_enc_credit_req(w, 0, 0) },
        { sock_enc_send_release(w, 0, 0, 0, 0, 1, 0) },
    };
    for (uint32_t t = SOCK_REQ_LISTEN; t <= SOCK_REQ_SEND_RELEASE; t++) {
        ck_assert_uint_eq(sock_msg_words(t), got[t - 1].n);
        ck_assert(sock_is_request(t) && !sock_is_event(t));
    }
    ck_assert_uint_eq(sock_enc_listening(w, 0, 0, 1), sock_msg_words(SOCK_EV_LISTENING));
    ck_assert_uint_eq(sock_enc_error(w, 0, 0, 0, 0, 0, 0), sock_msg_words(SOCK_EV_ERROR));
    ck_assert_uint_eq(sock_enc_accepted(w, 0, 0, 0, 0, 0, 0), sock_msg_words(SOCK_EV_ACCEPTED));
    ck_assert_uint_eq(sock_enc_data(w, 0, 0, 0, 0, 0, 0), sock_msg_words(SOCK_EV_DATA));
    ck_assert_uint_eq(sock_enc_sent(w, 0, 0, 0, 0), sock_msg_words(SOCK_EV_SENT));
    ck_assert_uint_eq(sock_enc_credit_ev(w, 0, 0), sock_msg_words(SOCK_EV_CREDIT));
    for (uint32_t t = SOCK_EV_LISTENING; t <= SOCK_EV_CREDIT; t++) {
        ck_assert(sock_is_event(t) && !sock_is_request(t));
        ck_assert_uint_ge(sock_msg_words(t), 1);
        ck_assert_uint_le(sock_msg_words(t), SOCK_MSG_WORDS_MAX);
    }
    const uint32_t unknown[] = { 0, 8, 0x80, 0x8a, 0xff };
    for (int i = 0; i < 5; i++) {
        ck_assert_uint_eq(sock_msg_words(unknown[i]), 0);
        ck_assert(!sock_is_request(unknown[i]) && !sock_is_event(unknown[i]));
    }
}
END_TEST

START_TEST(initial_credits)
{
    ck_assert_uint_eq(sock_initial_credits(128, 1), 25);  /* 128 / 5 */
    ck_assert_uint_eq(sock_initial_credits(128, 4), 6);
    ck_assert_uint_eq(sock_initial_credits(128, 8), 3);
    ck_assert_uint_eq(sock_initial_credits(128, 9), 0);   /* below 3: not workable */
    ck_assert_uint_eq(sock_initial_credits(128, 32), 0);
    ck_assert_uint_eq(sock_initial_credits(65536, 1), 255); /* the w0 field's limit */
    ck_assert_uint_eq(sock_initial_credits(128, 0), 0);
    ck_assert_uint_eq(sock_credit_threshold(2), 1);
    ck_assert_uint_eq(sock_credit_threshold(25), 12);
    /* the share never lets the senders overflow the queue */
    for (uint32_t q = 2; q <= 4096; q += 37)
        for (uint32_t s = 1; s <= 64; s++) {
            uint32_t c = sock_initial_credits(q, s);
            ck_assert_uint_le((uint64_t)c * s * (SOCK_MSG_WORDS_MAX + 1), q);
        }
}
END_TEST

/* The exact share over several queues: the TILE-Gx36's 28 app tiles over a
 * stack tile's 3 request queues get 4 credits each (one queue: none), 8
 * stack tiles toward an app tile 4; never more words than the queues hold. */
START_TEST(queue_credits)
{
    ck_assert_uint_eq(sock_queue_credits(128, 3, SOCK_REQ_WORDS_MAX, 28), 4);  /* 128 / 3 / 10 */
    ck_assert_uint_eq(sock_queue_credits(128, 1, SOCK_REQ_WORDS_MAX, 28), 0);  /* 128 / 3 / 28 = 1 */
    ck_assert_uint_eq(sock_queue_credits(128, 1, SOCK_EV_WORDS_MAX, 8), 4);
    ck_assert_uint_eq(sock_queue_credits(128, 3, SOCK_REQ_WORDS_MAX, 2), 42);
    ck_assert_uint_eq(sock_queue_credits(65536, 1, 1, 1), 255);
    ck_assert_uint_eq(sock_queue_credits(128, 0, 3, 1), 0);
    ck_assert_uint_eq(sock_queue_credits(128, 3, 3, 0), 0);
    for (uint32_t q = 2; q <= 4096; q += 37)
        for (uint32_t k = 1; k <= 4; k++)
            for (uint32_t w = 1; w <= 4; w++)
                for (uint32_t s = 1; s <= 64; s++) {
                    uint32_t c = sock_queue_credits(q, k, w, s);
                    for (uint32_t i = 0; i < k; i++) {
                        uint32_t on_queue = 0;
                        for (uint32_t j = 0; j < s; j++) on_queue += j % k == i;
                        ck_assert_uint_le((uint64_t)c * on_queue * w, q);
                    }
                }
}
END_TEST

Suite *sock_abi_suite(void)
{
    Suite *s = suite_create("sock_abi");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, known_words);
    tcase_add_test(tc, round_trips);
    tcase_add_test(tc, lengths_per_type);
    tcase_add_test(tc, initial_credits);
    tcase_add_test(tc, queue_credits);
    suite_add_tcase(s, tc);
    return s;
}
