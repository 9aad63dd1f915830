/* golden_diff.c - a readable summary of how a new run differs from a golden
 * case's files (golden_diff.h). Frames are matched by their bytes, not by
 * position, so that one frame more early in a capture shows as one frame
 * added (and the later ones retimed), not as every later frame changed. */
#include "golden_diff.h"

#include <cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

typedef struct frame {
    uint64_t ts_ns;   /* timestamp */
    uint64_t hash;    /* FNV-1a of the captured bytes */
    uint32_t len;     /* captured bytes */
    size_t idx;       /* position in the file */
} frame;

static uint32_t rd32(const unsigned char *p, int swap)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return swap ? (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24) : v;
}

/* The frames of a pcap; NULL (and what is wrong on out) when it is not one. */
static frame *read_pcap(const char *path, size_t *n, const char *indent, FILE *out)
{
    size_t len;
    unsigned char *b = (unsigned char *)test_read_bytes(path, &len);
    if (!b || len < 24) {
        fprintf(out, "%s%s: cannot read a pcap header\n", indent, path);
        free(b);
        return NULL;
    }
    uint32_t magic = rd32(b, 0);
    int swap = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
    uint32_t m = swap ? rd32(b, 1) : magic;
    if (m != 0xa1b2c3d4u && m != 0xa1b23c4du) {
        fprintf(out, "%s%s: not a pcap file (magic 0x%08x)\n", indent, path, magic);
        free(b);
        return NULL;
    }
    uint64_t frac_ns = m == 0xa1b23c4du ? 1 : 1000;
    size_t cap = 64, off = 24;
    frame *f = malloc(cap * sizeof *f);
    *n = 0;
    while (f && off + 16 <= len) {
        uint32_t incl = rd32(b + off + 8, swap);
        if (off + 16 + incl > len) {
            fprintf(out, "%s%s: truncated after frame %zu\n", indent, path, *n);
            free(f);
            free(b);
            return NULL;
        }
        if (*n == cap) f = realloc(f, (cap *= 2) * sizeof *f);
        if (!f) break;
        uint64_t h = 1469598103934665603ull;
        for (uint32_t i = 0; i < incl; i++) h = (h ^ b[off + 16 + i]) * 1099511628211ull;
        f[*n] = (frame){ (uint64_t)rd32(b + off, swap) * 1000000000ull + rd32(b + off + 4, swap) * frac_ns, h, incl,
                         *n };
        (*n)++;
        off += 16 + incl;
    }
    free(b);
    return f;
}

