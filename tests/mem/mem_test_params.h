/* mem_test_params.h - memory-system parameters for the model's tests,
 * written out directly (the model builds and is tested without sim/): the
 * TILE-Gx36 as the default configuration describes it, 6 x 6 tiles, 8
 * stack tiles, 256 MiB of shared memory, protection on. tests/sim checks
 * that the configuration's defaults give these same values. */
#ifndef DL_TESTS_MEM_TEST_PARAMS_H
#define DL_TESTS_MEM_TEST_PARAMS_H

#include <string.h>

#include "abi/boot_info.h"
#include "mem/mem_params.h"
#include "mem/mem_sys.h"

static inline mem_params mem_test_params(void)
{
    const unsigned rw = BOOT_RIGHT_R | BOOT_RIGHT_W, r = BOOT_RIGHT_R;
    const uint64_t p64k = 64ULL << 10;
    mem_params p;
    memset(&p, 0, sizeof p);
    p.width = 6;
    p.height = 6;
    p.baseline = 0;
    p.stack_tiles = 8;
    p.protection = 1;
    p.dram_mib = 256;
    p.rings_kib = 2048;
    p.hdr_kib = 2048;
    p.rx_pool_kib = 1024;
    p.tx_kib = 1024;
    p.rings_page = p.hdr_page = p.rx_pool_page = p.tx_page = p.shared_page = p64k;
    p.rings_stack = rw, p.rings_app = 0, p.rings_baseline = rw;
    p.hdr_stack = rw, p.hdr_app = 0, p.hdr_baseline = rw;
    p.rx_pool_stack = rw, p.rx_pool_app = r, p.rx_pool_baseline = rw;
    p.tx_stack = r, p.tx_app = rw, p.tx_baseline = rw;
    p.shared_stack = rw, p.shared_app = rw, p.shared_baseline = rw;
    p.mpipe_app = 0;
    p.code_page = p.data_page = p64k;
    p.itlb_entries = 16, p.itlb_assoc = 16;
    p.dtlb_entries = 32, p.dtlb_assoc = 32;
    p.tlb_refill = 21;
    p.line_bytes = 64;
    p.l1i_kib = 32, p.l1i_assoc = 2;
    p.l1d_kib = 32, p.l1d_assoc = 2;
    p.l2_kib = 256, p.l2_assoc = 8;
    p.l1_latency = 2;
    p.l2_latency = 11;
    p.remote_latency = 31;
    p.hop_cycles = 1;
    p.dram_latency = 67;
    p.controllers = 2;
    p.controller_interleave = 4096;
    p.homing = MEM_HOMING_HASH;
    return p;
}

/* Page sizes by the configuration's choice order (16k, 64k, 16m, 4g). */
static inline uint64_t mem_test_page(unsigned i)
{
    static const uint64_t bytes[] = { 16ULL << 10, 64ULL << 10, 16ULL << 20, 4ULL << 30 };
    return bytes[i];
}

#endif
