/* golden_diff.h - what changed between a golden case's shipped files and a
 * new run's: `make golden` prints it so that a reviewer can judge the diff
 * (frames added, removed and retimed in wire.pcap, the first difference,
 * the values of results.json that changed, old -> new). */
#ifndef DL_TESTS_GOLDEN_DIFF_H
#define DL_TESTS_GOLDEN_DIFF_H

#include <stdio.h>

/* Compares two pcap files (micro- or nanosecond); writes a readable summary
 * to out, each line starting with `indent`. Returns 0 when they hold the
 * same frames at the same times, 1 when they differ, -1 when a file cannot
 * be read as a pcap (said on out). */
int golden_diff_pcap(const char *old_path, const char *new_path, const char *indent, FILE *out);

/* Compares two JSON files value by value (dotted paths, array indices);
 * writes at most max_lines changed values (old -> new; "absent" for a value
 * only one side has) and how many more. Returns 0 same, 1 differ, -1 when
 * a file cannot be read as JSON. */
int golden_diff_json(const char *old_path, const char *new_path, const char *indent, int max_lines, FILE *out);

#endif
