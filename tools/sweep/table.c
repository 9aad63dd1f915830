/* table.c - table.dat and table.json of a sweep, from the points'
 * stats.json. Byte-identical for identical results, whoever ran the points
 * (the local runner or Slurm tasks): nothing host-dependent goes in. */
#include "table.h"

#include <cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The item at a dotted path ("results.tiles.0.busy_cycles": names of
 * object members, indices of arrays), or NULL. */
static cJSON *json_at(cJSON *root, const char *path)
{
    char part[256];
    const char *p = path;
    cJSON *j = root;
    while (j && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof part) return NULL;
        memcpy(part, p, n);
        part[n] = 0;
        if (cJSON_IsArray(j)) {
            char *end;
            long i = strtol(part, &end, 10);
            j = *end || end == part || i < 0 ? NULL : cJSON_GetArrayItem(j, (int)i);
        } else {
            j = cJSON_GetObjectItemCaseSensitive(j, part);
        }
        p = dot ? dot + 1 : p + n;
    }
    return j;
}

/* A number as text: whole numbers without a fraction, others in the fewest
 * digits that read back to the same double. */
static void format_number(double v, char *out, size_t len)
{
    if (isnan(v)) snprintf(out, len, "NaN");
    else if (v == floor(v) && fabs(v) < 9007199254740992.0) snprintf(out, len, "%.0f", v);
    else {
        for (int prec = 6; prec <= 17; prec++) {
            snprintf(out, len, "%.*g", prec, v);
            if (strtod(out, NULL) == v) return;
        }
    }
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 65536, n = 0;
    char *s = malloc(cap + 1);
    size_t r;
    while (s && (r = fread(s + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) s = realloc(s, (cap *= 2) + 1);
    }
    fclose(f);
    if (s) s[n] = 0;
    return s;
}

/* The cell of one result of one point: text for table.dat, an item for
 * table.json. 0, or -1 with err set. */
static int result_cell(const experiment *e, cJSON *stats, const char *point, int r, char *text, size_t tlen,
                       cJSON **item, char *err, size_t len)
{
    cJSON *j = json_at(stats, e->results[r]);
    if (!j) {
        snprintf(err, len, "%s:%d: results: %s is not in point %s's stats.json (a dotted path of names and array "
                 "indices, e.g. results.clients.requests_per_second)", e->path, e->results_line, e->results[r],
                 point);
        return -1;
    }
    if (cJSON_IsNumber(j)) {
        format_number(j->valuedouble, text, tlen);
        *item = cJSON_CreateNumber(j->valuedouble);
    } else if (cJSON_IsBool(j)) {
        snprintf(text, tlen, "%d", cJSON_IsTrue(j) ? 1 : 0);
        *item = cJSON_CreateBool(cJSON_IsTrue(j));
    } else if (cJSON_IsNull(j)) {
        snprintf(text, tlen, "NaN");
        *item = cJSON_CreateNull();
    } else if (cJSON_IsString(j)) {
        snprintf(text, tlen, "%s", *j->valuestring ? j->valuestring : "-");
        for (char *c = text; *c; c++)
            if (isspace((unsigned char)*c)) *c = '_';
        *item = cJSON_CreateString(j->valuestring);
    } else {
        snprintf(err, len, "%s:%d: results: %s in point %s's stats.json is an %s: expected a number, string or "
                 "boolean (name one of its members)", e->path, e->results_line, e->results[r], point,
                 cJSON_IsArray(j) ? "array" : "object");
        return -1;
    }
    return 0;
}

static int write_file(const char *path, const char *text, char *err, size_t len)
{
    char tmp[EXP_PATH_MAX + 32];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int ok = f && fputs(text, f) >= 0;
    if (f && fclose(f) != 0) ok = 0;
    if (ok && rename(tmp, path) == 0) return 0;
    snprintf(err, len, "%s: cannot write: %s", path, strerror(errno));
    return -1;
}

int table_write(const experiment *e, const exp_point *pts, const int *done, int n, const char *resdir, char *err,
                size_t len)
{
    int ncol = e->naxes + e->nresults, missing = 0, rc = -1;
    char **cells = calloc((size_t)n * (size_t)ncol, sizeof *cells);
    size_t *width = calloc((size_t)ncol, sizeof *width);
    cJSON *root = cJSON_CreateObject(), *cols, *rows;
    if (!cells || !width || !root) abort();
    cJSON_AddStringToObject(root, "experiment", e->path);
    cJSON_AddStringToObject(root, "combine", e->zip ? "zip" : "cross");
    cJSON_AddNumberToObject(root, "axes", e->naxes);
    cols = cJSON_AddArrayToObject(root, "columns");
    for (int c = 0; c < ncol; c++) {
        const char *name = c < e->naxes ? e->axes[c].name : e->results[c - e->naxes];
        cJSON_AddItemToArray(cols, cJSON_CreateString(name));
        width[c] = strlen(name) + (c == 0 ? 2 : 0); /* "# " before the first */
    }
    rows = cJSON_AddArrayToObject(root, "rows");
    for (int k = 0; k < n; k++) {
        cJSON *row = cJSON_CreateObject(), *vals;
        cJSON_AddItemToArray(rows, row);
        cJSON_AddStringToObject(row, "point", pts[k].name);
        cJSON_AddBoolToObject(row, "done", done[k]);
        vals = cJSON_AddArrayToObject(row, "values");
        for (int a = 0; a < e->naxes; a++) {
            cells[k * ncol + a] = strdup(e->axes[a].values[pts[k].idx[a]]);
            cJSON_AddItemToArray(vals, cJSON_CreateString(e->axes[a].values[pts[k].idx[a]]));
        }
        cJSON *stats = NULL;
        if (done[k]) {
            char path[EXP_PATH_MAX + 600];
            snprintf(path, sizeof path, "%s/%s/stats.json", resdir, pts[k].name);
            char *text = read_text(path);
            stats = text ? cJSON_Parse(text) : NULL;
            free(text);
            if (!stats) {
                snprintf(err, len, "%s: cannot read or parse", path);
                goto out;
            }
        } else {
            missing++;
        }
        for (int r = 0; r < e->nresults; r++) {
            char text[512];
            cJSON *item;
            if (!stats) {
                snprintf(text, sizeof text, "NaN");
                item = cJSON_CreateNull();
            } else if (result_cell(e, stats, pts[k].name, r, text, sizeof text, &item, err, len) < 0) {
                cJSON_Delete(stats);
                goto out;
            }
            cells[k * ncol + e->naxes + r] = strdup(text);
            cJSON_AddItemToArray(vals, item);
        }
        cJSON_Delete(stats);
        for (int c = 0; c < ncol; c++) {
            if (!cells[k * ncol + c]) abort();
            size_t w = strlen(cells[k * ncol + c]);
            if (w > width[c]) width[c] = w;
        }
    }
    /* table.dat: columns padded to their widest cell, the last unpadded */
    size_t cap = 256;
    for (int c = 0; c < ncol; c++) cap += (width[c] + 1) * (size_t)(n + 1);
    char *dat = malloc(cap), *o = dat;
    if (!dat) abort();
    for (int k = -1; k < n; k++) {
        for (int c = 0; c < ncol; c++) {
            const char *s = k < 0 ? (c < e->naxes ? e->axes[c].name : e->results[c - e->naxes]) : cells[k * ncol + c];
            const char *pre = k < 0 && c == 0 ? "# " : "";
            int pad = c == ncol - 1 ? 0 : (int)(width[c] - strlen(pre));
            o += sprintf(o, "%s%-*s%s", pre, pad, s, c == ncol - 1 ? "\n" : " ");
        }
    }
    char path[EXP_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/table.dat", resdir);
    int ok = write_file(path, dat, err, len) == 0;
    free(dat);
    if (!ok) goto out;
    char *json = cJSON_Print(root);
    if (!json) abort();
    size_t jl = strlen(json);
    json = realloc(json, jl + 2);
    json[jl] = '\n';
    json[jl + 1] = 0;
    snprintf(path, sizeof path, "%s/table.json", resdir);
    ok = write_file(path, json, err, len) == 0;
    free(json);
    if (ok) rc = missing;
out:
    for (int i = 0; i < n * ncol; i++) free(cells[i]);
    free(cells);
    free(width);
    cJSON_Delete(root);
    return rc;
}

int table_write_plot(const experiment *e, const char *resdir, char *err, size_t len)
{
    int any = 0;
    for (int k = 0; k < EXP_PLOT_KEYS; k++) any |= e->plot[k] != NULL;
    if (!any) return 0;
    char path[EXP_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/plot.gp", resdir);
    FILE *f = fopen(path, "w");
    int ok = f != NULL;
    if (ok) {
        fprintf(f, "# written by dlsweep from %s: the variables of plots/sweep_lines.gp\n", e->path);
        fprintf(f, "data = '%s/table.dat'\nout = '%s/%s'\nsource = '%s'\n", resdir, resdir, e->name, e->path);
        for (int k = 0; k < EXP_PLOT_KEYS; k++) {
            const char *v = e->plot[k];
            if (k == EXP_PLOT_MAP) fprintf(f, "map_point = '%s'\n", v ? v : "");
            else if (v) fprintf(f, "%s = '%s'\n", exp_plot_keys[k], v);
        }
        if (fclose(f) != 0) ok = 0;
    }
    if (ok) return 0;
    snprintf(err, len, "%s: cannot write: %s", path, strerror(errno));
    return -1;
}
