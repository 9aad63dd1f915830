/* bench_dlibos.c - make bench-dlibos's arithmetic: reads the stats.json of a
 * short and of a long run of one deployment (same configuration, more
 * requests per connection in the long one) and prints, from the differences
 * (which remove start-up and the end of the run): requests per simulated
 * second, instructions and busy cycles per request on the stack tiles and
 * on the app tiles (by each tile's role in stats.json; in the baseline every
 * tile is both, reported as one) and how busy they were meanwhile (the mean
 * and the busiest tile), UDN messages per request; and host seconds per simulated millisecond (of the long run, and
 * of the difference) with the clients' share of the long run's host time;
 * L1I, L1D, L2 and TLB misses per request by role (results.tiles[].cache,
 * .tlb); with the two runs' console logs, memcached's store lock per
 * request (its "store lock taken" lines, summed over the tiles).
 * Usage: bench_dlibos LABEL SHORT_DIR LONG_DIR [SHORT_LOG LONG_LOG]. Exit 2
 * on bad input. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *label;

static void die(const char *file, const char *what)
{
    fprintf(stderr, "bench_dlibos: %s: %s\n", file, what);
    exit(2);
}

static cJSON *load(const char *dir, char *path, size_t n)
{
    snprintf(path, n, "%s/stats.json", dir);
    FILE *f = fopen(path, "rb");
    if (!f) die(path, "cannot open");
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) die(path, "cannot read");
    buf[len] = 0;
    fclose(f);
    cJSON *j = cJSON_Parse(buf);
    free(buf);
    if (!j) die(path, "not valid JSON");
    return j;
}

/* The item at a dotted path, or exit naming the file and the path. */
static cJSON *at(cJSON *j, const char *file, const char *dotted)
{
    char key[128];
    const char *p = dotted;
    while (j && *p) {
        size_t k = strcspn(p, ".");
        snprintf(key, sizeof key, "%.*s", (int)k, p);
        j = cJSON_GetObjectItemCaseSensitive(j, key);
        p += k + (p[k] == '.');
    }
    if (!j) {
        char msg[200];
        snprintf(msg, sizeof msg, "no field %s", dotted);
        die(file, msg);
    }
    return j;
}
static double num(cJSON *j, const char *file, const char *dotted)
{
    cJSON *n = at(j, file, dotted);
    if (!cJSON_IsNumber(n)) die(file, dotted);
    return n->valuedouble;
}

#define TILES_MAX 4096
typedef struct run {
    double req, ns, insn[2], busy[2], udn, wall, clients_share, mhz;
    double miss[2][4];   /* L1I, L1D, L2, TLB (i + d) */
    int ntiles[2], role_of[TILES_MAX];
    double tile_busy[TILES_MAX];
} run;

/* Sums of one run; role 0 = stack tiles (and baseline tiles), 1 = app tiles. */
static run *sums(const char *dir)
{
    char file[1100];
    cJSON *j = load(dir, file, sizeof file);
    run *rp = calloc(1, sizeof *rp);
    if (!rp) die(file, "out of memory");
    run r = *rp;
    if (num(j, file, "results.clients.errors.total") != 0) die(file, "client errors: the load is not served");
    if (!cJSON_IsTrue(at(j, file, "results.clients.done"))) die(file, "clients not done");
    r.req = num(j, file, "results.clients.requests_completed");
    r.ns = num(j, file, "results.time_ns");
    r.udn = num(j, file, "results.udn.messages");
    r.wall = num(j, file, "host.wall_seconds");
    r.clients_share = num(j, file, "host.clients_share");
    r.mhz = num(j, file, "config.chip.clock_mhz");
    cJSON *t;
    int i = 0;
    cJSON_ArrayForEach(t, at(j, file, "results.tiles"))
    {
        cJSON *ro = at(t, file, "role");
        if (!cJSON_IsString(ro)) die(file, "results.tiles[].role is not a string");
        if (i == TILES_MAX) die(file, "more tiles than bench_dlibos handles");
        int role = strcmp(ro->valuestring, "app") == 0 ? 1 : 0;
        r.role_of[i] = role;
        r.tile_busy[i++] = num(t, file, "busy_cycles");
        r.ntiles[role]++;
        r.insn[role] += num(t, file, "instructions");
        r.busy[role] += num(t, file, "busy_cycles");
        r.miss[role][0] += num(t, file, "cache.l1i.misses");
        r.miss[role][1] += num(t, file, "cache.l1d.misses");
        r.miss[role][2] += num(t, file, "cache.l2.misses");
        r.miss[role][3] += num(t, file, "tlb.itlb_misses") + num(t, file, "tlb.dtlb_misses");
    }
    cJSON_Delete(j);
    *rp = r;
    return rp;
}

