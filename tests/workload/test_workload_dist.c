/* test_workload_dist.c - the workload distributions against their closed
 * forms: for each parameter set a long seeded sample's mean, variance (when
 * its fourth moment exists) and empirical CDF at the exact quantiles; Zipf
 * and mixes by the frequency of each value; the ETC helpers; determinism;
 * bad parameters. Every tolerance is Z standard errors of the estimate for
 * the sample size (the mean: sigma/sqrt(N); the variance:
 * sqrt((mu4 - sigma^4)/N); a count: sqrt(N p (1-p))), Z = 5, so a correct
 * sampler fails with probability below 1e-6 per check; the power test shows
 * that a 3 % error in a parameter fails them. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "workload_dist.h"

#define N 400000
#define Z 5.0

static const double PS[] = { 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999 };
#define NPS (sizeof PS / sizeof PS[0])

enum kind { UNIFORM, EXPO, GPARETO, GEV };
struct dist {
    enum kind k;
    double a, b, c;   /* uniform a b; exponential mean a; GP and GEV loc a scale b shape c */
};

static double draw(const struct dist *d, struct wl_rng *r)
{
    switch (d->k) {
    case UNIFORM: return wl_uniform(r, d->a, d->b);
    case EXPO: return wl_exponential(r, d->a);
    case GPARETO: return wl_gpareto(r, d->a, d->b, d->c);
    default: return wl_gev(r, d->a, d->b, d->c);
    }
}

static double quantile(const struct dist *d, double p)
{
    switch (d->k) {
    case UNIFORM: return d->a + p * (d->b - d->a);
    case EXPO: return -d->a * log1p(-p);
    case GPARETO: return wl_gpareto_quantile(p, d->a, d->b, d->c);
    default: return wl_gev_quantile(p, d->a, d->b, d->c);
    }
}

/* Mean, variance and fourth central moment (NaN when infinite). GP: raw
 * moments E[(X-loc)^r] = r! scale^r / prod_{j<=r} (1 - j shape); GEV:
 * E[(E^-shape)^r] = Gamma(1 - r shape). */
static void moments(const struct dist *d, double *m, double *v, double *m4)
{
    double w = d->b - d->a, r[5] = { 1, 0, 0, 0, 0 }, s = 1, loc = 0;
    switch (d->k) {
    case UNIFORM:
        *m = (d->a + d->b) / 2;
        *v = w * w / 12;
        *m4 = w * w * w * w / 80;
        return;
    case EXPO:
        *m = d->a;
        *v = d->a * d->a;
        *m4 = 9 * pow(d->a, 4);
        return;
    case GPARETO:
        loc = d->a;
        for (int k = 1; k <= 4; k++) {
            double p = 1;
            for (int j = 1; j <= k; j++) p *= 1 - j * d->c;
            r[k] = p > 0 && k * d->c < 1 ? tgamma(k + 1) * pow(d->b, k) / p : NAN;
        }
        break;
    case GEV:
        for (int k = 1; k <= 4; k++) r[k] = k * d->c < 1 ? tgamma(1 - k * d->c) : NAN;
        s = d->b / d->c;   /* X = loc - scale/shape + s * W, W = E^-shape */
        loc = d->a - s;
        break;
    }
    double c2 = r[2] - r[1] * r[1], c4 = r[4] - 4 * r[3] * r[1] + 6 * r[2] * r[1] * r[1] - 3 * pow(r[1], 4);
    *m = loc + s * r[1];
    *v = s * s * c2;
    *m4 = pow(s, 4) * c4;
}

/* Checks one distribution; returns how many checks failed (printing them
 * when verbose). */
