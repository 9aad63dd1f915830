/* test_elf_image.c - Check tests of firmware images: a 200 MiB image on the
 * 6 x 6 chip costs only the memory its tiles touch (resident set measured
 * with wait4), tiles share the image but never their writes, too little host
 * memory is a clear error, and ELF files whose segments would map wrongly
 * are refused with exit 2: segments of different rights in one protection
 * page, out of order, overlapping, at address 0, physical != virtual, more
 * than the loader takes. The shipped firmware passes the same checks. */
#include <check.h>
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "model_params.h"
#include "elf_load.h"
#include "mem/mem_space.h"
#include "test_util.h"

#define BIG_FW "fw/elf_image_big.elf"

/* Runs dlsim with argv (NULL-terminated, argv[0] ignored) in a child whose
 * address space is limited to as_limit bytes (0: no limit); puts its output
 * into test_out and its peak resident set in KiB into *maxrss_kib. Returns
 * the exit status, or 128 + signal. */
static int run_measured(const char *const *argv, uint64_t as_limit, long *maxrss_kib)
{
    char out[] = "/tmp/dltest-out-XXXXXX";
    int fd = mkstemp(out);
    ck_assert_int_ge(fd, 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (as_limit) {
            struct rlimit rl = { as_limit, as_limit };
            setrlimit(RLIMIT_AS, &rl);
        }
        dup2(fd, 1);
        dup2(fd, 2);
        execv(test_dlsim(), (char *const *)argv);
        _exit(127);
    }
    close(fd);
    int st;
    struct rusage ru;
    ck_assert_int_eq(wait4(pid, &st, 0, &ru), pid);
    *maxrss_kib = ru.ru_maxrss;
    char *text = test_read_file(out);
    snprintf(test_out, sizeof test_out, "%s", text ? text : "");
    free(text);
    unlink(out);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int count_of(const char *s)
{
    int n = 0;
    for (const char *p = test_out; (p = strstr(p, s)) != NULL; p++) n++;
    return n;
}

START_TEST(big_image_costs_what_is_touched)
{
    /* Each of 36 tiles has a 200 MiB .bss: 7.2 GiB if the windows were
     * committed up front; the tiles touch a few pages of it. */
    char fw[512], set_fw[600];
    snprintf(fw, sizeof fw, "%s/" BIG_FW, test_build_dir());
    snprintf(set_fw, sizeof set_fw, "deployment.firmware=%s", fw);
    const char *argv[] = { "dlsim", "-c", "configs/tilegx36.ini", "--set", set_fw,
                           "--set", "run.cycles=40000", "-o", test_temp_dir(), NULL };
    long rss;
    int rc = run_measured(argv, 0, &rss);
    ck_assert_msg(rc == 0, "dlsim exited %d:\n%s", rc, test_out);
    ck_assert_msg(count_of("elf_image ok") == 36, "not every tile passed:\n%s", test_out);
    ck_assert_msg(rss < 1024 * 1024, "peak resident set %ld KiB, expected under 1 GiB", rss);
}
END_TEST

START_TEST(tiles_share_the_image_not_their_writes)
{
    /* Protection off: code is writable, tile 0 patches it, the others must
     * not see the patch (nor each other's data and .bss stores). */
    char args[1024];
    snprintf(args, sizeof args,
             "-c configs/tiny.ini --set deployment.firmware=%s/" BIG_FW
             " --set mem.protection=off --set run.cycles=40000 -o %s",
             test_build_dir(), test_temp_dir());
    ck_assert_msg(test_dlsim_run(args) == 0, "dlsim failed:\n%s", test_out);
    ck_assert_msg(count_of("elf_image ok") == 4, "not every tile passed:\n%s", test_out);
}
END_TEST

START_TEST(too_little_host_memory_is_a_clear_error)
{
    /* 2 GiB of address space beyond what an idle run needs: the 36 windows
     * of 200 MiB cannot all be reserved. */
    char fw[512], set_fw[600], *outdir = strdup(test_temp_dir());
    snprintf(fw, sizeof fw, "%s/" BIG_FW, test_build_dir());
    snprintf(set_fw, sizeof set_fw, "deployment.firmware=%s", fw);
    const char *idle[] = { "dlsim", "-c", "configs/tilegx36.ini", "--set", "run.cycles=10",
                           "-o", outdir, NULL };
    long rss;
    ck_assert_int_eq(run_measured(idle, 0, &rss), 0);
    /* The idle run's address space is about its shared memory (mem.dram_mib)
     * plus libraries and stacks: give it that and 2 GiB more. */
    FILE *f = popen("grep -o 'dram_mib = [0-9]*' configs/tilegx36.ini | grep -o '[0-9]*$'", "r");
    long dram = 0;
    ck_assert_ptr_nonnull(f);
    if (fscanf(f, "%ld", &dram) != 1) dram = 1024;
    pclose(f);
    uint64_t limit = ((uint64_t)dram << 20) + (3ULL << 30);
    ck_assert_int_eq(run_measured(idle, limit, &rss), 0);
    const char *big[] = { "dlsim", "-c", "configs/tilegx36.ini", "--set", set_fw,
                          "--set", "run.cycles=10", "-o", outdir, NULL };
    int rc = run_measured(big, limit, &rss);
    ck_assert_msg(rc == 2, "dlsim exited %d, expected 2:\n%s", rc, test_out);
    ck_assert_out_has("host memory");
    ck_assert_out_has("tile ");
    free(outdir);
}
END_TEST

/* --- crafted ELF files, from build/fw/hello.elf (text r-x at the DRAM
 * base, data rw- 64 KiB above it) --- */

enum craft { SHARE_PAGE, PHYS_NE_VIRT, OUT_OF_ORDER, OVERLAP, AT_ZERO, TOO_MANY };

/* A copy of hello.elf with its program headers edited; returns its path. */
static const char *craft(enum craft what)
{
    char src[512];
    size_t len;
    snprintf(src, sizeof src, "%s/fw/hello.elf", test_build_dir());
    char *data = test_read_bytes(src, &len);
    ck_assert_ptr_nonnull(data);
    Elf64_Ehdr *eh = (Elf64_Ehdr *)data;
    Elf64_Phdr *ph = (Elf64_Phdr *)(data + eh->e_phoff), *load[2] = { NULL, NULL };
    unsigned nload = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_LOAD && nload < 2) load[nload++] = &ph[i];
    ck_assert_msg(nload == 2 && (load[0]->p_flags & PF_X) && (load[1]->p_flags & PF_W),
                  "hello.elf: expected a text and a data segment");
    ck_assert_uint_lt(load[0]->p_vaddr + load[0]->p_memsz + 0x1000, load[1]->p_vaddr);
    Elf64_Phdr t;
    switch (what) {
    case SHARE_PAGE: /* data 4 KiB after the end of text, same 64 KiB page */
        load[1]->p_vaddr = load[1]->p_paddr = (load[0]->p_vaddr + load[0]->p_memsz + 0xfff) & ~0xfffULL;
        break;
    case PHYS_NE_VIRT:
        load[1]->p_paddr += 0x10000000;
        break;
    case OUT_OF_ORDER:
        t = *load[0];
        *load[0] = *load[1];
        *load[1] = t;
        break;
    case OVERLAP:
        load[0]->p_memsz = load[1]->p_vaddr - load[0]->p_vaddr + 0x10;
        break;
    case AT_ZERO:
        load[0]->p_vaddr = load[0]->p_paddr = 0;
        break;
    case TOO_MANY: { /* a new table at the end: the two, then enough more to pass the limit */
        size_t at = (len + 7) & ~(size_t)7, n = ELF_MAX_SEGMENTS + 1;
        char *bigger = calloc(1, at + n * sizeof(Elf64_Phdr));
        ck_assert_ptr_nonnull(bigger);
        memcpy(bigger, data, len);
        Elf64_Phdr *np = (Elf64_Phdr *)(bigger + at);
        np[0] = *load[0];
        np[1] = *load[1];
        for (unsigned k = 2; k < n; k++) {
            np[k] = *load[1];
            np[k].p_vaddr = np[k].p_paddr = 0x80100000ULL + k * 0x10000ULL;
            np[k].p_filesz = 0;
            np[k].p_memsz = 0x100;
        }
        eh = (Elf64_Ehdr *)bigger;
        eh->e_phoff = at;
        eh->e_phnum = (Elf64_Half)n;
        free(data);
        data = bigger;
        len = at + n * sizeof(Elf64_Phdr);
        break;
    }
    }
    const char *path = test_write_temp_bytes(data, len);
    free(data);
    ck_assert_ptr_nonnull(path);
    return path;
}

