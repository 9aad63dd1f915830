/* mesh_only.cpp - dlsim --mesh-only: runs the synthetic traffic of
 * mesh_traffic.h and writes its results: a summary on stdout, host speed on
 * stderr, and in outdir:
 *   stats.json the shape of every dlsim run (sim/stats.h): "config" (mode
 *              "mesh-only", every configuration section, and "traffic": the
 *              command line's pattern, rate, size, cycles, warm-up),
 *              "results" (the mesh as built, offered/accepted throughput,
 *              latency histogram and percentiles, the full mesh statistics
 *              "udn") and "host" (host speed)
 *   mesh.dat   one row "rate offered accepted lat_mean lat_p99 lat_max
 *              link_max" (a '#' header line first): rows of several runs,
 *              concatenated, are the sweep that plots/mesh_latency.gp reads
 *   links.dat  the link grid of mesh_traffic.h (plots/run_maps.gp draws the links from stats.json)
 * Only the "host" section holds wall-clock values: same configuration and
 * seed, same bytes elsewhere. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mesh/mesh_traffic.h"
#include "model_params.h"
#include "modes.h"
#include "stats.h"
#include "version.h"

/* Host seconds on a clock: CLOCK_MONOTONIC (wall) or CLOCK_PROCESS_CPUTIME_ID
 * (this process's CPU time, the fairer figure on a shared machine). */