static int check_dist(const struct dist *sampled, const struct dist *formula, uint64_t seed, int verbose)
{
    struct wl_rng r;
    wl_seed(&r, seed, 0);
    double *x = malloc(N * sizeof *x), sum = 0;
    ck_assert_ptr_nonnull(x);
    for (int i = 0; i < N; i++) sum += x[i] = draw(sampled, &r);
    double mean = sum / N, ss = 0;
    for (int i = 0; i < N; i++) ss += (x[i] - mean) * (x[i] - mean);
    double var = ss / (N - 1), m, v, m4;
    moments(formula, &m, &v, &m4);
    int bad = 0;
    if (isfinite(v) && fabs(mean - m) > Z * sqrt(v / N)) {
        bad++;
        if (verbose) printf("  mean %.6g, formula %.6g, tolerance %.3g\n", mean, m, Z * sqrt(v / N));
    }
    if (isfinite(m4) && fabs(var - v) > Z * sqrt((m4 - v * v) / N)) {
        bad++;
        if (verbose) printf("  variance %.6g, formula %.6g, tolerance %.3g\n", var, v, Z * sqrt((m4 - v * v) / N));
    }
    for (size_t j = 0; j < NPS; j++) {
        double q = quantile(formula, PS[j]), below = 0;
        for (int i = 0; i < N; i++) below += x[i] <= q;
        double tol = Z * sqrt(N * PS[j] * (1 - PS[j])) + 1;
        if (fabs(below - N * PS[j]) > tol) {
            bad++;
            if (verbose) printf("  P(X <= q(%g) = %.6g) = %.6f, tolerance %.2g\n", PS[j], q, below / N, tol / N);
        }
    }
    free(x);
    return bad;
}

static const struct dist SETS[] = {
    { UNIFORM, 0, 1, 0 },
    { UNIFORM, -3, 250, 0 },
    { EXPO, 1, 0, 0 },
    { EXPO, 833.3, 0, 0 },                     /* Poisson arrivals at 1.2 M/s, in ns */
    { GPARETO, 0, 16.0292, 0.154971 },         /* ETC inter-arrival (us) */
    { GPARETO, 15, 214.476, 0.348238 },        /* ETC value size above 14 B: no 4th moment */
    { GPARETO, 0, 1, 0 },                      /* shape 0: exponential */
    { GPARETO, 2, 3, -0.2 },                   /* bounded tail */
    { GEV, 30.7984, 8.20449, 0.078688 },       /* ETC key size */
    { GEV, 0, 1, 0.3 },
    { GEV, 5, 2, -0.25 },
};

START_TEST(continuous_distributions_match_their_formulas)
{
    for (size_t i = 0; i < sizeof SETS / sizeof SETS[0]; i++) {
        printf("workload_dist: set %zu (kind %d, %g %g %g)\n", i, SETS[i].k, SETS[i].a, SETS[i].b, SETS[i].c);
        ck_assert_msg(check_dist(&SETS[i], &SETS[i], 1000 + i, 1) == 0, "set %zu differs from its formulas", i);
    }
}
END_TEST

START_TEST(checks_detect_a_three_percent_error)
{
    /* The sampler with one parameter 3 % off, checked against the true
     * formulas: the checks must notice. */
    for (size_t i = 0; i < sizeof SETS / sizeof SETS[0]; i++) {
        struct dist off = SETS[i];
        if (off.k == UNIFORM) off.b += 0.03 * (off.b - off.a);
        else if (off.k == EXPO) off.a *= 1.03;
        else off.b *= 1.03;
        ck_assert_msg(check_dist(&off, &SETS[i], 2000 + i, 0) > 0, "set %zu: a 3 %% error in the scale passed", i);
    }
}
END_TEST

/* Frequencies of values 0..n-1 drawn by f against probabilities p. */
static void check_freq(const double *p, size_t n, uint64_t (*f)(void *, struct wl_rng *), void *arg, uint64_t seed)
{
    struct wl_rng r;
    wl_seed(&r, seed, 3);
    uint64_t *cnt = calloc(n, sizeof *cnt);
    ck_assert_ptr_nonnull(cnt);
    for (int i = 0; i < N; i++) {
        uint64_t k = f(arg, &r);
        ck_assert_uint_lt(k, n);
        cnt[k]++;
    }
    double cum_p = 0, cum = 0;
    /* Where N p (1 - p) < 10 the normal bound does not hold: those values
     * are checked through the CDF of the values before them. */
    for (size_t k = 0; k < n; k++) {
        double tol = Z * sqrt(N * p[k] * (1 - p[k])) + 1;
        if (N * p[k] * (1 - p[k]) >= 10)
            ck_assert_msg(fabs(cnt[k] - N * p[k]) <= tol, "value %zu: %llu draws, expected %.1f +- %.1f", k,
                          (unsigned long long)cnt[k], N * p[k], tol);
        if (p[k] == 0) ck_assert_uint_eq(cnt[k], 0);
        cum_p += p[k];
        cum += (double)cnt[k];
        double ctol = Z * sqrt(N * cum_p * (1 - cum_p)) + 1;
        if (N * cum_p * (1 - cum_p) >= 10)
            ck_assert_msg(fabs(cum - N * cum_p) <= ctol, "CDF at %zu: %.0f, expected %.1f +- %.1f", k, cum, N * cum_p,
                          ctol);
    }
    ck_assert_int_eq((int)cum, N);
    free(cnt);
}