/* dlsim on the chip (tiny.ini) and dlsim --elf, both with protection on,
 * must refuse path with exit 2 and a message holding msg. */
static void expect_refused(const char *path, const char *msg)
{
    char args[1024];
    snprintf(args, sizeof args, "-c configs/tiny.ini --set deployment.firmware=%s -o %s", path,
             test_temp_dir());
    int rc = test_dlsim_run(args);
    ck_assert_msg(rc == 2, "chip: exit %d, expected 2 for '%s':\n%s", rc, msg, test_out);
    ck_assert_out_has(msg);
    snprintf(args, sizeof args, "--elf %s --set mem.protection=on --max-cycles 100000", path);
    rc = test_dlsim_run(args);
    ck_assert_msg(rc == 2, "--elf: exit %d, expected 2 for '%s':\n%s", rc, msg, test_out);
    ck_assert_out_has(msg);
}

START_TEST(segments_sharing_a_page_refused)
{
    const char *path = craft(SHARE_PAGE);
    expect_refused(path, "the r-x segment 0x80000000..0x80002");
    ck_assert_out_has("and the rw- segment 0x80003000..0x8005");
    ck_assert_out_has("share the 64 KiB page at 0x80000000");
    /* Without protection a page needs no single set of rights. */
    char args[1024];
    snprintf(args, sizeof args, "--elf %s --max-cycles 1000", path);
    ck_assert_int_ne(test_dlsim_run(args), 2);
}
END_TEST

