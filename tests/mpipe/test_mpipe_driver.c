/* test_mpipe_driver.c - the firmware driver (stack/driver) built for the
 * host against the fake mPIPE: stacks, ingress queue with wrap-around and
 * credits, egress queue with wrap-around, GEN bits and back-pressure. */
#define MPIPE_DRV_HOST 1
#include <check.h>
#include <string.h>

#include "driver/mpipe_drv.h"
#include "mpipe_fake.h"

#define RING_ADDR  (TILE_SHARED_BASE + 0x10000)
#define ERING_ADDR (TILE_SHARED_BASE + 0x40000)
#define BUFS_ADDR  (TILE_SHARED_BASE + 0x100000)

START_TEST(driver_rejects_bad_setup)
{
    fake_mpipe_reset();
    mpipe_iqueue iq;
    mpipe_equeue eq;
    ck_assert_int_eq(mpipe_stack_init(32, 0, BUFS_ADDR, 4), -1);
    ck_assert_int_eq(mpipe_stack_init(0, 8, BUFS_ADDR, 4), -1);
    ck_assert_int_eq(mpipe_stack_init(0, 0, BUFS_ADDR + 8, 4), -1);
    ck_assert_int_eq(mpipe_iqueue_init(&iq, 0, RING_ADDR, 100, 0), -1);
    ck_assert_int_eq(mpipe_iqueue_init(&iq, 256, RING_ADDR, 128, 0), -1);
    ck_assert_int_eq(mpipe_equeue_init(&eq, 24, ERING_ADDR, 512, 0, 0), -1);
    ck_assert_int_eq(mpipe_equeue_init(&eq, 0, ERING_ADDR, 128, 0, 0), -1);
}
END_TEST

START_TEST(driver_stacks_push_pop)
{
    fake_mpipe_reset();
    ck_assert_int_eq(mpipe_stack_init(3, 1, BUFS_ADDR, 4), 0);
    ck_assert_uint_eq(mpipe_stack_count(3), 4);
    uint64_t b = mpipe_buffer_pop(3);
    ck_assert_uint_eq(mpipe_bdesc_addr(b), BUFS_ADDR + 3 * 256);   /* LIFO */
    ck_assert_uint_eq(mpipe_bdesc_stack(b), 3);
    ck_assert_uint_eq(mpipe_bdesc_class(b), 1);
    mpipe_buffer_push(mpipe_bdesc(mpipe_bdesc_addr(b) + 8, 3, 1, 0));   /* inside the buffer */
    ck_assert_uint_eq(mpipe_stack_count(3), 4);
    ck_assert_uint_eq(mpipe_bdesc_addr(mpipe_buffer_pop(3)), BUFS_ADDR + 3 * 256);
}
END_TEST

START_TEST(driver_ingress_wraps_and_credits)
{
    fake_mpipe_reset();
    mpipe_iqueue iq;
    mpipe_stack_init(0, 1, BUFS_ADDR, 64);
    ck_assert_int_eq(mpipe_iqueue_init(&iq, 5, RING_ADDR, 128, 0), 0);
    ck_assert(mpipe_iqueue_peek(&iq) == NULL);    /* cleared despite the 0xa5 fill */
    uint8_t f[60];
    uint64_t seen = 0;
    for (unsigned round = 0; round < 10; round++) {   /* 10 x 30 descriptors: two wraps */
        for (unsigned k = 0; k < 30; k++) {
            memset(f, (int)(round * 30 + k), sizeof f);
            ck_assert_int_eq(fake_mpipe_deliver(5, 0, f, sizeof f), 0);
        }
        ck_assert_uint_eq(fake_mpipe_credits(5), 128 - 30);
        volatile mpipe_idesc *d;
        while ((d = mpipe_iqueue_peek(&iq))) {
            ck_assert_uint_eq(d->seq, seen);
            ck_assert_uint_eq(*(uint8_t *)mpipe_hal_ptr(mpipe_bdesc_addr(d->bdesc)), (uint8_t)seen);
            mpipe_frame_free(d);
            mpipe_iqueue_consume(&iq, d);
            seen++;
        }
        ck_assert_uint_eq(seen, (round + 1) * 30);
        ck_assert_uint_eq(fake_mpipe_credits(5), 128);
    }
    ck_assert_uint_eq(mpipe_stack_count(0), 64);   /* no buffer leaked */
}
END_TEST

