/* test_mpipe_driver.c - the firmware driver (stack/driver) built for the
 * host against the fake mPIPE: stacks, ingress queue with wrap-around and
 * credits, egress queue with wrap-around, GEN bits and back-pressure; and
 * abi/mpipe.h itself: every decoder undoes its encoder, every offset of the
 * register page decodes to the block its picture shows (the layouts are
 * pinned at compile time by mpipe_abi_layout.h). */
#define MPIPE_DRV_HOST 1
#include <check.h>
#include <pthread.h>
#include <string.h>

#include "driver/mpipe_drv.h"
#include "mpipe_abi_layout.h"
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

/* Egress ring 3 shared by POSTERS threads (tiles), each posting FRAMES
 * two-descriptor frames tagged (poster, sequence) through
 * mpipe_equeue_put_shared: every frame goes out once, whole, each poster's
 * in its order, the doorbell never goes back (the fake aborts) and the
 * completion count covers every descriptor. */
#define POSTERS 3u
#define FRAMES  3000u
static mpipe_eshare shared_ctl;
static mpipe_equeue shared_q[POSTERS];

static void *poster(void *arg)
{
    unsigned id = (unsigned)(uintptr_t)arg;
    uint64_t buf = BUFS_ADDR + id * 4096u;
    for (uint32_t k = 0; k < FRAMES; k++) {
        uint32_t tag = id << 24 | k;
        uint8_t *p = mpipe_hal_ptr(buf);
        memcpy(p, &tag, 4);
        memset(p + 4, (int)k, 60);
        mpipe_edesc d[2] = {
            { mpipe_edesc_w0(4, 0, 0), mpipe_bdesc(buf, 0, 0, MPIPE_C_UNCHAINED) },
            { mpipe_edesc_w0(60, 1, 0), mpipe_bdesc(buf + 4, 0, 0, MPIPE_C_UNCHAINED) },
        };
        if (mpipe_equeue_put_shared(&shared_q[id], &shared_ctl, d, 2, NULL) == 0) return (void *)1;
    }
    return NULL;
}

START_TEST(driver_egress_ring_shared_by_tiles)
{
    fake_mpipe_reset();
    memset(&shared_ctl, 0, sizeof shared_ctl);
    ck_assert_int_eq(mpipe_equeue_init(&shared_q[0], 3, ERING_ADDR, 512, 0, -1), 0);
    for (unsigned i = 1; i < POSTERS; i++) mpipe_equeue_attach(&shared_q[i], 3, ERING_ADDR, 512);
    pthread_t th[POSTERS];
    for (unsigned i = 0; i < POSTERS; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, poster, (void *)(uintptr_t)i), 0);
    for (unsigned i = 0; i < POSTERS; i++) {
        void *rc;
        pthread_join(th[i], &rc);
        ck_assert_ptr_null(rc);
    }
    ck_assert_uint_eq(fake_mpipe_sent(), POSTERS * FRAMES);
    uint32_t next[POSTERS] = { 0 };
    for (unsigned i = 0; i < POSTERS * FRAMES; i++) {
        uint32_t tag = fake_mpipe_tag(i), id = tag >> 24;
        ck_assert_uint_lt(id, POSTERS);
        ck_assert_uint_eq(tag & 0xffffffu, next[id]++);
    }
    ck_assert_uint_eq(shared_ctl.reserved, 2 * POSTERS * FRAMES);
    ck_assert_uint_eq(shared_ctl.published, 2 * POSTERS * FRAMES);
    ck_assert_uint_eq(mpipe_equeue_reap(&shared_q[1]), 2 * POSTERS * FRAMES);
    /* more than the ring holds at once, or nothing, is refused */
    static mpipe_edesc many[513];
    ck_assert_uint_eq(mpipe_equeue_put_shared(&shared_q[0], &shared_ctl, many, 513, NULL), 0);
    ck_assert_uint_eq(mpipe_equeue_put_shared(&shared_q[0], &shared_ctl, many, 0, NULL), 0);
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

static void reg_is(uint64_t off, mpipe_block block, unsigned index, unsigned reg)
{
    mpipe_reg r = mpipe_reg_decode(off);
    ck_assert_msg(r.block == block && (block == MPIPE_BLOCK_NONE || (r.index == index && r.reg == reg)),
                  "offset 0x%llx: block %d index %u reg %u, expected %d %u %u", (unsigned long long)off,
                  (int)r.block, r.index, r.reg, (int)block, index, reg);
}

