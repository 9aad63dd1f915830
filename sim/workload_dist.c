/* workload_dist.c - seeded distributions for the workload generators and
 * their closed forms (see workload_dist.h for the parameters' source). */
#include "workload_dist.h"

#include <math.h>
#include <stdlib.h>

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void wl_seed(struct wl_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t s = seed ^ (stream * 0xd1342543de82ef95ull);
    r->s = splitmix(&s) ^ stream;
}

uint64_t wl_next(struct wl_rng *r) { return splitmix(&r->s); }
double wl_unit(struct wl_rng *r) { return (double)(wl_next(r) >> 11) * 0x1.0p-53; }
double wl_unit_open(struct wl_rng *r) { return (double)((wl_next(r) >> 11) + 1) * 0x1.0p-53; }

uint64_t wl_below(struct wl_rng *r, uint64_t n)
{
    /* Lemire's multiply-shift with rejection: exactly uniform. */
    uint64_t x = wl_next(r);
    unsigned __int128 m = (unsigned __int128)x * n;
    uint64_t lo = (uint64_t)m;
    if (lo < n) {
        uint64_t t = -n % n;
        while (lo < t) {
            x = wl_next(r);
            m = (unsigned __int128)x * n;
            lo = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

double wl_uniform(struct wl_rng *r, double a, double b) { return a + (b - a) * wl_unit(r); }
double wl_exponential(struct wl_rng *r, double mean) { return -mean * log(wl_unit_open(r)); }

/* (x^-shape - 1) / shape, and its limit -ln x at shape 0. */
static double box(double x, double shape)
{
    return fabs(shape) < 1e-12 ? -log(x) : expm1(-shape * log(x)) / shape;
}

double wl_gpareto(struct wl_rng *r, double loc, double scale, double shape)
{
    return loc + scale * box(wl_unit_open(r), shape);
}

double wl_gev(struct wl_rng *r, double loc, double scale, double shape)
{
    double e = wl_exponential(r, 1.0);
    if (e <= 0) e = 0x1.0p-60;   /* -ln(1) is 0: the upper end of (0, 1] */
    return loc + scale * box(e, shape);
}

double wl_gpareto_quantile(double p, double loc, double scale, double shape)
{
    return loc + scale * box(1.0 - p, shape);
}

double wl_gpareto_mean(double loc, double scale, double shape)
{
    return shape < 1 ? loc + scale / (1 - shape) : NAN;
}

double wl_gpareto_var(double scale, double shape)
{
    return shape < 0.5 ? scale * scale / ((1 - shape) * (1 - shape) * (1 - 2 * shape)) : NAN;
}

double wl_gev_quantile(double p, double loc, double scale, double shape)
{
    return loc + scale * box(-log(p), shape);
}

double wl_gev_mean(double loc, double scale, double shape)
{
    if (fabs(shape) < 1e-12) return loc + scale * 0.57721566490153286061;
    return shape < 1 ? loc + scale * (tgamma(1 - shape) - 1) / shape : NAN;
}

double wl_gev_var(double scale, double shape)
{
    if (fabs(shape) < 1e-12) return scale * scale * M_PI * M_PI / 6;
    if (shape >= 0.5) return NAN;
    double g1 = tgamma(1 - shape), g2 = tgamma(1 - 2 * shape);
    return scale * scale * (g2 - g1 * g1) / (shape * shape);
}

int wl_zipf_init(struct wl_zipf *z, uint64_t n, double s)
{
    z->cdf = NULL;
    if (n == 0 || !(s >= 0) || !isfinite(s) || n > (1ull << 32)) return -1;
    z->cdf = malloc(n * sizeof *z->cdf);
    if (!z->cdf) return -1;
    z->n = n;
    z->s = s;
    long double acc = 0;
    for (uint64_t k = 0; k < n; k++) {
        acc += powl((long double)(k + 1), -(long double)s);
        z->cdf[k] = (double)acc;
    }
    for (uint64_t k = 0; k < n; k++) z->cdf[k] = (double)((long double)z->cdf[k] / acc);
    z->cdf[n - 1] = 1.0;
    return 0;
}

uint64_t wl_zipf_draw(const struct wl_zipf *z, struct wl_rng *r)
{
    double u = wl_unit(r);   /* the first k with cdf[k] > u */
    uint64_t lo = 0, hi = z->n - 1;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (z->cdf[mid] > u) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

double wl_zipf_pmf(const struct wl_zipf *z, uint64_t k)
{
    if (k >= z->n) return 0;
    return k ? z->cdf[k] - z->cdf[k - 1] : z->cdf[0];
}

void wl_zipf_free(struct wl_zipf *z)
{
    free(z->cdf);
    z->cdf = NULL;
}

int wl_mix_init(struct wl_mix *m, const double *w, int n)
{
    if (n < 1 || n > WL_MIX_MAX) return -1;
    double acc = 0;
    for (int i = 0; i < n; i++) {
        if (!(w[i] >= 0) || !isfinite(w[i])) return -1;
        acc += w[i];
        m->cdf[i] = acc;
    }
    if (!(acc > 0)) return -1;
    for (int i = 0; i < n; i++) m->cdf[i] /= acc;
    m->cdf[n - 1] = 1.0;
    m->n = n;
    return 0;
}

int wl_mix_draw(const struct wl_mix *m, struct wl_rng *r)
{
    double u = wl_unit(r);
    for (int i = 0; i < m->n; i++)
        if (u < m->cdf[i]) return i;
    return m->n - 1;
}

const double WL_ETC_VALUE_TABLE[15] = { 0.00536, 0.00047, 0.17820, 0.09239, 0.00018, 0.02740, 0.00065, 0.00606,
                                        0.00023, 0.00837, 0.00837, 0.08989, 0.00092, 0.00326, 0.01980 };

uint32_t wl_etc_key_size(struct wl_rng *r)
{
    double k = nearbyint(wl_gev(r, WL_ETC_KEY_LOC, WL_ETC_KEY_SCALE, WL_ETC_KEY_SHAPE));
    return k < 1 ? 1 : k > 250 ? 250 : (uint32_t)k;
}

uint32_t wl_etc_value_size(struct wl_rng *r, uint32_t max)
{
    double u = wl_unit(r), acc = 0;
    for (uint32_t i = 0; i < 15; i++) {
        acc += WL_ETC_VALUE_TABLE[i];
        if (u < acc) return i;
    }
    double v = floor(wl_gpareto(r, WL_ETC_VALUE_LOC, WL_ETC_VALUE_SCALE, WL_ETC_VALUE_SHAPE));
    if (max < 15) max = 15;
    return v > max ? max : (uint32_t)v;
}

double wl_etc_interarrival_ns(struct wl_rng *r, double rate)
{
    double mean_us = wl_gpareto_mean(0, WL_ETC_IA_SCALE_US, WL_ETC_IA_SHAPE);
    return wl_gpareto(r, 0, WL_ETC_IA_SCALE_US, WL_ETC_IA_SHAPE) * (1e9 / rate) / mean_us;
}

int wl_etc_is_get(struct wl_rng *r)
{
    return wl_unit(r) < WL_ETC_GET_PER_SET / (WL_ETC_GET_PER_SET + 1);
}
