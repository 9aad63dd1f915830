/* test_isa.c - Check suite isa_suite: every ISA program of tests/isa through
 * `dlsim --elf` (timing on and off) must pass; the deliberately failing,
 * trapping and endless programs must be reported as such; bad ELF files give
 * exit status 2 with a message naming the file and the problem; the C
 * self-test prints on the tile exactly what its host build prints. The
 * runner gives RAM beyond the image (--ram-mb), serves the HTIF system
 * calls write and exit, and diagnoses a trap handler faulting on itself. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "test_util.h"

static const char *const isa_progs[] = {
#define ISA_PROG(name) #name,
#include "isa_list.h"
#undef ISA_PROG
};
#define ISA_NPROGS ((int)(sizeof isa_progs / sizeof isa_progs[0]))


START_TEST(isa_program_passes)
{
    char args[512];
    const char *name = isa_progs[_i / 2];
    const char *timing = _i % 2 ? "off" : "on";
    snprintf(args, sizeof args, "--elf %s/isa/%s.elf --max-cycles 10000000 --set core.timing=%s",
             test_build_dir(), name, timing);
    int rc = test_dlsim_run(args);
    ck_assert_msg(rc == 0, "%s (timing %s): exit %d\n%s", name, timing, rc, test_out);
    ck_assert_out_has(": PASS");
}
END_TEST

/* Runs build/isa/PROG.elf with extra options; returns dlsim's exit status. */
static int isa_run(const char *prog, const char *extra)
{
    char args[512];
    snprintf(args, sizeof args, "--elf %s/isa/%s.elf %s", test_build_dir(), prog, extra);
    return test_dlsim_run(args);
}

START_TEST(isa_failure_detected)
{
    ck_assert_int_eq(isa_run("fail_deliberate", ""), 1);
    ck_assert_out_has("FAIL: test 3 failed (exit code 3, tohost = 0x7)");
}
END_TEST

START_TEST(isa_unhandled_trap_reported)
{
    ck_assert_int_eq(isa_run("fail_unhandled_trap", ""), 1);
    ck_assert_out_has("tile 0: unhandled trap: illegal instruction (cause 0x2) at pc 0x8000000c, "
                      "instruction 0xffffffff, tval 0xffffffff");
    ck_assert_out_has("retired ");
}
END_TEST

START_TEST(isa_wfi_without_interrupt_source)
{
    ck_assert_int_eq(isa_run("fail_wfi", ""), 1);
    ck_assert_out_has("tile 0: wfi with no interrupt source, at pc 0x8000000c");
}
END_TEST

START_TEST(isa_max_cycles_bounds_run)
{
    ck_assert_int_eq(isa_run("fail_loop", "--max-cycles 5000"), 1);
    ck_assert_out_has("--max-cycles 5000 reached");
    ck_assert_out_has("in 5000 cycles");
}
END_TEST

/* Writes a copy of the ISA program add.elf, patched at off with len bytes
 * of patch (or cut to cut bytes when cut > 0), to a temporary file. */
static const char *isa_bad_copy(size_t off, const void *patch, size_t len, size_t cut)
{
    char src[256];
    size_t n;
    snprintf(src, sizeof src, "%s/isa/add.elf", test_build_dir());
    char *data = test_read_bytes(src, &n);
    ck_assert_msg(data != NULL, "cannot read %s", src);
    if (patch)
        memcpy(data + off, patch, len);
    if (cut)
        n = cut;
    const char *p = test_write_temp_bytes(data, n);
    ck_assert(p && *p);
    free(data);
    return p;
}

static void isa_expect_bad(const char *path, const char *msg)
{
    char args[512];
    snprintf(args, sizeof args, "--elf %s", path);
    ck_assert_int_eq(test_dlsim_run(args), 2);
    ck_assert_out_has(path);
    ck_assert_out_has(msg);
    unlink(path);
}

START_TEST(isa_bad_elf_status_2)
{
    const unsigned char class32 = 1;          /* ELFCLASS32 */
    const unsigned char x86[2] = { 62, 0 };   /* EM_X86_64 */
    const unsigned char nophdr[2] = { 0, 0 }; /* e_phnum = 0 */
    isa_expect_bad(isa_bad_copy(4, &class32, 1, 0), "wrong ELF class");
    isa_expect_bad(isa_bad_copy(18, x86, 2, 0), "wrong machine 62");
    isa_expect_bad(isa_bad_copy(56, nophdr, 2, 0), "no loadable segment");
    isa_expect_bad(isa_bad_copy(0, NULL, 0, 40), "truncated");
    isa_expect_bad(isa_bad_copy(0, NULL, 0, 100), "truncated");
    isa_expect_bad(isa_bad_copy(0, NULL, 0, 4200), "truncated: segment");
    isa_expect_bad(test_write_temp("#!/bin/sh\necho not an elf\n"), "not an ELF file");

    ck_assert_int_eq(test_dlsim_run("--elf /nonexistent/prog.elf"), 2);
    ck_assert_out_has("/nonexistent/prog.elf: cannot open");
}
END_TEST

