/* point.c - a sweep point's inputs hash, its done marker (inputs.hash,
 * written only after dlsim succeeded, so an interrupted point reruns) and
 * its dlsim run. */
#include "point.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sha256.h"
#include "stats.h"

#define INPUTS_VERSION "dlsweep inputs 1"
#define LOG_TAIL_LINES 12

/* A growing text buffer. */
typedef struct buf {
    char *s;
    size_t n, cap;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (w < 0) abort();
    if (b->n + (size_t)w + 1 > b->cap) {
        b->cap = (b->n + (size_t)w + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s) abort();
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)w;
}

/* "file PATH SHA256" for a file the inputs name; -1 with err set when it
 * cannot be read. */
static int put_file(buf *b, const char *what, const char *path, char *err, size_t len)
{
    char hex[65];
    if (sha256_file_hex(path, hex) < 0) {
        snprintf(err, len, "%s: %s: cannot read: %s", what, path, strerror(errno));
        return -1;
    }
    put(b, "file %s %s\n", path, hex);
    return 0;
}

static int is_file(const char *path)
{
    struct stat st;
    return *path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int point_inputs(const experiment *e, const exp_point *p, char **text, char hex[65], char *err, size_t len)
{
    dl_config cfg;
    char e2[1024];
    if (exp_point_config(e, p, &cfg, err, len) < 0) return -1;
    buf b = { 0 };
    cJSON *c = stats_config_json(&cfg);
    char *json = c ? cJSON_PrintUnformatted(c) : NULL;
    cJSON_Delete(c);
    if (!json) abort();
    put(&b, "%s\nconfig %s\n", INPUTS_VERSION, json);
    free(json);
    for (int i = 0; i < e->nargs; i++) put(&b, "pcap_in %s\n", e->args[i]);
    /* every string key naming a file: firmware images today, traces too */
    size_t nk;
    const cfg_key *k = cfg_keys(&nk);
    for (size_t i = 0; i < nk; i++) {
        if (k[i].type != CFG_STRING) continue;
        const char *v = (const char *)&cfg + k[i].offset;
        char what[700];
        snprintf(what, sizeof what, "point %s: %s.%s", p->name, k[i].section, k[i].key);
        if (is_file(v) && put_file(&b, what, v, err, len) < 0) goto fail;
    }
    cfg_tile_fw tf[CFG_TILE_FW_MAX];
    int ntf = cfg_tile_firmware(&cfg, tf, e2, sizeof e2);
    if (ntf < 0) {
        snprintf(err, len, "point %s: %s", p->name, e2);
        goto fail;
    }
    for (int i = 0; i < ntf; i++) {
        char what[700];
        snprintf(what, sizeof what, "point %s: deployment.tile_firmware (tile %d)", p->name, tf[i].tile);
        if (put_file(&b, what, tf[i].path, err, len) < 0) goto fail;
    }
    for (int i = 0; i < e->nargs; i++) {
        /* [PORT=]FILE[,OPTION...]: the file, unless it is standard input */
        const char *s = e->args[i], *eq = strchr(s, '='), *comma;
        if (eq && (!strchr(s, ',') || eq < strchr(s, ','))) {
            const char *d = s;
            while (d < eq && *d >= '0' && *d <= '9') d++;
            if (d == eq && eq > s) s = eq + 1;
        }
        comma = strchr(s, ',');
        char path[EXP_PATH_MAX];
        snprintf(path, sizeof path, "%.*s", comma ? (int)(comma - s) : (int)strlen(s), s);
        if (!strcmp(path, "-")) {
            snprintf(err, len, "%s:%d: pcap_in %s: a sweep point cannot read standard input (its inputs "
                     "could not be hashed)", e->path, e->args_line, e->args[i]);
            goto fail;
        }
        char what[EXP_PATH_MAX + 64];
        snprintf(what, sizeof what, "%s:%d: pcap_in", e->path, e->args_line);
        if (put_file(&b, what, path, err, len) < 0) goto fail;
    }
    sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, b.s, b.n);
    sha256_final_hex(&h, hex);
    *text = b.s;
    return 0;
fail:
    free(b.s);
    return -1;
}

int point_done(const char *dir, const char hex[65])
{
    char path[EXP_PATH_MAX + 32], line[128], want[128];
    snprintf(path, sizeof path, "%s/stats.json", dir);
    if (!is_file(path)) return 0;
    snprintf(path, sizeof path, "%s/inputs.hash", dir);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    int ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    snprintf(want, sizeof want, "sha256 %s\n", hex);
    return ok && !strcmp(line, want);
}

static int make_dirs(const char *dir, char *err, size_t len)
{
    return stats_make_dir(dir, err, len);
}

