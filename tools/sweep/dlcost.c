/* dlcost.c - the cost of protection per request, measured from the
 * counters of runs' stats.json (plots/protection_cost.gp): for each
 * deployment, two runs of the same configuration with different request
 * counts, so that the start-up (memory formatting, documents) cancels out
 * and what remains is per request served:
 *   dlcost OUT.dat LABEL:RUNDIR_FEW:RUNDIR_MANY ...
 * Each row of OUT.dat: the label, then per request (the difference of the
 * two runs, summed over every tile, divided by the difference of requests
 * completed): busy cycles, TLB refill cycles (ITLB + DTLB misses times
 * mem.tlb_refill), memory stall cycles (loads and fetches served by the L2,
 * a remote home tile or DRAM, times mem.l2_latency, remote_latency and
 * dram_latency: an estimate, hops not counted), the rest of the busy
 * cycles, instructions, TLB misses, L1D misses, L2 misses, UDN messages,
 * socket requests validated by the stack (firmware counter sock_req), and
 * the busy cycles of the stack-role and app-role tiles (baseline tiles count
 * as stack). OUT.info.gp states the configurations and simulated times.
 * Exit status 0, or 2 with a message naming the file and what is missing. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BUSY, TLBC, MEMC, REST, INSTR, TLBM, L1DM, L2M, UDN, SOCK, SBUSY, ABUSY, REQS, NCOL };
static const char *const col_names[NCOL] = {
    "busy_cycles", "tlb_refill_cycles", "memory_stall_cycles", "other_cycles", "instructions", "tlb_misses",
    "l1d_misses", "l2_misses", "udn_messages", "sock_requests", "stack_tile_busy", "app_tile_busy", "requests"
};

static char errbuf[1200];

static int fail(const char *path, const char *what)
{
    snprintf(errbuf, sizeof errbuf, "dlcost: %s: %s", path, what);
    return -1;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0, r;
    char *s = malloc(cap + 1);
    while (s && (r = fread(s + n, 1, cap - n, f)) > 0)
        if ((n += r) == cap) s = realloc(s, (cap *= 2) + 1);
    fclose(f);
    if (s) s[n] = 0;
    return s;
}

/* The number at a dotted path below o (0 when absent). */
static double at(const cJSON *o, const char *path)
{
    char key[64];
    while (o && *path) {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof key, "%.*s", (int)n, path);
        o = cJSON_GetObjectItemCaseSensitive(o, key);
        path += n + (path[n] == '.');
    }
    return cJSON_IsNumber(o) ? o->valuedouble : 0;
}

