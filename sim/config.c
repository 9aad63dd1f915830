/* config.c - reading the configuration: defaults from the key table, INI
 * files through libinih, and section.key=value overrides from --set. Every
 * error names where it happened, the key, and what was expected. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static void *field(dl_config *c, const cfg_key *k) { return (char *)c + k->offset; }
static const void *cfield(const dl_config *c, const cfg_key *k) { return (const char *)c + k->offset; }

static void seterr(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

/* Edit distance, for "did you mean" suggestions. Names are short. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) return 64;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t sub = diag + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t best = sub;
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static int section_known(const char *section)
{
    size_t n;
    const char *const *s = cfg_sections(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(s[i], section) == 0) return 1;
    return 0;
}

static const cfg_key *find_key(const char *section, const char *key)
{
    size_t n;
    const cfg_key *k = cfg_keys(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(k[i].section, section) == 0 && strcmp(k[i].key, key) == 0) return &k[i];
    return NULL;
}

/* Writes "; did you mean X?" for the nearest section, or "" if none is close. */
static void suggest_section(const char *section, char *buf, size_t len)
{
    size_t n, best = 4;
    const char *const *s = cfg_sections(&n);
    buf[0] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(section, s[i]);
        if (d < best) { best = d; snprintf(buf, len, "; did you mean [%s]?", s[i]); }
    }
}

/* Keys that moved to another section or name: old section, old key, new
 * section.key. */
static const char *const moved_keys[][3] = {
    { "clients", "driver", "workload.kind (echo, web for http, memcached, replay)" },
    { "clients", "msg_bytes", "workload.echo_bytes" },
    { "clients", "mode", "workload.loop" },
    { "clients", "rate", "workload.rate" },
    { "clients", "think_us", "workload.think_us" },
    { "clients", "seed", "workload.seed" },
    { "clients", "http_paths", "workload.web_paths" },
    { "clients", "http_keepalive", "workload.web_keepalive" },
    { "clients", "http_pipeline", "workload.web_pipeline" },
    { "clients", "mc_keys", "workload.mc_keys" },
    { "clients", "mc_get_ratio", "workload.mc_get_ratio" },
    { "clients", "mc_value_bytes", "workload.mc_value_bytes" },
    { "clients", "mc_multiget", "workload.mc_multiget" },
    { "clients", "replay", "workload.trace (with workload.kind = replay)" },
    { "clients", "replay_mode", "workload.replay_mode" },
    { "clients", "replay_speed", "workload.replay_speed" },
    { "clients", "replay_port", "workload.replay_port" },
};

/* Nearest key: a moved key's new name; else in the same section first, else
 * the same name elsewhere. */
static void suggest_key(const char *section, const char *key, char *buf, size_t len)
{
    size_t n, best = 4;
    const cfg_key *k = cfg_keys(&n);
    buf[0] = 0;
    for (size_t i = 0; i < sizeof moved_keys / sizeof moved_keys[0]; i++)
        if (!strcmp(section, moved_keys[i][0]) && !strcmp(key, moved_keys[i][1])) {
            snprintf(buf, len, "; it is now %s", moved_keys[i][2]);
            return;
        }
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(key, k[i].key) + (strcmp(section, k[i].section) != 0 ? 2 : 0);
        if (d < best) { best = d; snprintf(buf, len, "; did you mean %s.%s?", k[i].section, k[i].key); }
    }
}

/* The keys holding a file name, resolved against the folder of the
 * configuration file that sets them: where each records its origin, or NULL
 * for any other key. */
static char *path_key_from(dl_config *c, const cfg_key *k)
{
    if (k->offset == offsetof(dl_config, deployment.firmware)) return c->deployment.firmware_from;
    if (k->offset == offsetof(dl_config, deployment.stack_firmware)) return c->deployment.stack_firmware_from;
    if (k->offset == offsetof(dl_config, deployment.app_firmware)) return c->deployment.app_firmware_from;
    if (k->offset == offsetof(dl_config, deployment.tile_firmware)) return c->deployment.tile_firmware_from;
    if (k->offset == offsetof(dl_config, workload.trace)) return c->workload.trace_from;
    return NULL;
}
static int is_path_key(const cfg_key *k)
{
    return k->offset == offsetof(dl_config, deployment.firmware) ||
           k->offset == offsetof(dl_config, deployment.stack_firmware) ||
           k->offset == offsetof(dl_config, deployment.app_firmware) ||
           k->offset == offsetof(dl_config, workload.trace);
}
static int is_path_list_key(const cfg_key *k)
{
    return k->offset == offsetof(dl_config, deployment.tile_firmware);
}

