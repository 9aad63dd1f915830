/* golden_run.c - runs one golden case into a folder and extracts the
 * deterministic parts: DIR/wire.pcap and DIR/results.json (the "results"
 * section of stats.json, printed by cJSON). Used by the regression test and
 * by `make golden`. Usage: golden_run DLSIM BUILD CASE OUTDIR */
#include "golden_run.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden_cases.h"
#include "test_util.h"

const golden_case *golden_find(const char *name)
{
    for (size_t i = 0; i < sizeof golden_cases / sizeof golden_cases[0]; i++)
        if (strcmp(golden_cases[i].name, name) == 0) return &golden_cases[i];
    return NULL;
}

size_t golden_count(void) { return sizeof golden_cases / sizeof golden_cases[0]; }

const char *golden_name(size_t i) { return golden_cases[i].name; }

int golden_known(const char *name) { return golden_find(name) != NULL; }

int golden_run(const char *dlsim, const char *build, const char *name, const char *outdir,
               char *log, size_t loglen)
{
    const golden_case *gc = golden_find(name);
    char args[1024], cmd[2048], path[1024];
    if (!gc) {
        snprintf(log, loglen, "no golden case named %s", name);
        return -1;
    }
    snprintf(args, sizeof args, gc->args, build, build, build); /* up to three %s */
    snprintf(cmd, sizeof cmd, "%s %s -o %s > %s/summary.txt 2>&1", dlsim, args, outdir, outdir);
    if (system(cmd) != 0) {
        snprintf(path, sizeof path, "%s/summary.txt", outdir);
        char *s = test_read_file(path);
        snprintf(log, loglen, "%s failed:\n%s", cmd, s ? s : "");
        free(s);
        return -1;
    }
    snprintf(path, sizeof path, "%s/stats.json", outdir);
    char *text = test_read_file(path);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    free(text);
    cJSON *res = j ? cJSON_GetObjectItemCaseSensitive(j, "results") : NULL;
    char *out = res ? cJSON_Print(res) : NULL;
    cJSON_Delete(j);
    snprintf(path, sizeof path, "%s/results.json", outdir);
    FILE *f = out ? fopen(path, "w") : NULL;
    int ok = f && fputs(out, f) >= 0 && fputc('\n', f) != EOF;
    if (f && fclose(f) != 0) ok = 0;
    free(out);
    if (!ok) {
        snprintf(log, loglen, "%s: cannot extract results from stats.json", outdir);
        return -1;
    }
    return 0;
}