pid_t point_start(const char *dlsim, const experiment *e, const exp_point *p, const char *dir, char *err, size_t len)
{
    char path[EXP_PATH_MAX + 32];
    if (make_dirs(dir, err, len) < 0) return -1;
    static const char *stale[] = { "inputs.hash", "stats.json", "wire.pcap", "wire.txt" };
    for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, stale[i]);
        if (unlink(path) < 0 && errno != ENOENT) {
            snprintf(err, len, "%s: cannot remove: %s", path, strerror(errno));
            return -1;
        }
    }
    /* argv: dlsim -c BASE (--set K=V)... (--pcap-in X)... -o DIR */
    exp_assign sets[EXP_POINT_SETS_MAX];
    int n = exp_point_sets(e, p, sets, EXP_POINT_SETS_MAX);
    const char **argv = calloc((size_t)(2 * n + 2 * e->nargs + 8), sizeof *argv);
    char **owned = calloc((size_t)n + 1, sizeof *owned);
    if (!argv || !owned) abort();
    int a = 0;
    argv[a++] = dlsim;
    argv[a++] = "-c";
    argv[a++] = exp_point_base(e, p, NULL);
    for (int k = 0; k < n; k++) {
        size_t sz = strlen(sets[k].key) + strlen(sets[k].value) + 2;
        owned[k] = malloc(sz);
        if (!owned[k]) abort();
        snprintf(owned[k], sz, "%s=%s", sets[k].key, sets[k].value);
        argv[a++] = "--set";
        argv[a++] = owned[k];
    }
    for (int k = 0; k < e->nargs; k++) {
        argv[a++] = "--pcap-in";
        argv[a++] = e->args[k];
    }
    argv[a++] = "-o";
    argv[a++] = dir;
    argv[a] = NULL;

    snprintf(path, sizeof path, "%s/log", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    pid_t pid = fd < 0 ? -1 : fork();
    if (pid == 0) {
        FILE *log = fdopen(dup(fd), "w");
        if (log) {
            fputs("dlsweep: running", log);
            for (int k = 0; argv[k]; k++) fprintf(log, " %s", argv[k]);
            fputc('\n', log);
            fclose(log);
        }
        int in = open("/dev/null", O_RDONLY);
        if (in < 0 || dup2(in, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) _exit(127);
        execv(dlsim, (char *const *)argv);
        fprintf(stderr, "dlsweep: cannot run %s: %s\n", dlsim, strerror(errno));
        _exit(127);
    }
    int saved = errno;
    if (fd >= 0) close(fd);
    for (int k = 0; k < n; k++) free(owned[k]);
    free(owned);
    free(argv);
    if (pid < 0) {
        snprintf(err, len, "%s: %s", fd < 0 ? path : "fork", strerror(saved));
        return -1;
    }
    return pid;
}

/* The last lines of DIR/log to stderr, each indented. */
static void log_tail(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "dlsweep:     (no log: %s)\n", strerror(errno));
        return;
    }
    char *lines[LOG_TAIL_LINES] = { 0 };
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        free(lines[n % LOG_TAIL_LINES]);
        lines[n % LOG_TAIL_LINES] = strdup(line);
        n++;
    }
    fclose(f);
    for (int i = n > LOG_TAIL_LINES ? n - LOG_TAIL_LINES : 0; i < n; i++) {
        char *l = lines[i % LOG_TAIL_LINES];
        if (l) fprintf(stderr, "dlsweep:     %s%s", l, l[strlen(l) - 1] == '\n' ? "" : "\n");
    }
    for (int i = 0; i < LOG_TAIL_LINES; i++) free(lines[i]);
}

int point_finish(const char *dir, const char *name, int status, const char *text, const char hex[65])
{
    char path[EXP_PATH_MAX + 32], tmp[EXP_PATH_MAX + 48];
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        snprintf(path, sizeof path, "%s/inputs.hash", dir);
        snprintf(tmp, sizeof tmp, "%s/inputs.hash.tmp", dir);
        FILE *f = fopen(tmp, "w");
        int ok = f && fprintf(f, "sha256 %s\n%s", hex, text) >= 0;
        if (f && fclose(f) != 0) ok = 0;
        if (ok && rename(tmp, path) == 0) return 0;
        fprintf(stderr, "dlsweep: point %s: cannot write %s: %s\n", name, path, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof path, "%s/log", dir);
    if (WIFEXITED(status))
        fprintf(stderr, "dlsweep: point %s FAILED: dlsim exited %d; the end of %s:\n", name, WEXITSTATUS(status),
                path);
    else
        fprintf(stderr, "dlsweep: point %s FAILED: dlsim killed by signal %d; the end of %s:\n", name,
                WIFSIGNALED(status) ? WTERMSIG(status) : 0, path);
    log_tail(path);
    return -1;
}
