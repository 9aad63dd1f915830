# mesh_test.mk - tests of the UDN: the engine (test_mesh.cpp), the
# event-driven model against the cycle-by-cycle reference
# (test_mesh_equiv.cpp, test_mesh_ref.cpp), firmware that drives the UDN
# from tile cores, and the UDN_WAIT wake-up of a tile core by the mPIPE.
TEST_SRCS   += tests/mesh/test_mesh.cpp tests/mesh/test_mesh_equiv.cpp tests/mesh/test_mesh_ref.cpp
TEST_SUITES += mesh_suite mesh_equiv_suite

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

TEST_SRCS   += tests/mesh/test_mesh_sender.cpp
TEST_SUITES += mesh_sender_suite

FIRMWARE              += $(BUILD)/fw/udn_sender.elf
FW_SRCS_udn_sender    := $(BOOT_SRCS) tests/mesh/udn_sender.c
FW_LDFLAGS_udn_sender := $(BOOT_LDFLAGS)
$(BUILD)/fw/udn_sender.elf: $(FW_SRCS_udn_sender) $(BOOT_DEPS)
