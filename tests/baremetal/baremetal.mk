# baremetal.mk - bare-metal benchmarks of the riscv-tests `benchmarks/` kind,
# written for this project: each a C kernel on rv64im with its own start-up
# (crt.S: stack above _end, trap handler), HTIF system calls for printf and
# exit through tohost (syscalls.c), checking its own result. Their Check
# suite runs each through `dlsim --elf` for a pass and its exact count of
# retired instructions.
BM_PROGS   := median qsort rsort towers vvadd multiply memcpy spmv
BM_ELFS    := $(patsubst %,$(BUILD)/baremetal/%.elf,$(BM_PROGS))
BM_COMMON  := tests/baremetal/crt.S tests/baremetal/syscalls.c
BM_DEPS    := $(BM_COMMON) tests/baremetal/bm.h tests/baremetal/bm.ld
BM_CFLAGS  := $(FW_ARCH) -std=c11 -O2 $(WARN) -ffreestanding -fno-common -fno-builtin-printf \
              -nostdlib -nostartfiles -static \
              -Wl,--defsym=__tile_dram_base=$(TILE_DRAM_BASE_HEX) -T tests/baremetal/bm.ld

FIRMWARE += $(BM_ELFS)

$(BM_ELFS): $(BUILD)/baremetal/%.elf: tests/baremetal/%.c $(BM_DEPS)
	@mkdir -p $(dir $@)
	@echo "  BM      $@"
	$(Q)$(FW_CC) $(BM_CFLAGS) -o $@ $(BM_COMMON) $< -lgcc

TEST_SRCS   += tests/baremetal/test_baremetal.c
TEST_SUITES += baremetal_suite