/* Busy share of role's tiles between the runs: mean and busiest tile. */
static void busy_share(const run *s, const run *l, int role, double dns, double *mean, double *max)
{
    double cycles = dns * l->mhz / 1e3;
    *mean = (l->busy[role] - s->busy[role]) / (cycles * (l->ntiles[role] ? l->ntiles[role] : 1));
    *max = 0;
    for (int i = 0; i < l->ntiles[0] + l->ntiles[1]; i++)
        if (l->role_of[i] == role && (l->tile_busy[i] - s->tile_busy[i]) / cycles > *max)
            *max = (l->tile_busy[i] - s->tile_busy[i]) / cycles;
}

/* memcached's store lock over a run's log: sums of its "store lock taken
 * N times, W of them waited (S reads of the lock word, C cycles)" lines. */
static void lock_sums(const char *log, double v[4])
{
    FILE *f = fopen(log, "r");
    if (!f) die(log, "cannot open");
    char line[512];
    v[0] = v[1] = v[2] = v[3] = 0;
    while (fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "store lock taken ");
        unsigned long n, w, sp, cy;
        if (!p) continue;
        if (sscanf(p, "store lock taken %lu times, %lu of them waited (%lu reads of the lock word, %lu cycles)",
                   &n, &w, &sp, &cy) != 4)
            die(log, "a 'store lock taken' line not as expected");
        v[0] += n; v[1] += w; v[2] += sp; v[3] += cy;
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 6) {
        fprintf(stderr, "usage: bench_dlibos dlibos|baseline SHORT_DIR LONG_DIR [SHORT_LOG LONG_LOG]\n");
        return 2;
    }
    label = argv[1];
    int baseline = strcmp(label, "baseline") == 0;
    if (!baseline && strcmp(label, "dlibos") != 0) die(label, "expected dlibos or baseline");
    run *sp = sums(argv[2]), *lp = sums(argv[3]);
    run s = *sp, l = *lp;
    double dr = l.req - s.req, dns = l.ns - s.ns, mean, max;
    if (dr <= 0 || dns <= 0) die(argv[3], "the long run has no more requests or time than the short one");
    printf("bench-dlibos %-8s %.0f requests/simulated s (%.0f requests in %.1f us more than the short run)\n",
           label, dr / dns * 1e9, dr, dns / 1e3);
    if (baseline != (l.ntiles[1] == 0)) die(argv[3], baseline ? "has app tiles" : "has no app tile");
    for (int role = 0; role < 2 - baseline; role++) {
        busy_share(sp, lp, role, dns, &mean, &max);
        printf("bench-dlibos %-8s %s (%d): %.0f instructions, %.0f busy cycles per request; "
               "busy %.0f%% (busiest tile %.0f%%)\n", label,
               baseline ? "stack+app tiles" : role ? "app tiles  " : "stack tiles", l.ntiles[role],
               (l.insn[role] - s.insn[role]) / dr, (l.busy[role] - s.busy[role]) / dr, 100 * mean, 100 * max);
    }
    for (int role = 0; role < 2 - baseline; role++)
        printf("bench-dlibos %-8s %s: misses per request: L1I %.1f, L1D %.1f, L2 %.1f, TLB %.2f\n", label,
               baseline ? "stack+app tiles" : role ? "app tiles  " : "stack tiles",
               (l.miss[role][0] - s.miss[role][0]) / dr, (l.miss[role][1] - s.miss[role][1]) / dr,
               (l.miss[role][2] - s.miss[role][2]) / dr, (l.miss[role][3] - s.miss[role][3]) / dr);
    printf("bench-dlibos %-8s %.2f UDN messages per request\n", label, (l.udn - s.udn) / dr);
    if (argc == 6) {
        double ls[4], ll[4];
        lock_sums(argv[4], ls);
        lock_sums(argv[5], ll);
        double taken = ll[0] - ls[0];
        printf("bench-dlibos %-8s store lock: %.2f acquisitions per request, %.0f%% of them waited, "
               "%.1f reads of the lock word and %.0f cycles waiting per request\n", label, taken / dr,
               taken > 0 ? 100 * (ll[1] - ls[1]) / taken : 0, (ll[2] - ls[2]) / dr, (ll[3] - ls[3]) / dr);
    }
    printf("bench-dlibos %-8s host: %.3f s per simulated ms (long run: %.2f s for %.3f ms; the difference: %.3f), "
           "clients %.1f%% of it\n",
           label, l.wall / (l.ns / 1e6), l.wall, l.ns / 1e6, (l.wall - s.wall) / (dns / 1e6), 100.0 * l.clients_share);
    free(sp);
    free(lp);
    return 0;
}
