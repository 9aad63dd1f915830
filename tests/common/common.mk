# common.mk - what every suite shares: the Check runner (run_tests.c, built
# by the Makefile), the helpers of test_util.h, and the runner's own tests
# (skips counted apart, mktrace's usage).
TEST_SRCS   += tests/common/test_util.c tests/common/test_chip.c tests/common/test_runner.c
TEST_SUITES += runner_suite
