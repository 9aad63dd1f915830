/* test_figures.c - the paper's figures (make plots): every shipped
 * experiment parses (dlsweep --list); dlcost on small runs of the webserver
 * in both deployments (the 2 x 2 chips of tests/httpd, 2 and 6 requests a
 * connection): per-request counters with UDN messages in DLibOS only,
 * socket requests validated in both, bad input refused; and
 * plots/protection_cost.gp and plots/httpd_latency.gp draw valid PNG and
 * SVG that state their source and simulated time, or fail clearly. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static char out[65536];

static void check_image(const char *path, int svg)
{
    size_t n;
    char *b = test_read_bytes(path, &n);
    ck_assert_msg(b != NULL && n > 100, "%s missing or too short", path);
    if (svg) ck_assert_msg(strstr(b, "<svg") != NULL && strstr(b, "</svg>") != NULL, "%s is not an SVG", path);
    else ck_assert_msg(!memcmp(b, "\x89PNG\r\n\x1a\n", 8), "%s is not a PNG", path);
    free(b);
}

START_TEST(shipped_experiments_parse)
{
    static const char *const names[] = { "echo_tiles", "tilegx36_echo", "httpd_tiles", "httpd_stack_tiles",
                                         "httpd_latency", "protection_cost", "mc_tiles", "mc_stack_tiles",
                                         "mc_latency" };
    char cmd[1024];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(cmd, sizeof cmd, "%s/dlsweep --list --results %s configs/experiments/%s.ini", test_build_dir(),
                 test_temp_dir(), names[i]);
        int st = test_run(cmd, out, sizeof out);
        ck_assert_msg(st == 0 && strstr(out, "to-run"), "%s: status %d:\n%s", names[i], st, out);
    }
}
END_TEST

/* The runs protection_cost.gp reads, on the 2 x 2 chips: DIR/deployment=D,requests=N. */
static void small_run(const char *dir, const char *dep, int requests)
{
    char sub[1024];
    snprintf(sub, sizeof sub, "%s/deployment=%s,requests=%d", dir, dep, requests);
    if (!strcmp(dep, "dlibos"))
        ck_assert_int_eq(test_dlsim_runf("-c tests/httpd/dlibos_2x2.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                                         "--set deployment.app_firmware=%s/fw/dlibos_httpd.elf --set clients.requests=%d "
                                         "--set workload.web_paths=/64 -o '%s'",
                                         test_build_dir(), test_build_dir(), requests, sub), 0);
    else
        ck_assert_int_eq(test_dlsim_runf("-c tests/httpd/baseline_2x2.ini --set deployment.firmware=%s/fw/baseline_httpd.elf "
                                         "--set clients.requests=%d --set workload.web_paths=/64 -o '%s'",
                                         test_build_dir(), requests, sub), 0);
}

/* The value of column c (0: the label) of the row starting with label. */
static double cell(const char *dat, const char *label, int c)
{
    char key[64];
    snprintf(key, sizeof key, "\n%s ", label);
    const char *p = strstr(dat, key);
    ck_assert_msg(p != NULL, "no row %s in:\n%s", label, dat);
    p += strlen(key);
    for (int i = 1; i < c; i++) p = strchr(p, ' ') + 1;
    return strtod(p, NULL);
}

