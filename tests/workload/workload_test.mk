# workload_test.mk - the workload distributions against their closed forms
# (workload_dist_suite); the generators through the client hosts' drivers on
# the client harness (workload_clients_suite); on the chip: the warm-up, the
# per-type results and histograms, --workload-pcap against a run's wire.pcap,
# bad keys (workload_chip_suite).
TEST_SRCS   += tests/workload/test_workload_dist.c tests/workload/test_workload_clients.cpp \
               tests/workload/test_workload_chip.c
TEST_SUITES += workload_dist_suite workload_clients_suite workload_chip_suite
$(call obj,tests/workload/test_workload_clients.cpp): CPPFLAGS += -Istack -Itests/clients
$(call obj,tests/workload/test_workload_chip.c): CPPFLAGS += -Itools/trace
