/* mem_report.c - memory statistics and fault records as JSON. */
#include "mem/mem_report.h"

static const char *const page_names[MEM_TLB_PAGE_SIZES] = { "16k", "64k", "16m", "4g" };
static const char *const class_names[MEM_CLASSES] = { "l1", "l2", "remote", "dram" };

static void hits_misses(cJSON *o, const char *name, const mem_cache *c)
{
    cJSON *x = cJSON_AddObjectToObject(o, name);
    cJSON_AddNumberToObject(x, "hits", (double)c->hits);
    cJSON_AddNumberToObject(x, "misses", (double)c->misses);
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
    cJSON *c = cJSON_AddObjectToObject(tile, "cache");
    hits_misses(c, "l1i", &t->l1i);
    hits_misses(c, "l1d", &t->l1d);
    hits_misses(c, "l2", &t->l2);
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
