/* experiment.c - reads an experiment file with libinih, checks every key and
 * value against dlsim's own configuration table (sim/config.c) before
 * anything runs, and expands the points. */
#include "experiment.h"

#include <ctype.h>
#include <ini.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXP_FILE_MAX (1 << 20)
#define MAX_BUNDLE_SECTIONS (EXP_MAX_AXES * EXP_MAX_VALUES)

static void seterr(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d) abort();
    return d;
}

/* A [AXIS:VALUE] section as read, attached to its axis once the file is read. */
typedef struct bundle_sec {
    char *axis, *value;
    exp_bundle b;
    int used;
} bundle_sec;

typedef struct parse_ctx {
    experiment *e;
    const char *pos, *end;
    int lineno;
    int indented;            /* the last line read starts with white space: a continuation */
    char last_section[128], last_name[128];
    char err[1024];
    int failed;
    bundle_sec *bs;
    int nbs;
} parse_ctx;

static char *read_line(char *str, int num, void *stream)
{
    parse_ctx *x = stream;
    if (x->pos >= x->end || num < 2) return NULL;
    const char *nl = memchr(x->pos, '\n', (size_t)(x->end - x->pos));
    size_t n = nl ? (size_t)(nl - x->pos) + 1 : (size_t)(x->end - x->pos);
    if (n > (size_t)num - 1) n = (size_t)num - 1;
    memcpy(str, x->pos, n);
    str[n] = 0;
    x->pos += n;
    x->lineno++;
    x->indented = n > 0 && (str[0] == ' ' || str[0] == '\t');
    return str;
}

/* Splits value at white space into out[]; returns the count or -1 when
 * there are more than max. */
static int split_words(const char *value, char **out, int max)
{
    int n = 0;
    const char *p = value;
    for (;;) {
        while (isspace((unsigned char)*p)) p++;
        if (!*p) return n;
        const char *s = p;
        while (*p && !isspace((unsigned char)*p)) p++;
        if (n == max) {
            for (int i = 0; i < n; i++) free(out[i]);
            return -1;
        }
        out[n] = malloc((size_t)(p - s) + 1);
        if (!out[n]) abort();
        memcpy(out[n], s, (size_t)(p - s));
        out[n++][p - s] = 0;
    }
}

/* Checks section.key = value against dlsim's table on a scratch
 * configuration: an unknown key (with the nearest name) or a bad value is
 * an error naming where. */
static int check_assign(const char *key, const char *value, const char *where, char *err, size_t len)
{
    static dl_config scratch;
    char section[64];
    const char *dot = strchr(key, '.');
    if (!dot || dot == key || !dot[1] || (size_t)(dot - key) >= sizeof section) {
        seterr(err, len, "%s: '%s': expected a configuration key, section.key (dlsim --help-config lists them)",
               where, key);
        return -1;
    }
    snprintf(section, sizeof section, "%.*s", (int)(dot - key), key);
    cfg_defaults(&scratch);
    return cfg_set(&scratch, section, dot + 1, value, where, err, len);
}

static int add_assign(exp_assign *sets, int *n, const char *key, const char *value, int line, const char *where,
                      char *err, size_t len)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(sets[i].key, key)) {
            seterr(err, len, "%s: %s is set twice in this section (first at line %d)", where, key, sets[i].line);
            return -1;
        }
    if (*n == EXP_MAX_SETS) {
        seterr(err, len, "%s: more than %d keys in one section", where, EXP_MAX_SETS);
        return -1;
    }
    if (check_assign(key, value, where, err, len) < 0) return -1;
    sets[*n] = (exp_assign){ xstrdup(key), xstrdup(value), line };
    (*n)++;
    return 0;
}

/* DIR(exp)/rel, or rel when absolute. */
static int resolve(const char *exp, const char *rel, char *out, size_t len)
{
    const char *slash = strrchr(exp, '/');
    int w = rel[0] == '/' || !slash ? snprintf(out, len, "%s", rel)
                                    : snprintf(out, len, "%.*s/%s", (int)(slash - exp), exp, rel);
    return w < 0 || (size_t)w >= len ? -1 : 0;
}

