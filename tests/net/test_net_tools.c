/* test_net_tools.c - Check tests that run the stack's host programs: a short
 * bounded libFuzzer session (fixed seed and run count), dlnet's command
 * line, the stack as firmware on the ISS (build/fw/net_bench.elf), and the interoperability test against Linux's TCP in a private
 * network namespace (tests/net/interop.sh; skipped with test_skip, saying
 * why, when not root or without /dev/net/tun: counted as skipped). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static char out[65536];

static const char *build_dir(void)
{
    const char *b = getenv("BUILD");
    return b && *b ? b : "build";
}

START_TEST(fuzz_short_run_finds_nothing)
{
    const char *dir = test_temp_dir();
    ck_assert_ptr_nonnull(dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/net_fuzz -runs=40000 -seed=1 -max_len=4096 -artifact_prefix=%s/ %s", build_dir(),
             dir, dir);
    int rc = test_run(cmd, out, sizeof out);
    const char *done = strstr(out, "Done 40000 runs");
    printf("net_fuzz: %s\n", rc == 0 && done ? "PASS (40000 runs, seed 1, no crash or sanitizer report)" : "FAIL");
    ck_assert_msg(rc == 0 && done, "net_fuzz failed (exit %d):\n%s", rc, out);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(dlnet_usage_errors_exit_2)
{
    static const char *bad[] = {
        "", "--tap t0", "--tap t0 --ip 10.0.0.2/24", "--tap t0 --ip 10.0.0.2 --app echo",
        "--tap t0 --ip 10.0.0.2/24 --app ftp", "--tap t0 --ip 300.0.0.2/24 --app echo",
        "--tap t0 --ip 10.0.0.2/24 --app echo --drop-every 1", "--tap t0 --ip 10.0.0.2/24 --app echo --frob x",
        "--tap t0 --ip 10.0.0.2/24 --app",
    };
    char cmd[512];
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(cmd, sizeof cmd, "%s/dlnet %s", build_dir(), bad[i]);
        ck_assert_msg(test_run(cmd, out, sizeof out) == 2, "'%s' did not exit 2", bad[i]);
        ck_assert_msg(strstr(out, "usage: dlnet"), "'%s' printed no usage:\n%s", bad[i], out);
    }
    snprintf(cmd, sizeof cmd, "%s/dlnet --help", build_dir());
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "usage: dlnet"));
}
END_TEST

START_TEST(firmware_bench_runs_on_the_iss)
{
    char cmd[512];
    const char *dlsim = getenv("DLSIM");
    snprintf(cmd, sizeof cmd, "%s --elf %s/fw/net_bench.elf", dlsim && *dlsim ? dlsim : "build/dlsim", build_dir());
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0, "net_bench.elf failed (exit %d):\n%s", rc, out);
    ck_assert_msg(strstr(out, "RV64 instructions/request"), "no figure:\n%s", out);
}
END_TEST

START_TEST(interop_with_linux_tcp)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "BUILD=%s sh tests/net/interop.sh", build_dir());
    int rc = test_run(cmd, out, sizeof out);
    fputs(out, stdout);
    if (rc == 77) { /* the script says why: "interop: SKIP: REASON" */
        const char *why = strstr(out, "interop: SKIP: ");
        char reason[512];
        snprintf(reason, sizeof reason, "%.*s", why ? (int)strcspn(why + 15, "\n") : 30,
                 why ? why + 15 : "exit 77 without a reason");
        test_skip(reason);
        return;
    }
    ck_assert_msg(rc == 0, "interop test failed (exit %d):\n%s", rc, out);
}
END_TEST

Suite *net_tools_suite(void)
{
    Suite *s = suite_create("net_tools");
    TCase *tc = tcase_create("host");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, fuzz_short_run_finds_nothing);
    tcase_add_test(tc, dlnet_usage_errors_exit_2);
    tcase_add_test(tc, firmware_bench_runs_on_the_iss);
    tcase_add_test(tc, interop_with_linux_tcp);
    suite_add_tcase(s, tc);
    return s;
}
