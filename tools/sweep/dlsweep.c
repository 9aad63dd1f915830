/* dlsweep.c - runs an experiment (configs/experiments/NAME.ini): every point
 * checked and hashed before anything runs, the points not yet done run by
 * dlsim in parallel (or as a Slurm job array), then the table. Exit status:
 * 0 every point done, 1 a point failed, 2 usage or input error. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "experiment.h"
#include "point.h"
#include "slurm.h"
#include "stats.h"
#include "table.h"

static const char *usage_text =
    "usage: dlsweep [-j N] [--dlsim PATH] [--results DIR] [--force] EXPERIMENT.ini\n"
    "       dlsweep --runner slurm [--sbatch-args ARGS] [--wait] [--dlsim PATH] [--results DIR] EXPERIMENT.ini\n"
    "       dlsweep --point I | --merge | --list [--dlsim PATH] [--results DIR] EXPERIMENT.ini\n"
    "\n"
    "  -j, --jobs N        points run at once (default: the number of cores)\n"
    "  --dlsim PATH        the simulator (default build/dlsim)\n"
    "  --results DIR       results folder (default results/NAME, NAME the experiment file's name)\n"
    "  --force             run every point, even those already done with the same inputs\n"
    "  --runner local|slurm  run here (default) or submit a Slurm job array and a merge job\n"
    "  --sbatch-args ARGS  more sbatch options for both jobs (split at spaces)\n"
    "  --wait              with slurm: wait for the merge job; its status is dlsweep's\n"
    "  --point I           run point I (0-based, in table order) unless done: a Slurm array task\n"
    "  --merge             write the table from the points' folders\n"
    "  --list              print each point's index, folder and inputs hash\n"
    "\n"
    "Each point goes to DIR/POINT/ (stats.json, wire.pcap, log, inputs.hash); a point whose\n"
    "inputs.hash matches its inputs (configuration, firmware, traces) is not run again.\n"
    "With slurm, $DLSWEEP_SBATCH names the sbatch program (default sbatch) and $SLURM_CONF the cluster.\n"
    "Exit status: 0 every point done, 1 a point failed, 2 usage or input error.\n";

typedef struct opts {
    int jobs, force, wait, point, merge, list, slurm;
    const char *dlsim, *results, *sbatch_args, *exp;
} opts;

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "dlsweep: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\ntry 'dlsweep --help'\n");
    return 2;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

/* -1 to go on, or the exit status. */
static int parse_opts(int argc, char **argv, opts *o)
{
    static const struct option longopts[] = {
        { "jobs", required_argument, NULL, 'j' },   { "dlsim", required_argument, NULL, 'd' },
        { "results", required_argument, NULL, 'r' }, { "force", no_argument, NULL, 'f' },
        { "runner", required_argument, NULL, 'R' }, { "sbatch-args", required_argument, NULL, 'S' },
        { "wait", no_argument, NULL, 'w' },         { "point", required_argument, NULL, 'p' },
        { "merge", no_argument, NULL, 'm' },        { "list", no_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
    };
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (opts){ .jobs = cores > 0 ? (int)cores : 1, .point = -1, .dlsim = "build/dlsim" };
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":j:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'j':
            if (parse_int(optarg, 1, 1024, &o->jobs) < 0)
                return usage("-j %s: expected a number of jobs from 1 to 1024", optarg);
            break;
        case 'd': o->dlsim = optarg; break;
        case 'r': o->results = optarg; break;
        case 'f': o->force = 1; break;
        case 'R':
            if (strcmp(optarg, "local") && strcmp(optarg, "slurm"))
                return usage("--runner %s: expected local or slurm", optarg);
            o->slurm = !strcmp(optarg, "slurm");
            break;
        case 'S': o->sbatch_args = optarg; break;
        case 'w': o->wait = 1; break;
        case 'p':
            if (parse_int(optarg, 0, INT_MAX, &o->point) < 0)
                return usage("--point %s: expected a point index (0, 1, ...)", optarg);
            break;
        case 'm': o->merge = 1; break;
        case 'l': o->list = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case ':': return usage("%s: this option needs a value", argv[optind - 1]);
        default: return usage("%s: unknown option", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) return usage("%s", optind < argc ? "expected one experiment file" :
                                                 "expected the experiment file (configs/experiments/NAME.ini)");
    o->exp = argv[optind];
    if ((o->point >= 0) + o->merge + o->list + o->slurm > 1)
        return usage("%s", "--point, --merge, --list and --runner slurm exclude each other");
    if ((o->wait || o->sbatch_args) && !o->slurm) return usage("%s", "--wait and --sbatch-args need --runner slurm");
    if (o->force && (o->slurm || o->merge || o->list || o->point >= 0))
        return usage("%s", "--force needs the local runner (remove a point's inputs.hash to rerun it elsewhere)");
    if (access(o->dlsim, X_OK) < 0 && !o->list)
        return usage("--dlsim %s: not an executable file (build it with make)", o->dlsim);
    return -1;
}

/* Everything about the points, checked before anything runs. */
typedef struct sweep {
    experiment e;
    exp_point *pts;
    int n;
    char **text;       /* inputs of each point */
    char (*hex)[65];   /* and their hash */
    int *done;
    char resdir[EXP_PATH_MAX];
} sweep;

static int sweep_prepare(sweep *s, const opts *o)
{
    char err[2048];
    if (exp_load(&s->e, o->exp, err, sizeof err) < 0) {
        fprintf(stderr, "dlsweep: %s\n", err);
        return 2;
    }
    s->n = exp_points(&s->e, &s->pts, err, sizeof err);
    if (s->n < 0) {
        fprintf(stderr, "dlsweep: %s\n", err);
        return 2;
    }
    if (s->e.plot[EXP_PLOT_MAP]) {
        int found = 0;
        for (int k = 0; k < s->n && !found; k++) found = !strcmp(s->pts[k].name, s->e.plot[EXP_PLOT_MAP]);
        if (!found) {
            fprintf(stderr, "dlsweep: %s:%d: [plot] map = %s: not a point of the sweep (e.g. %s)\n", s->e.path,
                    s->e.plot_line[EXP_PLOT_MAP], s->e.plot[EXP_PLOT_MAP], s->pts[0].name);
            return 2;
        }
    }
    if (o->results) snprintf(s->resdir, sizeof s->resdir, "%s", o->results);
    else snprintf(s->resdir, sizeof s->resdir, "results/%s", s->e.name);
    s->text = calloc((size_t)s->n, sizeof *s->text);
    s->hex = calloc((size_t)s->n, sizeof *s->hex);
    s->done = calloc((size_t)s->n, sizeof *s->done);
    if (!s->text || !s->hex || !s->done) abort();
    for (int k = 0; k < s->n; k++) {
        if (o->point >= 0 && k != o->point) continue;
        if (point_inputs(&s->e, &s->pts[k], &s->text[k], s->hex[k], err, sizeof err) < 0) {
            fprintf(stderr, "dlsweep: %s\n", err);
            return 2;
        }
        char dir[EXP_PATH_MAX + 600];
        snprintf(dir, sizeof dir, "%s/%s", s->resdir, s->pts[k].name);
        s->done[k] = point_done(dir, s->hex[k]);
    }
    if (o->point >= s->n) {
        fprintf(stderr, "dlsweep: --point %d: %s has %d points (0 to %d)\n", o->point, o->exp, s->n, s->n - 1);
        return 2;
    }
    return -1;
}

static void sweep_free(sweep *s)
{
    for (int k = 0; k < s->n && s->text; k++) free(s->text[k]);
    free(s->text);
    free(s->hex);
    free(s->done);
    free(s->pts);
    exp_free(&s->e);
}

static double now(void) { return stats_host_seconds(); }

/* Runs the points not done, at most jobs at once; returns how many failed. */
static int run_local(sweep *s, const opts *o, int *ran)
{
    int total = 0, started = 0, finished = 0, failed = 0, running = 0;
    int *todo = calloc((size_t)s->n, sizeof *todo);
    pid_t *pid = calloc((size_t)s->n, sizeof *pid);
    double *t0 = calloc((size_t)s->n, sizeof *t0);
    if (!todo || !pid || !t0) abort();
    for (int k = 0; k < s->n; k++)
        if (!s->done[k] || o->force) todo[total++] = k;
    fprintf(stderr, "dlsweep: %s: %d point(s), %d already done with the same inputs, %d to run, %d at once\n",
            s->e.name, s->n, s->n - total, total, o->jobs);
    while (finished < total) {
        while (running < o->jobs && started < total) {
            int k = todo[started++];
            char dir[EXP_PATH_MAX + 600], err[2048];
            snprintf(dir, sizeof dir, "%s/%s", s->resdir, s->pts[k].name);
            s->done[k] = 0;
            pid[k] = point_start(o->dlsim, &s->e, &s->pts[k], dir, err, sizeof err);
            t0[k] = now();
            if (pid[k] < 0) {
                fprintf(stderr, "dlsweep: point %s FAILED: %s\n", s->pts[k].name, err);
                finished++;
                failed++;
                continue;
            }
            running++;
        }
        if (!running) continue;
        int status;
        pid_t p = wait(&status);
        if (p < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "dlsweep: wait: %s\n", strerror(errno));
            abort();
        }
        for (int i = 0; i < started; i++) {
            int k = todo[i];
            if (pid[k] != p) continue;
            char dir[EXP_PATH_MAX + 600];
            snprintf(dir, sizeof dir, "%s/%s", s->resdir, s->pts[k].name);
            pid[k] = 0;
            running--;
            finished++;
            if (point_finish(dir, s->pts[k].name, status, s->text[k], s->hex[k]) == 0) {
                s->done[k] = 1;
                fprintf(stderr, "dlsweep: [%d/%d] %s (%.1f s)\n", finished, total, s->pts[k].name, now() - t0[k]);
            } else {
                failed++;
                fprintf(stderr, "dlsweep: [%d/%d] %s failed (%d failure(s) so far)\n", finished, total,
                        s->pts[k].name, failed);
            }
        }
    }
    free(todo);
    free(pid);
    free(t0);
    *ran = total;
    return failed;
}

