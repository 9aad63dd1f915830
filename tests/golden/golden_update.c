/* golden_update.c - `make golden`: reruns every golden case (or the ones
 * named), prints what changed against tests/golden/NAME/ (frames added,
 * removed and retimed, the first difference, the results that changed,
 * old -> new: golden_diff.h) and copies the new wire.pcap and results.json
 * there. Usage: golden_update DLSIM BUILD [CASE...] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "golden_diff.h"
#include "golden_run.h"

/* Prints the differences of one case; a new case says so. */
static void summarise(const char *name, const char *dir)
{
    char o[1100], n[1100];
    struct stat st;
    snprintf(o, sizeof o, "tests/golden/%s/wire.pcap", name);
    if (stat(o, &st) != 0) {
        printf("golden %s: new case\n", name);
        return;
    }
    printf("golden %s:\n", name);
    snprintf(n, sizeof n, "%s/wire.pcap", dir);
    golden_diff_pcap(o, n, "  ", stdout);
    snprintf(o, sizeof o, "tests/golden/%s/results.json", name);
    snprintf(n, sizeof n, "%s/results.json", dir);
    golden_diff_json(o, n, "  ", 40, stdout);
}

int main(int argc, char **argv)
{
    char log[4096], dir[512], cmd[2048];
    if (argc < 3) {
        fprintf(stderr, "usage: golden_update DLSIM BUILD [CASE...]\n");
        return 2;
    }
    for (int a = 3; a < argc; a++)
        if (!golden_known(argv[a])) {
            fprintf(stderr, "golden: no case named %s (tests/golden/golden_cases.h)\n", argv[a]);
            return 2;
        }
    for (size_t i = 0; i < golden_count(); i++) {
        const char *name = golden_name(i);
        int wanted = argc == 3;
        for (int a = 3; a < argc; a++) wanted |= strcmp(argv[a], name) == 0;
        if (!wanted) continue;
        snprintf(dir, sizeof dir, "%s/golden/%s", argv[2], name);
        snprintf(cmd, sizeof cmd, "mkdir -p %s tests/golden/%s", dir, name);
        if (system(cmd) != 0) return 1;
        if (golden_run(argv[1], argv[2], name, dir, log, sizeof log) < 0) {
            fprintf(stderr, "golden: %s\n", log);
            return 1;
        }
        summarise(name, dir);
        snprintf(cmd, sizeof cmd, "cp %s/wire.pcap %s/results.json tests/golden/%s/", dir, dir, name);
        if (system(cmd) != 0) return 1;
        printf("golden %s: tests/golden/%s updated\n", name, name);
    }
    return 0;
}