START_TEST(driver_egress_wraps_with_back_pressure)
{
    fake_mpipe_reset();
    mpipe_equeue eq;
    mpipe_stack_init(0, 1, BUFS_ADDR, 8);
    ck_assert_int_eq(mpipe_equeue_init(&eq, 2, ERING_ADDR, 512, 0, -1), 0);
    ck_assert_uint_eq(mpipe_equeue_space(&eq, 1), 512);
    unsigned sent = 0;
    for (unsigned k = 0; k < 1200; k++) {    /* wraps the 512-entry ring twice */
        uint64_t b = mpipe_buffer_pop(0);
        ck_assert_uint_ne(b, 0);
        uint8_t *p = mpipe_hal_ptr(mpipe_bdesc_addr(b));
        memset(p, (int)k, 100);
        mpipe_edesc d[2] = {
            { mpipe_edesc_w0(60, 0, 0), b },
            { mpipe_edesc_w0(40, 1, 0), mpipe_bdesc(mpipe_bdesc_addr(b) + 60, 0, 1, 0) | MPIPE_BDESC_HWB },
        };
        ck_assert_int_eq(mpipe_equeue_put(&eq, d, 2), 0);
        sent++;
        size_t len;
        const uint8_t *f = fake_mpipe_frame(fake_mpipe_sent() - 1, &len);
        ck_assert_uint_eq(len, 100);
        ck_assert_uint_eq(f[99], (uint8_t)k);
    }
    ck_assert_uint_eq(fake_mpipe_sent(), sent);
    ck_assert_uint_eq(mpipe_equeue_reap(&eq), 2400);
    ck_assert_uint_eq(mpipe_stack_count(0), 8);
    /* more than the ring holds at once is refused */
    static mpipe_edesc many[513];
    ck_assert_int_eq(mpipe_equeue_put(&eq, many, 513), -1);
}
END_TEST

START_TEST(driver_builds_gathers_for_chains)
{
    fake_mpipe_reset();
    mpipe_stack_init(0, 0, BUFS_ADDR, 8);   /* 128-byte buffers */
    uint64_t b[3] = { mpipe_buffer_pop(0), mpipe_buffer_pop(0), mpipe_buffer_pop(0) };
    *(uint64_t *)mpipe_hal_ptr(mpipe_bdesc_addr(b[0])) = (b[1] & ~(3ULL << 62)) | (MPIPE_C_CHAINED << 62);
    *(uint64_t *)mpipe_hal_ptr(mpipe_bdesc_addr(b[1])) = (b[2] & ~(3ULL << 62)) | (MPIPE_C_CHAINED << 62);
    *(uint64_t *)mpipe_hal_ptr(mpipe_bdesc_addr(b[2])) = MPIPE_C_INVALID << 62;
    mpipe_idesc d;
    memset(&d, 0, sizeof d);
    d.l2_size = 300;
    d.bdesc = (b[0] & ~(3ULL << 62)) | (MPIPE_C_CHAINED << 62);
    mpipe_edesc e[4];
    ck_assert_int_eq(mpipe_edescs_for_frame(&d, e, 2), -1);
    ck_assert_int_eq(mpipe_edescs_for_frame(&d, e, 4), 3);
    ck_assert_uint_eq(e[0].w0 & MPIPE_EDESC_SIZE_MASK, 120);
    ck_assert_uint_eq(e[2].w0 & MPIPE_EDESC_SIZE_MASK, 60);
    ck_assert(!(e[1].w0 & MPIPE_EDESC_EOP) && (e[2].w0 & MPIPE_EDESC_EOP));
    ck_assert_uint_eq(mpipe_bdesc_addr(e[1].bdesc), mpipe_bdesc_addr(b[1]) + 8);
    ck_assert(e[1].bdesc & MPIPE_BDESC_HWB);
    mpipe_frame_free(&d);
    ck_assert_uint_eq(mpipe_stack_count(0), 8);
}
END_TEST

Suite *mpipe_driver_suite(void)
{
    Suite *s = suite_create("mpipe_driver");
    TCase *t = tcase_create("driver");
    tcase_add_test(t, driver_rejects_bad_setup);
    tcase_add_test(t, driver_stacks_push_pop);
    tcase_add_test(t, driver_ingress_wraps_and_credits);
    tcase_add_test(t, driver_egress_wraps_with_back_pressure);
    tcase_add_test(t, driver_builds_gathers_for_chains);
    suite_add_tcase(s, t);
    return s;
}
