# net_test.mk - Check suites of the network stack (tests/net): crafted
# frames per layer, TCP between two stacks over a lossy wire, and the host
# programs (fuzzer, dlnet, interoperability with Linux's TCP).
TEST_SRCS   += tests/net/net_fake.c tests/net/test_net_ip.c tests/net/test_tcp.c tests/net/test_tcp_pair.c \
               tests/net/test_net_tools.c tests/net/test_net_zc.c
TEST_SUITES += net_ip_suite net_tcp_suite net_pair_suite net_tools_suite net_zc_suite
