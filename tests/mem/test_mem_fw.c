/* test_mem_fw.c - protection with real firmware: tests/mem/mem_prot.c on a
 * 3 x 2 chip (one stack tile, five apps) faults where it must, with the
 * right records in stats.json, while the other tiles keep running and
 * finish; with mem.protection off the same firmware runs without a fault;
 * and dlsim --elf maps only the ELF's segments when protection is on. */
#include <check.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"


/* Runs mem_prot.elf on the 3 x 2 chip; returns the tiles array of stats.json. */
static cJSON *run_prot(const char *protection, cJSON **root)
{
    const char *dir = test_temp_dir();
    char args[1024];
    snprintf(args, sizeof args,
             "--set chip.width=3 --set chip.height=2 --set deployment.stack_tiles=1 --set port.count=1 "
             "--set run.cycles=600000 --set mem.protection=%s --set deployment.firmware=build/fw/mem_prot.elf "
             "--set run.expect_faults=%s -o %s", protection, strcmp(protection, "on") ? "none" : "any", dir);
    ck_assert_msg(test_dlsim_run(args) == 0, "dlsim failed:\n%s", test_out);
    *root = test_read_stats(dir);
    cJSON *tiles = cJSON_GetObjectItem(cJSON_GetObjectItem(*root, "results"), "tiles");
    ck_assert_int_eq(cJSON_GetArraySize(tiles), 6);
    return tiles;
}

static const char *str(cJSON *o, const char *k)
{
    cJSON *v = cJSON_GetObjectItem(o, k);
    ck_assert_msg(cJSON_IsString(v), "no string %s", k);
    return v->valuestring;
}

static double num(cJSON *o, const char *k)
{
    cJSON *v = cJSON_GetObjectItem(o, k);
    ck_assert_msg(cJSON_IsNumber(v), "no number %s", k);
    return v->valuedouble;
}

static void check_fault(cJSON *tiles, int tile, const char *access, const char *region)
{
    cJSON *t = cJSON_GetArrayItem(tiles, tile);
    ck_assert_str_eq(str(t, "state"), "faulted");
    cJSON *f = cJSON_GetObjectItem(t, "fault");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq((int)num(f, "tile"), tile);
    ck_assert_str_eq(str(f, "role"), "app");
    ck_assert_int_eq((int)num(f, "app"), tile - 1);
    ck_assert_str_eq(str(f, "access"), access);
    ck_assert_str_eq(str(f, "region"), region);
    ck_assert(num(f, "pc") >= 0x80000000);
    ck_assert(num(f, "address") > 0);
}

START_TEST(faults_are_contained_and_recorded)
{
    cJSON *root, *tiles = run_prot("on", &root);
    cJSON *stack = cJSON_GetArrayItem(tiles, 0);
    check_fault(tiles, 1, "store", "code");
    check_fault(tiles, 2, "load", "tx[0]");
    check_fault(tiles, 3, "load", "rx_pool[0]");
    check_fault(tiles, 4, "fetch", "data");
    /* the execute fault's address is its pc */
    cJSON *f4 = cJSON_GetObjectItem(cJSON_GetArrayItem(tiles, 4), "fault");
    ck_assert(num(f4, "pc") == num(f4, "address"));
    /* the stack tile and app 4 keep running and finish; the stack tile ran
     * on long after the faults */
    ck_assert_str_eq(str(stack, "state"), "exited");
    ck_assert_int_eq((int)num(stack, "exit_code"), 0);
    ck_assert_str_eq(str(cJSON_GetArrayItem(tiles, 5), "state"), "exited");
    for (int i = 1; i <= 4; i++)
        ck_assert(num(stack, "busy_cycles") > num(cJSON_GetArrayItem(tiles, i), "busy_cycles"));
    ck_assert_msg(strstr(test_out, "memory protection fault: tile 2 (app 1): load fault") != NULL, "%s", test_out);
    ck_assert_msg(strstr(test_out, "region tx[0] (rights ---)") != NULL, "%s", test_out);
    /* TLB misses are counted per tile */
    ck_assert(num(cJSON_GetObjectItem(stack, "tlb"), "dtlb_misses") > 0);
    cJSON_Delete(root);
}
END_TEST

START_TEST(protection_off_runs_without_faults)
{
    cJSON *root, *tiles = run_prot("off", &root);
    for (int i = 0; i < 6; i++) {
        cJSON *t = cJSON_GetArrayItem(tiles, i);
        ck_assert_msg(strcmp(str(t, "state"), "exited") == 0, "tile %d: %s", i, str(t, "state"));
        ck_assert_int_eq((int)num(t, "exit_code"), 0);
        ck_assert_ptr_null(cJSON_GetObjectItem(t, "fault"));
    }
    ck_assert_msg(strstr(test_out, "app 3 survived") != NULL, "%s", test_out);
    cJSON_Delete(root);
}
END_TEST

START_TEST(elf_runner_protection)
{
    /* unprotected by default: the store into code goes through */
    ck_assert_msg(test_dlsim_run("--elf build/fw/store_code.elf") == 0, "%s", test_out);
    ck_assert_msg(strstr(test_out, "stored into code: 2") != NULL, "%s", test_out);
    ck_assert_msg(test_dlsim_run("--elf build/fw/store_code.elf --set mem.protection=on") == 1, "%s", test_out);
    ck_assert_msg(strstr(test_out, "memory protection fault: tile 0 (stack): store fault at pc 0x8") != NULL, "%s", test_out);
    ck_assert_msg(strstr(test_out, "region code (rights r-x)") != NULL, "%s", test_out);
    /* the ISA suite passes with protection on (machine mode is not translated) */
    ck_assert_msg(test_dlsim_run("--elf build/isa/sd.elf --set mem.protection=on") == 0, "%s", test_out);
    /* user-mode firmware with protection: hello runs */
    ck_assert_msg(test_dlsim_run("--elf build/fw/hello.elf --set mem.protection=on") == 0, "%s", test_out);
}
END_TEST

START_TEST(region_table_errors_exit_2)
{
    /* 28 applications of 1 MiB RX pool and 1 MiB TX region need 60 MiB */
    ck_assert_int_eq(test_dlsim_run("--set mem.dram_mib=32 --set deployment.firmware=build/fw/hello.elf"), 2);
    ck_assert_msg(strstr(test_out, "does not fit mem.dram_mib = 32 MiB") != NULL, "%s", test_out);
    ck_assert_int_eq(test_dlsim_run("--set mem.dtlb_entries=24 --set mem.dtlb_assoc=8 "
                           "--set deployment.firmware=build/fw/hello.elf"), 2);
    ck_assert_msg(strstr(test_out, "not a power of two") != NULL, "%s", test_out);
}
END_TEST

Suite *mem_fw_suite(void)
{
    Suite *s = suite_create("mem_fw");
    TCase *t = tcase_create("protection");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, faults_are_contained_and_recorded);
    tcase_add_test(t, protection_off_runs_without_faults);
    tcase_add_test(t, elf_runner_protection);
    tcase_add_test(t, region_table_errors_exit_2);
    suite_add_tcase(s, t);
    return s;
}
