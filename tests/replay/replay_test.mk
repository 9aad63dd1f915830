# replay_test.mk - the replay of a capture's clients (sim/client_replay.cpp,
# sim/replay_trace.cpp, sim/replay_compare.cpp): the comparison of answers
# on the host (replay_compare_suite) and the shipped captures replayed
# against the chip, bad captures included (replay_suite).
TEST_SRCS   += tests/replay/test_replay_compare.cpp tests/replay/test_replay.c
TEST_SUITES += replay_compare_suite replay_suite
$(call obj,tests/replay/test_replay_compare.cpp): CPPFLAGS += -Istack -Itools/trace
$(call obj,tests/replay/test_replay.c): CPPFLAGS += -Itools/trace -Itests/trace
$(TEST_BIN): | $(BUILD)/fw/dlibos_stack.elf $(BUILD)/fw/dlibos_httpd.elf $(BUILD)/fw/dlibos_echo.elf $(BUILD)/fw/dlibos_memcached.elf
