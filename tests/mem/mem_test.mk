# mem_test.mk - tests of the memory system: TLB, rights, layout, latency per
# access class, DMA coherence (Check suite mem_suite), and firmware that
# faults on chip tiles and under dlsim --elf (mem_fw_suite).
FIRMWARE             += $(BUILD)/fw/mem_prot.elf $(BUILD)/fw/store_code.elf
FW_SRCS_mem_prot     := $(BOOT_SRCS) tests/mem/mem_prot.c
FW_LDFLAGS_mem_prot  := $(BOOT_LDFLAGS)
$(BUILD)/fw/mem_prot.elf: $(FW_SRCS_mem_prot) $(BOOT_DEPS) models/abi/boot_info.h
FW_SRCS_store_code    := $(BOOT_SRCS) tests/mem/store_code.c
FW_LDFLAGS_store_code := $(BOOT_LDFLAGS)
$(BUILD)/fw/store_code.elf: $(FW_SRCS_store_code) $(BOOT_DEPS)

TEST_SRCS   += tests/mem/test_mem.c tests/mem/test_mem_fw.c tests/mem/test_mem_dma.cpp
TEST_SUITES += mem_suite mem_fw_suite mem_dma_suite
