# dlibos_test.mk - DLibOS end to end (tests/dlibos): configs/dlibos_echo.ini
# run by dlsim with the stack-tile and echo-app images, checked through the
# client hosts' results and wire.pcap (dlibos_suite).
TEST_SRCS   += tests/dlibos/test_dlibos.c tests/dlibos/test_hostile.c
TEST_SUITES += dlibos_suite hostile_suite
$(TEST_BIN): | $(BUILD)/fw/dlibos_stack.elf $(BUILD)/fw/dlibos_echo.elf

# The hostile app image (tests/dlibos/hostile_app.c), one per memory attack
# (HOSTILE_MEM): 0 messages only, 1 then a write into app 0's RX pool, 2 a
# write into app 0's TX region, 3 a read of app 0's RX pool.
HOSTILE_DEPS := tests/dlibos/hostile_app.c $(BOOT_DEPS) stack/dlibos/dlibos.h models/abi/sock.h models/abi/udn.h
HOSTILE_ELFS := $(BUILD)/fw/hostile_msg.elf $(BUILD)/fw/hostile_rx.elf $(BUILD)/fw/hostile_tx.elf \
                $(BUILD)/fw/hostile_rd.elf $(BUILD)/fw/hostile_trunc.elf $(BUILD)/fw/hostile_listen.elf
FIRMWARE += $(HOSTILE_ELFS)
FW_SRCS_hostile_msg := $(BOOT_SRCS) tests/dlibos/hostile_app.c
FW_SRCS_hostile_rx  := $(FW_SRCS_hostile_msg)
FW_SRCS_hostile_tx  := $(FW_SRCS_hostile_msg)
FW_SRCS_hostile_rd  := $(FW_SRCS_hostile_msg)
FW_LDFLAGS_hostile_msg := $(BOOT_LDFLAGS) -DHOSTILE_MEM=0
FW_LDFLAGS_hostile_rx  := $(BOOT_LDFLAGS) -DHOSTILE_MEM=1
FW_LDFLAGS_hostile_tx  := $(BOOT_LDFLAGS) -DHOSTILE_MEM=2
FW_LDFLAGS_hostile_rd  := $(BOOT_LDFLAGS) -DHOSTILE_MEM=3
FW_SRCS_hostile_trunc  := $(FW_SRCS_hostile_msg)
FW_SRCS_hostile_listen := $(FW_SRCS_hostile_msg)
FW_LDFLAGS_hostile_trunc  := $(BOOT_LDFLAGS) -DHOSTILE_MEM=4
FW_LDFLAGS_hostile_listen := $(BOOT_LDFLAGS) -DHOSTILE_MEM=5
$(HOSTILE_ELFS): $(HOSTILE_DEPS)
$(TEST_BIN): | $(HOSTILE_ELFS)
