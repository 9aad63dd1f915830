# dlibos_test.mk - DLibOS end to end (tests/dlibos): configs/dlibos_echo.ini
# run by dlsim with the stack-tile and echo-app images, checked through the
# client hosts' results and wire.pcap (dlibos_suite).
TEST_SRCS   += tests/dlibos/test_dlibos.c
TEST_SUITES += dlibos_suite
$(TEST_BIN): | $(BUILD)/fw/dlibos_stack.elf $(BUILD)/fw/dlibos_echo.elf
