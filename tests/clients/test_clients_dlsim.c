/* test_clients_dlsim.c - client hosts attached to the chip's ports in dlsim
 * runs. No firmware serves TCP on the chip yet, so these check the
 * attachment, not TCP: with the echo firmware (configs/echo.ini), which sends
 * every frame back with addresses swapped, the hosts' ARP requests cross to
 * the chip and come back, are counted on both sides and recorded in
 * wire.pcap, and the run ends once the clients are done (their connections
 * fail: nobody answers ARP) and the chip has drained; two runs are
 * identical; on an idle chip a duration ends the run; clients share a run
 * with a --pcap-in trace on other ports; bad [clients] values stop dlsim. */
#include <check.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static double num(cJSON *j, const char *path) { return test_json_at(j, path)->valuedouble; }

/* Sums results.ports[*].key over the ports listed in results.clients.ports. */
static double client_ports_sum(cJSON *j, const char *key)
{
    double s = 0;
    cJSON *p;
    cJSON_ArrayForEach(p, test_json_at(j, "results.clients.ports"))
        s += cJSON_GetObjectItem(cJSON_GetArrayItem(test_json_at(j, "results.ports"), p->valueint), key)->valuedouble;
    return s;
}

/* The echo firmware with 2 hosts x 2 connections on each of the 4 ports. */
static const char *echo_run(const char *extra)
{
    const char *dir = test_temp_dir();
    char args[1024];
    snprintf(args, sizeof args, "-c configs/echo.ini --set deployment.firmware=%s/fw/echo.elf "
             "--set clients.hosts_per_port=2 --set clients.conns_per_host=2 --set clients.requests=3 "
             "--set clients.start_us=60 %s -o %s", test_build_dir(), extra, dir);
    ck_assert_msg(test_dlsim_run(args) == 0, "%s", test_out);
    return dir;
}

START_TEST(echo_firmware_frames_cross_both_ways)
{
    const char *dir = echo_run("");
    ck_assert_out_has("ended by the clients done and the chip drained");
    ck_assert_out_has("clients     8 hosts, 16 connections");
    ck_assert_out_has("clients     host time");
    cJSON *j = test_read_stats(dir);
    ck_assert(cJSON_IsTrue(test_json_at(j, "results.clients.done")));
    double up = num(j, "results.clients.frames.to_chip"), down = num(j, "results.clients.frames.from_chip");
    ck_assert_msg(up >= 8 && down >= 8, "to chip %g, from chip %g", up, down);
    /* every frame a host sent crossed its port into the chip and came back */
    ck_assert_double_eq(up, client_ports_sum(j, "rx_frames"));
    ck_assert_double_eq(down, client_ports_sum(j, "tx_frames"));
    ck_assert_double_eq(up, down);
    ck_assert_double_eq(num(j, "results.clients.net.arp_req_tx"), up);
    ck_assert_double_eq(num(j, "results.clients.net.arp_rx"), down);   /* each host got its own back */
    ck_assert_double_eq(num(j, "results.clients.frames.unknown_destination"), 0);
    /* no TCP through a mirror: every connection failed, and that ended the clients */
    ck_assert_double_eq(num(j, "results.clients.errors.connect"), 16);
    ck_assert_double_eq(num(j, "results.clients.requests_completed"), 0);
    ck_assert(num(j, "host.clients_seconds") >= 0);
    /* wire.txt: both directions on every port */
    char path[512];
    snprintf(path, sizeof path, "%s/wire.txt", dir);
    char *txt = test_read_file(path);
    ck_assert_ptr_nonnull(txt);
    for (int p = 0; p < 4; p++) {
        char rx[32], tx[32];
        snprintf(rx, sizeof rx, " %d rx ", p);
        snprintf(tx, sizeof tx, " %d tx ", p);
        ck_assert_msg(strstr(txt, rx) && strstr(txt, tx), "port %d lacks a direction", p);
    }
    free(txt);
    cJSON_Delete(j);
}
END_TEST