static int by_hash(const void *a, const void *b)
{
    const frame *x = a, *y = b;
    if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void print_ts(FILE *out, const frame *f)
{
    fprintf(out, "%llu.%09llu s (%u bytes)", (unsigned long long)(f->ts_ns / 1000000000ull),
            (unsigned long long)(f->ts_ns % 1000000000ull), f->len);
}

int golden_diff_pcap(const char *old_path, const char *new_path, const char *indent, FILE *out)
{
    size_t no, nn;
    frame *o = read_pcap(old_path, &no, indent, out);
    frame *n = o ? read_pcap(new_path, &nn, indent, out) : NULL;
    if (!o || !n) {
        free(o);
        return -1;
    }
    size_t first = 0, lim = no < nn ? no : nn;
    while (first < lim && o[first].hash == n[first].hash && o[first].ts_ns == n[first].ts_ns &&
           o[first].len == n[first].len)
        first++;
    int differ = first < lim || no != nn;
    fprintf(out, "%swire.pcap: %zu -> %zu frames", indent, no, nn);
    if (!differ) {
        fprintf(out, ", unchanged\n");
        free(o);
        free(n);
        return 0;
    }
    fprintf(out, "; first difference at frame %zu: old ", first);
    if (first < no) print_ts(out, &o[first]); else fprintf(out, "none");
    fprintf(out, ", new ");
    if (first < nn) print_ts(out, &n[first]); else fprintf(out, "none");
    fprintf(out, "\n");
    fprintf(out, "%s  last frame: old ", indent);
    if (no) print_ts(out, &o[no - 1]); else fprintf(out, "none");
    fprintf(out, ", new ");
    if (nn) print_ts(out, &n[nn - 1]); else fprintf(out, "none");
    fprintf(out, "\n");
    /* Frames with the same bytes, paired in the order they occur. */
    qsort(o, no, sizeof *o, by_hash);
    qsort(n, nn, sizeof *n, by_hash);
    size_t i = 0, j = 0, same = 0, retimed = 0;
    while (i < no && j < nn) {
        if (o[i].hash < n[j].hash) i++;
        else if (o[i].hash > n[j].hash) j++;
        else {
            same++;
            retimed += o[i].ts_ns != n[j].ts_ns;
            i++;
            j++;
        }
    }
    fprintf(out, "%s  %zu frames in both (%zu of them at another time), %zu only in the new (added or changed), "
            "%zu only in the old (removed or changed)\n", indent, same, retimed, nn - same, no - same);
    free(o);
    free(n);
    return 1;
}

/* ---- results.json ---- */

typedef struct leaf {
    char path[256];
    char *value;   /* printed */
} leaf;

typedef struct leaves {
    leaf *v;
    size_t n, cap;
} leaves;

static void collect(const cJSON *j, const char *path, leaves *l)
{
    if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
        int k = 0;
        for (const cJSON *c = j->child; c; c = c->next, k++) {
            char p[256];
            if (cJSON_IsObject(j)) snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", c->string);
            else snprintf(p, sizeof p, "%s%s%d", path, *path ? "." : "", k);
            collect(c, p, l);
        }
        if (j->child) return;
    }
    if (l->n == l->cap && !(l->v = realloc(l->v, (l->cap = l->cap ? 2 * l->cap : 256) * sizeof *l->v))) return;
    snprintf(l->v[l->n].path, sizeof l->v[l->n].path, "%s", path);
    l->v[l->n++].value = cJSON_PrintUnformatted(j);
}

static int by_path(const void *a, const void *b) { return strcmp(((const leaf *)a)->path, ((const leaf *)b)->path); }

static int load_leaves(const char *path, leaves *l, const char *indent, FILE *out)
{
    char *text = test_read_file(path);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!j) {
        fprintf(out, "%s%s: cannot read it as JSON\n", indent, path);
        return -1;
    }
    collect(j, "", l);
    cJSON_Delete(j);
    return 0;
}

static void free_leaves(leaves *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i].value);
    free(l->v);
}

int golden_diff_json(const char *old_path, const char *new_path, const char *indent, int max_lines, FILE *out)
{
    leaves o = { 0 }, n = { 0 };
    if (load_leaves(old_path, &o, indent, out) < 0 || load_leaves(new_path, &n, indent, out) < 0) {
        free_leaves(&o);
        free_leaves(&n);
        return -1;
    }
    /* Order-preserving walk needs the same paths sorted on both sides. */
    leaf *os = o.v, *ns = n.v;
    if (o.n) qsort(os, o.n, sizeof *os, by_path);
    if (n.n) qsort(ns, n.n, sizeof *ns, by_path);
    size_t i = 0, j = 0, changed = 0;
    while (i < o.n || j < n.n) {
        int c = i == o.n ? 1 : j == n.n ? -1 : strcmp(os[i].path, ns[j].path);
        const char *p = c <= 0 ? os[i].path : ns[j].path;
        const char *a = c <= 0 ? os[i].value : "absent", *b = c >= 0 ? ns[j].value : "absent";
        if (c != 0 || strcmp(a, b) != 0) {
            if ((int)changed < max_lines) fprintf(out, "%s  %s: %s -> %s\n", indent, p, a, b);
            changed++;
        }
        if (c <= 0) i++;
        if (c >= 0) j++;
    }
    if ((int)changed > max_lines) fprintf(out, "%s  ... and %zu more\n", indent, changed - (size_t)max_lines);
    fprintf(out, "%sresults.json: %zu of %zu values changed\n", indent, changed, n.n);
    free_leaves(&o);
    free_leaves(&n);
    return changed > 0;
}