static uint64_t zipf_f(void *z, struct wl_rng *r) { return wl_zipf_draw(z, r); }
static uint64_t mix_f(void *m, struct wl_rng *r) { return (uint64_t)wl_mix_draw(m, r); }

START_TEST(zipf_matches_its_pmf)
{
    static const struct { uint64_t n; double s; } sets[] = { { 1000, 0.99 }, { 100, 0 }, { 10, 2.0 }, { 100000, 1.2 } };
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        struct wl_zipf z;
        ck_assert_int_eq(wl_zipf_init(&z, sets[i].n, sets[i].s), 0);
        /* The pmf computed here, independently of the library's CDF. */
        double *p = malloc(sets[i].n * sizeof *p);
        long double h = 0;
        for (uint64_t k = 0; k < sets[i].n; k++) h += powl(k + 1, -(long double)sets[i].s);
        for (uint64_t k = 0; k < sets[i].n; k++) p[k] = (double)(powl(k + 1, -(long double)sets[i].s) / h);
        check_freq(p, sets[i].n, zipf_f, &z, 10 + i);
        for (uint64_t k = 0; k < 10 && k < sets[i].n; k++) ck_assert_double_eq_tol(wl_zipf_pmf(&z, k), p[k], 1e-12);
        free(p);
        wl_zipf_free(&z);
    }
}
END_TEST

START_TEST(fixed_mixes_match_their_weights)
{
    static const double w1[] = { 30, 1 }, w2[] = { 90, 10 }, w3[] = { 99, 1 }, w4[] = { 1, 2, 0, 3 };
    const double *ws[] = { w1, w2, w3, w4 };
    int ns[] = { 2, 2, 2, 4 };
    for (int i = 0; i < 4; i++) {
        struct wl_mix m;
        ck_assert_int_eq(wl_mix_init(&m, ws[i], ns[i]), 0);
        double p[4], tot = 0;
        for (int k = 0; k < ns[i]; k++) tot += ws[i][k];
        for (int k = 0; k < ns[i]; k++) p[k] = ws[i][k] / tot;
        check_freq(p, (size_t)ns[i], mix_f, &m, 20 + (uint64_t)i);
    }
}
END_TEST

