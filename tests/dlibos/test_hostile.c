/* test_hostile.c - the hostile app (tests/dlibos/hostile_app.c) on its own
 * app tile (deployment.tile_firmware = 3:...) beside the honest echo app of
 * tests/dlibos/echo_2x2.ini, while the client hosts run: every message attack
 * on stack tile 0 is rejected with its ERROR code (what the hostile prints)
 * and its counter (the stack tile's "sock" line on the console), the honest
 * app's clients lose nothing; a message sent short does not stall the
 * stack tile; a LISTEN on the honest app's port gets none of its connections; each memory attack (a write into the honest
 * app's received bytes or TX region, a read of its received bytes) faults
 * the hostile tile only, and the run's exit status says so unless
 * run.expect_faults = any. */
#include <check.h>
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#define REQUESTS 200 /* per connection: the clients outlast the attacks */

static double num(cJSON *j, const char *path) { return test_json_at(j, path)->valuedouble; }

/* Runs echo_2x2.ini with the hostile image `which` on tile 3; returns
 * dlsim's exit status, the folder in *dir. */
static int hostile_run(const char *which, const char *extra, const char **dir)
{
    *dir = test_temp_dir();
    return test_dlsim_runf("-c tests/dlibos/echo_2x2.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                           "--set deployment.app_firmware=%s/fw/dlibos_echo.elf "
                           "--set deployment.tile_firmware=3:%s/fw/hostile_%s.elf --set clients.requests=%d %s -o %s",
                           test_build_dir(), test_build_dir(), test_build_dir(), which, REQUESTS, extra, *dir);
}

/* Every request of every connection answered and verified by the hosts. */
static void check_clients(cJSON *j)
{
    ck_assert(cJSON_IsTrue(test_json_at(j, "results.clients.done")));
    double conns = num(j, "results.clients.connections");
    ck_assert_double_eq(num(j, "results.clients.connected"), conns);
    ck_assert_double_eq(num(j, "results.clients.requests_completed"), conns * REQUESTS);
    ck_assert_double_eq(num(j, "results.clients.bytes_answered"), num(j, "results.clients.bytes_sent"));
    cJSON *e;
    cJSON_ArrayForEach(e, test_json_at(j, "results.clients.errors"))
        ck_assert_msg(e->valuedouble == 0, "clients.errors.%s = %g", e->string, e->valuedouble);
}

/* check_clients on the stats of the run in `dir`. */
static void check_clients_served(const char *dir)
{
    cJSON *j = test_read_stats(dir);
    check_clients(j);
    cJSON_Delete(j);
}

/* After the message attacks: stack tile 1 saw none of them, the clients
 * lost nothing and no tile failed. */
static void check_message_attacks_contained(const char *dir)
{
    ck_assert_msg(!strstr(test_out, "stack tile 1: sock "), "stack tile 1 was not attacked:\n%s", test_out);
    cJSON *j = test_read_stats(dir);
    check_clients(j);
    ck_assert_double_eq(num(j, "results.run.tile_failures"), 0);
    cJSON_Delete(j);
}

/* Counter `name` in the last "stack tile T: sock ..." line (0 if absent). */
static unsigned long sock_counter(unsigned tile, const char *name)
{
    char head[64], key[80];
    snprintf(head, sizeof head, "stack tile %u: sock ", tile);
    snprintf(key, sizeof key, " %s=", name);
    const char *line = NULL;
    for (const char *p = strstr(test_out, head); p; p = strstr(p + 1, head)) line = p;
    ck_assert_msg(line != NULL, "no '%s' line:\n%s", head, test_out);
    const char *end = strchr(line, '\n');
    const char *k = strstr(line, key);
    if (!k || (end && k > end)) return 0;
    return strtoul(k + strlen(key), NULL, 10);
}

static unsigned count_of(const char *s)
{
    unsigned n = 0;
    for (const char *p = strstr(test_out, s); p; p = strstr(p + 1, s)) n++;
    return n;
}