static int on_experiment(parse_ctx *x, const char *name, const char *value, const char *where)
{
    experiment *e = x->e;
    if (!strcmp(name, "base")) {
        if (e->base_line) goto twice;
        if (!*value || resolve(e->path, value, e->base, sizeof e->base) < 0) {
            seterr(x->err, sizeof x->err, "%s: base = '%s': expected the path of a configuration file, "
                   "relative to this file's folder", where, value);
            return -1;
        }
        e->base_line = x->lineno;
    } else if (!strcmp(name, "combine")) {
        if (e->combine_line) goto twice;
        if (strcmp(value, "cross") && strcmp(value, "zip")) {
            seterr(x->err, sizeof x->err, "%s: combine = '%s': expected cross (every combination of the axes' "
                   "values) or zip (the axes' values side by side)", where, value);
            return -1;
        }
        e->zip = !strcmp(value, "zip");
        e->combine_line = x->lineno;
    } else if (!strcmp(name, "results")) {
        if (e->results_line) goto twice;
        e->nresults = split_words(value, e->results, EXP_MAX_RESULTS);
        if (e->nresults <= 0) {
            e->nresults = 0;
            seterr(x->err, sizeof x->err, "%s: results: expected 1 to %d dotted paths into stats.json, such as "
                   "results.clients.requests_per_second", where, EXP_MAX_RESULTS);
            return -1;
        }
        for (int i = 0; i < e->nresults; i++)
            for (const char *p = e->results[i]; *p; p++)
                if (!isalnum((unsigned char)*p) && !strchr("._-", *p)) {
                    seterr(x->err, sizeof x->err, "%s: results: '%s': expected a dotted path of names and "
                           "array indices (letters, digits, '_', '-', '.')", where, e->results[i]);
                    return -1;
                }
        e->results_line = x->lineno;
    } else if (!strcmp(name, "pcap_in")) {
        if (e->args_line) goto twice;
        e->nargs = split_words(value, e->args, EXP_MAX_ARGS);
        if (e->nargs <= 0) {
            e->nargs = 0;
            seterr(x->err, sizeof x->err, "%s: pcap_in: expected 1 to %d dlsim --pcap-in values "
                   "([PORT=]FILE[,OPTION...])", where, EXP_MAX_ARGS);
            return -1;
        }
        e->args_line = x->lineno;
    } else {
        seterr(x->err, sizeof x->err, "%s: unknown key '%s' in [experiment]: expected base, combine, results "
               "or pcap_in", where, name);
        return -1;
    }
    return 0;
twice:
    seterr(x->err, sizeof x->err, "%s: %s is set twice in [experiment]", where, name);
    return -1;
}

const char *const exp_plot_keys[EXP_PLOT_KEYS] = { "x", "line", "y", "xlabel", "ylabel", "title", "map" };

static int on_plot(parse_ctx *x, const char *name, const char *value, const char *where)
{
    experiment *e = x->e;
    for (int i = 0; i < EXP_PLOT_KEYS; i++) {
        if (strcmp(name, exp_plot_keys[i])) continue;
        if (e->plot[i]) {
            seterr(x->err, sizeof x->err, "%s: %s is set twice in [plot]", where, name);
            return -1;
        }
        if (strchr(value, '"') || strchr(value, '\\') || strchr(value, '\'')) {
            seterr(x->err, sizeof x->err, "%s: [plot] %s: quotes and backslashes are not allowed", where, name);
            return -1;
        }
        e->plot[i] = xstrdup(value);
        e->plot_line[i] = x->lineno;
        return 0;
    }
    seterr(x->err, sizeof x->err, "%s: unknown key '%s' in [plot]: expected x, line, y, xlabel, ylabel, title or map",
           where, name);
    return -1;
}

static int valid_word(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("_-+.", *s)) return 0;
    return 1;
}

