/* golden_cases.h - the trace regressions: each case is a dlsim run whose
 * wire.pcap and stats.json "results" must match the files shipped in
 * tests/golden/NAME/ byte for byte. `make golden` rewrites those files
 * after a deliberate change of timing or behaviour and prints what changed
 * (golden_diff.h; review it and the git diff).
 *
 * The webserver cases are deterministic runs driven by the client hosts
 * (not a replayed client-side capture): a capture replayed with --pcap-in
 * cannot react to the chip, so after any change of the chip's timing it
 * would send ACKs and requests out of step with the server's answers and
 * the diff would show a broken conversation instead of the change. Client
 * hosts answer what the chip actually sends, every byte checked, and their
 * seeded choices make two runs identical; the conversation itself is the
 * golden wire.pcap (every frame both ways, as a shipped trace would be).
 * Both deployments on the 2 x 2 chips (tests/httpd/dlibos_2x2.ini and
 * baseline_2x2.ini, tests/memcached/dlibos_2x2.ini and
 * baseline_memcached.ini): keep-alive GETs of small documents and a 404,
 * or memcached gets and sets, 8 connections x 4-6 requests, well under a
 * second of host time each. The memcached cases are client-host runs for
 * the same reason. */
#ifndef DL_TESTS_GOLDEN_CASES_H
#define DL_TESTS_GOLDEN_CASES_H

typedef struct golden_case {
    const char *name;   /* folder under tests/golden */
    const char *args;   /* dlsim arguments; the build folder replaces every %s */
} golden_case;

/* The webserver's workload: keep-alive GETs of three documents and a 404. */
#define HTTPD_GOLDEN "--set clients.requests=4 --set 'workload.web_paths=/64*2,/1k,/index.html,404:/none'"

/* memcached's: gets (some multiget) and sets of 100-byte values over 16 keys. */
#define MC_GOLDEN "--set clients.requests=6 --set workload.mc_keys=16 --set workload.mc_multiget=2"

static const golden_case golden_cases[] = {
    { "echo", "-c configs/echo.ini --set deployment.firmware=%s/fw/echo.elf "
              "--pcap-in 0=traces/echo.pcap,at=60000" },
    { "httpd_dlibos", "-c tests/httpd/dlibos_2x2.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                      "--set deployment.app_firmware=%s/fw/dlibos_httpd.elf " HTTPD_GOLDEN },
    { "httpd_baseline", "-c tests/httpd/baseline_2x2.ini --set deployment.firmware=%s/fw/baseline_httpd.elf "
                        HTTPD_GOLDEN },
    { "memcached_dlibos", "-c tests/memcached/dlibos_2x2.ini --set deployment.stack_firmware=%s/fw/dlibos_stack.elf "
                          "--set deployment.app_firmware=%s/fw/dlibos_memcached.elf " MC_GOLDEN },
    { "memcached_baseline", "-c tests/memcached/baseline_2x2.ini --set deployment.firmware=%s/fw/baseline_memcached.elf "
                            MC_GOLDEN },
    { "udn_pingpong", "-c configs/tiny.ini --set deployment.firmware=%s/fw/udn_pingpong.elf" },
};

#endif