/* Two runs: byte-identical wire.pcap and results. */
START_TEST(echo_firmware_two_runs_identical)
{
    const char *dirs[2];
    char *pcap[2], *res[2];
    size_t len[2];
    for (int i = 0; i < 2; i++) {
        dirs[i] = echo_run("--set clients.conns_per_host=3");
        char path[512];
        snprintf(path, sizeof path, "%s/wire.pcap", dirs[i]);
        pcap[i] = test_read_bytes(path, &len[i]);
        ck_assert_ptr_nonnull(pcap[i]);
        cJSON *j = test_read_stats(dirs[i]);
        res[i] = cJSON_PrintUnformatted(test_json_at(j, "results"));
        cJSON_Delete(j);
    }
    ck_assert_uint_eq(len[0], len[1]);
    ck_assert_msg(memcmp(pcap[0], pcap[1], len[0]) == 0, "wire.pcap differs");
    ck_assert_str_eq(res[0], res[1]);
    ck_assert_ptr_nonnull(strstr(res[0], "\"clients\""));
    for (int i = 0; i < 2; i++) {
        free(pcap[i]);
        free(res[i]);
    }
}
END_TEST

/* An idle chip (no firmware) and a duration: the clients are done at the end
 * of the duration and the run ends soon after (nothing else moves). */
START_TEST(duration_ends_the_run)
{
    const char *dir = test_temp_dir();
    char args[1024];
    snprintf(args, sizeof args, "-c configs/echo.ini --set deployment.firmware= --set clients.hosts_per_port=1 "
             "--set clients.duration_us=500 --set clients.start_us=20 -o %s", dir);
    ck_assert_msg(test_dlsim_run(args) == 0, "%s", test_out);
    ck_assert_out_has("ended by the clients done and the chip drained");
    cJSON *j = test_read_stats(dir);
    double us = num(j, "results.time_ns") / 1000;
    ck_assert_msg(us >= 520 && us < 530, "ended at %g us", us);
    ck_assert(cJSON_IsTrue(test_json_at(j, "results.clients.done")));
    ck_assert_double_eq(num(j, "results.clients.requests_issued"), 0);   /* ARP never answered */
    ck_assert(num(j, "results.clients.frames.to_chip") >= 4);            /* an ARP request per host */
    ck_assert_double_eq(num(j, "results.clients.frames.from_chip"), 0);
    cJSON_Delete(j);
}
END_TEST

/* A --pcap-in trace on port 0 and client hosts on the other ports ("all"
 * leaves the traced port out). */
START_TEST(clients_share_a_run_with_a_trace)
{
    const char *dir = echo_run("--pcap-in 0=traces/echo.pcap,at=60000");
    ck_assert_out_has("ended by the traces replayed, the clients done and the chip drained");
    cJSON *j = test_read_stats(dir);
    cJSON *ports = test_json_at(j, "results.clients.ports");
    ck_assert_int_eq(cJSON_GetArraySize(ports), 3);
    ck_assert_int_eq(cJSON_GetArrayItem(ports, 0)->valueint, 1);
    cJSON *t = cJSON_GetArrayItem(test_json_at(j, "results.traces"), 0);
    ck_assert_int_eq((int)cJSON_GetObjectItem(t, "not_offered")->valuedouble, 0);
    ck_assert_double_eq(num(j, "results.clients.frames.to_chip"), client_ports_sum(j, "rx_frames"));
    cJSON_Delete(j);
}
END_TEST

START_TEST(bad_clients_values_stop_dlsim)
{
    ck_assert_int_eq(test_dlsim_run("-c configs/echo.ini --set clients.hosts_per_port=1 -o /tmp"), 2);
    ck_assert_out_has("dlsim: clients: neither clients.requests");
    ck_assert_int_eq(test_dlsim_run("-c configs/echo.ini --set clients.hosts_per_port=1 --set clients.requests=1 "
                                    "--set net.address=10.1.2/24 -o /tmp"), 2);
    ck_assert_out_has("net.address = '10.1.2/24': expected a dotted IPv4 address");
    ck_assert_int_eq(test_dlsim_run("-c configs/echo.ini --set clients.hosts_per_port=1 --set clients.requests=1 "
                                    "--pcap-in 2=traces/echo.pcap --set clients.ports=1-2 -o /tmp"), 2);
    ck_assert_out_has("port 2 already replays a --pcap-in trace");
    ck_assert_int_eq(test_dlsim_run("-c configs/echo.ini --set clients.hosts_per_port=-1"), 2);
    ck_assert_out_has("clients.hosts_per_port");
}
END_TEST

Suite *clients_dlsim_suite(void)
{
    Suite *s = suite_create("clients_dlsim");
    TCase *t = tcase_create("dlsim");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, echo_firmware_frames_cross_both_ways);
    tcase_add_test(t, echo_firmware_two_runs_identical);
    tcase_add_test(t, duration_ends_the_run);
    tcase_add_test(t, clients_share_a_run_with_a_trace);
    tcase_add_test(t, bad_clients_values_stop_dlsim);
    suite_add_tcase(s, t);
    return s;
}