static const char *type_name(cfg_type t)
{
    switch (t) {
    case CFG_INT: return "integer";
    case CFG_DOUBLE: return "number";
    case CFG_BOOL: return "on|off";
    case CFG_ENUM: return "enum";
    case CFG_STRING: return "string";
    }
    return "?";
}

/* Index of name in "a|b|c", or -1. */
static int choice_index(const char *choices, const char *name)
{
    size_t nl = strlen(name);
    int idx = 0;
    for (const char *p = choices; *p; idx++) {
        const char *end = strchr(p, '|');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        if (l == nl && strncmp(p, name, l) == 0) return idx;
        if (!end) break;
        p = end + 1;
    }
    return -1;
}

static void choice_name(const char *choices, int idx, char *buf, size_t len)
{
    const char *p = choices;
    for (int i = 0; i < idx && p; i++) {
        p = strchr(p, '|');
        if (p) p++;
    }
    if (!p) { snprintf(buf, len, "?"); return; }
    const char *end = strchr(p, '|');
    size_t l = end ? (size_t)(end - p) : strlen(p);
    snprintf(buf, len, "%.*s", (int)l, p);
}

static int parse_bool(const char *v, int *out)
{
    static const char *const yes[] = { "on", "true", "yes", "1" };
    static const char *const no[] = { "off", "false", "no", "0" };
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) { *out = 1; return 0; }
        if (strcasecmp(v, no[i]) == 0) { *out = 0; return 0; }
    }
    return -1;
}

/* Integers: decimal, or hexadecimal with 0x. No octal surprises. */
static int parse_int(const char *v, int64_t *out)
{
    char *end;
    int hex = (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'));
    if (!*v || isspace((unsigned char)v[0])) return -1;
    errno = 0;
    long long x = strtoll(v, &end, hex ? 16 : 10);
    if (errno || *end || end == v) return -1;
    *out = x;
    return 0;
}

static int parse_double(const char *v, double *out)
{
    char *end;
    if (!*v || isspace((unsigned char)v[0])) return -1;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || *end || end == v || !isfinite(x)) return -1;
    *out = x;
    return 0;
}

static int set_value(dl_config *c, const cfg_key *k, const char *value,
                     const char *where, char *err, size_t len)
{
    switch (k->type) {
    case CFG_INT: {
        int64_t x;
        if (parse_int(value, &x) < 0) {
            seterr(err, len, "%s: %s.%s = '%s': expected an integer (decimal or 0x hex)",
                   where, k->section, k->key, value);
            return -1;
        }
        if ((double)x < k->min || (double)x > k->max) {
            seterr(err, len, "%s: %s.%s = %s is out of range: expected %.0f to %.0f",
                   where, k->section, k->key, value, k->min, k->max);
            return -1;
        }
        *(int64_t *)field(c, k) = x;
        return 0;
    }
    case CFG_DOUBLE: {
        double x;
        if (parse_double(value, &x) < 0) {
            seterr(err, len, "%s: %s.%s = '%s': expected a number", where, k->section, k->key, value);
            return -1;
        }
        if (x < k->min || x > k->max) {
            seterr(err, len, "%s: %s.%s = %s is out of range: expected %g to %g",
                   where, k->section, k->key, value, k->min, k->max);
            return -1;
        }
        *(double *)field(c, k) = x;
        return 0;
    }
    case CFG_BOOL:
        if (parse_bool(value, (int *)field(c, k)) < 0) {
            seterr(err, len, "%s: %s.%s = '%s': expected on or off (true/false, yes/no, 1/0)",
                   where, k->section, k->key, value);
            return -1;
        }
        return 0;
    case CFG_ENUM: {
        int idx = choice_index(k->choices, value);
        if (idx < 0) {
            seterr(err, len, "%s: %s.%s = '%s': expected one of %s",
                   where, k->section, k->key, value, k->choices);
            return -1;
        }
        *(int *)field(c, k) = idx;
        return 0;
    }
    case CFG_STRING:
        if (strlen(value) >= CFG_STR_MAX) {
            seterr(err, len, "%s: %s.%s: expected a string of at most %d characters",
                   where, k->section, k->key, CFG_STR_MAX - 1);
            return -1;
        }
        snprintf((char *)field(c, k), CFG_STR_MAX, "%s", value);
        return 0;
    }
    return -1;
}

