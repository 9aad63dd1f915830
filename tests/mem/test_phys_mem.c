/* test_phys_mem.c - Check tests of the shared physical memory: sizes,
 * bounds of every access path, and DMA-write observers; and of the tiles'
 * private images: views that start equal and keep their writes apart. */
#include <check.h>
#include <string.h>

#include "abi/tile_memmap.h"
#include "mem/phys_mem.h"

static uint64_t seen_addr, seen_len;
static int seen_calls;

static void observer(void *ctx, uint64_t addr, uint64_t len)
{
    (void)ctx;
    seen_addr = addr;
    seen_len = len;
    seen_calls++;
}

START_TEST(rejects_bad_sizes)
{
    phys_mem m;
    char err[256];
    ck_assert_int_eq(phys_mem_init(&m, 0, err, sizeof err), -1);
    ck_assert_int_eq(phys_mem_init(&m, 4097, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "multiple of 4 KiB"));
    ck_assert_int_eq(phys_mem_init(&m, TILE_SHARED_MAX + 4096, err, sizeof err), -1);
}
END_TEST

START_TEST(bounds_and_dma)
{
    phys_mem m;
    char err[256];
    uint8_t buf[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, back[16];
    ck_assert_int_eq(phys_mem_init(&m, TILE_SHARED_MAX, err, sizeof err), 0); /* sparse: 1 GiB is fine */
    uint64_t end = TILE_SHARED_BASE + TILE_SHARED_MAX;
    ck_assert_ptr_null(phys_mem_ptr(&m, TILE_SHARED_BASE - 1, 1));
    ck_assert_ptr_null(phys_mem_ptr(&m, end - 4, 8));
    ck_assert_ptr_null(phys_mem_ptr(&m, end, 1));
    ck_assert_ptr_nonnull(phys_mem_ptr(&m, end - 8, 8));
    ck_assert_int_eq(phys_mem_observe(&m, observer, NULL), 0);
    seen_calls = 0;
    ck_assert_int_eq(phys_mem_dma_write(&m, end - 8, buf, 16), -1);
    ck_assert_int_eq(seen_calls, 0);
    ck_assert_int_eq(phys_mem_dma_write(&m, TILE_SHARED_BASE + 100, buf, 16), 0);
    ck_assert_int_eq(seen_calls, 1);
    ck_assert_uint_eq(seen_addr, TILE_SHARED_BASE + 100);
    ck_assert_uint_eq(seen_len, 16);
    ck_assert_int_eq(phys_mem_dma_read(&m, TILE_SHARED_BASE + 100, back, 16), 0);
    ck_assert_mem_eq(back, buf, 16);
    ck_assert_int_eq(phys_mem_dma_read(&m, end, back, 1), -1);
    for (int i = 1; i < PHYS_MEM_OBSERVERS_MAX; i++) ck_assert_int_eq(phys_mem_observe(&m, observer, NULL), 0);
    ck_assert_int_eq(phys_mem_observe(&m, observer, NULL), -1);
    phys_mem_free(&m);
}
END_TEST

START_TEST(image_views_copy_on_write)
{
    phys_image m;
    char err[256];
    const char text[] = "code", data[] = "data";
    ck_assert_int_eq(phys_image_init(&m, 4095, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "multiple of the host page"));
    ck_assert_int_eq(phys_image_init(&m, 256ULL << 20, err, sizeof err), 0);
    ck_assert_int_eq(phys_image_write(&m, 100, text, sizeof text, err, sizeof err), 0);
    ck_assert_int_eq(phys_image_write(&m, 200, text, sizeof text, err, sizeof err), 0); /* same page: merged */
    ck_assert_int_eq(phys_image_write(&m, 65536 + 8, data, sizeof data, err, sizeof err), 0);
    ck_assert_uint_eq(m.n, 2);
    ck_assert_uint_eq(m.bytes, 8192); /* two host pages held, not 256 MiB */
    ck_assert_int_eq(phys_image_write(&m, (256ULL << 20) - 2, data, sizeof data, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "outside"));
    uint8_t *a = phys_image_map(&m, err, sizeof err), *b = phys_image_map(&m, err, sizeof err);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_str_eq((char *)a + 100, "code");
    ck_assert_str_eq((char *)b + 65536 + 8, "data");
    ck_assert_int_eq(a[99] | a[4095] | a[65536] | a[(256ULL << 20) - 1], 0);
    a[100] = 'C';
    a[65536 + 8] = 'D';
    a[(256ULL << 20) - 1] = 1;
    ck_assert_str_eq((char *)b + 100, "code"); /* a's writes stay a's */
    ck_assert_str_eq((char *)b + 65536 + 8, "data");
    ck_assert_int_eq(b[(256ULL << 20) - 1], 0);
    uint8_t *c = phys_image_map(&m, err, sizeof err); /* a later view: the image, not a's writes */
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq((char *)c + 100, "code");
    phys_image_unmap(&m, a);
    phys_image_unmap(&m, b);
    phys_image_unmap(&m, c);
    phys_image_free(&m);
    ck_assert_int_gt(phys_host_available(), 0);
}
END_TEST

Suite *phys_mem_suite(void)
{
    Suite *s = suite_create("phys_mem");
    TCase *t = tcase_create("phys_mem");
    tcase_add_test(t, rejects_bad_sizes);
    tcase_add_test(t, bounds_and_dma);
    tcase_add_test(t, image_views_copy_on_write);
    suite_add_tcase(s, t);
    return s;
}
