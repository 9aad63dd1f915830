/* test_sweep.c - dlsweep (tools/sweep) on small sweeps of the DLibOS echo
 * (tests/dlibos/echo_2x2.ini, 2 hosts x 1 connection, 5 requests: well under
 * a second a point): SHA-256 against FIPS 180-4's vectors; bad experiment
 * files refused before anything runs, naming file:line; resume (a second
 * run runs nothing, a point without inputs.hash reruns alone); a failing
 * point (the others complete, status 1, its log named and its tail shown,
 * NaN in the table); hashing (changing a firmware image reruns its point
 * only); determinism of a point (outputs byte-identical minus `host`); and
 * the plot scripts on a sweep table and a run (PNG and SVG written); and
 * the Slurm path on a private single-node cluster: its table and outputs
 * byte-identical to a local run's. */
#include <check.h>
#include <cJSON.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"
#include "test_util.h"

static char out[65536];

/* Runs build/dlsweep with args; its status, what it printed in out. */
static int sweep(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sweep(const char *fmt, ...)
{
    char args[2048], cmd[3072];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "%s/dlsweep --dlsim %s %s", test_build_dir(), test_dlsim(), args);
    return test_run(cmd, out, sizeof out);
}

#define ck_assert_sweep(status, ...)                                                          \
    do {                                                                                      \
        int st_ = sweep(__VA_ARGS__);                                                         \
        ck_assert_msg(st_ == (status), "dlsweep exited %d, expected %d:\n%s", st_, (status), out); \
    } while (0)
#define ck_assert_said(s) ck_assert_msg(strstr(out, (s)) != NULL, "dlsweep's output lacks '%s':\n%s", (s), out)

/* dir/NAME.ini with the text; returns its path (static, rotating). */
static const char *write_exp(const char *dir, const char *name, const char *text)
{
    static char paths[4][512];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, 512, "%s/%s.ini", dir, name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return p;
}

/* The [experiment] and [set] of the test sweeps: the echo on the 2 x 2 chip
 * with this build's images and a light load. */
static const char *exp_head_with(const char *results)
{
    static char head[8192];
    char base[PATH_MAX];
    ck_assert_ptr_nonnull(realpath("tests/dlibos/echo_2x2.ini", base));
    snprintf(head, sizeof head,
             "[experiment]\nbase = %s\nresults = %s\n"
             "[set]\nclients.hosts_per_port = 2\nclients.requests = 5\n"
             "deployment.stack_firmware = %s/fw/dlibos_stack.elf\n"
             "deployment.app_firmware = %s/fw/dlibos_echo.elf\n",
             base, results, test_build_dir(), test_build_dir());
    return head;
}

static const char *exp_head(void)
{
    return exp_head_with("results.clients.requests_completed results.clients.latency_ns.p50");
}

static const char *two_points(const char *dir)
{
    char text[16384];
    snprintf(text, sizeof text, "%s[axes]\ndeployment.stack_tiles = 1 2\n", exp_head());
    return write_exp(dir, "two", text);
}

static int exists(const char *dir, const char *point, const char *file)
{
    char p[1024];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s/%s", dir, point, file);
    return stat(p, &st) == 0;
}

static long long mtime_ns(const char *dir, const char *point, const char *file)
{
    char p[1024];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s/%s", dir, point, file);
    ck_assert_msg(stat(p, &st) == 0, "%s missing", p);
    return (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

static char *read_in(const char *dir, const char *file)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, file);
    char *s = test_read_file(p);
    ck_assert_msg(s != NULL, "%s missing", p);
    return s;
}

START_TEST(sha256_vectors)
{
    static const struct { const char *in, *hex; } v[] = {
        { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
    };
    char hex[65];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        sha256_ctx c;
        sha256_init(&c);
        sha256_update(&c, v[i].in, strlen(v[i].in));
        sha256_final_hex(&c, hex);
        ck_assert_str_eq(hex, v[i].hex);
    }
    /* a million 'a', fed in uneven pieces */
    sha256_ctx c;
    sha256_init(&c);
    char a[997];
    memset(a, 'a', sizeof a);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof a ? left : sizeof a;
        sha256_update(&c, a, n);
        left -= n;
    }
    sha256_final_hex(&c, hex);
    ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