START_TEST(message_attacks_rejected)
{
    const char *dir;
    ck_assert_msg(hostile_run("msg", "", &dir) == 0, "%s", test_out);
    ck_assert_out_has("hostile: tile 3, application 1, 42 credits");
    /* what came back to the hostile, attack by attack (abi/sock.h codes:
     * 1 bad type, 3 bad argument, 4 bad handle) */
    ck_assert_uint_eq(count_of("hostile: guess_handle: error 4 x2 ("), 8);
    static const char *const answers[] = {
        "hostile: guess_handle_index: error 4 x1 (", "hostile: send_outside: error 4 x1 (",
        "hostile: send_overflow: error 4 x1 (", "hostile: release_once: error 4 x1 (",
        "hostile: release_twice: error 4 x1 (", "hostile: release_not_held: error 4 x1 (",
        "hostile: bad_type: error 1 x1 (", "hostile: event_type: error 1 x1 (",
        "hostile: reserved_close: error 3 x1 (", "hostile: reserved_credit: error 3 x1 (",
        "hostile: listen_port0: error 3 x1 (", "hostile: oversized: error 4 x1 (",
        "hostile: lying_credits: error 1 x1 (", "hostile: forged_sender: no answer (",
        "hostile: not_app: no answer (", "hostile: sent 16 guesses; done",
    };
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) ck_assert_out_has(answers[i]);
    /* the forged request's ERROR went to the honest app it named, which
     * got no other error */
    ck_assert_uint_eq(count_of("echo app: error 1 on request 125 (connection -1, 1 times)"), 1);
    ck_assert_uint_eq(count_of("echo app: error"), 1);
    /* the stack tile's counters: each attack under its own name */
    ck_assert_uint_eq(sock_counter(0, "sock_bad_handle"), 16 + 1 + 2 + 3 + 1);
    ck_assert_uint_eq(sock_counter(0, "sock_bad_arg"), 3);
    ck_assert_uint_eq(sock_counter(0, "sock_not_app"), 6 + 1); /* oversized's zero words, not_app */
    ck_assert_uint_ge(sock_counter(0, "sock_credit_excess"), 1);
    /* 4 bad types, then 2 x 42 beyond credits and a 2000-request flood:
     * each either rejected for its type or dropped for credit */
    ck_assert_uint_ge(sock_counter(0, "sock_no_credit"), 42 + 1900);
    ck_assert_uint_eq(sock_counter(0, "sock_bad_type") + sock_counter(0, "sock_no_credit"), 4 + 84 + 2000);
    /* the hostile never holds a handle: the ownership, TX range and
     * reference checks behind the handle's are not reached on the chip
     * (tests/sock covers them with owned handles) */
    ck_assert_uint_eq(sock_counter(0, "sock_not_owner"), 0);
    ck_assert_uint_eq(sock_counter(0, "sock_tx_range"), 0);
    ck_assert_uint_eq(sock_counter(0, "sock_bad_ref"), 0);
    check_message_attacks_contained(dir);
}
END_TEST

/* A SEND's first word sent alone (the plain UDN shows no boundaries): the
 * stack tile must not wait for the two words that never come (it did: it
 * blocked in UDN_RECV for good and its connections stalled); it rejects the
 * short message (sock_bad_len) and serves on. */
START_TEST(truncated_message_does_not_stall)
{
    const char *dir;
    ck_assert_msg(hostile_run("trunc", "--set run.time_us=20000", &dir) == 0, "%s", test_out);
    ck_assert_out_has("hostile: sent a truncated SEND");
    ck_assert_out_has("ended by the clients done");
    ck_assert_uint_eq(sock_counter(0, "sock_bad_len"), 1);
    check_clients_served(dir);
}
END_TEST

/* mesh.sender_id = on (a research option, NOT a TILE-Gx feature): the
 * firmware's UDN transport reads UDN_SENDER, so the stack knows the true
 * sender and every message's true length. The forged-sender requests
 * (forged_sender claims the honest app, not_app a stack tile) are counted
 * as sock_sender_forged and answered to the hostile itself; the honest app
 * gets no ERROR; the oversized CLOSE is one message of 8 words (sock_bad_len,
 * not 6 zero-word messages of tile 0). */
START_TEST(message_attacks_with_sender_id)
{
    const char *dir;
    ck_assert_msg(hostile_run("msg", "--set mesh.sender_id=on", &dir) == 0, "%s", test_out);
    ck_assert_out_has("hostile: forged_sender: error 1 x1 (");
    ck_assert_out_has("hostile: not_app: error 1 x1 (");
    ck_assert_out_has("hostile: oversized: error 2 x1 (");
    ck_assert_out_has("hostile: bad_type: error 1 x1 (");
    ck_assert_out_has("hostile: sent 16 guesses; done");
    ck_assert_uint_eq(count_of("echo app: error"), 0);
    ck_assert_uint_eq(sock_counter(0, "sock_sender_forged"), 2);
    ck_assert_uint_eq(sock_counter(0, "sock_bad_len"), 1);
    ck_assert_uint_eq(sock_counter(0, "sock_not_app"), 0);
    /* the plain run's 23 less the oversized CLOSE, now rejected for its length */
    ck_assert_uint_eq(sock_counter(0, "sock_bad_handle"), 16 + 1 + 2 + 3);
    check_message_attacks_contained(dir);
}
END_TEST

