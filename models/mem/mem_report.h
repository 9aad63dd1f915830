/* mem_report.h - the memory system's part of stats.json: per tile, the
 * fault record, TLB misses and cache statistics. */
#ifndef DL_MEM_MEM_REPORT_H
#define DL_MEM_MEM_REPORT_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "mem/mem_mmu.h"
#include "mem/mem_sys.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Adds to a tile's object: "role", "app", "tlb" {itlb_misses, dtlb_misses,
 * dtlb_misses_by_page {16k, 64k, 16m, 4g}}, "cache" {l1i, l1d, l2 each
 * {accesses, hits, misses, hit_rate} (every access counted, the hits the
 * core's L1 filters serve included: hits = accesses - misses; hit_rate =
 * hits / accesses, null without accesses; see mem_sys_cache_stats), loads
 * and fetches by class (l1, l2, remote, dram), stores, dma_invalidations,
 * coherence_invalidations}. sys may be NULL. */
void mem_report_tile(cJSON *tile, const mem_mmu *mmu, const mem_sys *sys);

/* The caches of all n tiles (mmus[i]->sys, mmus[i]->core; null entries
 * skipped) in one line for the summary: "l1i 99.1% of 1234 hit, l1d ...,
 * l2 ...". Returns 0, or -1 (buf untouched) when no tile has a cache model
 * or none was accessed. */
int mem_report_caches_line(const mem_mmu *const *mmus, unsigned n, char *buf, size_t len);

/* Adds "fault" {tile, role, app, pc, address, access, region, rights} to a
 * tile's object for the MMU's last fault, taken at pc. */
void mem_report_fault(cJSON *tile, const mem_mmu *mmu, uint64_t pc);

#ifdef __cplusplus
}
#endif
#endif
