/* golden_run.h - running a golden trace-regression case (golden_cases.h). */
#ifndef DL_TESTS_GOLDEN_RUN_H
#define DL_TESTS_GOLDEN_RUN_H

#include <stddef.h>

size_t golden_count(void);
const char *golden_name(size_t i);
int golden_known(const char *name); /* 1 when a case has that name */

/* Runs case `name` with dlsim (firmware from build/fw) into outdir, which
 * must exist; leaves wire.pcap and results.json there. 0, or -1 with what
 * went wrong in log. */
int golden_run(const char *dlsim, const char *build, const char *name, const char *outdir,
               char *log, size_t loglen);

#endif