static int on_axis(parse_ctx *x, const char *name, const char *value, const char *where)
{
    experiment *e = x->e;
    for (int i = 0; i < e->naxes; i++)
        if (!strcmp(e->axes[i].name, name)) {
            seterr(x->err, sizeof x->err, "%s: axis %s is given twice (first at line %d)", where, name,
                   e->axes[i].line);
            return -1;
        }
    if (e->naxes == EXP_MAX_AXES) {
        seterr(x->err, sizeof x->err, "%s: more than %d axes", where, EXP_MAX_AXES);
        return -1;
    }
    exp_axis *a = &e->axes[e->naxes];
    memset(a, 0, sizeof *a);
    a->named = strchr(name, '.') == NULL;
    if (a->named && !valid_word(name)) {
        seterr(x->err, sizeof x->err, "%s: axis '%s': expected a configuration key (section.key) or the name of "
               "a bundle axis (letters, digits, '_', '-', '+')", where, name);
        return -1;
    }
    a->nvalues = split_words(value, a->values, EXP_MAX_VALUES);
    if (a->nvalues <= 0) {
        seterr(x->err, sizeof x->err, "%s: axis %s: expected 1 to %d values separated by spaces", where, name,
               EXP_MAX_VALUES);
        return -1;
    }
    a->name = xstrdup(name);
    a->line = x->lineno;
    e->naxes++;
    for (int v = 0; v < a->nvalues; v++) {
        for (int w = 0; w < v; w++)
            if (!strcmp(a->values[v], a->values[w])) {
                seterr(x->err, sizeof x->err, "%s: axis %s: value '%s' is given twice", where, name, a->values[v]);
                return -1;
            }
        if (a->named && !valid_word(a->values[v])) {
            seterr(x->err, sizeof x->err, "%s: axis %s: value '%s': a bundle value is a name (letters, digits, "
                   "'_', '-', '+', '.') with its own [%s:%s] section", where, name, a->values[v], name, a->values[v]);
            return -1;
        }
        if (!a->named && check_assign(name, a->values[v], where, x->err, sizeof x->err) < 0) return -1;
    }
    return 0;
}

static bundle_sec *find_bundle(parse_ctx *x, const char *section)
{
    for (int i = 0; i < x->nbs; i++) {
        size_t n = strlen(x->bs[i].axis);
        if (!strncmp(section, x->bs[i].axis, n) && section[n] == ':' && !strcmp(section + n + 1, x->bs[i].value))
            return &x->bs[i];
    }
    return NULL;
}

static int on_axis(parse_ctx *x, const char *name, const char *value, const char *where);

/* An indented line continuing a list (results, pcap_in, an axis' values):
 * its words appended. */
static int on_continuation(parse_ctx *x, const char *section, const char *name, const char *value,
                           const char *where)
{
    experiment *e = x->e;
    char **list = NULL;
    int *n = NULL, max = 0;
    if (!strcmp(section, "experiment") && !strcmp(name, "results")) {
        list = e->results, n = &e->nresults, max = EXP_MAX_RESULTS;
    } else if (!strcmp(section, "experiment") && !strcmp(name, "pcap_in")) {
        list = e->args, n = &e->nargs, max = EXP_MAX_ARGS;
    } else if (!strcmp(section, "axes") && e->naxes && !strcmp(e->axes[e->naxes - 1].name, name)) {
        exp_axis *a = &e->axes[e->naxes - 1];
        char *words[EXP_MAX_VALUES];
        int k = split_words(value, words, EXP_MAX_VALUES - a->nvalues);
        if (k < 0) {
            seterr(x->err, sizeof x->err, "%s: axis %s: more than %d values", where, name, EXP_MAX_VALUES);
            return -1;
        }
        for (int i = 0; i < k; i++) free(words[i]);
        /* re-read the axis with every value so far, checked as one line */
        size_t len = strlen(value) + 2;
        for (int i = 0; i < a->nvalues; i++) len += strlen(a->values[i]) + 1;
        char *all = malloc(len);
        if (!all) abort();
        all[0] = 0;
        for (int i = 0; i < a->nvalues; i++) strcat(strcat(all, a->values[i]), " ");
        strcat(all, value);
        for (int i = 0; i < a->nvalues; i++) free(a->values[i]);
        free(a->name);
        int line = a->line;
        e->naxes--;
        int rc = on_axis(x, name, all, where);
        free(all);
        if (rc == 0) e->axes[e->naxes - 1].line = line;
        return rc;
    } else {
        seterr(x->err, sizeof x->err, "%s: an indented line continues only results, pcap_in or an axis' values "
               "(here it would continue %s)", where, name);
        return -1;
    }
    int k = split_words(value, list + *n, max - *n);
    if (k < 0) {
        seterr(x->err, sizeof x->err, "%s: %s: more than %d entries", where, name, max);
        return -1;
    }
    *n += k;
    return 0;
}

