/* test_chip.c - the check that a shipped TILE-Gx36 configuration is
 * configs/tilegx36.ini's chip (test_util.h); apart from test_util.c, which
 * the golden updater links without the simulator's configuration code. */
#include <check.h>
#include <string.h>

#include "config.h"
#include "test_util.h"

void test_check_same_chip(const char *path)
{
    dl_config a, b;
    char err[512];
    cfg_defaults(&a);
    cfg_defaults(&b);
    ck_assert_msg(cfg_load_file(&a, "configs/tilegx36.ini", err, sizeof err) == 0, "%s", err);
    ck_assert_msg(cfg_load_file(&b, path, err, sizeof err) == 0, "%s", err);
    size_t n;
    const cfg_key *k = cfg_keys(&n);
    for (size_t i = 0; i < n; i++) {
        const char *sec = k[i].section;
        if (!strcmp(sec, "deployment") || !strcmp(sec, "clients") || !strcmp(sec, "workload") ||
            !strcmp(k[i].key, "name") || (!strcmp(sec, "mpipe") && !strcmp(k[i].key, "rules")) ||
            (!strcmp(sec, "mem") && !strcmp(k[i].key, "protection")))
            continue;
        char va[512], vb[512];
        cfg_format_value(&a, &k[i], va, sizeof va);
        cfg_format_value(&b, &k[i], vb, sizeof vb);
        ck_assert_msg(!strcmp(va, vb), "%s: %s.%s = %s, tilegx36.ini has %s", path, sec, k[i].key, vb, va);
    }
}
