/* test_sock_fw.c - both sides of the socket interface as RV64 firmware on
 * the tile core (build/fw/sock_loop.elf under dlsim --elf). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "test_util.h"

START_TEST(sock_loop_runs_on_the_tile)
{
    char args[512];
    snprintf(args, sizeof args, "--elf %s/fw/sock_loop.elf", test_build_dir());
    int rc = test_dlsim_run(args);
    ck_assert_msg(rc == 0, "dlsim --elf sock_loop.elf: %d\n%s", rc, test_out);
    ck_assert_msg(strstr(test_out, "sock_loop: 1000 echoes ok"), "%s", test_out);
}
END_TEST

Suite *sock_fw_suite(void)
{
    Suite *s = suite_create("sock_fw");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, sock_loop_runs_on_the_tile);
    suite_add_tcase(s, tc);
    return s;
}