START_TEST(protection_cost_from_counters)
{
    const char *dir = test_temp_dir();
    char cmd[4096], f[1024];
    small_run(dir, "dlibos", 2);
    small_run(dir, "dlibos", 6);
    small_run(dir, "baseline", 2);
    small_run(dir, "baseline", 6);
    snprintf(f, sizeof f, "%s/plot.gp", dir);
    FILE *p = fopen(f, "w");
    ck_assert_ptr_nonnull(p);
    fprintf(p, "source = 'tests/httpd/*_2x2.ini'\ntitle = 'test'\n");
    fclose(p);
    snprintf(cmd, sizeof cmd, "gnuplot -e \"dir='%s'; dlcost='%s/dlcost'; few=2; many=6\" plots/protection_cost.gp", dir,
             test_build_dir());
    int st = test_run(cmd, out, sizeof out);
    ck_assert_msg(st == 0, "protection_cost.gp failed (%d):\n%s", st, out);
    snprintf(f, sizeof f, "%s/cost.dat", dir);
    char *dat = test_read_file(f);
    ck_assert_ptr_nonnull(dat);
    /* columns: 1 busy, 2 TLB cycles, 3 memory stalls, 4 rest, 5 instructions, 6 TLB misses,
     * 7 L1D misses, 8 L2 misses, 9 UDN messages, 10 socket requests, 11 stack busy, 12 app busy */
    ck_assert_double_gt(cell(dat, "dlibos", 1), 1000);
    ck_assert_double_gt(cell(dat, "baseline", 1), 1000);
    ck_assert_double_gt(cell(dat, "dlibos", 9), 1);          /* UDN messages: DLibOS only */
    ck_assert_double_eq(cell(dat, "baseline", 9), 0);
    ck_assert_double_gt(cell(dat, "dlibos", 10), 1);         /* every request validated, both */
    ck_assert_double_gt(cell(dat, "baseline", 10), 1);
    ck_assert_double_gt(cell(dat, "dlibos", 12), 100);       /* app tiles busy: DLibOS only */
    ck_assert_double_eq(cell(dat, "baseline", 12), 0);
    double sum = cell(dat, "dlibos", 2) + cell(dat, "dlibos", 3) + cell(dat, "dlibos", 4);
    ck_assert_double_eq_tol(sum, cell(dat, "dlibos", 1), 0.05);
    free(dat);
    snprintf(f, sizeof f, "%s/protection_cost.png", dir);
    check_image(f, 0);
    snprintf(f, sizeof f, "%s/protection_cost.svg", dir);
    check_image(f, 1);
    char *svg = test_read_file(f);
    ck_assert_msg(svg && strstr(svg, "us simulated") && strstr(svg, "2x2 tiles, protection on"),
                  "the figure states no configuration or simulated time");
    free(svg);
    /* bad input: named */
    snprintf(cmd, sizeof cmd, "%s/dlcost %s/x.dat dlibos:%s/nothere:%s/nothere", test_build_dir(), dir, dir, dir);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 2);
    ck_assert_msg(strstr(out, "nothere/stats.json: cannot read or parse"), "%s", out);
    snprintf(cmd, sizeof cmd, "%s/dlcost %s/x.dat dlibos", test_build_dir(), dir);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 2);
    ck_assert_msg(strstr(out, "expected LABEL:RUNDIR_FEW:RUNDIR_MANY"), "%s", out);
    snprintf(cmd, sizeof cmd, "%s/dlcost %s/x.dat 'd:%s/deployment=dlibos,requests=6:%s/deployment=dlibos,requests=2'",
             test_build_dir(), dir, dir, dir);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 2);
    ck_assert_msg(strstr(out, "completed no more requests"), "%s", out);
}
END_TEST

START_TEST(latency_figure_renders)
{
    const char *dir = test_temp_dir();
    char f[1024], cmd[2048];
    snprintf(f, sizeof f, "%s/table.dat", dir);
    FILE *p = fopen(f, "w");
    ck_assert_ptr_nonnull(p);
    fprintf(p, "# deployment workload.rate results.clients.latency_ns.p50 results.clients.latency_ns.p90 "
               "results.clients.latency_ns.p99 results.time_ns\n");
    for (int r = 1; r <= 3; r++) {
        fprintf(p, "dlibos %d %d %d %d 2900000\n", r * 100000, 20000 * r, 50000 * r, 90000 * r);
        fprintf(p, "baseline %d %d %d %d 2900000\n", r * 100000, 10000 * r, 30000 * r, 60000 * r);
    }
    fclose(p);
    snprintf(f, sizeof f, "%s/plot.gp", dir);
    p = fopen(f, "w");
    ck_assert_ptr_nonnull(p);
    fprintf(p, "data = '%s/table.dat'\nout = '%s/httpd_latency'\nsource = 'crafted.ini'\n", dir, dir);
    fclose(p);
    snprintf(cmd, sizeof cmd, "gnuplot -e \"dir='%s'\" plots/httpd_latency.gp", dir);
    int st = test_run(cmd, out, sizeof out);
    ck_assert_msg(st == 0, "httpd_latency.gp failed (%d):\n%s", st, out);
    snprintf(f, sizeof f, "%s/httpd_latency_percentiles.png", dir);
    check_image(f, 0);
    snprintf(f, sizeof f, "%s/httpd_latency_percentiles.svg", dir);
    check_image(f, 1);
    char *svg = test_read_file(f);
    ck_assert_msg(svg && strstr(svg, "from crafted.ini; 2900 to 2900 us simulated") && strstr(svg, "baseline p99"),
                  "the figure states no source, simulated time or lines");
    free(svg);
    /* a table without the percentiles: a clear error */
    snprintf(cmd, sizeof cmd, "gnuplot -e \"data='%s/plot.gp'; out='%s/x'\" plots/latency_load.gp", dir, dir);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 2);
    ck_assert_msg(strstr(out, "expected the columns workload.rate"), "%s", out);
}
END_TEST

Suite *figures_suite(void)
{
    Suite *s = suite_create("figures");
    TCase *t = tcase_create("figures");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, shipped_experiments_parse);
    tcase_add_test(t, protection_cost_from_counters);
    tcase_add_test(t, latency_figure_renders);
    suite_add_tcase(s, t);
    return s;
}