START_TEST(etc_helpers)
{
    struct wl_rng r;
    wl_seed(&r, 7, 1);
    /* Value sizes: the table exactly, then the Pareto part: P(size <= 100)
     * = T + (1 - T) F_GP(101) (sizes are the Pareto value rounded down). */
    double t = 0, cnt[15] = { 0 }, le100 = 0, gets = 0, ia = 0, k30 = 0;
    for (int k = 0; k < 15; k++) t += WL_ETC_VALUE_TABLE[k];
    for (int i = 0; i < N; i++) {
        uint32_t v = wl_etc_value_size(&r, 1000000);
        if (v < 15) cnt[v]++;
        le100 += v <= 100;
        ck_assert_uint_le(v, 1000000);
        uint32_t k = wl_etc_key_size(&r);
        ck_assert(k >= 1 && k <= 250);
        k30 += k <= 30;
        gets += wl_etc_is_get(&r);
        ia += wl_etc_interarrival_ns(&r, 1e6);
    }
    for (int k = 0; k < 15; k++) {
        double p = WL_ETC_VALUE_TABLE[k];
        ck_assert_msg(fabs(cnt[k] - N * p) <= Z * sqrt(N * p * (1 - p)) + 1, "value size %d: %.0f", k, cnt[k]);
    }
    double p100 = t + (1 - t) * (1 - pow(1 + WL_ETC_VALUE_SHAPE * (101 - 15) / WL_ETC_VALUE_SCALE, -1 / WL_ETC_VALUE_SHAPE));
    ck_assert_msg(fabs(le100 - N * p100) <= Z * sqrt(N * p100 * (1 - p100)), "P(value <= 100) %.5f, expected %.5f",
                  le100 / N, p100);
    double pk = exp(-pow(1 + WL_ETC_KEY_SHAPE * (30.5 - WL_ETC_KEY_LOC) / WL_ETC_KEY_SCALE, -1 / WL_ETC_KEY_SHAPE));
    ck_assert_msg(fabs(k30 - N * pk) <= Z * sqrt(N * pk * (1 - pk)), "P(key <= 30) %.5f, expected %.5f", k30 / N, pk);
    double pg = 30.0 / 31;
    ck_assert(fabs(gets - N * pg) <= Z * sqrt(N * pg * (1 - pg)));
    /* Inter-arrivals at 1 M/s: mean 1000 ns, sd from the GP's variance. */
    double sd = 1000 * sqrt(wl_gpareto_var(WL_ETC_IA_SCALE_US, WL_ETC_IA_SHAPE)) /
                wl_gpareto_mean(0, WL_ETC_IA_SCALE_US, WL_ETC_IA_SHAPE);
    ck_assert_msg(fabs(ia / N - 1000) <= Z * sd / sqrt(N), "mean inter-arrival %.3f ns", ia / N);
}
END_TEST

START_TEST(same_seed_same_stream)
{
    struct wl_rng a, b, c, d;
    wl_seed(&a, 42, 0);
    wl_seed(&b, 42, 0);
    wl_seed(&c, 42, 1);
    wl_seed(&d, 43, 0);
    int same_c = 0, same_d = 0;
    for (int i = 0; i < 1000; i++) {
        double x = wl_gev(&a, 30, 8, 0.08), y = wl_gev(&b, 30, 8, 0.08);
        ck_assert(x == y);
        uint64_t u = wl_next(&a), v = wl_next(&b), w = wl_next(&c), z = wl_next(&d);
        ck_assert_uint_eq(u, v);
        same_c += u == w;
        same_d += u == z;
        wl_next(&c);
        wl_next(&d);
    }
    ck_assert_int_eq(same_c, 0);
    ck_assert_int_eq(same_d, 0);
    for (int i = 0; i < 1000; i++) ck_assert_uint_lt(wl_below(&a, 7), 7);
}
END_TEST

START_TEST(bad_parameters_are_refused)
{
    struct wl_zipf z;
    struct wl_mix m;
    ck_assert_int_eq(wl_zipf_init(&z, 0, 1), -1);
    ck_assert_int_eq(wl_zipf_init(&z, 10, -0.5), -1);
    ck_assert_int_eq(wl_zipf_init(&z, 10, NAN), -1);
    double neg[] = { 1, -1 }, zero[] = { 0, 0 };
    ck_assert_int_eq(wl_mix_init(&m, neg, 2), -1);
    ck_assert_int_eq(wl_mix_init(&m, zero, 2), -1);
    ck_assert_int_eq(wl_mix_init(&m, neg, 0), -1);
    ck_assert(isnan(wl_gpareto_var(1, 0.6)));
    ck_assert(isnan(wl_gev_mean(0, 1, 1.2)));
}
END_TEST

Suite *workload_dist_suite(void);
Suite *workload_dist_suite(void)
{
    Suite *s = suite_create("workload_dist");
    TCase *tc = tcase_create("dist");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, continuous_distributions_match_their_formulas);
    tcase_add_test(tc, checks_detect_a_three_percent_error);
    tcase_add_test(tc, zipf_matches_its_pmf);
    tcase_add_test(tc, fixed_mixes_match_their_weights);
    tcase_add_test(tc, etc_helpers);
    tcase_add_test(tc, same_seed_same_stream);
    tcase_add_test(tc, bad_parameters_are_refused);
    suite_add_tcase(s, tc);
    return s;
}
