/* test_live.c - live mode (dlsim --tap): the option's usage errors, each exit
 * 2 with its message before any device is touched (a bad interface name, an
 * unknown option, a port out of range or already taken by a --pcap-in trace
 * or client hosts, --tap with --elf, two --tap); and, as root, the DLibOS echo
 * on the chip against Linux's TCP in a private network namespace
 * (tests/live/echo_live.sh: echo checked byte for byte, SIGTERM/SIGINT stops
 * with the outputs written, run.time_us, the errors only root can provoke;
 * skipped with the reason otherwise). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

#define ECHO_NOCLIENTS "-c tests/dlibos/echo_2x2.ini --set clients.hosts_per_port=0 --set run.time_us=1 "

START_TEST(bad_interface_names)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim(2, "is not a valid interface name", ECHO_NOCLIENTS "--tap '' -o %s", dir);
    ck_assert_dlsim(2, "'a/b' is not a valid interface name", ECHO_NOCLIENTS "--tap a/b -o %s", dir);
    ck_assert_dlsim(2, "is not a valid interface name", ECHO_NOCLIENTS "--tap 'a b' -o %s", dir);
    ck_assert_dlsim(2, "is not a valid interface name", ECHO_NOCLIENTS "--tap .. -o %s", dir);
    ck_assert_dlsim(2, "'0123456789abcdef' is not a valid interface name (1 to 15 characters",
                    ECHO_NOCLIENTS "--tap 0123456789abcdef -o %s", dir);
}
END_TEST

START_TEST(bad_options)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim(2, "unknown option 'speed=1' (expected port=P)", ECHO_NOCLIENTS "--tap dlx0,speed=1 -o %s", dir);
    ck_assert_dlsim(2, "port=x: expected a port number", ECHO_NOCLIENTS "--tap dlx0,port=x -o %s", dir);
    ck_assert_dlsim(2, "port=-1: expected a port number", ECHO_NOCLIENTS "--tap dlx0,port=-1 -o %s", dir);
    ck_assert_dlsim(2, "port= given twice", ECHO_NOCLIENTS "--tap dlx0,port=0,port=0 -o %s", dir);
    ck_assert_dlsim(2, "one --tap only", ECHO_NOCLIENTS "--tap dlx0 --tap dlx1 -o %s", dir);
    ck_assert_dlsim(2, "--tap needs the full chip", "--elf %s/fw/hello.elf --tap dlx0", test_build_dir());
    ck_assert_dlsim(2, "--tap needs the full chip",
                    "--mesh-only --traffic uniform --rate 0.1 --size 1 --cycles 10 --tap dlx0 -o %s", dir);
    ck_assert_dlsim(2, "this option needs a value", "--tap");
}
END_TEST

START_TEST(port_out_of_range_or_taken)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim(2, "--tap dlx0,port=1: the chip has 1 port(s) (port.count), numbered from 0",
                    ECHO_NOCLIENTS "--tap dlx0,port=1 -o %s", dir);
    ck_assert_dlsim(2, "--tap dlx0,port=0: port 0 already replays a --pcap-in trace",
                    ECHO_NOCLIENTS "--tap dlx0 --pcap-in traces/echo.pcap -o %s", dir);
    ck_assert_dlsim(2, "--tap dlx0,port=0: port 0 already replays a --pcap-in trace",
                    ECHO_NOCLIENTS "--pcap-in 0=traces/echo.pcap --tap dlx0 -o %s", dir);
    ck_assert_dlsim(2, "--tap dlx0,port=0: port 0 has client hosts (clients.hosts_per_port = 4",
                    "-c tests/dlibos/echo_2x2.ini --set run.time_us=1 --tap dlx0 -o %s", dir);
    ck_assert_dlsim(2, "port 2 has client hosts",
                    "-c tests/dlibos/echo_2x2.ini --set run.time_us=1 --set port.count=4 --set clients.ports=2 "
                    "--tap dlx0,port=2 -o %s", dir);
    ck_assert_out_has("leave the port out of clients.ports");
}
END_TEST

START_TEST(echo_with_linux_tcp)
{
    static char out[65536];
    char cmd[512];
    snprintf(cmd, sizeof cmd, "BUILD=%s DLSIM=%s sh tests/live/echo_live.sh", test_build_dir(), test_dlsim());
    int rc = test_run(cmd, out, sizeof out);
    fputs(out, stdout);
    if (rc == 77) { /* the script says why: "live-echo: SKIP: REASON" */
        const char *why = strstr(out, "SKIP: ");
        char reason[512];
        snprintf(reason, sizeof reason, "%.*s", why ? (int)strcspn(why + 6, "\n") : 30,
                 why ? why + 6 : "exit 77 without a reason");
        test_skip(reason);
        return;
    }
    ck_assert_msg(rc == 0, "live echo test failed (exit %d):\n%s", rc, out);
}
END_TEST

Suite *live_suite(void)
{
    Suite *s = suite_create("live");
    TCase *tc = tcase_create("errors");
    tcase_add_test(tc, bad_interface_names);
    tcase_add_test(tc, bad_options);
    tcase_add_test(tc, port_out_of_range_or_taken);
    suite_add_tcase(s, tc);
    tc = tcase_create("linux");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, echo_with_linux_tcp);
    suite_add_tcase(s, tc);
    return s;
}
