# memcached_test.mk - Check suites of the memcached application
# (tests/memcached): the engine on the host (every command, malformed,
# truncated, oversized and split input, eviction, expiry), the comparison
# with Debian's memcached, and both deployments on the chip.
TEST_SRCS   += tests/memcached/mc_script.c tests/memcached/test_mc_compare.c $(MC_ENGINE_SRCS)
TEST_SUITES += mc_compare_suite