START_TEST(isa_directory_as_elf)
{
    char args[512];
    const char *dir = test_temp_dir();
    snprintf(args, sizeof args, "--elf %s", dir);
    ck_assert_int_eq(test_dlsim_run(args), 2);
    ck_assert_out_has(dir);
    ck_assert_out_has("is a directory, expected an ELF file");
    rmdir(dir);
}
END_TEST

/* More loadable segments than a fixed table held (16): with protection on
 * the program runs and passes (it used to crash after the error). */
START_TEST(isa_many_segments_protected)
{
    ck_assert_int_eq(isa_run("segments20", "--set mem.protection=on"), 0);
    ck_assert_out_has(": PASS");
    ck_assert_int_eq(isa_run("segments20", "--set mem.protection=on --set core.timing=off"), 0);
    ck_assert_out_has(": PASS");
}
END_TEST

/* RAM: 256 MiB from the image's base by default (the program touches its
 * last doubleword), --ram-mb sets it, with or without protection. */
START_TEST(isa_ram_size)
{
    ck_assert_int_eq(isa_run("ram_beyond_image", "--set mem.protection=on"), 0);
    ck_assert_out_has(": PASS");
    ck_assert_int_eq(isa_run("ram_beyond_image", "--ram-mb 512"), 0);
    ck_assert_out_has(": PASS");
    ck_assert_int_eq(isa_run("ram_beyond_image", "--ram-mb 128"), 1);
    ck_assert_out_has("unhandled trap: load access fault (cause 0x5) at pc ");
    ck_assert_out_has("tval 0x8ffffff8 (outside RAM 0x80000000..0x87ffffff: see --ram-mb)");
    ck_assert_int_eq(isa_run("ram_beyond_image", "--ram-mb 128 --set mem.protection=on"), 1);
    ck_assert_out_has("tval 0x8ffffff8");
    /* the image itself must fit: segments20 spans 1220 KiB in 4 KiB pages,
     * 1280 KiB in 64 KiB pages (protection on) */
    ck_assert_int_eq(isa_run("segments20", "--ram-mb 1"), 2);
    ck_assert_out_has("segments20.elf: the loadable segments need 1220 KiB of RAM, more than --ram-mb 1");
    ck_assert_int_eq(isa_run("segments20", "--ram-mb 1 --set mem.protection=on"), 2);
    ck_assert_out_has("need 1280 KiB of RAM, more than --ram-mb 1");
    ck_assert_int_eq(isa_run("segments20", "--ram-mb 2 --set mem.protection=on"), 0);
}
END_TEST

/* RAM is reserved, not allocated: 4 GiB of it, touched on two pages, costs
 * the host little (the peak resident size of dlsim stays far below it). */
START_TEST(isa_ram_reserved_lazily)
{
    struct rusage ru;
    ck_assert_int_eq(isa_run("ram_beyond_image", "--ram-mb 4096"), 0);
    ck_assert_out_has(": PASS");
    ck_assert_int_eq(getrusage(RUSAGE_CHILDREN, &ru), 0);
    ck_assert_msg(ru.ru_maxrss < 256 * 1024, "dlsim peaked at %ld KiB resident", ru.ru_maxrss);
}
END_TEST

START_TEST(isa_ram_size_option_checked)
{
    ck_assert_int_eq(isa_run("add", "--ram-mb 0"), 2);
    ck_assert_out_has("--ram-mb 0: expected a whole number of MiB from 1 to 4096");
    ck_assert_int_eq(isa_run("add", "--ram-mb 4097"), 2);
    ck_assert_out_has("--ram-mb 4097: expected");
    ck_assert_int_eq(isa_run("add", "--ram-mb 1x"), 2);
    ck_assert_out_has("--ram-mb 1x: expected");
    ck_assert_int_eq(test_dlsim_run("--ram-mb 64"), 2);
    ck_assert_out_has("--ram-mb needs --elf");
    ck_assert_int_eq(isa_run("add", "--ram-mb 1"), 0);
    ck_assert_int_eq(isa_run("add", "--ram-mb 4096"), 0);
    ck_assert_int_eq(test_dlsim_run("--help"), 0);
    ck_assert_out_has("--ram-mb N");
}
END_TEST

/* A handler whose own store faults traps to itself: stopped and named. */
START_TEST(isa_nested_trap_diagnosed)
{
    ck_assert_int_eq(isa_run("fail_nested_trap", "--max-cycles 10000000"), 1);
    ck_assert_out_has("tile 0: the trap handler faults on itself: store access fault (cause 0x7) "
                      "at pc 0x80000024, 16 times in a row without mret (tval ");
    ck_assert_out_has("is its stack in RAM (--ram-mb)?");
    ck_assert_int_eq(isa_run("fail_nested_trap", "--set core.timing=off"), 1);
    ck_assert_out_has("the trap handler faults on itself");
}
END_TEST