START_TEST(abi_register_page_decodes)
{
    reg_is(MPIPE_REG_INFO, MPIPE_BLOCK_GLOBAL, 0, MPIPE_REG_INFO);
    reg_is(MPIPE_REG_DROPS, MPIPE_BLOCK_GLOBAL, 0, MPIPE_REG_DROPS);
    reg_is(0x18, MPIPE_BLOCK_NONE, 0, 0);
    reg_is(0x0ff8, MPIPE_BLOCK_NONE, 0, 0);
    reg_is(0x1000, MPIPE_BLOCK_STACK, 0, MPIPE_STACK_INIT);
    reg_is(0x1000 + 31 * 0x20 + 0x18, MPIPE_BLOCK_STACK, 31, MPIPE_STACK_COUNT);
    reg_is(0x1400, MPIPE_BLOCK_NONE, 0, 0);
    reg_is(0x2000 + 5 * 0x20 + 0x10, MPIPE_BLOCK_RING, 5, MPIPE_RING_TILE);
    reg_is(0x2000 + 255 * 0x20 + 0x18, MPIPE_BLOCK_RING, 255, MPIPE_RING_COUNT);
    reg_is(0x4000 + 31 * 8, MPIPE_BLOCK_GROUP, 31, 0);
    reg_is(0x4100, MPIPE_BLOCK_NONE, 0, 0);
    reg_is(0x5000, MPIPE_BLOCK_BUCKET, 0, 0);
    reg_is(0x5000 + 4159 * 8, MPIPE_BLOCK_BUCKET, 4159, 0);
    reg_is(0xd200, MPIPE_BLOCK_NONE, 0, 0);
    reg_is(0xe000 + 23 * 0x40 + 0x20, MPIPE_BLOCK_ER, 23, MPIPE_ER_TILE);
    reg_is(0xe000 + 2 * 0x40 + 0x38, MPIPE_BLOCK_ER, 2, 0x38);
    reg_is(0xe600, MPIPE_BLOCK_NONE, 0, 0);
    reg_is(0xfff8, MPIPE_BLOCK_NONE, 0, 0);
}
END_TEST

START_TEST(abi_decoders_undo_encoders)
{
    uint64_t v = MPIPE_INFO_VAL(16, 10);
    ck_assert_uint_eq(mpipe_info_ports(v), 16);
    ck_assert_uint_eq(mpipe_info_classifiers(v), 10);
    v = MPIPE_CREDIT(255, 4159, 77);
    ck_assert_uint_eq(mpipe_credit_ring(v), 255);
    ck_assert_uint_eq(mpipe_credit_bucket(v), 4159);
    ck_assert_uint_eq(mpipe_credit_count(v), 77);
    ck_assert_uint_eq(mpipe_credit_bucket(MPIPE_CREDIT(1, MPIPE_NO_BUCKET, 1)), MPIPE_NO_BUCKET);
    v = MPIPE_STACK_INIT_VAL(4, 100000);
    ck_assert_uint_eq(mpipe_stack_init_class(v), 4);
    ck_assert_uint_eq(mpipe_stack_init_capacity(v), 100000);
    v = MPIPE_GROUP_VAL(200, 56);
    ck_assert_uint_eq(mpipe_group_first(v), 200);
    ck_assert_uint_eq(mpipe_group_rings(v), 56);
    v = MPIPE_BUCKET_VAL(31, MPIPE_MODE_STICKY, 255);
    ck_assert_uint_eq(mpipe_bucket_group(v), 31);
    ck_assert_uint_eq(mpipe_bucket_mode(v), MPIPE_MODE_STICKY);
    ck_assert_uint_eq(mpipe_bucket_ring(v), 255);
    v = MPIPE_ER_INIT_VAL(65536, 15);
    ck_assert_uint_eq(mpipe_er_init_entries(v), 65536);
    ck_assert_uint_eq(mpipe_er_init_port(v), 15);

    uint64_t w0 = mpipe_edesc_w0(1514, 1, 0) | mpipe_edesc_csum(34, 50, 0xbeef);
    ck_assert_uint_eq(mpipe_edesc_size(w0), 1514);
    ck_assert_uint_eq(mpipe_edesc_csum_start(w0), 34);
    ck_assert_uint_eq(mpipe_edesc_csum_dest(w0), 50);
    ck_assert_uint_eq(mpipe_edesc_csum_seed(w0), 0xbeef);
    /* GEN: 1 on the first pass over a ring of 512, 0 on the second */
    ck_assert(mpipe_edesc_w0_gen(w0, 3, 512) & MPIPE_EDESC_GEN);
    ck_assert(!(mpipe_edesc_w0_gen(w0 | MPIPE_EDESC_GEN, 515, 512) & MPIPE_EDESC_GEN));
    ck_assert(mpipe_edesc_gen_ok(mpipe_edesc_w0_gen(w0, 515, 512), 515, 512));
    ck_assert(!mpipe_edesc_gen_ok(mpipe_edesc_w0_gen(w0, 515, 512), 3, 512));
    ck_assert(mpipe_idesc_gen_ok(MPIPE_IDESC_GEN | MPIPE_IDESC_L4CK_OK, 127, 128));
    ck_assert(!mpipe_idesc_gen_ok(MPIPE_IDESC_GEN, 128, 128));
    ck_assert_uint_eq(mpipe_idesc_addr(0x40000000, 130, 128), 0x40000000 + 2 * 64);
    ck_assert_uint_eq(mpipe_edesc_addr(0x40000000, 513, 512), 0x40000000 + 16);
}
END_TEST

