/* experiment.h - an experiment file (configs/experiments/NAME.ini, read with
 * libinih) and the points it spans: a base configuration, axes over
 * configuration keys or over named bundles of keys, crossed or zipped, fixed
 * --set values, dlsim arguments and the results to tabulate:
 *
 *   [experiment]
 *   base = ../dlibos_echo.ini          ; relative to this file
 *   combine = cross                    ; or zip
 *   results = results.clients.requests_per_second results.time_ns
 *   pcap_in = 0=traces/echo.pcap,at=60000   ; optional dlsim --pcap-in values
 *   [set]                              ; every point: dlsim --set, in order
 *   clients.requests = 50
 *   [axes]                             ; file order = table order, first outermost
 *   deployment = dlibos baseline       ; a bundle axis: one [NAME:VALUE] per value
 *   deployment.stack_tiles = 1 2 3     ; a configuration key
 *   [deployment:baseline]              ; keys (and optionally base) of one value
 *   base = ../baseline_echo.ini
 *   [plot]                             ; for make plots: x, line, y, labels, map
 *
 * An indented line continues results, pcap_in or an axis' values. */
#ifndef DL_SWEEP_EXPERIMENT_H
#define DL_SWEEP_EXPERIMENT_H

#include <stddef.h>

#include "config.h"

#define EXP_MAX_AXES 8
#define EXP_MAX_VALUES 256
#define EXP_MAX_SETS 64
#define EXP_MAX_RESULTS 32
#define EXP_MAX_ARGS 8
#define EXP_PATH_MAX 1024
#define EXP_PLOT_KEYS 7
extern const char *const exp_plot_keys[EXP_PLOT_KEYS];

/* One section.key = value, and the file line that gave it. */
typedef struct exp_assign {
    char *key, *value;
    int line;
} exp_assign;

/* The keys one value of a named axis sets ([AXIS:VALUE] section), and
 * optionally its own base configuration. */
typedef struct exp_bundle {
    exp_assign sets[EXP_MAX_SETS];
    int nsets;
    char *base;       /* resolved against the experiment's folder; NULL: the experiment's */
    int base_line;
    int line;         /* of the [AXIS:VALUE] line; 0 while not seen */
} exp_bundle;

typedef struct exp_axis {
    char *name;       /* section.key, or a bundle name without a dot */
    int named;        /* a bundle axis: each value is a [name:value] section */
    int line;
    char *values[EXP_MAX_VALUES];
    exp_bundle *bundles;  /* named: one per value */
    int nvalues;
    const char *label;    /* in point names: the key without its section, or the full name when that is ambiguous */
} exp_axis;

typedef struct experiment {
    char path[EXP_PATH_MAX];  /* as given */
    char name[256];           /* file name without .ini: results/NAME */
    char base[EXP_PATH_MAX];  /* resolved against the experiment's folder */
    int base_line;
    int zip;                  /* combine = zip; else cross */
    int combine_line;
    exp_assign sets[EXP_MAX_SETS];   /* [set] */
    int nsets;
    char *results[EXP_MAX_RESULTS];  /* dotted paths into stats.json */
    int nresults, results_line;
    char *args[EXP_MAX_ARGS];        /* [experiment] pcap_in: each a dlsim --pcap-in value */
    int nargs, args_line;
    exp_axis axes[EXP_MAX_AXES];
    int naxes;
    /* [plot]: what make plots draws (plots/sweep_lines.gp): the x column,
     * one line per value of `line`, the y column, labels, and the point
     * whose run gets the tile and link maps (plots/run_maps.gp) */
    char *plot[EXP_PLOT_KEYS];
    int plot_line[EXP_PLOT_KEYS];
} experiment;

/* The keys of [plot], in the order of experiment.plot. */
enum { EXP_PLOT_X, EXP_PLOT_LINE, EXP_PLOT_Y, EXP_PLOT_XLABEL, EXP_PLOT_YLABEL, EXP_PLOT_TITLE, EXP_PLOT_MAP };

/* One point: the index of its value on each axis, and its folder name. */
typedef struct exp_point {
    int idx[EXP_MAX_AXES];
    char name[512];
} exp_point;

/* Reads and checks the file (every key of the axes and [set] known to dlsim,
 * every bundle complete, zip axes of one length). 0, or -1 with a message
 * naming the file and line in err. */
int exp_load(experiment *e, const char *path, char *err, size_t errlen);
void exp_free(experiment *e);

/* The points in their fixed order (cross: the first axis outermost; zip: the
 * values side by side), malloc'd into *out; returns the count, or -1 with err
 * set (two points with one folder name). */
int exp_points(const experiment *e, exp_point **out, char *err, size_t errlen);

/* The point's base configuration and its --set list in the order dlsim gets
 * them ([set] first, then each axis in file order; the last of a key wins).
 * Returns the count written to sets (at most max; the strings stay the
 * experiment's). */
const char *exp_point_base(const experiment *e, const exp_point *p, int *line);
#define EXP_POINT_SETS_MAX (EXP_MAX_SETS * (EXP_MAX_AXES + 1))
int exp_point_sets(const experiment *e, const exp_point *p, exp_assign *sets, int max);

/* The configuration dlsim will run for the point, loaded and checked as
 * dlsim does (base, --sets, key relations, mPIPE rules, stack tiles).
 * 0, or -1 with err naming the point and the file:line or key at fault. */
int exp_point_config(const experiment *e, const exp_point *p, dl_config *cfg, char *err, size_t errlen);

#endif
