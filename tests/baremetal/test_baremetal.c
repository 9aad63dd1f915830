/* test_baremetal.c - Check suite baremetal_suite: every benchmark of
 * tests/baremetal through `dlsim --elf` with timing off, timing on, and
 * protection on: it must check its own result ("NAME: ok"), pass through
 * tohost, and retire exactly the pinned number of instructions (the run is
 * deterministic; the counts are those of the riscv64-unknown-elf-gcc 12.2.0
 * of Debian 12, which tools/install_deps.sh installs: another compiler
 * gives other counts, and this test says so). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

static const struct {
    const char *name;
    unsigned long long instret;
} bm_progs[] = {
    { "median", 72487ULL },     { "qsort", 583955ULL },   { "rsort", 666627ULL },
    { "towers", 992742ULL },    { "vvadd", 279830ULL },   { "multiply", 181114ULL },
    { "memcpy", 6481571ULL },   { "spmv", 3009351ULL },
};
#define BM_NPROGS ((int)(sizeof bm_progs / sizeof bm_progs[0]))

static const char *const bm_variants[] = {
    "--set core.timing=off",
    "--set core.timing=on",
    "--set mem.protection=on",
};
#define BM_NVARIANTS ((int)(sizeof bm_variants / sizeof bm_variants[0]))

START_TEST(baremetal_benchmark_passes)
{
    char args[512], want[128];
    const char *name = bm_progs[_i / BM_NVARIANTS].name;
    const char *variant = bm_variants[_i % BM_NVARIANTS];
    snprintf(args, sizeof args, "--elf %s/baremetal/%s.elf --max-cycles 100000000 %s",
             test_build_dir(), name, variant);
    int rc = test_dlsim_run(args);
    ck_assert_msg(rc == 0, "%s (%s): exit %d\n%s", name, variant, rc, test_out);
    snprintf(want, sizeof want, "%s: ok (", name);
    ck_assert_out_has(want);
    ck_assert_out_has(": PASS");
    snprintf(want, sizeof want, "elf: retired %llu instructions in ", bm_progs[_i / BM_NVARIANTS].instret);
    ck_assert_msg(strstr(test_out, want) != NULL,
                  "%s (%s): expected '%s' (pinned for riscv64-unknown-elf-gcc 12.2.0; another "
                  "compiler gives other counts):\n%s", name, variant, want, test_out);
}
END_TEST

Suite *baremetal_suite(void)
{
    Suite *s = suite_create("baremetal");
    TCase *tc = tcase_create("benchmarks");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, baremetal_benchmark_passes, 0, BM_NPROGS * BM_NVARIANTS);
    suite_add_tcase(s, tc);
    return s;
}