static int on_pair(void *user, const char *section, const char *name, const char *value)
{
    parse_ctx *x = user;
    char where[EXP_PATH_MAX + 32];
    if (x->failed) return 0;
    x->failed = x->lineno;
    snprintf(where, sizeof where, "%s:%d", x->e->path, x->lineno);
    int rc;
    int cont = x->indented && !strcmp(section, x->last_section) && !strcmp(name, x->last_name);
    snprintf(x->last_section, sizeof x->last_section, "%s", section);
    snprintf(x->last_name, sizeof x->last_name, "%s", name);
    if (cont) {
        if (on_continuation(x, section, name, value, where) < 0) return 0;
        x->failed = 0;
        return 1;
    }
    if (!*section) {
        seterr(x->err, sizeof x->err, "%s: key '%s' outside any section: expected [experiment], [set], [axes] "
               "or [AXIS:VALUE] first", where, name);
        return 0;
    }
    if (!strcmp(section, "experiment")) rc = on_experiment(x, name, value, where);
    else if (!strcmp(section, "axes")) rc = on_axis(x, name, value, where);
    else if (!strcmp(section, "plot")) rc = on_plot(x, name, value, where);
    else if (!strcmp(section, "set")) rc = add_assign(x->e->sets, &x->e->nsets, name, value, x->lineno, where,
                                                     x->err, sizeof x->err);
    else {
        bundle_sec *b = find_bundle(x, section); /* the section scan listed every [AXIS:VALUE] */
        if (!b) abort();
        if (!strcmp(name, "base")) {
            char path[EXP_PATH_MAX];
            if (b->b.base) {
                seterr(x->err, sizeof x->err, "%s: base is set twice in [%s]", where, section);
                return 0;
            }
            if (!*value || resolve(x->e->path, value, path, sizeof path) < 0) {
                seterr(x->err, sizeof x->err, "%s: base = '%s': expected the path of a configuration file, "
                       "relative to this file's folder", where, value);
                return 0;
            }
            b->b.base = xstrdup(path);
            b->b.base_line = x->lineno;
            rc = 0;
        } else {
            rc = add_assign(b->b.sets, &b->b.nsets, name, value, x->lineno, where, x->err, sizeof x->err);
        }
    }
    if (rc < 0) return 0;
    x->failed = 0;
    return 1;
}

/* libinih reports pairs, not section lines: every [section] line is checked
 * here first (known, or AXIS:VALUE, listed in x->bs), and lines libinih
 * would misread (too long, NUL bytes) are refused. */
static int scan_sections(parse_ctx *x, const char *text, size_t size, char *err, size_t len)
{
    const char *p = text, *end = text + size;
    const char *path = x->e->path;
    for (int lineno = 1; p < end; lineno++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char line[CFG_LINE_MAX + 1];
        if (memchr(p, 0, n)) {
            seterr(err, len, "%s:%d: NUL byte: an experiment file is text", path, lineno);
            return -1;
        }
        if (n > CFG_LINE_MAX) {
            seterr(err, len, "%s:%d: line of %zu characters: expected at most %d", path, lineno, n, CFG_LINE_MAX);
            return -1;
        }
        memcpy(line, p, n);
        line[n] = 0;
        p = nl ? nl + 1 : end;
        char *s = line;
        while (isspace((unsigned char)*s)) s++;
        if (*s != '[') continue;
        char *close = strchr(s, ']');
        if (!close) continue; /* libinih reports the syntax error */
        *close = 0;
        s++;
        if (!strcmp(s, "experiment") || !strcmp(s, "set") || !strcmp(s, "axes") || !strcmp(s, "plot")) continue;
        char *colon = strchr(s, ':');
        if (!colon || colon == s || !colon[1]) {
            seterr(err, len, "%s:%d: unknown section [%s]: expected [experiment], [set], [axes], [plot] or [AXIS:VALUE] "
                   "(the keys one value of a bundle axis sets)", path, lineno, s);
            return -1;
        }
        *colon = 0;
        for (int i = 0; i < x->nbs; i++)
            if (!strcmp(x->bs[i].axis, s) && !strcmp(x->bs[i].value, colon + 1)) {
                seterr(err, len, "%s:%d: section [%s:%s] is given twice (first at line %d)", path, lineno, s,
                       colon + 1, x->bs[i].b.line);
                return -1;
            }
        if (x->nbs == MAX_BUNDLE_SECTIONS) {
            seterr(err, len, "%s:%d: too many [AXIS:VALUE] sections", path, lineno);
            return -1;
        }
        bundle_sec *b = &x->bs[x->nbs++];
        memset(b, 0, sizeof *b);
        b->axis = xstrdup(s);
        b->value = xstrdup(colon + 1);
        b->b.line = lineno;
    }
    return 0;
}

