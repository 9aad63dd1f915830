/* point.h - one point of a sweep: the hash of its inputs, whether it is
 * already done, and running dlsim for it into its folder. */
#ifndef DL_SWEEP_POINT_H
#define DL_SWEEP_POINT_H

#include <stddef.h>
#include <sys/types.h>

#include "experiment.h"

/* The point's inputs as text, and the SHA-256 of that text: a version line,
 * the configuration dlsim will run (every key, as stats.json's `config`
 * holds it, after base, [set] and axes), the dlsim arguments besides it
 * (pcap_in), and the SHA-256 of every file they name (firmware images,
 * traces, any string key naming a file). *text is malloc'd. 0, or -1 with
 * err set. */
int point_inputs(const experiment *e, const exp_point *p, char **text, char hex[65], char *err, size_t errlen);

/* 1 when DIR/inputs.hash records hex and DIR/stats.json exists. */
int point_done(const char *dir, const char hex[65]);

/* Starts dlsim for the point into dir (created; stale outputs and
 * inputs.hash removed first), stdout and stderr to DIR/log. Returns the
 * child's pid, or -1 with err set. */
pid_t point_start(const char *dlsim, const experiment *e, const exp_point *p, const char *dir, char *err,
                  size_t errlen);

/* After the child ended with wait status `status`: on success writes
 * DIR/inputs.hash (the hash, then the text it hashes) and returns 0; on
 * failure prints the point, how it ended and the tail of its log to stderr
 * and returns -1. */
int point_finish(const char *dir, const char *name, int status, const char *text, const char hex[65]);

#endif