/* With mesh.sender_id = on the truncated SEND is a message of one word (its
 * header says so): rejected for its length at once, nothing shifted. */
START_TEST(truncated_message_with_sender_id)
{
    const char *dir;
    ck_assert_msg(hostile_run("trunc", "--set run.time_us=20000 --set mesh.sender_id=on", &dir) == 0, "%s", test_out);
    ck_assert_out_has("hostile: sent a truncated SEND");
    ck_assert_out_has("ended by the clients done");
    ck_assert_uint_eq(sock_counter(0, "sock_bad_len"), 1);
    ck_assert_uint_eq(sock_counter(0, "sock_sender_forged"), 0);
    check_clients_served(dir);
}
END_TEST

/* LISTEN on the honest app's port: the app tiles run one application and
 * may share a port, so it is answered, but a stack tile gives a new
 * connection only to the app tile whose RX pool its frames land in, and the
 * mPIPE rules put all of them in the honest app's (once, before pools
 * decided, the hostile got every other new connection of the honest app's
 * clients, which stalled). */
START_TEST(listen_on_another_apps_port_gets_nothing)
{
    const char *dir;
    ck_assert_msg(hostile_run("listen", "--set run.time_us=20000", &dir) == 0, "%s", test_out);
    ck_assert_out_has("hostile: listening on the echo port");
    ck_assert_msg(!strstr(test_out, "hostile: accepted"), "%s", test_out);
    ck_assert_out_has("ended by the clients done");
    check_clients_served(dir);
}
END_TEST

/* One memory attack: the hostile tile faults in region `region` (access
 * load or store), every other tile keeps running, the clients lose
 * nothing; with run.expect_faults = none the exit status is 1. */
static void memory_attack(const char *which, const char *region, const char *access)
{
    const char *dir;
    ck_assert_msg(hostile_run(which, "--set run.expect_faults=any", &dir) == 0, "%s", test_out);
    ck_assert_msg(!strstr(test_out, "went through"), "%s", test_out);
    ck_assert_out_has("tile 3: faulted");
    cJSON *j = test_read_stats(dir);
    check_clients(j);
    ck_assert_double_eq(num(j, "results.run.tile_failures"), 1);
    cJSON *tiles = test_json_at(j, "results.tiles");
    for (int t = 0; t < 3; t++)
        ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(tiles, t), "state")->valuestring, "running");
    cJSON *t3 = cJSON_GetArrayItem(tiles, 3);
    ck_assert_str_eq(cJSON_GetObjectItem(t3, "state")->valuestring, "faulted");
    cJSON *f = cJSON_GetObjectItem(t3, "fault");
    ck_assert_str_eq(cJSON_GetObjectItem(f, "region")->valuestring, region);
    ck_assert_str_eq(cJSON_GetObjectItem(f, "access")->valuestring, access);
    ck_assert_str_eq(cJSON_GetObjectItem(f, "rights")->valuestring, "---");
    cJSON_Delete(j);
}

START_TEST(write_into_received_bytes_faults)
{
    memory_attack("rx", "rx_pool[0]", "store");
    ck_assert_out_has("hostile: sent 16 guesses; done"); /* after the message attacks */
}
END_TEST

START_TEST(write_into_another_tx_region_faults)
{
    memory_attack("tx", "tx[0]", "store");
    const char *dir;
    ck_assert_int_eq(hostile_run("tx", "", &dir), 1); /* not expected: exit status 1 */
    ck_assert_out_has("tile 3: faulted");
}
END_TEST

START_TEST(read_of_received_bytes_faults)
{
    memory_attack("rd", "rx_pool[0]", "load");
}
END_TEST

Suite *hostile_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *t = tcase_create("hostile");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, message_attacks_rejected);
    tcase_add_test(t, truncated_message_does_not_stall);
    tcase_add_test(t, message_attacks_with_sender_id);
    tcase_add_test(t, truncated_message_with_sender_id);
    tcase_add_test(t, listen_on_another_apps_port_gets_nothing);
    tcase_add_test(t, write_into_received_bytes_faults);
    tcase_add_test(t, write_into_another_tx_region_faults);
    tcase_add_test(t, read_of_received_bytes_faults);
    suite_add_tcase(s, t);
    return s;
}