int cfg_set(dl_config *c, const char *section, const char *key, const char *value,
            const char *where, char *err, size_t len)
{
    char hint[96];
    if (!section_known(section)) {
        suggest_section(section, hint, sizeof hint);
        seterr(err, len, "%s: unknown section [%s]%s", where, section, hint);
        return -1;
    }
    const cfg_key *k = find_key(section, key);
    if (!k) {
        suggest_key(section, key, hint, sizeof hint);
        seterr(err, len, "%s: unknown key '%s' in section [%s]%s (dlsim --help-config lists the keys)",
               where, key, section, hint);
        return -1;
    }
    if (set_value(c, k, value, where, err, len) < 0) return -1;
    char *from = path_key_from(c, k);
    if (from) {
        size_t n = strlen(where);
        if (n >= CFG_STR_MAX) n = CFG_STR_MAX - 1;
        memcpy(from, where, n);
        from[n] = 0;
    }
    return 0;
}

void cfg_defaults(dl_config *c)
{
    size_t n;
    const cfg_key *k = cfg_keys(&n);
    char err[256];
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < n; i++)
        if (set_value(c, &k[i], k[i].def, "built-in default", err, sizeof err) < 0)
            abort(); /* the table is wrong: a unit test checks every default */
}

int cfg_set_arg(dl_config *c, const char *assignment, char *err, size_t len)
{
    char where[160], section[64], key[64];
    snprintf(where, sizeof where, "--set %s", assignment);
    const char *eq = strchr(assignment, '=');
    const char *dot = strchr(assignment, '.');
    if (!eq || !dot || dot > eq || dot == assignment || dot + 1 == eq) {
        seterr(err, len, "%s: expected section.key=value", where);
        return -1;
    }
    if ((size_t)(dot - assignment) >= sizeof section || (size_t)(eq - dot - 1) >= sizeof key) {
        seterr(err, len, "%s: section or key name too long", where);
        return -1;
    }
    snprintf(section, sizeof section, "%.*s", (int)(dot - assignment), assignment);
    snprintf(key, sizeof key, "%.*s", (int)(eq - dot - 1), dot + 1);
    return cfg_set(c, section, key, eq + 1, where, err, len);
}

/* State of one INI file read: the text (read once, so that a pipe works),
 * the line the reader handed libinih last, and the first error. */
typedef struct ini_ctx {
    dl_config *c;
    const char *path;
    const char *text, *pos, *end;
    int lineno;
    char err[1024];          /* the handler's first error... */
    size_t errlen;
    int failed;              /* ...and its line; 0 while none */
    unsigned char seen[256]; /* keys already set by this file */
} ini_ctx;

/* libinih's fgets-like reader over the text; counts lines so that the
 * handler knows where a key is (every line fits: check_lines saw to it). */
static char *ini_read_line(char *str, int num, void *stream)
{
    ini_ctx *x = stream;
    if (x->pos >= x->end || num < 2) return NULL;
    const char *nl = memchr(x->pos, '\n', (size_t)(x->end - x->pos));
    size_t n = nl ? (size_t)(nl - x->pos) + 1 : (size_t)(x->end - x->pos);
    if (n > (size_t)num - 1) n = (size_t)num - 1;
    memcpy(str, x->pos, n);
    str[n] = 0;
    x->pos += n;
    x->lineno++;
    return str;
}

/* A relative path set in a file names a file next to it: DIR(path)/value. */
static int resolve_path(const char *path, const char *value, char *out, size_t len)
{
    const char *slash = strrchr(path, '/');
    if (!*value || value[0] == '/' || !slash)
        return snprintf(out, len, "%s", value) < (int)len ? 0 : -1;
    return snprintf(out, len, "%.*s/%s", (int)(slash - path), path, value) < (int)len ? 0 : -1;
}

/* The same for each PATH of a "TILE:PATH[,TILE:PATH...]" list; an entry
 * without a colon is kept as it is (cfg_tile_firmware reports it). */
