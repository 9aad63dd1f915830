/* golden_update.c - `make golden`: reruns every golden case and copies its
 * wire.pcap and results.json into tests/golden/NAME/. Usage:
 * golden_update DLSIM BUILD */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "golden_run.h"

int main(int argc, char **argv)
{
    char log[4096], dir[512], cmd[2048];
    if (argc != 3) {
        fprintf(stderr, "usage: golden_update DLSIM BUILD\n");
        return 2;
    }
    for (size_t i = 0; i < golden_count(); i++) {
        const char *name = golden_name(i);
        snprintf(dir, sizeof dir, "%s/golden/%s", argv[2], name);
        snprintf(cmd, sizeof cmd, "mkdir -p %s tests/golden/%s", dir, name);
        if (system(cmd) != 0) return 1;
        if (golden_run(argv[1], argv[2], name, dir, log, sizeof log) < 0) {
            fprintf(stderr, "golden: %s\n", log);
            return 1;
        }
        snprintf(cmd, sizeof cmd, "cp %s/wire.pcap %s/results.json tests/golden/%s/", dir, dir, name);
        if (system(cmd) != 0) return 1;
        printf("golden: tests/golden/%s updated\n", name);
    }
    return 0;
}
