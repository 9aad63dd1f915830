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

TEST_SRCS   += tests/mem/test_mem.c tests/mem/test_mem_fw.c tests/mem/test_mem_dma.cpp tests/mem/test_phys_mem.c
TEST_SUITES += mem_suite mem_fw_suite mem_dma_suite phys_mem_suite

# make bench-mem: MIPS on memory-bound firmware with the full memory timing
# (caches, homes, DRAM, TLB) and without, protection off and on, against the
# functional ISS (core.timing off).
FIRMWARE             += $(BUILD)/fw/bench_mem.elf
FW_SRCS_bench_mem    := $(BOOT_SRCS) tests/mem/bench_mem.c
FW_LDFLAGS_bench_mem := $(BOOT_LDFLAGS)
$(BUILD)/fw/bench_mem.elf: $(FW_SRCS_bench_mem) $(BOOT_DEPS)

BENCH_TARGETS += bench-mem
bench-mem: $(DLSIM) $(BUILD)/fw/bench_mem.elf
	@echo "bench-mem: ISS speed on bench_mem (4 MiB array: sequential and random); MIPS = retired instructions per host second"
	@for run in "off off off" "on off off" "on on off" "off off on" "on off on" "on on on"; do \
	  set -- $$run; \
	  printf 'bench-mem: core.timing=%-3s mem.timing=%-3s mem.protection=%-3s ' $$1 $$2 $$3; \
	  ./$(DLSIM) --elf $(BUILD)/fw/bench_mem.elf --set core.timing=$$1 --set mem.timing=$$2 \
	    --set mem.protection=$$3 2>&1 \
	    | sed -n 's/^elf: retired \(.*\) instructions in \(.*\) cycles.*/\1 insns \2 cycles/p; s/^elf: host \(.*\)/\1/p; s/^elf: TLB misses: \(.*\)/TLB misses \1/p' \
	    | paste -sd' ' -; \
	done
