# clients_test.mk - tests of the client hosts (sim/client_*): against a
# server host built from the same code, back to back through a test wire
# (clients_suite), and attached to the chip's ports in dlsim runs
# (clients_dlsim_suite).
TEST_SRCS   += tests/clients/client_harness.cpp tests/clients/test_clients.cpp tests/clients/test_clients_dlsim.c
TEST_SUITES += clients_suite clients_dlsim_suite
$(call obj,tests/clients/client_harness.cpp tests/clients/test_clients.cpp): CPPFLAGS += -Istack

# make bench-clients: host time of the client hosts per simulated ms.
CLIENT_BENCH := $(BUILD)/client_bench
$(CLIENT_BENCH): $(call obj,tests/clients/bench_clients.cpp tests/clients/client_harness.cpp) $(BUILD)/libdlsim.a
	@echo "  LINK    $@"
	$(Q)$(CXX) $(CXXFLAGS) -o $@ $^ $(LDLIBS)
$(call obj,tests/clients/bench_clients.cpp): CPPFLAGS += -Istack -Itests/clients
BENCH_TARGETS += bench-clients
bench-clients: $(CLIENT_BENCH)
	@./$(CLIENT_BENCH)
	@./$(CLIENT_BENCH) --set port.count=4 --set clients.conns_per_host=4
	@./$(CLIENT_BENCH) --set workload.loop=open --set workload.rate=5e6
