/* table.h - the table of a sweep: one row per point in point order, the
 * axes' values then the tabulated results, as results/NAME/table.dat
 * (whitespace-separated, one header comment naming the columns) and
 * results/NAME/table.json (the same data). */
#ifndef DL_SWEEP_TABLE_H
#define DL_SWEEP_TABLE_H

#include <stddef.h>

#include "experiment.h"

/* Writes both files into resdir from the points' stats.json. A point is
 * tabulated when done[k] (its inputs.hash matches); otherwise its results
 * are NaN in table.dat and null in table.json. Returns the number of points
 * not done (0: complete), or -1 with err set (a result path missing from a
 * point's stats.json, or not a number, string or boolean; a file that cannot
 * be written). */
int table_write(const experiment *e, const exp_point *pts, const int *done, int n, const char *resdir, char *err,
                size_t errlen);

/* With a [plot] section: RESDIR/plot.gp, the variables of
 * plots/sweep_lines.gp (data, out, x, line, y, labels, the experiment) and
 * map_point, the folder of the run to map (empty: none). 0, or -1 with err. */
int table_write_plot(const experiment *e, const char *resdir, char *err, size_t errlen);

#endif