/* The totals of one run: v[NCOL], config text and simulated time. */
static int load_run(const char *dir, double *v, char *cfgtxt, size_t cfglen, double *time_us)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/stats.json", dir);
    char *text = read_all(path);
    cJSON *root = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!root) return fail(path, "cannot read or parse");
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(root, "config");
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "results");
    const cJSON *tiles = cJSON_GetObjectItemCaseSensitive(res, "tiles");
    const cJSON *mem = cJSON_GetObjectItemCaseSensitive(cfg, "mem");
    if (!cJSON_IsArray(tiles) || !mem || !cJSON_GetObjectItemCaseSensitive(res, "clients")) {
        cJSON_Delete(root);
        return fail(path, "no results.tiles, results.clients or config.mem (a chip run with client hosts?)");
    }
    double refill = at(mem, "tlb_refill"), l2 = at(mem, "l2_latency"), rem = at(mem, "remote_latency"),
           dram = at(mem, "dram_latency");
    memset(v, 0, NCOL * sizeof *v);
    const cJSON *t;
    cJSON_ArrayForEach(t, tiles) {
        double busy = at(t, "busy_cycles");
        double tlb = at(t, "tlb.itlb_misses") + at(t, "tlb.dtlb_misses");
        double stall = (at(t, "cache.loads.l2") + at(t, "cache.fetches.l2")) * l2 +
                       (at(t, "cache.loads.remote") + at(t, "cache.fetches.remote")) * rem +
                       (at(t, "cache.loads.dram") + at(t, "cache.fetches.dram")) * dram;
        v[BUSY] += busy;
        v[TLBC] += tlb * refill;
        v[MEMC] += stall;
        v[INSTR] += at(t, "instructions");
        v[TLBM] += tlb;
        v[L1DM] += at(t, "cache.l1d.misses");
        v[L2M] += at(t, "cache.l2.misses");
        v[SOCK] += at(t, "firmware.sock_req");
        const cJSON *role = cJSON_GetObjectItemCaseSensitive(t, "role");
        v[cJSON_IsString(role) && !strcmp(role->valuestring, "app") ? ABUSY : SBUSY] += busy;
    }
    v[REST] = v[BUSY] - v[TLBC] - v[MEMC];
    v[UDN] = at(res, "udn.messages");
    v[REQS] = at(res, "clients.requests_completed");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cfg, "chip"), "name");
    const cJSON *mode = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cfg, "deployment"), "mode");
    const cJSON *prot = cJSON_GetObjectItemCaseSensitive(mem, "protection");
    snprintf(cfgtxt, cfglen, "%s (%s, %gx%g tiles, protection %s)", cJSON_IsString(name) ? name->valuestring : "?",
             cJSON_IsString(mode) ? mode->valuestring : "?", at(cfg, "chip.width"), at(cfg, "chip.height"),
             cJSON_IsString(prot) ? prot->valuestring : cJSON_IsTrue(prot) ? "on" : "off");
    *time_us = at(res, "time_ns") / 1000.0;
    cJSON_Delete(root);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: dlcost OUT.dat LABEL:RUNDIR_FEW:RUNDIR_MANY ...\n");
        return 2;
    }
    char path[1100];
    snprintf(path, sizeof path, "%s", argv[1]);
    FILE *out = fopen(path, "w");
    snprintf(path, sizeof path, "%s.info.gp", argv[1]);
    FILE *info = fopen(path, "w");
    if (!out || !info) {
        fprintf(stderr, "dlcost: %s: cannot write\n", argv[1]);
        return 2;
    }
    fprintf(out, "# label");
    for (int c = 0; c < NCOL - 1; c++) fprintf(out, " %s", col_names[c]);
    fprintf(out, "\n# per request: the difference of two runs (few, many requests) over every tile\n");
    fprintf(info, "# written by dlcost\ncost_source = \"");
    for (int a = 2; a < argc; a++) {
        char spec[2100], cfg[2][300];
        snprintf(spec, sizeof spec, "%s", argv[a]);
        char *few = strchr(spec, ':'), *many = few ? strchr(few + 1, ':') : NULL;
        if (!few || !many) {
            fprintf(stderr, "dlcost: '%s': expected LABEL:RUNDIR_FEW:RUNDIR_MANY\n", argv[a]);
            return 2;
        }
        *few++ = 0;
        *many++ = 0;
        double v0[NCOL], v1[NCOL], t0, t1;
        if (load_run(few, v0, cfg[0], sizeof cfg[0], &t0) < 0 || load_run(many, v1, cfg[1], sizeof cfg[1], &t1) < 0) {
            fprintf(stderr, "%s\n", errbuf);
            return 2;
        }
        double dn = v1[REQS] - v0[REQS];
        if (dn <= 0) {
            fprintf(stderr, "dlcost: %s: %s completed no more requests than %s\n", spec, many, few);
            return 2;
        }
        fprintf(out, "%s", spec);
        for (int c = 0; c < NCOL - 1; c++) fprintf(out, " %.2f", (v1[c] - v0[c]) / dn);
        fprintf(out, "\n");
        fprintf(info, "%s%s: %s, %.0f - %.0f requests, %.0f and %.0f us simulated", a > 2 ? "\\n" : "", spec,
                cfg[1], v1[REQS], v0[REQS], t1, t0);
    }
    fprintf(info, "\"\n");
    if (fclose(out) != 0 || fclose(info) != 0) {
        fprintf(stderr, "dlcost: %s: cannot write\n", argv[1]);
        return 2;
    }
    return 0;
}
