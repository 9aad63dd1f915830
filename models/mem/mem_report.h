/* mem_report.h - the memory system's part of stats.json: per tile, the
 * fault record, TLB misses and cache statistics. */
#ifndef DL_MEM_MEM_REPORT_H
#define DL_MEM_MEM_REPORT_H

#include <cJSON.h>
#include <stdint.h>

#include "mem/mem_mmu.h"
#include "mem/mem_sys.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Adds to a tile's object: "role", "app", "tlb" {itlb_misses, dtlb_misses,
 * dtlb_misses_by_page {16k, 64k, 16m, 4g}}, "cache" {l1i, l1d, l2 hits and
 * misses (the L2's include other tiles' requests to lines homed here; hits
 * on a set's most recent line, which the core filters, are not counted),
 * loads and fetches by class (l1, l2, remote, dram), stores,
 * dma_invalidations, coherence_invalidations}. sys may be NULL. */
void mem_report_tile(cJSON *tile, const mem_mmu *mmu, const mem_sys *sys);

/* Adds "fault" {tile, role, app, pc, address, access, region, rights} to a
 * tile's object for the MMU's last fault, taken at pc. */
void mem_report_fault(cJSON *tile, const mem_mmu *mmu, uint64_t pc);

#ifdef __cplusplus
}
#endif
#endif