/* Runs htif_syscalls.elf with one of dlsim's streams sent to /dev/null. */
static int isa_run_htif(const char *redirect)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "( %s --elf %s/isa/htif_syscalls.elf %s )", test_dlsim(),
             test_build_dir(), redirect);
    return test_run(cmd, test_out, sizeof test_out);
}

/* HTIF write goes to the host's stdout or stderr, each alone. */
START_TEST(isa_htif_write)
{
    ck_assert_int_eq(isa_run_htif("2>/dev/null"), 0);
    ck_assert_out_has("htif to stdout\n");
    ck_assert_msg(strstr(test_out, "htif to stderr") == NULL, "%s", test_out);
    ck_assert_out_has(": PASS");
    ck_assert_int_eq(isa_run_htif(">/dev/null"), 0);
    ck_assert_out_has("htif to stderr\n");
    ck_assert_msg(strstr(test_out, "htif to stdout") == NULL, "%s", test_out);
}
END_TEST

START_TEST(isa_htif_errors)
{
    ck_assert_int_eq(isa_run("fail_syscall_read", "--max-cycles 1000000"), 1);
    ck_assert_out_has("unsupported system call 63 (read) through tohost (block at 0x");
    ck_assert_int_eq(isa_run("fail_tohost_pointer", "--max-cycles 1000000"), 1);
    ck_assert_out_has("FAIL: tohost = 0x20000000: an even value points to a system-call block, "
                      "and 0x20000000..0x2000003f is outside RAM");
    ck_assert_msg(strstr(test_out, "test ") == NULL, "%s", test_out);
    ck_assert_int_eq(isa_run("fail_tohost_device", "--max-cycles 1000000"), 1);
    ck_assert_out_has("FAIL: tohost = 0x101000000000041: HTIF device 1, command 1 is not served");
    ck_assert_int_eq(isa_run("fail_exit_code", "--max-cycles 1000000"), 1);
    ck_assert_out_has("FAIL: exit code 5 (exit system call)");
}
END_TEST

START_TEST(isa_console_and_exit)
{
    char args[512];
    snprintf(args, sizeof args, "--elf %s/fw/hello.elf --set core.timing=off", test_build_dir());
    ck_assert_int_eq(test_dlsim_run(args), 0);
    ck_assert_out_has("[tile 0] hello from tile 0 after ");
    ck_assert_out_has("exit code 0");
    ck_assert_out_has("(timing off)");
}
END_TEST

/* The firmware's console lines, without the "[tile 0] " prefix, equal the
 * host build's output. */
START_TEST(isa_c_selftest_matches_host)
{
    char cmd[512], host[8192], fw[sizeof test_out], *p, *q;
    size_t n = 0;
    snprintf(cmd, sizeof cmd, "%s/isa/c_selftest_host", test_build_dir());
    ck_assert_int_eq(test_run(cmd, host, sizeof host), 0);
    snprintf(cmd, sizeof cmd, "--elf %s/fw/c_selftest.elf", test_build_dir());
    ck_assert_int_eq(test_dlsim_run(cmd), 0);
    for (p = test_out; (q = strstr(p, "[tile 0] ")) != NULL; p = q) {
        q += strlen("[tile 0] ");
        char *nl = strchr(q, '\n');
        size_t len = nl ? (size_t)(nl - q) + 1 : strlen(q);
        ck_assert(n + len < sizeof fw);
        memcpy(fw + n, q, len);
        n += len;
    }
    fw[n] = 0;
    ck_assert_msg(strstr(host, "done\n") != NULL, "host output incomplete:\n%s", host);
    ck_assert_msg(strcmp(fw, host) == 0, "firmware:\n%s\nhost:\n%s", fw, host);
}
END_TEST

Suite *isa_suite(void)
{
    Suite *s = suite_create("isa");
    TCase *tc = tcase_create("programs");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, isa_program_passes, 0, 2 * ISA_NPROGS);
    suite_add_tcase(s, tc);
    tc = tcase_create("runner");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, isa_failure_detected);
    tcase_add_test(tc, isa_unhandled_trap_reported);
    tcase_add_test(tc, isa_wfi_without_interrupt_source);
    tcase_add_test(tc, isa_max_cycles_bounds_run);
    tcase_add_test(tc, isa_bad_elf_status_2);
    tcase_add_test(tc, isa_directory_as_elf);
    tcase_add_test(tc, isa_many_segments_protected);
    tcase_add_test(tc, isa_ram_size);
    tcase_add_test(tc, isa_ram_reserved_lazily);
    tcase_add_test(tc, isa_ram_size_option_checked);
    tcase_add_test(tc, isa_nested_trap_diagnosed);
    tcase_add_test(tc, isa_htif_write);
    tcase_add_test(tc, isa_htif_errors);
    tcase_add_test(tc, isa_console_and_exit);
    tcase_add_test(tc, isa_c_selftest_matches_host);
    suite_add_tcase(s, tc);
    return s;
}