START_TEST(bad_inputs_named)
{
    const char *dir = test_temp_dir(), *res = test_temp_dir();
    char text[16384];
    static const struct { const char *body, *said; } bad[] = {
        { "[axes]\ndeployment.stack_tile = 1 2\n", "bad.ini:10: unknown key 'stack_tile' in section [deployment]" },
        { "[axes]\ndeployment.stack_tiles = 1 x\n", "bad.ini:10" },
        { "[axes]\nchips.width = 1 2\n", "bad.ini:10: unknown section [chips]" },
        { "[axes]\ndeployment.stack_tiles = 1 1\n", "bad.ini:10: axis deployment.stack_tiles: value '1' is given twice" },
        { "[axes]\nmode = a b\n[mode:a]\ndeployment.mode = dlibos\n", "axis mode: value 'b' has no [mode:b] section" },
        { "[axes]\ndeployment.stack_tiles = 1 2\n[other:x]\nrun.seed = 1\n", "bad.ini:11: section [other:x]" },
        { "[axes]\ndeployment.stack_tiles = 1 2\n[wrong]\n", "bad.ini:11: unknown section [wrong]" },
        { "combine = zip\n[axes]\ndeployment.stack_tiles = 1 2\nrun.seed = 1 2 3\n", "combine = zip: axis run.seed" },
        { "[axes]\ndeployment.stack_tiles = 1 4\n", "point stack_tiles=4: deployment.stack_tiles = 4 leaves no application tile" },
        { "[axes]\n", "no axis" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* the head has 9 lines: the body starts at line 10 */
        snprintf(text, sizeof text, "%s%s%s", exp_head(), bad[i].body[0] == 'c' ? "[experiment]\n" : "", bad[i].body);
        const char *exp = write_exp(dir, "bad", text);
        ck_assert_sweep(2, "--results %s/r%zu %s", res, i, exp);
        ck_assert_said(bad[i].said);
        char r[600];
        struct stat st;
        snprintf(r, sizeof r, "%s/r%zu", res, i);
        ck_assert_msg(stat(r, &st) != 0, "case %zu: the results folder was made before the error:\n%s", i, out);
    }
    /* a result path missing from stats.json: named with its line, exit 2 */
    snprintf(text, sizeof text, "%s[axes]\ndeployment.stack_tiles = 1\n", exp_head());
    char *p = strstr(text, "latency_ns.p50");
    memcpy(p, "latency_ns.p51", 14);
    ck_assert_sweep(2, "--results %s/rp %s", res, write_exp(dir, "badres", text));
    ck_assert_said("badres.ini:3: results: results.clients.latency_ns.p51 is not in point stack_tiles=1's stats.json");
    /* no experiment, a missing one */
    ck_assert_sweep(2, "%s", "");
    ck_assert_said("expected the experiment file");
    ck_assert_sweep(2, "%s/none.ini", dir);
    ck_assert_said("none.ini: cannot open experiment file");
}
END_TEST

START_TEST(resume_runs_nothing)
{
    const char *dir = test_temp_dir(), *res = test_temp_dir();
    const char *exp = two_points(dir);
    ck_assert_sweep(0, "-j 2 --results %s %s", res, exp);
    ck_assert_said("2 point(s), 0 already done with the same inputs, 2 to run");
    ck_assert_said("[2/2]");
    static const char *pts[] = { "stack_tiles=1", "stack_tiles=2" };
    for (int i = 0; i < 2; i++)
        ck_assert(exists(res, pts[i], "stats.json") && exists(res, pts[i], "wire.pcap") &&
                  exists(res, pts[i], "log") && exists(res, pts[i], "inputs.hash"));
    char *t1 = read_in(res, "table.dat");
    ck_assert_msg(!strncmp(t1, "# deployment.stack_tiles", 24), "%s", t1);
    long long m1 = mtime_ns(res, pts[0], "log"), m2 = mtime_ns(res, pts[1], "log");

    ck_assert_sweep(0, "-j 2 --results %s %s", res, exp);
    ck_assert_said("2 point(s), 2 already done with the same inputs, 0 to run");
    ck_assert(mtime_ns(res, pts[0], "log") == m1 && mtime_ns(res, pts[1], "log") == m2);
    char *t2 = read_in(res, "table.dat");
    ck_assert_str_eq(t1, t2);

    /* a point interrupted (no inputs.hash): it alone runs again */
    char p[1024];
    snprintf(p, sizeof p, "%s/%s/inputs.hash", res, pts[1]);
    ck_assert_int_eq(unlink(p), 0);
    ck_assert_sweep(0, "-j 2 --results %s %s", res, exp);
    ck_assert_said("1 already done with the same inputs, 1 to run");
    ck_assert(mtime_ns(res, pts[0], "log") == m1 && mtime_ns(res, pts[1], "log") != m2);
    free(t1);
    free(t2);
}
END_TEST

START_TEST(failing_point_reported)
{
    const char *dir = test_temp_dir(), *res = test_temp_dir();
    char text[16384], notelf[600];
    snprintf(notelf, sizeof notelf, "%s/notelf.elf", dir);
    FILE *f = fopen(notelf, "w");
    fputs("not an ELF\n", f);
    fclose(f);
    snprintf(text, sizeof text, "%s[axes]\napp = good bad other\n[app:good]\nrun.seed = 1\n[app:bad]\n"
             "deployment.app_firmware = %s\n[app:other]\nrun.seed = 2\n", exp_head(), notelf);
    const char *exp = write_exp(dir, "fail", text);
    ck_assert_sweep(1, "-j 2 --results %s %s", res, exp);
    ck_assert_said("point app=bad FAILED: dlsim exited 2; the end of ");
    ck_assert_said("/app=bad/log");
    ck_assert_said("not an ELF file");
    ck_assert_said("1 not done (NaN in the table)");
    ck_assert(exists(res, "app=good", "inputs.hash") && exists(res, "app=other", "inputs.hash"));
    ck_assert(!exists(res, "app=bad", "inputs.hash"));
    char *t = read_in(res, "table.dat");
    ck_assert_msg(strstr(t, "\nbad   NaN") != NULL, "%s", t);
    ck_assert_msg(strstr(t, "\ngood  20") != NULL, "%s", t);
    free(t);
    cJSON *j = cJSON_Parse(t = read_in(res, "table.json"));
    free(t);
    cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "rows"), 1);
    ck_assert_str_eq(cJSON_GetObjectItem(row, "point")->valuestring, "app=bad");
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(row, "done")));
    ck_assert(cJSON_IsNull(cJSON_GetArrayItem(cJSON_GetObjectItem(row, "values"), 1)));
    cJSON_Delete(j);
    /* again: only the failed point runs (and fails) */
    ck_assert_sweep(1, "-j 2 --results %s %s", res, exp);
    ck_assert_said("2 already done with the same inputs, 1 to run");
}
END_TEST

