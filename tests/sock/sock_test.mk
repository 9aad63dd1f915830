# sock_test.mk - Check suites of the socket interface (tests/sock): the
# messages of abi/sock.h, the app library against a fake stack, the stack
# side against honest and hostile apps, over an in-memory fabric; the
# baseline's in-tile transport (sock_direct).
TEST_SRCS   += tests/sock/sock_fake.c tests/sock/test_sock_abi.c tests/sock/test_sock_app.c \
               tests/sock/test_sock_stack.c tests/sock/test_sock_direct.c
TEST_SUITES += sock_abi_suite sock_app_suite sock_stack_suite sock_direct_suite

# The same libraries as tile firmware (tests/sock/sock_loop.c), run by
# sock_fw_suite under dlsim --elf.
FIRMWARE              += $(BUILD)/fw/sock_loop.elf
FW_SRCS_sock_loop     := $(BOOT_SRCS) tests/sock/sock_loop.c $(SOCK_SRCS)
FW_LDFLAGS_sock_loop  := $(BOOT_LDFLAGS)
$(BUILD)/fw/sock_loop.elf: $(FW_SRCS_sock_loop) $(BOOT_DEPS) $(wildcard stack/sock/*.h) models/abi/sock.h
TEST_SRCS   += tests/sock/test_sock_fw.c
TEST_SUITES += sock_fw_suite
