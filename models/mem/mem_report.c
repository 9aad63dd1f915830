/* mem_report.c - memory statistics and fault records as JSON. */
#include "mem/mem_report.h"

#include <stdio.h>

static const char *const page_names[MEM_TLB_PAGE_SIZES] = { "16k", "64k", "16m", "4g" };
static const char *const class_names[MEM_CLASSES] = { "l1", "l2", "remote", "dram" };

static const char *const cache_names[MEM_STATS_CACHES] = { "l1i", "l1d", "l2" };

static void cache_json(cJSON *o, const char *name, const mem_cache_stats *s)
{
    cJSON *x = cJSON_AddObjectToObject(o, name);
    cJSON_AddNumberToObject(x, "accesses", (double)s->accesses);
    cJSON_AddNumberToObject(x, "hits", (double)s->hits);
    cJSON_AddNumberToObject(x, "misses", (double)s->misses);
    if (s->accesses)
        cJSON_AddNumberToObject(x, "hit_rate", (double)s->hits / (double)s->accesses);
    else
        cJSON_AddNullToObject(x, "hit_rate");
}

int mem_report_caches_line(const mem_mmu *const *mmus, unsigned n, char *buf, size_t len)
{
    mem_cache_stats sum[MEM_STATS_CACHES] = { { 0, 0, 0 } }, one[MEM_STATS_CACHES];
    uint64_t any = 0;
    size_t at = 0;
    for (unsigned i = 0; i < n; i++) {
        if (!mmus[i] || !mmus[i]->sys) continue;
        mem_sys_cache_stats(mmus[i]->sys, mmus[i]->tile, mmus[i]->core, one);
        for (int k = 0; k < MEM_STATS_CACHES; k++) {
            sum[k].accesses += one[k].accesses;
            sum[k].hits += one[k].hits;
            sum[k].misses += one[k].misses;
            any += one[k].accesses;
        }
    }
    if (!any || len == 0) return -1;
    buf[0] = 0;
    for (int k = 0; k < MEM_STATS_CACHES && at < len; k++) {
        int w = snprintf(buf + at, len - at, "%s%s %.1f%% of %llu hit", k ? ", " : "", cache_names[k],
                         sum[k].accesses ? 100.0 * (double)sum[k].hits / (double)sum[k].accesses : 0.0,
                         (unsigned long long)sum[k].accesses);
        if (w < 0) break;
        at += (size_t)w;
    }
    return 0;
}

void mem_report_tile(cJSON *tile, const mem_mmu *mmu, const mem_sys *sys)
{
    cJSON *tlb = cJSON_AddObjectToObject(tile, "tlb");
    cJSON_AddStringToObject(tile, "role", mem_role_name(mmu->role));
    if (mmu->app != BOOT_APP_NONE) cJSON_AddNumberToObject(tile, "app", mmu->app);
    cJSON_AddNumberToObject(tlb, "itlb_misses", (double)mmu->itlb.misses);
    cJSON_AddNumberToObject(tlb, "dtlb_misses", (double)mmu->dtlb.misses);
    cJSON *by = cJSON_AddObjectToObject(tlb, "dtlb_misses_by_page");
    for (int i = 0; i < MEM_TLB_PAGE_SIZES; i++)
        cJSON_AddNumberToObject(by, page_names[i], (double)mmu->dtlb.misses_by_size[i]);
    if (!sys) return;
    const mem_tile_caches *t = &sys->t[mmu->tile];
    mem_cache_stats st[MEM_STATS_CACHES];
    mem_sys_cache_stats(sys, mmu->tile, mmu->core, st);
    cJSON *c = cJSON_AddObjectToObject(tile, "cache");
    for (int k = 0; k < MEM_STATS_CACHES; k++) cache_json(c, cache_names[k], &st[k]);
    cJSON *l = cJSON_AddObjectToObject(c, "loads");
    for (int i = 0; i < MEM_CLASSES; i++) cJSON_AddNumberToObject(l, class_names[i], (double)t->loads[i]);
    cJSON *f = cJSON_AddObjectToObject(c, "fetches");
    for (int i = 0; i < MEM_CLASSES; i++) cJSON_AddNumberToObject(f, class_names[i], (double)t->fetches[i]);
    cJSON_AddNumberToObject(c, "stores", (double)t->stores);
    cJSON_AddNumberToObject(c, "dma_invalidations", (double)t->dma_invalidations);
    cJSON_AddNumberToObject(c, "coherence_invalidations", (double)t->coherence_invalidations);
}

void mem_report_fault(cJSON *tile, const mem_mmu *mmu, uint64_t pc)
{
    char name[32], rights[4];
    cJSON *f = cJSON_AddObjectToObject(tile, "fault");
    cJSON_AddNumberToObject(f, "tile", mmu->tile);
    cJSON_AddStringToObject(f, "role", mem_role_name(mmu->role));
    if (mmu->app != BOOT_APP_NONE) cJSON_AddNumberToObject(f, "app", mmu->app);
    cJSON_AddNumberToObject(f, "pc", (double)pc);
    cJSON_AddNumberToObject(f, "address", (double)mmu->fault.va);
    cJSON_AddStringToObject(f, "access", mem_access_name(mmu->fault.kind));
    cJSON_AddStringToObject(f, "region",
                            mem_region_name(mmu->fault.mapped ? &mmu->fault.region : NULL, name, sizeof name));
    cJSON_AddStringToObject(f, "rights", mem_rights_text(mmu->fault.mapped ? mmu->fault.region.rights : 0, rights));
}