/* After the file: bundles attached to their axes, required keys there,
 * zip lengths equal, labels chosen. */
static int finish(parse_ctx *x, char *err, size_t len)
{
    experiment *e = x->e;
    if (!e->base_line) {
        seterr(err, len, "%s: no base configuration: expected base = FILE in [experiment]", e->path);
        return -1;
    }
    if (!e->nresults) {
        seterr(err, len, "%s: nothing to tabulate: expected results = PATH... in [experiment] (dotted paths into "
               "stats.json, such as results.clients.requests_per_second)", e->path);
        return -1;
    }
    if (!e->naxes) {
        seterr(err, len, "%s: no axis: expected [axes] with at least one section.key = VALUE...", e->path);
        return -1;
    }
    for (int i = 0; i < e->naxes; i++) {
        exp_axis *a = &e->axes[i];
        if (e->zip && a->nvalues != e->axes[0].nvalues) {
            seterr(err, len, "%s:%d: combine = zip: axis %s has %d values, axis %s (line %d) %d: zipped axes "
                   "need as many values each", e->path, a->line, a->name, a->nvalues, e->axes[0].name,
                   e->axes[0].line, e->axes[0].nvalues);
            return -1;
        }
        if (!a->named) continue;
        a->bundles = calloc((size_t)a->nvalues, sizeof *a->bundles);
        if (!a->bundles) abort();
        for (int v = 0; v < a->nvalues; v++) {
            int found = 0;
            for (int k = 0; k < x->nbs; k++)
                if (!strcmp(x->bs[k].axis, a->name) && !strcmp(x->bs[k].value, a->values[v])) {
                    a->bundles[v] = x->bs[k].b;
                    memset(&x->bs[k].b, 0, sizeof x->bs[k].b);
                    x->bs[k].used = 1;
                    found = 1;
                }
            if (!found) {
                seterr(err, len, "%s:%d: axis %s: value '%s' has no [%s:%s] section (the keys it sets)", e->path,
                       a->line, a->name, a->values[v], a->name, a->values[v]);
                return -1;
            }
        }
    }
    for (int k = 0; k < x->nbs; k++)
        if (!x->bs[k].used) {
            seterr(err, len, "%s:%d: section [%s:%s]: %s is not a bundle axis of [axes] with the value %s", e->path,
                   x->bs[k].b.line, x->bs[k].axis, x->bs[k].value, x->bs[k].axis, x->bs[k].value);
            return -1;
        }
    for (int k = EXP_PLOT_X; k <= EXP_PLOT_Y; k++) {
        int found = !e->plot[k];
        for (int i = 0; i < e->naxes && !found; i++) found = !strcmp(e->plot[k], e->axes[i].name);
        for (int i = 0; i < e->nresults && !found; i++) found = !strcmp(e->plot[k], e->results[i]);
        if (!found) {
            seterr(err, len, "%s:%d: [plot] %s = %s: not a column of the table (an axis or one of the results)",
                   e->path, e->plot_line[k], exp_plot_keys[k], e->plot[k]);
            return -1;
        }
    }
    int some = 0, all = 1;
    for (int k = EXP_PLOT_X; k <= EXP_PLOT_Y; k++) {
        some |= e->plot[k] != NULL;
        all &= e->plot[k] != NULL;
    }
    if (some) {
        int t = 0;
        for (int i = 0; i < e->nresults; i++) t |= !strcmp(e->results[i], "results.time_ns");
        if (!t) {
            seterr(err, len, "%s:%d: [plot]: the figure states the simulated time its points cover: expected "
                   "results.time_ns among the results", e->path, e->plot_line[EXP_PLOT_X]);
            return -1;
        }
    }
    if (some && !all) {
        seterr(err, len, "%s: [plot] needs x, line and y (the table's columns: the x axis, one line per value of "
               "line, y)", e->path);
        return -1;
    }
    for (int i = 0; i < e->naxes; i++) {
        exp_axis *a = &e->axes[i];
        const char *dot = strrchr(a->name, '.');
        a->label = dot ? dot + 1 : a->name;
        for (int j = 0; j < e->naxes; j++) {
            const char *d2 = strrchr(e->axes[j].name, '.');
            if (j != i && !strcmp(a->label, d2 ? d2 + 1 : e->axes[j].name)) a->label = a->name;
        }
    }
    return 0;
}

