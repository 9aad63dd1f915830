/* stats.c - writes stats.json with cJSON and creates the output directory. */
#include "stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

cJSON *stats_config_json(const dl_config *c)
{
    size_t n;
    const cfg_key *k = cfg_keys(&n);
    cJSON *root = cJSON_CreateObject();
    for (size_t i = 0; i < n; i++) {
        cJSON *sec = cJSON_GetObjectItemCaseSensitive(root, k[i].section);
        if (!sec) sec = cJSON_AddObjectToObject(root, k[i].section);
        const void *f = (const char *)c + k[i].offset;
        char text[CFG_STR_MAX + 32];
        switch (k[i].type) {
        case CFG_INT: cJSON_AddNumberToObject(sec, k[i].key, (double)*(const int64_t *)f); break;
        case CFG_DOUBLE: cJSON_AddNumberToObject(sec, k[i].key, *(const double *)f); break;
        case CFG_BOOL: cJSON_AddBoolToObject(sec, k[i].key, *(const int *)f); break;
        case CFG_ENUM:
        case CFG_STRING:
            cfg_format_value(c, &k[i], text, sizeof text);
            cJSON_AddStringToObject(sec, k[i].key, text);
            break;
        }
    }
    return root;
}

int stats_make_dir(const char *dir, char *err, size_t errlen)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        snprintf(err, errlen, "%s: output directory name too long", dir);
        return -1;
    }
    for (char *p = path + 1;; p++) {
        if (*p == '/' || *p == 0) {
            char saved = *p;
            *p = 0;
            struct stat st;
            if (mkdir(path, 0777) < 0 && errno != EEXIST) {
                snprintf(err, errlen, "%s: cannot create output directory: %s", path, strerror(errno));
                return -1;
            }
            if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
                snprintf(err, errlen, "%s: not a directory (the output, -o, is a directory of files)", path);
                return -1;
            }
            *p = saved;
            if (!saved) break;
        }
    }
    return 0;
}

/* Moves every item of `from` (which may be NULL) to the end of `to`, in
 * order, and frees `from`. */
static void move_items(cJSON *from, cJSON *to)
{
    while (from && from->child) {
        cJSON *it = cJSON_DetachItemViaPointer(from, from->child);
        cJSON_AddItemToObject(to, it->string, it);
    }
    cJSON_Delete(from);
}

int stats_write(const char *dir, const dl_config *c, const char *mode, cJSON *run_config,
                cJSON *results, cJSON *host, char *err, size_t errlen)
{
    char path[4096];
    cJSON *root = cJSON_CreateObject();
    cJSON *config = cJSON_CreateObject();
    cJSON_AddStringToObject(config, "mode", mode);
    move_items(stats_config_json(c), config);
    move_items(run_config, config);
    cJSON_AddItemToObject(root, "config", config);
    cJSON_AddItemToObject(root, "results", results);
    cJSON_AddItemToObject(root, "host", host);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        snprintf(err, errlen, "out of memory while writing stats.json");
        return -1;
    }
    snprintf(path, sizeof path, "%s/stats.json", dir);
    FILE *f = fopen(path, "w");
    int ok = f && fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    if (f && fclose(f) != 0) ok = 0;
    free(text);
    if (!ok) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

double stats_host_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
