/* golden_cases.h - the trace regressions: each case is a dlsim run whose
 * wire.pcap and stats.json "results" must match the files shipped in
 * tests/golden/NAME/ byte for byte. `make golden` rewrites those files
 * after a deliberate change of timing or behaviour (review the diff). */
#ifndef DL_TESTS_GOLDEN_CASES_H
#define DL_TESTS_GOLDEN_CASES_H

typedef struct golden_case {
    const char *name;   /* folder under tests/golden */
    const char *args;   /* dlsim arguments; the build folder replaces %s */
} golden_case;

static const golden_case golden_cases[] = {
    { "echo", "-c configs/echo.ini --set deployment.firmware=%s/fw/echo.elf "
              "--pcap-in 0=traces/echo.pcap,at=60000" },
    { "udn_pingpong", "-c configs/tiny.ini --set deployment.firmware=%s/fw/udn_pingpong.elf" },
};

#endif