static void copy_file(const char *from, const char *to, const char *append)
{
    size_t n;
    char *b = test_read_bytes(from, &n);
    ck_assert_ptr_nonnull(b);
    FILE *f = fopen(to, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite(b, 1, n, f);
    if (append) fputs(append, f);
    fclose(f);
    free(b);
}

START_TEST(changed_input_reruns_its_point)
{
    const char *dir = test_temp_dir(), *res = test_temp_dir();
    char text[16384], src[512], a[600], b[600];
    snprintf(src, sizeof src, "%s/fw/dlibos_echo.elf", test_build_dir());
    snprintf(a, sizeof a, "%s/a.elf", dir);
    snprintf(b, sizeof b, "%s/b.elf", dir);
    copy_file(src, a, NULL);
    copy_file(src, b, NULL);
    snprintf(text, sizeof text, "%s[axes]\napp = a b\n[app:a]\ndeployment.app_firmware = %s\n[app:b]\n"
             "deployment.app_firmware = %s\n", exp_head(), a, b);
    const char *exp = write_exp(dir, "hash", text);
    ck_assert_sweep(0, "--results %s %s", res, exp);
    long long ma = mtime_ns(res, "app=a", "log"), mb = mtime_ns(res, "app=b", "log");
    char *h = read_in(res, "app=b/inputs.hash");
    ck_assert_msg(strstr(h, b) != NULL, "the image is not among the hashed inputs:\n%s", h);
    free(h);
    /* the same bytes again: nothing runs; one byte more in b.elf: b runs */
    copy_file(src, b, NULL);
    ck_assert_sweep(0, "--results %s %s", res, exp);
    ck_assert_said("0 to run");
    copy_file(src, b, "\n");
    ck_assert_sweep(0, "--results %s %s", res, exp);
    ck_assert_said("1 already done with the same inputs, 1 to run");
    ck_assert_said("[1/1] app=b");
    ck_assert(mtime_ns(res, "app=a", "log") == ma && mtime_ns(res, "app=b", "log") != mb);
    /* a configuration key changed in the experiment: every point reruns */
    char *p = strstr(text, "requests = 5");
    p[11] = '6';
    write_exp(dir, "hash", text);
    ck_assert_sweep(0, "--results %s %s", res, exp);
    ck_assert_said("0 already done with the same inputs, 2 to run");
}
END_TEST

/* stats.json without its host section. */
static char *stats_sans_host(const char *dir, const char *point)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s/stats.json", dir, point);
    char *t = test_read_file(p);
    ck_assert_ptr_nonnull(t);
    cJSON *j = cJSON_Parse(t);
    free(t);
    ck_assert_ptr_nonnull(j);
    ck_assert_ptr_nonnull(cJSON_GetObjectItem(j, "host"));
    cJSON_DeleteItemFromObject(j, "host");
    t = cJSON_Print(j);
    cJSON_Delete(j);
    return t;
}