static int resolve_path_list(const char *path, const char *value, char *out, size_t len)
{
    size_t o = 0;
    out[0] = 0;
    for (const char *p = value; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char entry[CFG_STR_MAX], res[CFG_STR_MAX];
        if (n >= sizeof entry) return -1;
        memcpy(entry, p, n);
        entry[n] = 0;
        char *colon = strchr(entry, ':');
        if (colon) {
            *colon = 0;
            if (resolve_path(path, colon + 1, res, sizeof res) < 0) return -1;
            int w = snprintf(out + o, len - o, "%s%s:%s", o ? "," : "", entry, res);
            if (w < 0 || (size_t)w >= len - o) return -1;
            o += (size_t)w;
        } else {
            int w = snprintf(out + o, len - o, "%s%s", o ? "," : "", entry);
            if (w < 0 || (size_t)w >= len - o) return -1;
            o += (size_t)w;
        }
        p = comma ? comma + 1 : p + n;
    }
    return 0;
}

static int on_ini_pair(void *user, const char *section, const char *name, const char *value)
{
    ini_ctx *x = user;
    char where[CFG_STR_MAX + 32], resolved[CFG_STR_MAX];
    if (x->failed) return 0;
    x->failed = x->lineno; /* until the pair is taken */
    snprintf(where, sizeof where, "%s:%d", x->path, x->lineno);
    if (!*section) {
        seterr(x->err, x->errlen, "%s: key '%s' outside any section: expected a [section] line first",
               where, name);
        return 0;
    }
    const cfg_key *k = find_key(section, name);
    if (k && (is_path_key(k) || is_path_list_key(k)) && strlen(value) < CFG_STR_MAX) {
        int rc = is_path_key(k) ? resolve_path(x->path, value, resolved, sizeof resolved)
                                : resolve_path_list(x->path, value, resolved, sizeof resolved);
        if (rc < 0) {
            seterr(x->err, x->errlen, "%s: %s.%s = '%s': relative to the folder of %s it is longer "
                   "than %d characters", where, section, name, value, x->path, CFG_STR_MAX - 1);
            return 0;
        }
        value = resolved;
    }
    if (cfg_set(x->c, section, name, value, where, x->err, x->errlen) < 0) return 0;
    size_t n;
    size_t i = (size_t)(k - cfg_keys(&n));
    if (i < sizeof x->seen && x->seen[i]++) {
        seterr(x->err, x->errlen, "%s: %s.%s is set twice in this file (or continued on an indented line)",
               where, section, name);
        return 0;
    }
    x->failed = 0;
    return 1;
}

/* libinih reports keys, not section lines: check every [section] line
 * first, so that an unknown section is named at its own line even when it
 * has no keys; and refuse what libinih would misread: a line longer than
 * CFG_LINE_MAX (it would split it) or one with a NUL byte (it would cut it
 * there). Returns 0, or -1 with the error in err. */
static int check_lines(const char *text, size_t size, const char *path, char *err, size_t len)
{
    char line[CFG_LINE_MAX + 1], hint[96];
    const char *p = text, *end = text + size;
    for (int lineno = 1; p < end; lineno++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *zero = memchr(p, 0, n);
        if (zero) {
            seterr(err, len, "%s:%d: NUL byte at column %d: a configuration file is text",
                   path, lineno, (int)(zero - p) + 1);
            return -1;
        }
        size_t body = n && p[n - 1] == '\r' ? n - 1 : n;
        if (body > CFG_LINE_MAX) {
            seterr(err, len, "%s:%d: line of %zu characters: expected at most %d", path, lineno,
                   body, CFG_LINE_MAX);
            return -1;
        }
        memcpy(line, p, body);
        line[body] = 0;
        p = nl ? nl + 1 : end;
        char *s = line;
        while (isspace((unsigned char)*s)) s++;
        if (*s != '[') continue;
        char *close = strchr(s, ']');
        if (!close) continue; /* inih reports the syntax error */
        *close = 0;
        if (!section_known(s + 1)) {
            suggest_section(s + 1, hint, sizeof hint);
            seterr(err, len, "%s:%d: unknown section [%s]%s", path, lineno, s + 1, hint);
            return -1;
        }
    }
    return 0;
}

