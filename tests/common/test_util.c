/* test_util.c - temporary files, subprocess helpers and skipped-test records
 * for the Check suites. */
#include "test_util.h"

#include <check.h>
#include <cJSON.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *rotate(void)
{
    static char bufs[8][256];
    static int next;
    return bufs[next++ % 8];
}

const char *test_write_temp_bytes(const void *data, size_t len)
{
    char *path = rotate();
    snprintf(path, 256, "/tmp/dltest-XXXXXX"); /* mkstemp's template */
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    if (write(fd, data, len) != (ssize_t)len) path[0] = 0;
    close(fd);
    return path;
}

const char *test_write_temp(const char *text)
{
    return test_write_temp_bytes(text, strlen(text));
}

const char *test_temp_dir(void)
{
    char *path = rotate();
    snprintf(path, 256, "/tmp/dltest-dir-XXXXXX");
    return mkdtemp(path);
}

const char *test_dlsim(void)
{
    const char *p = getenv("DLSIM");
    return p && *p ? p : "build/dlsim";
}

int test_run(const char *cmd, char *out, size_t outlen)
{
    char full[4096];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    if (!p) return -1;
    size_t n = fread(out, 1, outlen - 1, p);
    out[n] = 0;
    while (fgetc(p) != EOF) {
    }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *test_read_file(const char *path)
{
    size_t len;
    return test_read_bytes(path, &len);
}

char *test_read_bytes(const char *path, size_t *lenp)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    if (buf) {
        buf[len] = 0;
        *lenp = (size_t)len;
    }
    fclose(f);
    return buf;
}

const char *test_build_dir(void)
{
    const char *b = getenv("BUILD");
    return b && *b ? b : "build";
}

char test_out[65536];

int test_dlsim_run(const char *args)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s %s", test_dlsim(), args);
    return test_run(cmd, test_out, sizeof test_out);
}

int test_dlsim_runf(const char *fmt, ...)
{
    char args[8000];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    ck_assert_msg(n >= 0 && (size_t)n < sizeof args, "dlsim arguments too long: %s", fmt);
    return test_dlsim_run(args);
}

cJSON *test_read_stats(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/stats.json", dir);
    char *text = test_read_file(path);
    ck_assert_msg(text != NULL, "%s missing", path);
    cJSON *j = cJSON_Parse(text);
    free(text);
    ck_assert_msg(j != NULL, "%s does not parse", path);
    return j;
}

cJSON *test_json_at(cJSON *root, const char *path)
{
    char buf[256], *save = NULL;
    snprintf(buf, sizeof buf, "%s", path);
    cJSON *o = root;
    for (char *p = strtok_r(buf, ".", &save); p && o; p = strtok_r(NULL, ".", &save))
        o = cJSON_GetObjectItemCaseSensitive(o, p);
    ck_assert_msg(o != NULL, "%s missing", path);
    return o;
}

void test_skip_as(const char *func, const char *reason)
{
    /* START_TEST(name) defines name_fn: report the name the suite uses. */
    size_t n = strlen(func);
    if (n > 3 && strcmp(func + n - 3, "_fn") == 0) n -= 3;
    char line[1024];
    int len = snprintf(line, sizeof line, "%.*s: %s", (int)n, func, reason);
    if (len < 0) return;
    if ((size_t)len >= sizeof line - 1) len = (int)sizeof line - 2;
    for (int i = 0; i < len; i++)
        if (line[i] == '\n' || line[i] == '\r') line[i] = ' ';
    line[len++] = '\n';
    const char *path = getenv(TEST_SKIP_ENV);
    fprintf(stderr, "SKIP %.*s", len, line);
    if (!path || !*path) return;
    FILE *f = fopen(path, "a");
    ck_assert_msg(f != NULL, "cannot record a skipped test in %s", path);
    ck_assert_int_eq(fwrite(line, 1, (size_t)len, f), (size_t)len);
    ck_assert_int_eq(fclose(f), 0);
}

int test_skips_report(const char *path, FILE *out)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        fprintf(out, "skipped: %s%s", line, strchr(line, '\n') ? "" : "\n");
        n++;
    }
    fclose(f);
    return n;
}

void test_same_run_outputs(const char *a, const char *b)
{
    cJSON *ja = test_read_stats(a), *jb = test_read_stats(b);
    ck_assert(cJSON_Compare(test_json_at(ja, "results"), test_json_at(jb, "results"), 1));
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    char pa[600], pb[600];
    size_t la, lb;
    snprintf(pa, sizeof pa, "%s/wire.pcap", a);
    snprintf(pb, sizeof pb, "%s/wire.pcap", b);
    char *x = test_read_bytes(pa, &la), *y = test_read_bytes(pb, &lb);
    ck_assert_ptr_nonnull(x);
    ck_assert_ptr_nonnull(y);
    ck_assert_uint_eq(la, lb);
    ck_assert(memcmp(x, y, la) == 0);
    free(x);
    free(y);
}