static double mesh_only_host_seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static FILE *mesh_only_open(const char *outdir, const char *name, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", outdir, name);
    FILE *f = fopen(path, "w");
    if (!f) fprintf(stderr, "dlsim: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

static int mesh_only_write(const char *outdir, const dl_config *cfg, const udn_mesh_params *p,
                           const mesh_traffic_opts *o, mesh_traffic_result *r, cJSON *host)
{
    char path[4096], err[512];
    cJSON *conf = cJSON_CreateObject();
    cJSON *t = cJSON_AddObjectToObject(conf, "traffic");
    cJSON_AddStringToObject(t, "pattern", o->traffic);
    cJSON_AddNumberToObject(t, "rate", o->rate);
    cJSON_AddNumberToObject(t, "size", (double)o->size);
    cJSON_AddNumberToObject(t, "cycles", (double)o->cycles);
    cJSON_AddNumberToObject(t, "warmup", (double)o->warmup);
    cJSON *root = cJSON_CreateObject();
    cJSON *m = cJSON_AddObjectToObject(root, "mesh");
    cJSON_AddNumberToObject(m, "width", p->width);
    cJSON_AddNumberToObject(m, "height", p->height);
    cJSON_AddStringToObject(m, "order", p->order == UDN_ORDER_XY ? "xy" : "yx");
    cJSON_AddNumberToObject(m, "hop_latency", p->hop_latency);
    cJSON_AddNumberToObject(m, "queues", p->queues);
    cJSON_AddNumberToObject(m, "queue_words", p->queue_words);
    cJSON_AddNumberToObject(m, "router_buffer", p->router_buffer);
    cJSON_AddStringToObject(m, "arbitration",
                            p->arbitration == UDN_ARB_FIXED ? "fixed" : "round_robin");
    cJSON_AddBoolToObject(m, "hardwall", p->hardwall);
    cJSON_AddNumberToObject(root, "cycles", (double)(o->warmup + o->cycles));
    cJSON_AddNumberToObject(root, "offered", r->offered);
    cJSON_AddNumberToObject(root, "accepted", r->accepted);
    cJSON_AddNumberToObject(root, "messages_created", (double)r->created);
    cJSON_AddNumberToObject(root, "messages_delivered", (double)r->messages);
    cJSON_AddNumberToObject(root, "link_max", r->link_max);
    cJSON_AddItemToObject(root, "latency", r->latency.to_json());
    cJSON_AddItemToObject(root, "udn", r->udn);
    r->udn = NULL;
    if (stats_write(outdir, cfg, "mesh-only", conf, root, host, err, sizeof err) < 0) {
        fprintf(stderr, "dlsim: %s\n", err);
        return -1;
    }

    FILE *f = mesh_only_open(outdir, "mesh.dat", path, sizeof path);
    if (!f) return -1;
    fprintf(f, "# rate offered accepted lat_mean lat_p99 lat_max link_max  (%s, size %lld)\n",
            o->traffic, (long long)o->size);
    fprintf(f, "%.6f %.6f %.6f %.3f %llu %llu %.6f\n", o->rate, r->offered, r->accepted,
            r->lat_mean, (unsigned long long)r->lat_p99, (unsigned long long)r->lat_max,
            r->link_max);
    if (fclose(f) != 0) return -1;

    f = mesh_only_open(outdir, "links.dat", path, sizeof path);
    if (!f) return -1;
    fprintf(f, "# UDN link utilisation, words per cycle: %d rows x %d columns, row 0 at y = 0;\n"
               "# (2y,2x+1) east-west link, (2y+1,2x) north-south link (busier direction),\n"
               "# (2y,2x) words ejected at tile (x,y), odd/odd NaN\n", r->grid_h, r->grid_w);
    for (int y = 0; y < r->grid_h; y++) {
        for (int x = 0; x < r->grid_w; x++) {
            double v = r->grid[(size_t)y * r->grid_w + x];
            if (isnan(v)) fprintf(f, "%sNaN", x ? " " : "");
            else fprintf(f, "%s%.6f", x ? " " : "", v);
        }
        fprintf(f, "\n");
    }
    return fclose(f) == 0 ? 0 : -1;
}

int mesh_only_run(const dl_config *cfg, const mesh_traffic_opts *opts, const char *outdir)
{
    char err[512];
    udn_mesh_params p;
    if (udn_mesh_params_from_config(cfg, &p, err, sizeof err) < 0 ||
        mesh_traffic_check(opts, err, sizeof err) < 0) {
        fprintf(stderr, "dlsim: %s\n", err);
        return 2;
    }
    mesh_traffic_result r;
    double t0 = mesh_only_host_seconds(CLOCK_MONOTONIC);
    double cpu0 = mesh_only_host_seconds(CLOCK_PROCESS_CPUTIME_ID);
    if (mesh_traffic_run(&p, cfg->chip.clock_mhz, (uint64_t)cfg->run.seed, opts,
                         MESH_TRAFFIC_RUN_AHEAD, &r, err, sizeof err) < 0) {
        fprintf(stderr, "dlsim: %s\n", err);
        return 2;
    }
    double wall = mesh_only_host_seconds(CLOCK_MONOTONIC) - t0;
    double cpu = mesh_only_host_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;

    printf("mesh-only: %s traffic on a %dx%d mesh (%s, hop %d, buffer %d, queues %dx%d)\n",
           opts->traffic, p.width, p.height, p.order == UDN_ORDER_XY ? "xy" : "yx",
           p.hop_latency, p.router_buffer, p.queues, p.queue_words);
    printf("  rate %.4f words/tile/cycle, %lld-word payloads, %lld cycles after %lld warm-up\n",
           opts->rate, (long long)opts->size, (long long)opts->cycles, (long long)opts->warmup);
    printf("  offered   %.4f words/tile/cycle\n", r.offered);
    printf("  accepted  %.4f words/tile/cycle\n", r.accepted);
    printf("  latency   avg %.2f  p99 %llu  max %llu cycles (creation to last word, %llu messages)\n",
           r.lat_mean, (unsigned long long)r.lat_p99, (unsigned long long)r.lat_max,
           (unsigned long long)r.latency.count());
    printf("  busiest link %.4f words/cycle\n", r.link_max);
    uint64_t total = (uint64_t)(opts->warmup + opts->cycles);
    double words = r.accepted * p.width * p.height * (double)opts->cycles;
    fprintf(stderr, "mesh-only host speed: %.0f cycles/s, %.0f words/s (wall %.3f s); "
            "per CPU second: %.0f cycles, %.0f words\n",
            wall > 0 ? (double)total / wall : 0.0, wall > 0 ? words / wall : 0.0, wall,
            cpu > 0 ? (double)total / cpu : 0.0, cpu > 0 ? words / cpu : 0.0);

    cJSON *host = cJSON_CreateObject();
    cJSON_AddNumberToObject(host, "wall_seconds", wall);
    cJSON_AddNumberToObject(host, "cpu_seconds", cpu);
    cJSON_AddNumberToObject(host, "cycles_per_second", wall > 0 ? (double)total / wall : 0.0);
    cJSON_AddStringToObject(host, "dlsim_version", DLSIM_VERSION);
    if (!outdir) cJSON_Delete(host);
    if (outdir && mesh_only_write(outdir, cfg, &p, opts, &r, host) < 0) {
        if (r.udn) cJSON_Delete(r.udn);
        return 1;
    }
    if (r.udn) cJSON_Delete(r.udn);
    if (outdir) printf("  wrote %s/stats.json, mesh.dat, links.dat\n", outdir);
    return 0;
}
