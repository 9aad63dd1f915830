// model_params.cpp - the models' parameter structs from dl_config (see
// model_params.h). Values are copied as the key table bounded them; enums
// of the configuration are mapped onto the model's own by name.
#include "model_params.h"

extern "C" void iss_timing_from_config(const dl_config *cfg, iss_timing_cfg *t)
{
    t->timing = cfg->core.timing != 0;
    t->issue_width = (unsigned)cfg->core.issue_width;
    t->load_use = (unsigned)cfg->core.load_use;
    t->branch_taken = (unsigned)cfg->core.branch_taken;
    t->mispredict = (unsigned)cfg->core.mispredict;
    t->mul_latency = (unsigned)cfg->core.mul_latency;
    t->div_latency = (unsigned)cfg->core.div_latency;
    t->misaligned_penalty = (unsigned)cfg->core.misaligned_penalty;
}

extern "C" void mem_params_from_config(const dl_config *cfg, mem_params *p)
{
    const auto &m = cfg->mem;
    *p = mem_params{};
    p->width = (unsigned)cfg->chip.width;
    p->height = (unsigned)cfg->chip.height;
    p->baseline = cfg->deployment.mode == CFG_DEPLOY_BASELINE;
    p->stack_tiles = (unsigned)cfg->deployment.stack_tiles;
    char err[512];
    if (!p->baseline) (void)cfg_stack_set(cfg, p->stack_set, err, sizeof err); // cfg_check reported errors
    (void)cfg_net(cfg, &p->net_ip, &p->net_netmask, &p->net_mac, err, sizeof err);
    p->app_args = cfg->deployment.app_args;
    p->protection = m.protection != 0;
    p->udn_sender = cfg->mesh.sender_id != 0;
    p->clock_mhz = (unsigned)cfg->chip.clock_mhz;
    p->udn_queue_words = (unsigned)cfg->mesh.queue_words;
    p->dram_mib = (uint64_t)m.dram_mib;
    p->rings_kib = (uint64_t)m.rings_kib;
    p->hdr_kib = (uint64_t)m.hdr_kib;
    p->rx_pool_kib = (uint64_t)m.rx_pool_kib;
    p->tx_kib = (uint64_t)m.tx_kib;
    p->rings_page = CFG_PAGE_BYTES(m.rings_page);
    p->hdr_page = CFG_PAGE_BYTES(m.hdr_page);
    p->rx_pool_page = CFG_PAGE_BYTES(m.rx_pool_page);
    p->tx_page = CFG_PAGE_BYTES(m.tx_page);
    p->shared_page = CFG_PAGE_BYTES(m.shared_page);
    // rights: the choice index is the BOOT_RIGHT_* mask (config.h)
    p->rings_stack = (unsigned)m.rings_stack;
    p->rings_app = (unsigned)m.rings_app;
    p->rings_baseline = (unsigned)m.rings_baseline;
    p->hdr_stack = (unsigned)m.hdr_stack;
    p->hdr_app = (unsigned)m.hdr_app;
    p->hdr_baseline = (unsigned)m.hdr_baseline;
    p->rx_pool_stack = (unsigned)m.rx_pool_stack;
    p->rx_pool_app = (unsigned)m.rx_pool_app;
    p->rx_pool_baseline = (unsigned)m.rx_pool_baseline;
    p->tx_stack = (unsigned)m.tx_stack;
    p->tx_app = (unsigned)m.tx_app;
    p->tx_baseline = (unsigned)m.tx_baseline;
    p->shared_stack = (unsigned)m.shared_stack;
    p->shared_app = (unsigned)m.shared_app;
    p->shared_baseline = (unsigned)m.shared_baseline;
    p->mpipe_app = (unsigned)m.mpipe_app;
    p->code_page = CFG_PAGE_BYTES(m.code_page);
    p->data_page = CFG_PAGE_BYTES(m.data_page);
    p->itlb_entries = (unsigned)m.itlb_entries;
    p->itlb_assoc = (unsigned)m.itlb_assoc;
    p->dtlb_entries = (unsigned)m.dtlb_entries;
    p->dtlb_assoc = (unsigned)m.dtlb_assoc;
    p->tlb_refill = (uint64_t)m.tlb_refill;
    p->line_bytes = (unsigned)m.line_bytes;
    p->l1i_kib = (uint64_t)m.l1i_kib;
    p->l1d_kib = (uint64_t)m.l1d_kib;
    p->l2_kib = (uint64_t)m.l2_kib;
    p->l1i_assoc = (unsigned)m.l1i_assoc;
    p->l1d_assoc = (unsigned)m.l1d_assoc;
    p->l2_assoc = (unsigned)m.l2_assoc;
    p->l1_latency = (unsigned)cfg->core.load_use;
    p->l2_latency = (unsigned)m.l2_latency;
    p->remote_latency = (unsigned)m.remote_latency;
    p->hop_cycles = (unsigned)m.hop_cycles;
    p->dram_latency = (unsigned)m.dram_latency;
    p->controllers = (unsigned)m.controllers;
    p->controller_interleave = (uint64_t)m.controller_interleave;
    p->homing = m.homing == MEM_HOMING_PAGE ? MEM_HOMING_PAGE : MEM_HOMING_HASH;
}

TileCoreParams tile_core_params_from_config(const dl_config &cfg)
{
    TileCoreParams p{};
    iss_timing_from_config(&cfg, &p.timing);
    p.quantum = (uint64_t)cfg.core.quantum;
    return p;
}

int udn_mesh_params_from_config(const dl_config *cfg, udn_mesh_params *p, char *err, size_t errlen)
{
    p->width = (int)cfg->chip.width;
    p->height = (int)cfg->chip.height;
    p->order = cfg->mesh.order == CFG_ORDER_YX ? UDN_ORDER_YX : UDN_ORDER_XY;
    p->hop_latency = (int)cfg->mesh.hop_latency;
    p->queues = (int)cfg->mesh.queues;
    p->queue_words = (int)cfg->mesh.queue_words;
    p->router_buffer = (int)cfg->mesh.router_buffer;
    p->arbitration = cfg->mesh.arbitration == CFG_ARB_FIXED ? UDN_ARB_FIXED : UDN_ARB_ROUND_ROBIN;
    p->hardwall = cfg->mesh.hardwall ? 1 : 0;
    p->hw_x0 = (int)cfg->mesh.hardwall_x0;
    p->hw_y0 = (int)cfg->mesh.hardwall_y0;
    p->hw_x1 = (int)cfg->mesh.hardwall_x1;
    p->hw_y1 = (int)cfg->mesh.hardwall_y1;
    p->sender_id = cfg->mesh.sender_id ? 1 : 0;
    return udn_mesh_params_check(p, err, errlen);
}

MpipeParams mpipe_params_from_config(const dl_config &cfg)
{
    MpipeParams p{};
    p.ports = (int)cfg.port.count;
    p.rate_gbps = cfg.port.rate_gbps;
    p.pad_short = cfg.port.pad_short != 0;
    p.classifiers = (int)cfg.mpipe.classifiers;
    p.classify_cycles = (uint64_t)cfg.mpipe.classify_cycles;
    p.dma_latency = (uint64_t)cfg.mpipe.dma_latency;
    p.dma_bytes_per_cycle = (uint64_t)cfg.mpipe.dma_bytes_per_cycle;
    p.max_frame = (uint64_t)cfg.mpipe.max_frame;
    p.egress_sf_blocks = (uint64_t)cfg.mpipe.egress_sf_blocks;
    return p;
}
