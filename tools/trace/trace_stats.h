/* trace_stats.h - figures over a trace's transactions shared by dltrace and
 * dlcompare: latencies of one request type (or all), nearest-rank
 * percentiles, and counts. */
#ifndef DL_TRACE_TRACE_STATS_H
#define DL_TRACE_TRACE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

/* Latencies (ns) of the answered transactions of type `type` (-1: all),
 * sorted ascending; *n their number. malloc'd (NULL when none). */
int64_t *trace_latencies(const struct trace *t, int type, size_t *n);

/* The nearest-rank p-quantile (0 < p <= 1) of n sorted values: the
 * smallest value with at least p*n values at or below it. */
int64_t trace_quantile(const int64_t *sorted, size_t n, double p);

/* Transactions of a type (-1: all), and how many of them are errors. */
size_t trace_count(const struct trace *t, int type, size_t *errors);

/* Sums over the flows. */
uint64_t trace_retrans(const struct trace *t);

/* The index of a type by name in t, or -1. */
int trace_find_type(const struct trace *t, const char *name);

#endif