static int write_table(sweep *s)
{
    char err[2048];
    int missing = table_write(&s->e, s->pts, s->done, s->n, s->resdir, err, sizeof err);
    if (missing < 0) {
        fprintf(stderr, "dlsweep: %s\n", err);
        return 2;
    }
    if (table_write_plot(&s->e, s->resdir, err, sizeof err) < 0) {
        fprintf(stderr, "dlsweep: %s\n", err);
        return 2;
    }
    fprintf(stderr, "dlsweep: %s/table.dat, table.json: %d point(s)%s", s->resdir, s->n,
            missing ? "" : ", all done\n");
    if (missing) {
        fprintf(stderr, ", %d not done (NaN in the table):\n", missing);
        for (int k = 0; k < s->n; k++)
            if (!s->done[k]) fprintf(stderr, "dlsweep:   %s (see %s/%s/log)\n", s->pts[k].name, s->resdir,
                                     s->pts[k].name);
    }
    return missing ? 1 : 0;
}

static int absolute(const char *path, char *out, size_t len)
{
    char *r = realpath(path, NULL);
    if (!r) return -1;
    snprintf(out, len, "%s", r);
    free(r);
    return 0;
}

static int submit_slurm(sweep *s, const opts *o)
{
    char self[EXP_PATH_MAX], dlsim[EXP_PATH_MAX], res[EXP_PATH_MAX], err[1024];
    if (stats_make_dir(s->resdir, err, sizeof err) < 0) {
        fprintf(stderr, "dlsweep: %s\n", err);
        return 2;
    }
    if (absolute("/proc/self/exe", self, sizeof self) < 0 || absolute(o->dlsim, dlsim, sizeof dlsim) < 0 ||
        absolute(s->resdir, res, sizeof res) < 0) {
        fprintf(stderr, "dlsweep: cannot find the absolute paths of dlsweep, dlsim and the results: %s\n",
                strerror(errno));
        return 2;
    }
    int *todo = calloc((size_t)s->n, sizeof *todo), ntodo = 0;
    if (!todo) abort();
    for (int k = 0; k < s->n; k++)
        if (!s->done[k]) todo[ntodo++] = k;
    fprintf(stderr, "dlsweep: %s: %d point(s), %d already done with the same inputs, %d to submit\n", s->e.name,
            s->n, s->n - ntodo, ntodo);
    slurm_opts so = { self, dlsim, res, getenv("DLSWEEP_SBATCH"), o->sbatch_args, o->wait };
    int rc = slurm_submit(&s->e, todo, ntodo, &so);
    free(todo);
    return rc < 0 ? 1 : rc;
}

