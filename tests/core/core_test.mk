# core_test.mk - tests of the tile core: the ISS (every instruction class,
# traps, CSRs), its timing model (exact cycles) and the SystemC wrapper (sync
# points, sleeping, page-crossing accesses, the no-progress watchdog).
TEST_SRCS   += tests/core/test_iss.c tests/core/test_timing.c tests/core/test_tile_core.cpp
TEST_SUITES += iss_suite timing_suite tile_core_suite

# Atomics on the chip: tiles sharing counters (AMO and LR/SC), AMO cycles
# for a local-home and a remote-home line (atomic_fw_suite).
FIRMWARE                += $(BUILD)/fw/atomic_count.elf
FW_SRCS_atomic_count    := $(BOOT_SRCS) tests/core/atomic_count.c
FW_LDFLAGS_atomic_count := $(BOOT_LDFLAGS)
$(BUILD)/fw/atomic_count.elf: $(FW_SRCS_atomic_count) $(BOOT_DEPS)
TEST_SRCS   += tests/core/test_atomic_fw.c
TEST_SUITES += atomic_fw_suite

# The wake-up deadline on the chip (TILE_SYS_WAKE_AT): UDN_WAIT and wfi
# woken by it, a past one, a UDN word that comes first (wake_fw_suite).
FIRMWARE             += $(BUILD)/fw/wake_at.elf
FW_SRCS_wake_at      := $(BOOT_SRCS) tests/core/wake_at.c
FW_LDFLAGS_wake_at   := $(BOOT_LDFLAGS)
$(BUILD)/fw/wake_at.elf: $(FW_SRCS_wake_at) $(BOOT_DEPS)
TEST_SRCS   += tests/core/test_wake_fw.c
TEST_SUITES += wake_fw_suite
