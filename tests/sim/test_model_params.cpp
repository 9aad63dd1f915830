// test_model_params.cpp - the models' parameter structs as sim/ fills them
// from the configuration (sim/model_params.h): the defaults give the values
// the models' own tests write out, and every configuration enum maps onto
// the model's own.
#include <cstring>

#include "config.h"
#include "model_params.h"
#include "../mem/mem_test_params.h"

#include <check.h> // last: it defines a macro named fail

START_TEST(defaults_give_the_values_the_model_tests_write_out)
{
    dl_config c;
    cfg_defaults(&c);
    mem_params got, want = mem_test_params();
    std::memset(&got, 0xa5, sizeof got);
    mem_params_from_config(&c, &got);
    ck_assert_uint_eq((uint64_t)got.width, (uint64_t)want.width);
    ck_assert_uint_eq((uint64_t)got.height, (uint64_t)want.height);
    ck_assert_uint_eq((uint64_t)got.baseline, (uint64_t)want.baseline);
    ck_assert_uint_eq((uint64_t)got.stack_tiles, (uint64_t)want.stack_tiles);
    ck_assert_uint_eq((uint64_t)got.protection, (uint64_t)want.protection);
    ck_assert_uint_eq((uint64_t)got.dram_mib, (uint64_t)want.dram_mib);
    ck_assert_uint_eq((uint64_t)got.rings_kib, (uint64_t)want.rings_kib);
    ck_assert_uint_eq((uint64_t)got.hdr_kib, (uint64_t)want.hdr_kib);
    ck_assert_uint_eq((uint64_t)got.rx_pool_kib, (uint64_t)want.rx_pool_kib);
    ck_assert_uint_eq((uint64_t)got.tx_kib, (uint64_t)want.tx_kib);
    ck_assert_uint_eq((uint64_t)got.rings_page, (uint64_t)want.rings_page);
    ck_assert_uint_eq((uint64_t)got.hdr_page, (uint64_t)want.hdr_page);
    ck_assert_uint_eq((uint64_t)got.rx_pool_page, (uint64_t)want.rx_pool_page);
    ck_assert_uint_eq((uint64_t)got.tx_page, (uint64_t)want.tx_page);
    ck_assert_uint_eq((uint64_t)got.shared_page, (uint64_t)want.shared_page);
    ck_assert_uint_eq((uint64_t)got.rings_stack, (uint64_t)want.rings_stack);
    ck_assert_uint_eq((uint64_t)got.rings_app, (uint64_t)want.rings_app);
    ck_assert_uint_eq((uint64_t)got.rings_baseline, (uint64_t)want.rings_baseline);
    ck_assert_uint_eq((uint64_t)got.hdr_stack, (uint64_t)want.hdr_stack);
    ck_assert_uint_eq((uint64_t)got.hdr_app, (uint64_t)want.hdr_app);
    ck_assert_uint_eq((uint64_t)got.hdr_baseline, (uint64_t)want.hdr_baseline);
    ck_assert_uint_eq((uint64_t)got.rx_pool_stack, (uint64_t)want.rx_pool_stack);
    ck_assert_uint_eq((uint64_t)got.rx_pool_app, (uint64_t)want.rx_pool_app);
    ck_assert_uint_eq((uint64_t)got.rx_pool_baseline, (uint64_t)want.rx_pool_baseline);
    ck_assert_uint_eq((uint64_t)got.tx_stack, (uint64_t)want.tx_stack);
    ck_assert_uint_eq((uint64_t)got.tx_app, (uint64_t)want.tx_app);
    ck_assert_uint_eq((uint64_t)got.tx_baseline, (uint64_t)want.tx_baseline);
    ck_assert_uint_eq((uint64_t)got.shared_stack, (uint64_t)want.shared_stack);
    ck_assert_uint_eq((uint64_t)got.shared_app, (uint64_t)want.shared_app);
    ck_assert_uint_eq((uint64_t)got.shared_baseline, (uint64_t)want.shared_baseline);
    ck_assert_uint_eq((uint64_t)got.mpipe_app, (uint64_t)want.mpipe_app);
    ck_assert_uint_eq((uint64_t)got.code_page, (uint64_t)want.code_page);
    ck_assert_uint_eq((uint64_t)got.data_page, (uint64_t)want.data_page);
    ck_assert_uint_eq((uint64_t)got.itlb_entries, (uint64_t)want.itlb_entries);
    ck_assert_uint_eq((uint64_t)got.itlb_assoc, (uint64_t)want.itlb_assoc);
    ck_assert_uint_eq((uint64_t)got.dtlb_entries, (uint64_t)want.dtlb_entries);
    ck_assert_uint_eq((uint64_t)got.dtlb_assoc, (uint64_t)want.dtlb_assoc);
    ck_assert_uint_eq((uint64_t)got.tlb_refill, (uint64_t)want.tlb_refill);
    ck_assert_uint_eq((uint64_t)got.line_bytes, (uint64_t)want.line_bytes);
    ck_assert_uint_eq((uint64_t)got.l1i_kib, (uint64_t)want.l1i_kib);
    ck_assert_uint_eq((uint64_t)got.l1d_kib, (uint64_t)want.l1d_kib);
    ck_assert_uint_eq((uint64_t)got.l2_kib, (uint64_t)want.l2_kib);
    ck_assert_uint_eq((uint64_t)got.l1i_assoc, (uint64_t)want.l1i_assoc);
    ck_assert_uint_eq((uint64_t)got.l1d_assoc, (uint64_t)want.l1d_assoc);
    ck_assert_uint_eq((uint64_t)got.l2_assoc, (uint64_t)want.l2_assoc);
    ck_assert_uint_eq((uint64_t)got.l1_latency, (uint64_t)want.l1_latency);
    ck_assert_uint_eq((uint64_t)got.l2_latency, (uint64_t)want.l2_latency);
    ck_assert_uint_eq((uint64_t)got.remote_latency, (uint64_t)want.remote_latency);
    ck_assert_uint_eq((uint64_t)got.hop_cycles, (uint64_t)want.hop_cycles);
    ck_assert_uint_eq((uint64_t)got.dram_latency, (uint64_t)want.dram_latency);
    ck_assert_uint_eq((uint64_t)got.controllers, (uint64_t)want.controllers);
    ck_assert_uint_eq((uint64_t)got.controller_interleave, (uint64_t)want.controller_interleave);
    ck_assert_uint_eq((uint64_t)got.homing, (uint64_t)want.homing);
    MpipeParams m = mpipe_params_from_config(c);
    ck_assert_int_eq(m.ports, 4);
    ck_assert(m.rate_gbps == 10.0 && m.pad_short);
    ck_assert_int_eq(m.classifiers, 10);
    ck_assert_uint_eq(m.classify_cycles, 10);
    ck_assert_uint_eq(m.dma_latency, 80);
    ck_assert_uint_eq(m.dma_bytes_per_cycle, 16);
    ck_assert_uint_eq(m.max_frame, 1544);
    ck_assert_uint_eq(m.egress_sf_blocks, 12);
    TileCoreParams t = tile_core_params_from_config(c);
    ck_assert_uint_eq(t.quantum, 1000);
    ck_assert_int_eq(t.timing.timing, 1);
    ck_assert_uint_eq(t.timing.issue_width, 3);
    ck_assert_uint_eq(t.timing.div_latency, 32);
}
END_TEST

