/* dlmaps.c - the data of a run's maps (plots/run_maps.gp) from its
 * stats.json: PREFIX.tiles.dat (each tile's busy share), PREFIX.links.dat
 * (each directed UDN link between neighbours and its utilisation, words per
 * cycle) and PREFIX.info.gp (what the figures state: the configuration and
 * the simulated time covered).
 *   dlmaps RUNDIR PREFIX
 * Exit status 0, or 2 with a message naming the file and the missing item. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *stats_path;

static int fail(const char *what)
{
    fprintf(stderr, "dlmaps: %s: %s\n", stats_path, what);
    return 2;
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

static double num(const cJSON *o, const char *key, double def)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(j) ? j->valuedouble : def;
}

/* links.PORT[y][x]: words per cycle out of router (x, y) towards PORT. */
static double link_at(const cJSON *links, const char *port, int x, int y)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(links, port);
    const cJSON *row = cJSON_GetArrayItem(m, y);
    const cJSON *v = cJSON_GetArrayItem(row, x);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static FILE *open_out(const char *prefix, const char *suffix, char *path, size_t len)
{
    snprintf(path, len, "%s.%s", prefix, suffix);
    FILE *f = fopen(path, "w");
    if (!f) perror(path);
    return f;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: dlmaps RUNDIR PREFIX  (reads RUNDIR/stats.json; writes PREFIX.tiles.dat, "
                "PREFIX.links.dat, PREFIX.info.gp)\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/stats.json", argv[1]);
    stats_path = path;
    char *text = read_all(path);
    if (!text) return fail("cannot read (expected a dlsim output folder)");
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!root) return fail("not JSON");
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(root, "config");
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "results");
    const cJSON *chip = cJSON_GetObjectItemCaseSensitive(cfg, "chip");
    const cJSON *udn = cJSON_GetObjectItemCaseSensitive(res, "udn");
    const cJSON *links = cJSON_GetObjectItemCaseSensitive(udn, "links");
    if (!chip || !links) return fail("no config.chip or results.udn.links");
    int w = (int)num(chip, "width", 0), h = (int)num(chip, "height", 0);
    double mhz = num(chip, "clock_mhz", 0), cycles = num(udn, "cycles", 0);
    if (w < 1 || h < 1 || mhz <= 0) return fail("config.chip lacks width, height or clock_mhz");

    char out[4096];
    FILE *f = open_out(argv[2], "tiles.dat", out, sizeof out);
    if (!f) return 2;
    const cJSON *tiles = cJSON_GetObjectItemCaseSensitive(res, "tiles");
    /* every tile of the grid, in tile order; without results.tiles (mesh-only
     * mode) its busy share is NaN and the tile map is not drawn */
    fprintf(f, "# x y busy_share tile role (busy cycles / simulated cycles; from %s)\n", path);
    int ntiles = 0;
    for (int i = 0; i < w * h; i++) {
        const cJSON *t, *found = NULL;
        cJSON_ArrayForEach(t, tiles) if ((int)num(t, "tile", -1) == i) found = t;
        double busy = num(found, "busy_cycles", 0), idle = num(found, "idle_cycles", 0);
        const cJSON *role = cJSON_GetObjectItemCaseSensitive(found, "role");
        if (found && busy + idle > 0) {
            fprintf(f, "%d %d %.6f %d %s\n", i % w, i / w, busy / (busy + idle), i,
                    cJSON_IsString(role) ? role->valuestring : "-");
            ntiles++;
        } else {
            fprintf(f, "%d %d NaN %d -\n", i % w, i / w, i);
        }
    }
    fclose(f);

    f = open_out(argv[2], "links.dat", out, sizeof out);
    if (!f) return 2;
    fprintf(f, "# x y dx dy words_per_cycle: the link from tile (x,y) to (x+dx,y+dy) (y grows southwards)\n");
    static const struct { const char *port; int dx, dy; } dir[] = {
        { "east", 1, 0 }, { "west", -1, 0 }, { "south", 0, 1 }, { "north", 0, -1 },
    };
    double max = 0;
    int nlinks = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int d = 0; d < 4; d++) {
                int nx = x + dir[d].dx, ny = y + dir[d].dy;
                if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
                double u = link_at(links, dir[d].port, x, y);
                if (u < 0) return fail("results.udn.links: a matrix is not chip.height x chip.width numbers");
                fprintf(f, "%d %d %d %d %.9g\n", x, y, dir[d].dx, dir[d].dy, u);
                if (u > max) max = u;
                nlinks++;
            }
    fclose(f);

    f = open_out(argv[2], "info.gp", out, sizeof out);
    if (!f) return 2;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(chip, "name");
    const cJSON *dep = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cfg, "deployment"), "mode");
    const cJSON *traffic = cJSON_GetObjectItemCaseSensitive(cfg, "traffic");
    const cJSON *pattern = cJSON_GetObjectItemCaseSensitive(traffic, "pattern");
    double ns = num(res, "time_ns", cycles * 1000.0 / mhz);
    char what[256];
    if (cJSON_IsString(pattern)) /* mesh-only: the synthetic traffic */
        snprintf(what, sizeof what, "mesh-only, %s traffic at %g words/tile/cycle, %g-word messages",
                 pattern->valuestring, num(traffic, "rate", 0), num(traffic, "size", 0));
    else
        snprintf(what, sizeof what, "%s", cJSON_IsString(dep) ? dep->valuestring : "?");
    fprintf(f, "# written by dlmaps from %s\n", path);
    fprintf(f, "map_source = \"%s\"\n", path);
    fprintf(f, "map_config = \"%s, %dx%d tiles at %.0f MHz, %s\"\n", cJSON_IsString(name) ? name->valuestring : "?",
            w, h, mhz, what);
    fprintf(f, "map_time = \"%.1f us simulated (%.0f cycles)\"\n", ns / 1000.0, ns * mhz / 1000.0);
    fprintf(f, "map_w = %d\nmap_h = %d\nmap_tiles = %d\nmap_links = %d\nmap_link_max = %.9g\n", w, h, ntiles, nlinks,
            max);
    fclose(f);
    cJSON_Delete(root);
    return 0;
}