int exp_load(experiment *e, const char *path, char *err, size_t len)
{
    memset(e, 0, sizeof *e);
    if (strlen(path) >= sizeof e->path) {
        seterr(err, len, "%s: path too long", path);
        return -1;
    }
    snprintf(e->path, sizeof e->path, "%s", path);
    const char *slash = strrchr(path, '/');
    const char *file = slash ? slash + 1 : path;
    size_t n = strlen(file);
    if (n > 4 && !strcmp(file + n - 4, ".ini")) n -= 4;
    snprintf(e->name, sizeof e->name, "%.*s", (int)n, file);

    FILE *f = fopen(path, "rb");
    if (!f) {
        seterr(err, len, "%s: cannot open experiment file: %s", path, strerror(errno));
        return -1;
    }
    char *text = malloc(EXP_FILE_MAX + 1);
    if (!text) abort();
    size_t size = fread(text, 1, EXP_FILE_MAX + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || size > EXP_FILE_MAX) {
        seterr(err, len, bad ? "%s: cannot read experiment file (a directory?)" : "%s: larger than 1 MiB: "
               "expected an INI experiment file", path);
        free(text);
        return -1;
    }
    parse_ctx x;
    memset(&x, 0, sizeof x);
    x.e = e;
    x.bs = calloc(MAX_BUNDLE_SECTIONS, sizeof *x.bs);
    if (!x.bs) abort();
    int rc = scan_sections(&x, text, size, err, len);
    if (rc == 0) {
        x.pos = text;
        x.end = text + size;
        ini_max_line = CFG_LINE_MAX + 3;
        int r = ini_parse_stream(read_line, &x, on_pair, &x);
        if (r != 0) {
            if (r > 0 && x.failed == r) seterr(err, len, "%s", x.err);
            else seterr(err, len, "%s:%d: syntax error: expected [section], key = value, or a ; comment", path, r);
            rc = -1;
        }
    }
    if (rc == 0) rc = finish(&x, err, len);
    for (int i = 0; i < x.nbs; i++) {
        free(x.bs[i].axis);
        free(x.bs[i].value);
        free(x.bs[i].b.base);
        for (int k = 0; k < x.bs[i].b.nsets; k++) {
            free(x.bs[i].b.sets[k].key);
            free(x.bs[i].b.sets[k].value);
        }
    }
    free(x.bs);
    free(text);
    if (rc < 0) exp_free(e);
    return rc;
}

void exp_free(experiment *e)
{
    for (int i = 0; i < e->nsets; i++) {
        free(e->sets[i].key);
        free(e->sets[i].value);
    }
    for (int i = 0; i < e->nresults; i++) free(e->results[i]);
    for (int i = 0; i < e->nargs; i++) free(e->args[i]);
    for (int i = 0; i < EXP_PLOT_KEYS; i++) free(e->plot[i]);
    for (int i = 0; i < e->naxes; i++) {
        exp_axis *a = &e->axes[i];
        for (int v = 0; v < a->nvalues; v++) {
            free(a->values[v]);
            if (!a->bundles) continue;
            free(a->bundles[v].base);
            for (int k = 0; k < a->bundles[v].nsets; k++) {
                free(a->bundles[v].sets[k].key);
                free(a->bundles[v].sets[k].value);
            }
        }
        free(a->bundles);
        free(a->name);
    }
    memset(e, 0, sizeof *e);
}