static int same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *x = test_read_bytes(a, &na), *y = test_read_bytes(b, &nb);
    int same = x && y && na == nb && na > 0 && !memcmp(x, y, na);
    free(x);
    free(y);
    return same;
}

START_TEST(point_is_deterministic)
{
    const char *dir = test_temp_dir(), *r1 = test_temp_dir(), *r2 = test_temp_dir();
    const char *exp = two_points(dir);
    ck_assert_sweep(0, "--results %s %s", r1, exp);
    ck_assert_sweep(0, "--results %s %s", r2, exp);
    static const char *files[] = { "stack_tiles=2/wire.pcap", "stack_tiles=2/wire.txt", "stack_tiles=2/inputs.hash",
                                   "table.dat", "table.json" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char a[1024], b[1024];
        snprintf(a, sizeof a, "%s/%s", r1, files[i]);
        snprintf(b, sizeof b, "%s/%s", r2, files[i]);
        ck_assert_msg(same_file(a, b), "%s differs between two runs (or is empty)", files[i]);
    }
    char *s1 = stats_sans_host(r1, "stack_tiles=2"), *s2 = stats_sans_host(r2, "stack_tiles=2");
    ck_assert_str_eq(s1, s2);
    free(s1);
    free(s2);
}
END_TEST

/* PNG and SVG files begin with these bytes. */
static void check_image(const char *path, int svg)
{
    size_t n;
    char *b = test_read_bytes(path, &n);
    ck_assert_msg(b != NULL && n > 100, "%s missing or too short", path);
    if (svg) ck_assert_msg(strstr(b, "<svg") != NULL && strstr(b, "</svg>") != NULL, "%s is not an SVG", path);
    else ck_assert_msg(!memcmp(b, "\x89PNG\r\n\x1a\n", 8), "%s is not a PNG", path);
    free(b);
}

START_TEST(plots_render)
{
    const char *dir = test_temp_dir(), *res = test_temp_dir();
    char text[16384], cmd[4096];
    /* a line per run.seed; the maps of one point */
    snprintf(text, sizeof text, "%s[axes]\ndeployment.stack_tiles = 1 2\nrun.seed = 1 2\n[plot]\n"
             "x = deployment.stack_tiles\nline = run.seed\ny = results.clients.requests_completed\n"
             "map = stack_tiles=2,seed=1\n", exp_head());
    /* without results.time_ns the figure could not state its simulated time */
    ck_assert_sweep(2, "--results %s %s", res, write_exp(dir, "plot", text));
    ck_assert_said("plot.ini:13: [plot]: the figure states the simulated time its points cover");
    snprintf(text, sizeof text, "%s[axes]\ndeployment.stack_tiles = 1 2\nrun.seed = 1 2\n[plot]\n"
             "x = deployment.stack_tiles\nline = run.seed\ny = results.clients.requests_completed\n"
             "map = stack_tiles=2,seed=1\n",
             exp_head_with("results.clients.requests_completed results.time_ns"));
    ck_assert_sweep(0, "--results %s %s", res, write_exp(dir, "plot", text));
    snprintf(cmd, sizeof cmd,
             "gnuplot -e \"load '%s/plot.gp'\" plots/sweep_lines.gp && %s/dlmaps %s/stack_tiles=2,seed=1 %s/maps && "
             "gnuplot -e \"prefix='%s/maps'\" plots/run_maps.gp", res, test_build_dir(), res, res, res);
    int st = test_run(cmd, out, sizeof out);
    ck_assert_msg(st == 0, "plot scripts failed (%d):\n%s", st, out);
    char f[1024];
    static const char *names[] = { "plot", "maps_tiles", "maps_links" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(f, sizeof f, "%s/%s.png", res, names[i]);
        check_image(f, 0);
        snprintf(f, sizeof f, "%s/%s.svg", res, names[i]);
        check_image(f, 1);
    }
    /* the data the figures drew is not empty: four tiles, eight links */
    snprintf(f, sizeof f, "%s/maps.tiles.dat", res);
    char *d = test_read_file(f);
    ck_assert_msg(d && strstr(d, "\n0 0 ") && strstr(d, "\n1 1 "), "tile data: %s", d ? d : "(missing)");
    free(d);
    snprintf(f, sizeof f, "%s/maps.links.dat", res);
    d = test_read_file(f);
    int n = 0;
    for (char *c = d; c && *c; c++) n += *c == '\n';
    ck_assert_msg(d && n == 9, "link data (a header and 8 links): %s", d ? d : "(missing)");
    free(d);
    snprintf(f, sizeof f, "%s/plot.svg", res);
    d = test_read_file(f);
    ck_assert_msg(d && strstr(d, "from ") && strstr(d, "plot.ini") && strstr(d, "us simulated"),
                  "the figure does not state its experiment and simulated time");
    free(d);
    /* a column the table lacks: a clear error */
    snprintf(cmd, sizeof cmd, "gnuplot -e \"load '%s/plot.gp'; y = 'nosuch'\" plots/sweep_lines.gp", res);
    ck_assert_int_eq(test_run(cmd, out, sizeof out), 2);
    ck_assert_said("no column 'nosuch'");
}
END_TEST

