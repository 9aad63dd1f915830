# workload_test.mk - the workload distributions against their closed forms.
TEST_SRCS   += tests/workload/test_workload_dist.c
TEST_SUITES += workload_dist_suite