int main(int argc, char **argv)
{
    opts o;
    int rc = parse_opts(argc, argv, &o);
    if (rc >= 0) return rc;
    sweep s;
    memset(&s, 0, sizeof s);
    rc = sweep_prepare(&s, &o);
    if (rc >= 0) {
        sweep_free(&s);
        return rc;
    }
    if (o.list) {
        for (int k = 0; k < s.n; k++)
            printf("%d %s %s %s\n", k, s.pts[k].name, s.hex[k], s.done[k] ? "done" : "to-run");
        rc = 0;
    } else if (o.merge) {
        rc = write_table(&s);
    } else if (o.slurm) {
        rc = submit_slurm(&s, &o);
    } else if (o.point >= 0) {
        exp_point *p = &s.pts[o.point];
        char dir[EXP_PATH_MAX + 600], err[2048];
        snprintf(dir, sizeof dir, "%s/%s", s.resdir, p->name);
        if (s.done[o.point]) {
            fprintf(stderr, "dlsweep: point %s already done with the same inputs\n", p->name);
            rc = 0;
        } else {
            pid_t pid = point_start(o.dlsim, &s.e, p, dir, err, sizeof err);
            int status = 0;
            if (pid < 0) fprintf(stderr, "dlsweep: point %s FAILED: %s\n", p->name, err);
            else while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
            rc = pid < 0 || point_finish(dir, p->name, status, s.text[o.point], s.hex[o.point]) < 0 ? 1 : 0;
            if (!rc) fprintf(stderr, "dlsweep: point %s done\n", p->name);
        }
    } else {
        char err[1024];
        if (stats_make_dir(s.resdir, err, sizeof err) < 0) {
            fprintf(stderr, "dlsweep: %s\n", err);
            sweep_free(&s);
            return 2;
        }
        int ran = 0;
        int failed = run_local(&s, &o, &ran);
        rc = write_table(&s);
        if (failed && rc == 0) rc = 1;
    }
    sweep_free(&s);
    return rc;
}