/* Reads the whole file (at most CFG_FILE_MAX bytes: /dev/zero is no
 * configuration) into a malloc'd buffer; NULL with err set. */
#define CFG_FILE_MAX (1 << 20)
static char *read_config(const char *path, size_t *size, char *err, size_t len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f) {
        seterr(err, len, "%s: cannot open configuration file: %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        seterr(err, len, "%s: is a directory: expected an INI configuration file", path);
        fclose(f);
        return NULL;
    }
    char *buf = malloc(CFG_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, CFG_FILE_MAX + 1, f) : 0;
    if (!buf || ferror(f) || n > CFG_FILE_MAX) {
        if (!buf) seterr(err, len, "%s: out of memory while reading", path);
        else if (n > CFG_FILE_MAX)
            seterr(err, len, "%s: more than %d bytes: expected an INI configuration file", path,
                   CFG_FILE_MAX);
        else seterr(err, len, "%s: cannot read configuration file: %s", path, strerror(errno));
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *size = n;
    return buf;
}

int cfg_load_file(dl_config *c, const char *path, char *err, size_t len)
{
    size_t size;
    char *text = read_config(path, &size, err, len);
    if (!text) return -1;
    if (check_lines(text, size, path, err, len) < 0) {
        free(text);
        return -1;
    }

    ini_ctx x;
    memset(&x, 0, sizeof x);
    x.c = c;
    x.path = path;
    x.text = x.pos = text;
    x.end = text + size;
    x.errlen = sizeof x.err;
    /* Debian's libinih (the one `make deps` installs) takes its line buffer
     * size from this variable at run time: the line, \r, \n and NUL. */
    ini_max_line = CFG_LINE_MAX + 3;
    int r = ini_parse_stream(ini_read_line, &x, on_ini_pair, &x);
    free(text);
    if (r == -2) {
        seterr(err, len, "%s: out of memory while reading", path);
        return -1;
    }
    if (r != 0) {
        /* r is the first bad line: a key the handler refused, or a syntax
         * error libinih found before it */
        if (x.failed == r)
            seterr(err, len, "%s", x.err);
        else
            seterr(err, len, "%s:%d: syntax error: expected [section], key = value, or a ; comment",
                   path, r);
        return -1;
    }
    return 0;
}

void cfg_format_value(const dl_config *c, const cfg_key *k, char *buf, size_t len)
{
    const void *f = cfield(c, k);
    switch (k->type) {
    case CFG_INT: snprintf(buf, len, "%lld", (long long)*(const int64_t *)f); break;
    case CFG_DOUBLE: snprintf(buf, len, "%.17g", *(const double *)f); break;
    case CFG_BOOL: snprintf(buf, len, "%s", *(const int *)f ? "on" : "off"); break;
    case CFG_ENUM: choice_name(k->choices, *(const int *)f, buf, len); break;
    case CFG_STRING: snprintf(buf, len, "%s", (const char *)f); break;
    }
}

void cfg_print_help(FILE *out)
{
    size_t n;
    const cfg_key *k = cfg_keys(&n);
    fprintf(out, "%-26s %-8s %-10s %-22s %s\n", "key", "type", "default", "range", "meaning");
    for (size_t i = 0; i < n; i++) {
        char name[96], range[64];
        snprintf(name, sizeof name, "%s.%s", k[i].section, k[i].key);
        if (k[i].type == CFG_INT)
            snprintf(range, sizeof range, "%.0f..%.0f", k[i].min, k[i].max);
        else if (k[i].type == CFG_DOUBLE)
            snprintf(range, sizeof range, "%g..%g", k[i].min, k[i].max);
        else if (k[i].type == CFG_ENUM)
            snprintf(range, sizeof range, "%s", k[i].choices);
        else if (k[i].type == CFG_BOOL)
            snprintf(range, sizeof range, "on|off");
        else
            snprintf(range, sizeof range, "<=%d chars", CFG_STR_MAX - 1);
        fprintf(out, "%-26s %-8s %-10s %-22s %s\n", name, type_name(k[i].type), k[i].def, range,
                k[i].help);
    }
}

/* A TLB of `entries` entries and `ways` ways has entries / ways sets, a
 * power of two (models/mem/mem_tlb.c indexes sets by address bits). */
static int check_tlb(const char *name, int64_t entries, int64_t ways, char *err, size_t len)
{
    if (entries % ways) {
        seterr(err, len, "mem.%s_entries = %lld is not a multiple of mem.%s_assoc = %lld: "
               "expected a whole number of sets (entries / ways)", name, (long long)entries, name,
               (long long)ways);
        return -1;
    }
    int64_t sets = entries / ways;
    if (sets & (sets - 1)) {
        seterr(err, len, "mem.%s_entries = %lld, mem.%s_assoc = %lld: %lld sets is not a power "
               "of two", name, (long long)entries, name, (long long)ways, (long long)sets);
        return -1;
    }
    return 0;
}

int cfg_tile_firmware(const dl_config *c, cfg_tile_fw *out, char *err, size_t len)
{
    const char *v = c->deployment.tile_firmware, *from = c->deployment.tile_firmware_from;
    int64_t tiles = c->chip.width * c->chip.height;
    int n = 0;
    for (const char *p = v; *p;) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        char entry[CFG_STR_MAX];
        memcpy(entry, p, l);
        entry[l] = 0;
        p = comma ? comma + 1 : p + l;
        char *colon = strchr(entry, ':'), *end;
        long t = colon ? strtol(entry, &end, 10) : -1;
        if (!colon || colon == entry || end != colon || !colon[1] || !isdigit((unsigned char)entry[0])) {
            seterr(err, len, "%s%sdeployment.tile_firmware: entry '%s': expected TILE:PATH (a tile number, "
                   "a colon, the ELF's path), entries separated by commas", from, *from ? ": " : "", entry);
            return -1;
        }
        if (t < 0 || t >= tiles) {
            seterr(err, len, "%s%sdeployment.tile_firmware: tile %ld is not on the chip: expected 0 to %lld "
                   "(chip.width x chip.height = %lld x %lld)", from, *from ? ": " : "", t, (long long)tiles - 1,
                   (long long)c->chip.width, (long long)c->chip.height);
            return -1;
        }
        for (int i = 0; i < n; i++)
            if (out[i].tile == (int)t) {
                seterr(err, len, "%s%sdeployment.tile_firmware: tile %ld is named twice: expected one image "
                       "per tile", from, *from ? ": " : "", t);
                return -1;
            }
        if (n == CFG_TILE_FW_MAX) {
            seterr(err, len, "%s%sdeployment.tile_firmware: more than %d entries", from, *from ? ": " : "",
                   CFG_TILE_FW_MAX);
            return -1;
        }
        out[n].tile = (int)t;
        snprintf(out[n].path, sizeof out[n].path, "%s", colon + 1);
        n++;
    }
    return n;
}

