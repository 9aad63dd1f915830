# core_test.mk - tests of the tile core: the ISS (every instruction class,
# traps, CSRs), its timing model (exact cycles) and the SystemC wrapper (sync
# points, sleeping, page-crossing accesses, the no-progress watchdog).
TEST_SRCS   += tests/core/test_iss.c tests/core/test_timing.c tests/core/test_tile_core.cpp
TEST_SUITES += iss_suite timing_suite tile_core_suite
