/* workload_dist.h - the random distributions of the workload generators:
 * pure functions over a seeded PRNG stream (the caller holds the state; no
 * globals): uniform, exponential (Poisson arrivals), Zipf over n keys with
 * any exponent (exact: inversion of the precomputed CDF), generalized
 * extreme value and generalized Pareto (Facebook's ETC key sizes, value
 * sizes and inter-arrival times), and fixed mixes (weighted choices such as
 * a 30:1 get:set ratio).
 *
 * The ETC parameters are those of Atikoglu, Xu, Frachtenberg, Jiang and
 * Paleczny, "Workload Analysis of a Large-Scale Key-Value Store",
 * SIGMETRICS 2012, as encoded by the mutilate load generator:
 *   key size      GEV(location 30.7984, scale 8.20449, shape 0.078688) bytes
 *   value size    0..14 bytes from a discrete table (WL_ETC_VALUE_TABLE,
 *                 about 44 % of values), above that Generalized
 *                 Pareto(location 15, scale 214.476, shape 0.348238)
 *   inter-arrival Generalized Pareto(0, 16.0292, 0.154971) microseconds,
 *                 rescaled to the target rate
 *   GET:SET       30:1
 * Sampling: Generalized Pareto x = loc + scale (U^-shape - 1) / shape with
 * U uniform on (0, 1]; GEV x = loc + scale (E^-shape - 1) / shape with E
 * exponential(1). */
#ifndef DL_SIM_WORKLOAD_DIST_H
#define DL_SIM_WORKLOAD_DIST_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A PRNG stream (splitmix64). Streams of one seed are independent in
 * practice: each starts at a different splitmix64 output. */
struct wl_rng {
    uint64_t s;
};
void wl_seed(struct wl_rng *r, uint64_t seed, uint64_t stream);
uint64_t wl_next(struct wl_rng *r);
double wl_unit(struct wl_rng *r);            /* uniform on [0, 1), 53 bits */
double wl_unit_open(struct wl_rng *r);       /* uniform on (0, 1] */
uint64_t wl_below(struct wl_rng *r, uint64_t n);   /* uniform on 0..n-1 (n > 0) */

double wl_uniform(struct wl_rng *r, double a, double b);     /* [a, b) */
double wl_exponential(struct wl_rng *r, double mean);        /* Poisson inter-arrivals */
double wl_gpareto(struct wl_rng *r, double loc, double scale, double shape);
double wl_gev(struct wl_rng *r, double loc, double scale, double shape);

/* The closed forms the tests and users check against. Moments are NaN
 * where they do not exist (a heavy tail). */
double wl_gpareto_quantile(double p, double loc, double scale, double shape);
double wl_gpareto_mean(double loc, double scale, double shape);
double wl_gpareto_var(double scale, double shape);
double wl_gev_quantile(double p, double loc, double scale, double shape);
double wl_gev_mean(double loc, double scale, double shape);
double wl_gev_var(double scale, double shape);

/* Zipf over keys 0..n-1: P(key k) = (k+1)^-s / H(n, s), s >= 0 (0 is
 * uniform). wl_zipf_init returns 0, or -1 for n == 0, s < 0 or not finite,
 * or no memory; the CDF takes 8n bytes. */
struct wl_zipf {
    uint64_t n;
    double s;
    double *cdf;     /* cdf[k] = P(key <= k) */
};
int wl_zipf_init(struct wl_zipf *z, uint64_t n, double s);
uint64_t wl_zipf_draw(const struct wl_zipf *z, struct wl_rng *r);
double wl_zipf_pmf(const struct wl_zipf *z, uint64_t k);
void wl_zipf_free(struct wl_zipf *z);

/* A fixed mix: one of n choices with the given weights (not all zero,
 * none negative). wl_mix_init returns 0 or -1. */
#define WL_MIX_MAX 32
struct wl_mix {
    int n;
    double cdf[WL_MIX_MAX];
};
int wl_mix_init(struct wl_mix *m, const double *weights, int n);
int wl_mix_draw(const struct wl_mix *m, struct wl_rng *r);

/* Facebook ETC (see the top of this file). */
#define WL_ETC_KEY_LOC 30.7984
#define WL_ETC_KEY_SCALE 8.20449
#define WL_ETC_KEY_SHAPE 0.078688
#define WL_ETC_VALUE_LOC 15.0
#define WL_ETC_VALUE_SCALE 214.476
#define WL_ETC_VALUE_SHAPE 0.348238
#define WL_ETC_IA_SCALE_US 16.0292
#define WL_ETC_IA_SHAPE 0.154971
#define WL_ETC_GET_PER_SET 30.0
extern const double WL_ETC_VALUE_TABLE[15];   /* P(value size = 0..14) */

/* Key size in bytes: the GEV rounded to the nearest integer, clamped to
 * 1..250 (memcached's limit). */
uint32_t wl_etc_key_size(struct wl_rng *r);
/* Value size in bytes: from the table, else the Generalized Pareto rounded
 * down, clamped to max (at least 15). */
uint32_t wl_etc_value_size(struct wl_rng *r, uint32_t max);
/* Inter-arrival time in ns for a mean rate of `rate` requests/s. */
double wl_etc_interarrival_ns(struct wl_rng *r, double rate);
/* 1 for a GET, 0 for a SET, in the ratio 30:1. */
int wl_etc_is_get(struct wl_rng *r);

#ifdef __cplusplus
}
#endif

#endif