int cfg_check(const dl_config *c, char *err, size_t len)
{
    cfg_tile_fw tf[CFG_TILE_FW_MAX];
    uint64_t set[4], mac;
    uint32_t ip, mask;
    if (cfg_tile_firmware(c, tf, err, len) < 0) return -1;
    if (cfg_stack_set(c, set, err, len) < 0 || cfg_net(c, &ip, &mask, &mac, err, len) < 0) return -1;
    if (check_tlb("itlb", c->mem.itlb_entries, c->mem.itlb_assoc, err, len) < 0 ||
        check_tlb("dtlb", c->mem.dtlb_entries, c->mem.dtlb_assoc, err, len) < 0)
        return -1;
    if (c->mesh.hardwall) {
        const struct { const char *lo_name, *hi_name, *dim; int64_t lo, hi, size; } r[] = {
            { "hardwall_x0", "hardwall_x1", "chip.width", c->mesh.hardwall_x0, c->mesh.hardwall_x1,
              c->chip.width },
            { "hardwall_y0", "hardwall_y1", "chip.height", c->mesh.hardwall_y0, c->mesh.hardwall_y1,
              c->chip.height },
        };
        for (size_t i = 0; i < 2; i++)
            if (r[i].lo > r[i].hi || r[i].hi >= r[i].size) {
                seterr(err, len, "mesh.%s = %lld, mesh.%s = %lld: expected %s <= %s < %s = %lld "
                       "(the hardwall rectangle inside the mesh)", r[i].lo_name, (long long)r[i].lo,
                       r[i].hi_name, (long long)r[i].hi, r[i].lo_name, r[i].hi_name, r[i].dim,
                       (long long)r[i].size);
                return -1;
            }
    }
    return 0;
}

