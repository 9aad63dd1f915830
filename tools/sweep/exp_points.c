/* exp_points.c - the points of an experiment: their order and folder
 * names, and each point's configuration, loaded and checked as dlsim does
 * (sim/config.c). */
#include "experiment.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpipe/mpipe_classify.h"

static void seterr(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

/* The folder name of a point: LABEL=VALUE joined by ',', characters that
 * do not belong in a file name made '_'. */
static void point_name(const experiment *e, exp_point *p)
{
    size_t o = 0;
    p->name[0] = 0;
    for (int i = 0; i < e->naxes && o < sizeof p->name - 1; i++) {
        int w = snprintf(p->name + o, sizeof p->name - o, "%s%s=%s", i ? "," : "", e->axes[i].label,
                         e->axes[i].values[p->idx[i]]);
        o = w < 0 ? o : o + (size_t)w;
        if (o > sizeof p->name - 1) o = sizeof p->name - 1;
    }
    for (char *c = p->name; *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr("=,._-+", *c)) *c = '_';
}

int exp_points(const experiment *e, exp_point **out, char *err, size_t len)
{
    long total = e->zip ? e->axes[0].nvalues : 1;
    for (int i = 0; i < e->naxes && !e->zip; i++) {
        total *= e->axes[i].nvalues;
        if (total > 100000) {
            seterr(err, len, "%s: more than 100000 points: expected a smaller sweep", e->path);
            return -1;
        }
    }
    exp_point *p = calloc((size_t)total, sizeof *p);
    if (!p) abort();
    for (long k = 0; k < total; k++) {
        long rest = k;
        for (int i = e->naxes - 1; i >= 0; i--) {
            if (e->zip) {
                p[k].idx[i] = (int)k;
                continue;
            }
            p[k].idx[i] = (int)(rest % e->axes[i].nvalues);
            rest /= e->axes[i].nvalues;
        }
        point_name(e, &p[k]);
        for (long j = 0; j < k; j++)
            if (!strcmp(p[j].name, p[k].name)) {
                seterr(err, len, "%s: two points would share the folder '%s': make the axes' values differ in "
                       "letters, digits and '._-+'", e->path, p[k].name);
                free(p);
                return -1;
            }
    }
    *out = p;
    return (int)total;
}

const char *exp_point_base(const experiment *e, const exp_point *p, int *line)
{
    const char *base = e->base;
    if (line) *line = e->base_line;
    for (int i = 0; i < e->naxes; i++)
        if (e->axes[i].named && e->axes[i].bundles[p->idx[i]].base) {
            base = e->axes[i].bundles[p->idx[i]].base;
            if (line) *line = e->axes[i].bundles[p->idx[i]].base_line;
        }
    return base;
}

int exp_point_sets(const experiment *e, const exp_point *p, exp_assign *sets, int max)
{
    int n = 0;
    for (int i = 0; i < e->nsets && n < max; i++) sets[n++] = e->sets[i];
    for (int i = 0; i < e->naxes; i++) {
        const exp_axis *a = &e->axes[i];
        if (!a->named) {
            if (n < max) sets[n++] = (exp_assign){ a->name, a->values[p->idx[i]], a->line };
            continue;
        }
        const exp_bundle *b = &a->bundles[p->idx[i]];
        for (int k = 0; k < b->nsets && n < max; k++) sets[n++] = b->sets[k];
    }
    return n;
}

int exp_point_config(const experiment *e, const exp_point *p, dl_config *cfg, char *err, size_t len)
{
    char e2[1024], where[EXP_PATH_MAX + 32];
    int line;
    const char *base = exp_point_base(e, p, &line);
    cfg_defaults(cfg);
    if (cfg_load_file(cfg, base, e2, sizeof e2) < 0) {
        seterr(err, len, "%s:%d: base of point %s: %s", e->path, line, p->name, e2);
        return -1;
    }
    exp_assign sets[EXP_POINT_SETS_MAX];
    int n = exp_point_sets(e, p, sets, EXP_POINT_SETS_MAX);
    for (int k = 0; k < n; k++) {
        exp_assign a = sets[k];
        char section[64];
        const char *dot = strchr(a.key, '.');
        snprintf(section, sizeof section, "%.*s", (int)(dot - a.key), a.key);
        snprintf(where, sizeof where, "%s:%d", e->path, a.line);
        if (cfg_set(cfg, section, dot + 1, a.value, where, e2, sizeof e2) < 0) {
            seterr(err, len, "point %s: %s", p->name, e2);
            return -1;
        }
    }
    mpipe_rules rules;
    if (cfg_check(cfg, e2, sizeof e2) < 0 || mpipe_rules_parse(cfg->mpipe.rules, &rules, e2, sizeof e2) < 0) {
        seterr(err, len, "point %s: %s", p->name, e2);
        return -1;
    }
    if (cfg->deployment.mode != CFG_DEPLOY_BASELINE &&
        cfg->deployment.stack_tiles >= cfg->chip.width * cfg->chip.height) {
        seterr(err, len, "point %s: deployment.stack_tiles = %lld leaves no application tile on a %lldx%lld chip",
               p->name, (long long)cfg->deployment.stack_tiles, (long long)cfg->chip.width,
               (long long)cfg->chip.height);
        return -1;
    }
    return 0;
}
