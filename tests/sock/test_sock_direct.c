/* test_sock_direct.c - the baseline's in-tile transport
 * (stack/sock/sock_direct): what the app side sends reaches the stack
 * side's recv only (and the other way), in order, with its true length and
 * sender; the rings wrap; a message beyond a ring is dropped and counted,
 * never written over a waiting one; the credits of abi/sock.h fit a ring. */
#include <check.h>
#include <stdlib.h>

#include "abi/sock.h"
#include "sock/sock_direct.h"

static sock_direct_t *mk(void)
{
    sock_direct_t *d = malloc(sizeof *d);
    ck_assert_ptr_nonnull(d);
    sock_direct_init(d, 7, 9);
    return d;
}

START_TEST(each_side_gets_the_others_messages)
{
    sock_direct_t *d = mk();
    sock_transport_t a = sock_direct_app(d), s = sock_direct_stack(d);
    uint64_t w[4] = { 1, 2, 3, 4 }, r[4] = { 0 };
    uint32_t tile = 0;
    a.send(a.ctx, 9, SOCK_Q_REQ, w, 3);
    ck_assert_uint_eq(sock_direct_req_waiting(d), 1);
    ck_assert_uint_eq(a.recv(a.ctx, SOCK_Q_EVT, r, 4), 0); /* not back to the app */
    ck_assert_uint_eq(s.recv(s.ctx, SOCK_Q_REQ, r, 4), 3);
    ck_assert(r[0] == 1 && r[1] == 2 && r[2] == 3);
    ck_assert_int_eq(s.sender(s.ctx, &tile), 1);
    ck_assert_uint_eq(tile, 7);
    ck_assert_uint_eq(s.recv(s.ctx, SOCK_Q_REQ, r, 4), 0);
    s.send(s.ctx, 7, SOCK_Q_EVT, w + 1, 2);
    ck_assert_uint_eq(sock_direct_evt_waiting(d), 1);
    ck_assert_uint_eq(s.recv(s.ctx, SOCK_Q_REQ, r, 4), 0);
    ck_assert_uint_eq(a.recv(a.ctx, SOCK_Q_EVT, r, 1), 2); /* true length; one word taken */
    ck_assert(r[0] == 2);
    ck_assert_int_eq(a.sender(a.ctx, &tile), 1);
    ck_assert_uint_eq(tile, 9);
    ck_assert_ptr_null(a.wait);
    ck_assert_uint_eq(d->dropped, 0);
    free(d);
}
END_TEST

START_TEST(rings_wrap_in_order)
{
    sock_direct_t *d = mk();
    sock_transport_t a = sock_direct_app(d), s = sock_direct_stack(d);
    uint64_t seq = 0, want = 0;
    for (int round = 0; round < 5000; round++) {
        uint32_t n = 1 + (uint32_t)round % SOCK_MSG_WORDS_MAX, burst = 1 + (uint32_t)round % 7;
        for (uint32_t b = 0; b < burst; b++) {
            uint64_t w[SOCK_MSG_WORDS_MAX];
            for (uint32_t i = 0; i < n; i++) w[i] = seq++;
            a.send(a.ctx, 0, 0, w, n);
        }
        uint64_t r[SOCK_MSG_WORDS_MAX];
        uint32_t got;
        while ((got = s.recv(s.ctx, 0, r, SOCK_MSG_WORDS_MAX)) != 0)
            for (uint32_t i = 0; i < got; i++) ck_assert_uint_eq(r[i], want++);
    }
    ck_assert_uint_eq(want, seq);
    ck_assert_uint_eq(d->dropped, 0);
    free(d);
}
END_TEST

START_TEST(beyond_the_ring_dropped_and_counted)
{
    sock_direct_t *d = mk();
    sock_transport_t a = sock_direct_app(d), s = sock_direct_stack(d);
    uint64_t w[SOCK_MSG_WORDS_MAX] = { 0 };
    uint32_t fit = SOCK_DIRECT_WORDS / (SOCK_MSG_WORDS_MAX + 1);
    ck_assert_uint_le(sock_initial_credits(SOCK_DIRECT_WORDS, 1), fit); /* credits never overflow it */
    for (uint32_t i = 0; i < fit + 3; i++) {
        w[0] = i;
        a.send(a.ctx, 0, 0, w, SOCK_MSG_WORDS_MAX);
    }
    ck_assert_uint_eq(d->dropped, 3);
    ck_assert_uint_eq(sock_direct_req_waiting(d), fit);
    uint64_t r[SOCK_MSG_WORDS_MAX];
    for (uint32_t i = 0; i < fit; i++) {
        ck_assert_uint_eq(s.recv(s.ctx, 0, r, SOCK_MSG_WORDS_MAX), SOCK_MSG_WORDS_MAX);
        ck_assert_uint_eq(r[0], i); /* none written over */
    }
    ck_assert_uint_eq(s.recv(s.ctx, 0, r, SOCK_MSG_WORDS_MAX), 0);
    a.send(a.ctx, 0, 0, w, 0); /* an empty message is no message */
    ck_assert_uint_eq(d->dropped, 4);
    ck_assert_uint_eq(sock_direct_req_waiting(d), 0);
    free(d);
}
END_TEST

Suite *sock_direct_suite(void)
{
    Suite *s = suite_create("sock_direct");
    TCase *t = tcase_create("rings");
    tcase_add_test(t, each_side_gets_the_others_messages);
    tcase_add_test(t, rings_wrap_in_order);
    tcase_add_test(t, beyond_the_ring_dropped_and_counted);
    suite_add_tcase(s, t);
    return s;
}