/* ---- the Slurm path: a private single-node cluster (slurm_local.sh),
 * started once for the case by an unchecked fixture (in the runner's own
 * process, so that its teardown stops the daemons and removes their files
 * whether the test passed, failed or crashed). */
static char slurm_dir[256];
static char slurm_why[2200];
static int slurm_up;

static void slurm_start(void)
{
    char cmd[512], o[2048];
    snprintf(slurm_dir, sizeof slurm_dir, "%s/slurm", test_temp_dir());
    snprintf(cmd, sizeof cmd, "sh tests/sweep/slurm_local.sh start %s", slurm_dir);
    int st = test_run(cmd, o, sizeof o);
    slurm_up = st == 0;
    if (!slurm_up) snprintf(slurm_why, sizeof slurm_why, "Slurm cannot run here (status %d): %s", st, o);
}

static void slurm_stop(void)
{
    char cmd[512], o[2048];
    snprintf(cmd, sizeof cmd, "sh tests/sweep/slurm_local.sh stop %s", slurm_dir);
    test_run(cmd, o, sizeof o);
}

START_TEST(slurm_array_matches_local)
{
    if (!slurm_up) {
        test_skip(slurm_why);
        return;
    }
    const char *dir = test_temp_dir(), *local = test_temp_dir(), *viaslurm = test_temp_dir();
    const char *exp = two_points(dir);
    ck_assert_sweep(0, "--results %s %s", local, exp);
    char args[2048];
    snprintf(args, sizeof args, "--runner slurm --wait --results %s %s", viaslurm, exp);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "SLURM_CONF=%s/slurm.conf %s/dlsweep --dlsim %s %s", slurm_dir, test_build_dir(),
             test_dlsim(), args);
    int st = test_run(cmd, out, sizeof out);
    ck_assert_msg(st == 0, "dlsweep --runner slurm exited %d:\n%s", st, out);
    ck_assert_said("2 point(s) submitted as job array");
    ck_assert_said("ended with status 0");
    static const char *files[] = { "table.dat", "table.json", "stack_tiles=1/wire.pcap", "stack_tiles=2/wire.pcap",
                                   "stack_tiles=1/inputs.hash", "stack_tiles=2/inputs.hash" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char a[1024], b[1024];
        snprintf(a, sizeof a, "%s/%s", local, files[i]);
        snprintf(b, sizeof b, "%s/%s", viaslurm, files[i]);
        ck_assert_msg(same_file(a, b), "%s differs between the local run and Slurm's", files[i]);
    }
    char *s1 = stats_sans_host(local, "stack_tiles=1"), *s2 = stats_sans_host(viaslurm, "stack_tiles=1");
    ck_assert_str_eq(s1, s2);
    free(s1);
    free(s2);
    /* submitted again: every point done, only the merge job runs */
    st = test_run(cmd, out, sizeof out);
    ck_assert_msg(st == 0, "second submission exited %d:\n%s", st, out);
    ck_assert_said("2 already done with the same inputs, 0 to submit");
    ck_assert_msg(strstr(out, "job array") == NULL, "%s", out);
}
END_TEST

Suite *sweep_suite(void)
{
    Suite *s = suite_create("sweep");
    TCase *t = tcase_create("sweep");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, sha256_vectors);
    tcase_add_test(t, bad_inputs_named);
    tcase_add_test(t, resume_runs_nothing);
    tcase_add_test(t, failing_point_reported);
    tcase_add_test(t, changed_input_reruns_its_point);
    tcase_add_test(t, point_is_deterministic);
    tcase_add_test(t, plots_render);
    suite_add_tcase(s, t);
    TCase *sl = tcase_create("slurm");
    tcase_set_timeout(sl, 120);
    tcase_add_unchecked_fixture(sl, slurm_start, slurm_stop);
    tcase_add_test(sl, slurm_array_matches_local);
    suite_add_tcase(s, sl);
    return s;
}
