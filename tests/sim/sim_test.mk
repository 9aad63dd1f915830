# sim_test.mk - tests of the dlsim program: configuration (config_suite),
# command line and outputs (dlsim_suite), and firmware images on the chip and in dlsim --elf:
# host memory of large images, tiles sharing an image but not its writes,
# and the ELF files refused (segments sharing a protection page, out of
# order, overlapping, at address 0, physical != virtual, too many).
FIRMWARE                   += $(BUILD)/fw/elf_image_big.elf
FW_SRCS_elf_image_big      := $(BOOT_SRCS) tests/sim/fw_elf_image.c
FW_LDFLAGS_elf_image_big   := $(BOOT_LDFLAGS)
$(BUILD)/fw/elf_image_big.elf: $(FW_SRCS_elf_image_big) $(BOOT_DEPS)

TEST_SRCS   += tests/sim/test_elf_image.c
TEST_SUITES += elf_image_suite

TEST_SRCS   += tests/sim/test_config.c tests/sim/test_dlsim.c
TEST_SUITES += config_suite dlsim_suite

# The models' parameter structs filled from the configuration (model_params_suite).
TEST_SRCS   += tests/sim/test_model_params.cpp
TEST_SUITES += model_params_suite
