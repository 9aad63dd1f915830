/* mem_params.h - the memory system's parameters: the chip and deployment
 * it serves, the region table of the shared memory, the private pages, the
 * modelled TLBs and the caches. Filled by sim/ from the configuration (mem
 * section, and chip, deployment and core.load_use: sim/model_params.h),
 * whose key table holds the user-facing ranges; tests fill it directly. */
#ifndef DL_MEM_MEM_PARAMS_H
#define DL_MEM_MEM_PARAMS_H

#include <stdint.h>

typedef struct mem_params {
    /* chip and deployment */
    unsigned width, height;        /* tiles */
    int baseline;                  /* every tile runs stack and application */
    unsigned stack_tiles;          /* else this many tiles run the stack: */
    uint64_t stack_set[4];         /* the set of them (bit t: tile t); all 0: tiles 0 .. stack_tiles-1 */
    int protection;                /* rights enforced (else every region rwx) */
    int udn_sender;                /* mesh.sender_id on: boot_info.flags BOOT_FLAG_UDN_SENDER */
    unsigned clock_mhz;            /* chip.clock_mhz, for boot_info (firmware clocks) */
    unsigned udn_queue_words;      /* mesh.queue_words, for boot_info (socket credits) */
    uint32_t net_ip, net_netmask;  /* net.address, for boot_info (host byte order) */
    uint64_t net_mac;              /* net.mac, for boot_info (byte 0 in bits 47..40) */
    const char *app_args;          /* deployment.app_args, for app and baseline tiles' boot_info */
    /* shared memory: size of each kind (KiB), its page size (bytes) and
     * rights (BOOT_RIGHT_* bits) per role: stack, app, baseline */
    uint64_t dram_mib;             /* the shared memory's size (for messages) */
    uint64_t rings_kib, hdr_kib, rx_pool_kib, tx_kib;
    uint64_t rings_page, hdr_page, rx_pool_page, tx_page, shared_page;
    unsigned rings_stack, rings_app, rings_baseline;
    unsigned hdr_stack, hdr_app, hdr_baseline;
    unsigned rx_pool_stack, rx_pool_app, rx_pool_baseline;
    unsigned tx_stack, tx_app, tx_baseline;
    unsigned shared_stack, shared_app, shared_baseline;
    unsigned mpipe_app;            /* an app tile's rights on the mPIPE page */
    /* private memory: page size (bytes) of code and of data */
    uint64_t code_page, data_page;
    /* modelled TLBs */
    unsigned itlb_entries, itlb_assoc, dtlb_entries, dtlb_assoc;
    uint64_t tlb_refill;           /* cycles of a miss's software refill */
    /* caches and latencies (cycles) */
    unsigned line_bytes;
    uint64_t l1i_kib, l1d_kib, l2_kib;
    unsigned l1i_assoc, l1d_assoc, l2_assoc;
    unsigned l1_latency;           /* an L1 hit: the core's load-use delay */
    unsigned l2_latency, remote_latency, hop_cycles, dram_latency;
    unsigned controllers;
    uint64_t controller_interleave; /* bytes per controller stripe */
    unsigned homing;               /* MEM_HOMING_* (mem_sys.h) */
} mem_params;

#endif
