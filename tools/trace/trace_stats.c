/* trace_stats.c - latencies, nearest-rank percentiles and counts over a
 * finished trace (see trace_stats.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "trace_stats.h"

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int64_t *trace_latencies(const struct trace *t, int type, size_t *n)
{
    *n = 0;
    int64_t *v = malloc((t->ntxns ? t->ntxns : 1) * sizeof *v);
    if (!v) return NULL;
    for (size_t i = 0; i < t->ntxns; i++) {
        const struct trace_txn *x = &t->txns[i];
        if ((type < 0 || x->type == type) && x->resp_ns >= 0) v[(*n)++] = x->resp_ns - x->req_ns;
    }
    if (*n == 0) {
        free(v);
        return NULL;
    }
    qsort(v, *n, sizeof *v, cmp64);
    return v;
}

int64_t trace_quantile(const int64_t *sorted, size_t n, double p)
{
    if (n == 0) return 0;
    double r = ceil(p * (double)n - 1e-9);
    size_t k = r < 1 ? 1 : (size_t)r;
    if (k > n) k = n;
    return sorted[k - 1];
}

size_t trace_count(const struct trace *t, int type, size_t *errors)
{
    size_t n = 0, e = 0;
    for (size_t i = 0; i < t->ntxns; i++)
        if (type < 0 || t->txns[i].type == type) {
            n++;
            e += t->txns[i].error != 0;
        }
    if (errors) *errors = e;
    return n;
}

uint64_t trace_retrans(const struct trace *t)
{
    uint64_t r = 0;
    for (int i = 0; i < t->nflows; i++) r += t->flows[i].retrans[0] + t->flows[i].retrans[1];
    return r;
}

int trace_find_type(const struct trace *t, const char *name)
{
    for (int i = 0; i < t->ntypes; i++)
        if (!strcmp(t->types[i], name)) return i;
    return -1;
}