START_TEST(bad_segment_placement_refused)
{
    expect_refused(craft(PHYS_NE_VIRT), "program header 2: physical address 0x90010000 differs "
                                        "from virtual address 0x80010000");
    expect_refused(craft(OUT_OF_ORDER), "program header 2 (0x80000000) comes after program header 1 "
                                        "(0x80010000)");
    expect_refused(craft(OVERLAP), "program header 2 (0x80010000..");
    ck_assert_out_has("overlaps program header 1 (0x80000000..0x80010010)");
    expect_refused(craft(AT_ZERO), "program header 1 at 0 maps the null-pointer region");
    expect_refused(craft(TOO_MANY), "65 loadable segments, more than the 64 the loader takes");
}
END_TEST

/* Every ELF in BUILD/sub loads with protection on and the default pages
 * (no page with two sets of rights); returns how many there were. */
static int check_elfs(const char *sub)
{
    char dir[512], path[1024], err[512];
    snprintf(dir, sizeof dir, "%s/%s", test_build_dir(), sub);
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "%s missing", dir);
    dl_config c;
    mem_params cfg;
    cfg_defaults(&c);
    mem_params_from_config(&c, &cfg);
    ck_assert(cfg.protection);
    int seen = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".elf") != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        elf_image img;
        mem_segment seg[ELF_MAX_SEGMENTS];
        mem_space s = { 0 };
        uint64_t va, size;
        ck_assert_msg(elf_load_file(path, &img, err, sizeof err) == 0, "%s", err);
        int nseg = elf_mem_segments(&img, path, seg, err, sizeof err);
        ck_assert_msg(nseg > 0, "%s", err);
        mem_layout_window(&cfg, seg, (unsigned)nseg, &va, &size);
        ck_assert_msg(mem_layout_private(&s, &cfg, seg, (unsigned)nseg, va, size, NULL, 0, NULL, 0, err,
                                         sizeof err) == 0,
                      "%s: %s", path, err);
        mem_space_free(&s);
        elf_free(&img);
        seen++;
    }
    closedir(d);
    return seen;
}

START_TEST(shipped_firmware_passes_the_checks)
{
    /* tile firmware (stack/boot/tile.ld) and the ISA programs linked with it */
    ck_assert_int_ge(check_elfs("fw"), 3);
    ck_assert_int_ge(check_elfs("isa"), 3);
}
END_TEST

/* picolibc's libc is linked from its rv64im multilib (the Makefile's
 * FW_LIBS): its printf divides with divu, not through libgcc's software
 * routines, so firmware costs what M hardware costs. */
START_TEST(firmware_multiplies_in_hardware)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "riscv64-unknown-elf-nm %s/fw/hello.elf | grep -qE ' (__udivdi3|__umoddi3|__divdi3|__moddi3|__muldi3)$'",
             test_build_dir());
    ck_assert_msg(system(cmd) != 0, "build/fw/hello.elf links libgcc's software multiply or divide");
    snprintf(cmd, sizeof cmd, "riscv64-unknown-elf-nm %s/fw/hello.elf | grep -q ' vfprintf$'", test_build_dir());
    ck_assert_msg(system(cmd) == 0, "build/fw/hello.elf has no printf: the check above proves nothing");
}
END_TEST

Suite *elf_image_suite(void)
{
    Suite *s = suite_create("elf_image");
    TCase *t = tcase_create("elf_image");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, big_image_costs_what_is_touched);
    tcase_add_test(t, tiles_share_the_image_not_their_writes);
    tcase_add_test(t, too_little_host_memory_is_a_clear_error);
    tcase_add_test(t, segments_sharing_a_page_refused);
    tcase_add_test(t, bad_segment_placement_refused);
    tcase_add_test(t, shipped_firmware_passes_the_checks);
    tcase_add_test(t, firmware_multiplies_in_hardware);
    suite_add_tcase(s, t);
    return s;
}