START_TEST(configuration_enums_map_onto_the_models)
{
    dl_config c;
    char err[256];
    cfg_defaults(&c);
    ck_assert_int_eq(cfg_set_arg(&c, "mesh.order=yx", err, sizeof err), 0);
    ck_assert_int_eq(cfg_set_arg(&c, "mesh.arbitration=fixed", err, sizeof err), 0);
    ck_assert_int_eq(cfg_set_arg(&c, "mem.homing=page", err, sizeof err), 0);
    ck_assert_int_eq(cfg_set_arg(&c, "mem.rings_page=16m", err, sizeof err), 0);
    ck_assert_int_eq(cfg_set_arg(&c, "mem.code_page=16k", err, sizeof err), 0);
    ck_assert_int_eq(cfg_set_arg(&c, "mem.tx_app=rx", err, sizeof err), 0);
    ck_assert_int_eq(cfg_set_arg(&c, "deployment.mode=baseline", err, sizeof err), 0);
    udn_mesh_params u;
    ck_assert_int_eq(udn_mesh_params_from_config(&c, &u, err, sizeof err), 0);
    ck_assert_int_eq(u.order, UDN_ORDER_YX);
    ck_assert_int_eq(u.arbitration, UDN_ARB_FIXED);
    ck_assert_int_eq(u.sender_id, 0); // off by default (not a TILE-Gx feature)
    ck_assert_int_eq(cfg_set_arg(&c, "mesh.sender_id=on", err, sizeof err), 0);
    ck_assert_int_eq(udn_mesh_params_from_config(&c, &u, err, sizeof err), 0);
    ck_assert_int_eq(u.sender_id, 1);
    mem_params m;
    mem_params_from_config(&c, &m);
    ck_assert_uint_eq(m.homing, MEM_HOMING_PAGE);
    ck_assert_uint_eq(m.rings_page, 16ULL << 20);
    ck_assert_uint_eq(m.code_page, 16ULL << 10);
    ck_assert_uint_eq(m.tx_app, BOOT_RIGHT_R | BOOT_RIGHT_X);
    ck_assert_int_eq(m.baseline, 1);
    // a mesh the model refuses: its own check names the key
    c.mesh.queues = 5;
    ck_assert_int_eq(udn_mesh_params_from_config(&c, &u, err, sizeof err), -1);
    ck_assert_msg(std::strstr(err, "mesh.queues") != nullptr, "%s", err);
}
END_TEST

extern "C" Suite *model_params_suite(void)
{
    Suite *s = suite_create("model_params");
    TCase *t = tcase_create("model_params");
    tcase_add_test(t, defaults_give_the_values_the_model_tests_write_out);
    tcase_add_test(t, configuration_enums_map_onto_the_models);
    suite_add_tcase(s, t);
    return s;
}
