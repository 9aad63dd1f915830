# net_test.mk - Check suites of the network stack (tests/net).
TEST_SRCS   += tests/net/net_fake.c tests/net/test_net_ip.c
TEST_SUITES += net_ip_suite
