/* slurm.h - a sweep as a Slurm job array: one task per point still to run
 * (sbatch --array), each `dlsweep --point I` into the shared results folder,
 * and a merge job (`dlsweep --merge`) that runs after them all
 * (--dependency=afterany). */
#ifndef DL_SWEEP_SLURM_H
#define DL_SWEEP_SLURM_H

#include "experiment.h"

typedef struct slurm_opts {
    const char *self;        /* this dlsweep, absolute */
    const char *dlsim;       /* absolute */
    const char *resdir;      /* absolute */
    const char *sbatch;      /* the sbatch program (default "sbatch") */
    const char *extra;       /* more sbatch options, split at spaces (may be NULL) */
    int wait;                /* wait for the merge job and return its status */
} slurm_opts;

/* Writes RESDIR/slurm/{task,merge}.sh and submits them: the array over the
 * indices in todo[0..ntodo) (none: only the merge job). Returns 0 (or, with
 * wait, the merge job's exit status), or -1 with the error on stderr. */
int slurm_submit(const experiment *e, const int *todo, int ntodo, const slurm_opts *o);

#endif
