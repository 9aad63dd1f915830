/* mesh_traffic.h - synthetic traffic on the UDN mesh alone (dlsim
 * --mesh-only), the way NoC studies use BookSim2 or Noxim.
 *
 * Each tile has an unbounded source queue. In every cycle each tile creates
 * a message with probability rate / (size + 1) (Bernoulli, splitmix64 seeded
 * from run.seed, one stream per tile), so `rate` counts every word put on the
 * network, header included. The head of each source queue is sent one word
 * per cycle as the network takes it. Destinations by pattern, tile (x, y) of
 * a W x H mesh:
 *
 *   uniform    any other tile, uniformly
 *   transpose  (y mod W, x mod H)       (diagonal tiles send to themselves)
 *   bitcomp    (W-1-x, H-1-y)           (bit complement of each coordinate)
 *   hotspot    the centre tile (W/2, H/2) with probability 1/5, else uniform
 *   neighbor   ((x+1) mod W, y)         (east neighbour, wrapping in the row)
 *
 * Measurement: statistics restart at the end of the warm-up and cover the
 * following `cycles` cycles. offered = words created / (tiles x cycles);
 * accepted = words delivered (header + payload) / (tiles x cycles). Latency
 * is from creation (entering the source queue) to the last payload word
 * being readable, over the messages delivered in the window; the network
 * latency (from the header write) is in the "udn" statistics.
 */
#ifndef DL_MESH_MESH_TRAFFIC_H
#define DL_MESH_MESH_TRAFFIC_H

#include <stdint.h>

#include <vector>

#include <cjson/cJSON.h>

#include "mesh/udn_mesh.h"
#include "mesh/udn_stats.h"

enum { MESH_TRAFFIC_UNIFORM, MESH_TRAFFIC_TRANSPOSE, MESH_TRAFFIC_BITCOMP,
       MESH_TRAFFIC_HOTSPOT, MESH_TRAFFIC_NEIGHBOR };

/* What to generate and how long to measure (dlsim --mesh-only options). */
typedef struct mesh_traffic_opts {
    const char *traffic;   /* uniform|transpose|bitcomp|hotspot|neighbor */
    double rate;           /* words per tile per cycle, 0 < rate <= 1 */
    int64_t size;          /* payload words per message */
    int64_t cycles;        /* measured cycles */
    int64_t warmup;        /* cycles before measurement starts */
} mesh_traffic_opts;

/* The pattern's number for its name, or -1 for an unknown name. */
int mesh_traffic_pattern(const char *name);

struct mesh_traffic_result {
    double offered, accepted;       /* words per tile per cycle */
    double lat_mean;                /* creation to delivery, cycles */
    uint64_t lat_p99, lat_max;
    uint64_t messages;              /* delivered in the window */
    uint64_t created;               /* created in the window */
    uint64_t end_cycle;
    udn_latency_hist latency;       /* creation to delivery */
    cJSON *udn;                     /* the mesh statistics (owned by the caller) */
    double link_max;                /* busiest link, words per cycle */
    /* The link heatmap: (2H-1) rows x (2W-1) columns, row 0 at y = 0.
     * Cell (2y, 2x+1): link between (x,y) and (x+1,y), cell (2y+1, 2x): link
     * between (x,y) and (x,y+1), the busier direction, words per cycle;
     * cell (2y, 2x): words per cycle ejected at tile (x,y); odd/odd: NaN. */
    int grid_w, grid_h;
    std::vector<double> grid;
};

/* Validates opts; returns 0, or -1 with a message naming the option and
 * what was expected. */
int mesh_traffic_check(const mesh_traffic_opts *opts, char *err, size_t errlen);

/* Cycles the mesh-only mode lets mesh and generator run ahead of SystemC
 * time (udn_mesh_sc::set_run_ahead): nothing else runs, results are those
 * of stepping every cycle through the kernel, host time is not. */
#define MESH_TRAFFIC_RUN_AHEAD 4096

/* Elaborates the mesh and the generator, runs warmup + cycles, fills r.
 * run_ahead: 0 steps through the SystemC kernel every cycle, n > 0 lets an
 * activation cover up to n cycles (same results). Must be called once per
 * process (SystemC elaborates once), after the time resolution is set.
 * Returns 0, or -1 with a message in err. */
int mesh_traffic_run(const udn_mesh_params *p, int64_t clock_mhz, uint64_t seed,
                     const mesh_traffic_opts *opts, uint64_t run_ahead,
                     mesh_traffic_result *r, char *err, size_t errlen);

#endif