int cfg_net(const dl_config *c, uint32_t *ip, uint32_t *netmask, uint64_t *mac, char *err, size_t len)
{
    unsigned a[4], plen, m[6];
    char tail;
    if (sscanf(c->net.address, "%3u.%3u.%3u.%3u/%2u%c", &a[0], &a[1], &a[2], &a[3], &plen, &tail) != 5 ||
        a[0] > 255 || a[1] > 255 || a[2] > 255 || a[3] > 255 || !isdigit((unsigned char)c->net.address[0])) {
        seterr(err, len, "net.address = '%s': expected a dotted IPv4 address and a prefix length, such as "
               "10.0.0.1/24", c->net.address);
        return -1;
    }
    if (plen < 8 || plen > 30) {
        seterr(err, len, "net.address = '%s': prefix length /%u: expected /8 to /30", c->net.address, plen);
        return -1;
    }
    *ip = a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3];
    *netmask = 0xffffffffu << (32 - plen);
    if ((*ip & ~*netmask) == 0 || (*ip & ~*netmask) == ~*netmask || a[0] == 0 || a[0] == 127 || a[0] >= 224) {
        seterr(err, len, "net.address = '%s': not a usable host address (network, broadcast, 0/8, loopback or "
               "multicast): expected a host address of its subnet", c->net.address);
        return -1;
    }
    if (sscanf(c->net.mac, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &tail) != 6 ||
        strlen(c->net.mac) != 17) {
        seterr(err, len, "net.mac = '%s': expected six hex bytes separated by colons, such as 02:dc:ff:00:00:01",
               c->net.mac);
        return -1;
    }
    if (m[0] & 1) {
        seterr(err, len, "net.mac = '%s': a group (multicast) address: expected a unicast one (first byte even)",
               c->net.mac);
        return -1;
    }
    *mac = 0;
    for (int i = 0; i < 6; i++) *mac = *mac << 8 | m[i];
    return 0;
}

int cfg_stack_set(const dl_config *c, uint64_t set[4], char *err, size_t len)
{
    int64_t tiles = c->chip.width * c->chip.height;
    const char *v = c->deployment.stack_set;
    int n = 0;
    memset(set, 0, 4 * sizeof set[0]);
    if (!*v) {
        for (int64_t t = 0; t < c->deployment.stack_tiles && t < 256; t++) set[t / 64] |= 1ULL << (t % 64);
        return (int)c->deployment.stack_tiles;
    }
    for (const char *p = v; *p;) {
        char *end;
        if (!isdigit((unsigned char)*p)) goto bad;
        long lo = strtol(p, &end, 10), hi = lo;
        if (*end == '-') {
            if (!isdigit((unsigned char)end[1])) goto bad;
            hi = strtol(end + 1, &end, 10);
        }
        if (*end && *end != ',') goto bad;
        if (lo > hi || hi >= tiles) {
            seterr(err, len, "deployment.stack_set = '%s': %ld-%ld: expected tiles from 0 to %lld, low to high "
                   "(chip.width x chip.height = %lld x %lld)", v, lo, hi, (long long)tiles - 1,
                   (long long)c->chip.width, (long long)c->chip.height);
            return -1;
        }
        for (long t = lo; t <= hi; t++) {
            if (set[t / 64] >> (t % 64) & 1) {
                seterr(err, len, "deployment.stack_set = '%s': tile %ld is named twice", v, t);
                return -1;
            }
            set[t / 64] |= 1ULL << (t % 64);
            n++;
        }
        p = *end ? end + 1 : end;
        if (*end == ',' && !*p) goto bad;
    }
    if (n != c->deployment.stack_tiles) {
        seterr(err, len, "deployment.stack_set = '%s' names %d tile(s) but deployment.stack_tiles = %lld: "
               "expected both to agree", v, n, (long long)c->deployment.stack_tiles);
        return -1;
    }
    return n;
bad:
    seterr(err, len, "deployment.stack_set = '%s': expected a list of tile numbers and ranges such as 0,5,30-35",
           v);
    return -1;
}

uint64_t cfg_run_cycles(const dl_config *c)
{
    if (c->run.time_us > 0)
        return (uint64_t)llround(c->run.time_us * (double)c->chip.clock_mhz);
    return (uint64_t)c->run.cycles;
}