START_TEST(abi_buffer_descriptor_helpers)
{
    uint64_t b = mpipe_bdesc(0x40001080, 3, 4, MPIPE_C_UNCHAINED) | MPIPE_BDESC_HWB;
    uint64_t c = mpipe_bdesc_set_c(b, MPIPE_C_CHAINED);
    ck_assert_uint_eq(mpipe_bdesc_c(c), MPIPE_C_CHAINED);
    ck_assert_uint_eq(c & ~MPIPE_BDESC_C_MASK, b);
    ck_assert_uint_eq(mpipe_bdesc_set_c(c, MPIPE_C_UNCHAINED), b);
    ck_assert_uint_eq(mpipe_bdesc_c(MPIPE_BDESC_CHAIN_END), MPIPE_C_INVALID);
    ck_assert_uint_eq(mpipe_bdesc_data(b), 0x40001080);
    ck_assert_uint_eq(mpipe_bdesc_data(c), 0x40001088);
    ck_assert_uint_eq(mpipe_bdesc_buffer(mpipe_bdesc_set_c(b, 0) + 8), 0x40001080);
    ck_assert_uint_eq(mpipe_bdesc_buffer(b + 0x7f), 0x40001080);
    ck_assert_uint_eq(mpipe_chain_room(0), 120);
    ck_assert_uint_eq(mpipe_chain_buffers(120, 0), 1);
    ck_assert_uint_eq(mpipe_chain_buffers(121, 0), 2);
    ck_assert_uint_eq(mpipe_chain_buffers(1514, 4), 1);
    ck_assert_uint_eq(mpipe_chain_buffers(1657, 4), 2);
}
END_TEST

START_TEST(driver_reads_ports_and_frame_addresses)
{
    fake_mpipe_reset();
    ck_assert_uint_eq(mpipe_port_count(), 1);
    mpipe_idesc d;
    memset(&d, 0, sizeof d);
    d.bdesc = mpipe_bdesc(BUFS_ADDR + 256, 0, 1, MPIPE_C_UNCHAINED);
    ck_assert_ptr_eq((const void *)(uintptr_t)mpipe_frame_data(&d), mpipe_hal_ptr(BUFS_ADDR + 256));
    d.bdesc = mpipe_bdesc_set_c(d.bdesc, MPIPE_C_CHAINED);
    ck_assert_ptr_eq((const void *)(uintptr_t)mpipe_frame_data(&d), mpipe_hal_ptr(BUFS_ADDR + 256 + MPIPE_CHAIN_HDR));

    /* ring slices of whole pages of the region */
    boot_region r = { .base = 0x40000000, .size = 2u << 20, .page_size = 0x4000 };
    ck_assert_uint_eq(boot_region_round(&r, 1), 0x4000);
    ck_assert_uint_eq(boot_region_round(&r, 0x4000), 0x4000);
    ck_assert_uint_eq(boot_region_round(&r, 40 << 10), 48 << 10);
    r.page_size = 0x10000;
    ck_assert_uint_eq(boot_region_round(&r, 40 << 10), 64 << 10);
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
    tcase_add_test(t, driver_egress_ring_shared_by_tiles);
    tcase_add_test(t, driver_builds_gathers_for_chains);
    suite_add_tcase(s, t);
    TCase *a = tcase_create("abi");
    tcase_add_test(a, abi_register_page_decodes);
    tcase_add_test(a, abi_decoders_undo_encoders);
    tcase_add_test(a, abi_buffer_descriptor_helpers);
    tcase_add_test(t, driver_reads_ports_and_frame_addresses);
    suite_add_tcase(s, a);
    return s;
}
