/* slurm.c - submits a sweep to Slurm: a job array of point tasks and a
 * dependent merge job, both through sbatch, run from the current folder
 * (--chdir) so that the experiment's relative paths mean what they mean
 * to a local run. */
#include "slurm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stats.h"

/* s in single quotes for sh (a ' becomes '\''). */
static void quote(char *out, size_t len, const char *s)
{
    size_t o = 0;
    if (len < 3) return;
    out[o++] = '\'';
    for (; *s && o + 5 < len; s++) {
        if (*s == '\'') {
            memcpy(out + o, "'\\''", 4);
            o += 4;
        } else {
            out[o++] = *s;
        }
    }
    out[o++] = '\'';
    out[o] = 0;
}

static int write_script(const char *path, const char *what, const char *cmd)
{
    FILE *f = fopen(path, "w");
    int ok = f && fprintf(f, "#!/bin/sh\n# written by dlsweep: %s\n%s\n", what, cmd) >= 0;
    if (f && fclose(f) != 0) ok = 0;
    if (!ok || chmod(path, 0755) < 0) {
        fprintf(stderr, "dlsweep: %s: cannot write: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Runs an sbatch command line through sh; its first output line (the job id
 * with --parsable) into id. With `wait` the status is the job's. Returns the
 * exit status, or -1. */
static int run_sbatch(const char *cmd, char *id, size_t idlen)
{
    FILE *p = popen(cmd, "r");
    if (!p) {
        fprintf(stderr, "dlsweep: cannot run sbatch: %s\n", strerror(errno));
        return -1;
    }
    id[0] = 0;
    char line[256];
    while (fgets(line, sizeof line, p))
        if (!id[0]) {
            line[strcspn(line, ";\r\n")] = 0;
            snprintf(id, idlen, "%.100s", line);
        }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int slurm_submit(const experiment *e, const int *todo, int ntodo, const slurm_opts *o)
{
    char dir[EXP_PATH_MAX + 16], err[1024], cwd[EXP_PATH_MAX];
    char q_self[EXP_PATH_MAX * 2], q_dlsim[EXP_PATH_MAX * 2], q_res[EXP_PATH_MAX * 2], q_exp[EXP_PATH_MAX * 2],
        q_dir[EXP_PATH_MAX * 2], q_cwd[EXP_PATH_MAX * 2];
    snprintf(dir, sizeof dir, "%s/slurm", o->resdir);
    if (stats_make_dir(dir, err, sizeof err) < 0) {
        fprintf(stderr, "dlsweep: %s\n", err);
        return -1;
    }
    if (!getcwd(cwd, sizeof cwd)) {
        fprintf(stderr, "dlsweep: cannot read the current folder: %s\n", strerror(errno));
        return -1;
    }
    quote(q_self, sizeof q_self, o->self);
    quote(q_dlsim, sizeof q_dlsim, o->dlsim);
    quote(q_res, sizeof q_res, o->resdir);
    quote(q_exp, sizeof q_exp, e->path);
    quote(q_dir, sizeof q_dir, dir);
    quote(q_cwd, sizeof q_cwd, cwd);
    const char *sbatch = o->sbatch ? o->sbatch : "sbatch";
    const char *extra = o->extra ? o->extra : "";

    char cmd[EXP_PATH_MAX * 12], path[EXP_PATH_MAX + 32], id[128] = "", dep[192] = "";
    if (ntodo > 0) {
        snprintf(cmd, sizeof cmd, "exec %s --dlsim %s --results %s --point \"$SLURM_ARRAY_TASK_ID\" %s", q_self,
                 q_dlsim, q_res, q_exp);
        snprintf(path, sizeof path, "%s/task.sh", dir);
        if (write_script(path, "one point of the sweep per array task", cmd) < 0) return -1;
        /* --array=i,j,k: the points still to run */
        size_t cap = (size_t)ntodo * 8 + 16, n = 0;
        char *list = malloc(cap);
        if (!list) abort();
        for (int i = 0; i < ntodo; i++) n += (size_t)snprintf(list + n, cap - n, "%s%d", i ? "," : "", todo[i]);
        char *sub = malloc(strlen(list) + sizeof cmd);
        if (!sub) abort();
        sprintf(sub, "%s --parsable --job-name=dlsweep-%s --chdir=%s --output=%s/task-%%a.out --array=%s %s %s/task.sh",
                sbatch, e->name, q_cwd, q_dir, list, extra, q_dir);
        free(list);
        int st = run_sbatch(sub, id, sizeof id);
        free(sub);
        if (st != 0 || !id[0]) {
            fprintf(stderr, "dlsweep: sbatch of the point array failed (status %d)\n", st);
            return -1;
        }
        fprintf(stderr, "dlsweep: %s: %d point(s) submitted as job array %s\n", e->name, ntodo, id);
        snprintf(dep, sizeof dep, "--dependency=afterany:%s", id);
    }
    snprintf(cmd, sizeof cmd, "exec %s --dlsim %s --results %s --merge %s", q_self, q_dlsim, q_res, q_exp);
    snprintf(path, sizeof path, "%s/merge.sh", dir);
    if (write_script(path, "the table, once every point task has ended", cmd) < 0) return -1;
    char sub[sizeof cmd + 512];
    snprintf(sub, sizeof sub, "%s --parsable --job-name=dlsweep-%s-merge --chdir=%s --output=%s/merge.out %s %s %s %s/merge.sh",
             sbatch, e->name, q_cwd, q_dir, dep, o->wait ? "--wait" : "", extra, q_dir);
    int st = run_sbatch(sub, id, sizeof id);
    if (o->wait) {
        fprintf(stderr, "dlsweep: %s: merge job %s ended with status %d (%s/merge.out)\n", e->name, id, st, dir);
        return st < 0 ? -1 : st;
    }
    if (st != 0 || !id[0]) {
        fprintf(stderr, "dlsweep: sbatch of the merge job failed (status %d)\n", st);
        return -1;
    }
    fprintf(stderr, "dlsweep: %s: merge job %s writes %s/table.dat when the points are done\n", e->name, id,
            o->resdir);
    return 0;
}
