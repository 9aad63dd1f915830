# udn_fw.mk - firmware that drives the UDN from tile cores, and its tests
# (with the UDN_WAIT wake-up test of a tile core, the mesh and the mPIPE).
FIRMWARE              += $(BUILD)/fw/udn_pingpong.elf
FW_SRCS_udn_pingpong    := $(BOOT_SRCS) tests/mesh/udn_pingpong.c
FW_LDFLAGS_udn_pingpong := $(BOOT_LDFLAGS)
$(BUILD)/fw/udn_pingpong.elf: $(FW_SRCS_udn_pingpong) $(BOOT_DEPS)

FIRMWARE                += $(BUILD)/fw/udn_badheader.elf
FW_SRCS_udn_badheader   := $(BOOT_SRCS) tests/mesh/udn_badheader.c
FW_LDFLAGS_udn_badheader := $(BOOT_LDFLAGS)
$(BUILD)/fw/udn_badheader.elf: $(FW_SRCS_udn_badheader) $(BOOT_DEPS)

TEST_SRCS   += tests/mesh/test_udn_fw.c
TEST_SUITES += udn_fw_suite

TEST_SRCS   += tests/mesh/test_udn_wake.cpp
TEST_SUITES += udn_wake_suite
