# dlibos_test.mk - DLibOS end to end (tests/dlibos): configs/dlibos_echo.ini
# run by dlsim with the stack-tile and echo-app images, checked through the
# client hosts' results and wire.pcap (dlibos_suite); make bench-dlibos (below).
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

# make bench-dlibos: both deployments on the TILE-Gx36 as shipped
# (configs/dlibos_echo.ini, configs/baseline_echo.ini: echo, 64-byte
# messages, closed loop, 256 connections), each run with 10 and with 30
# requests per connection; bench_dlibos prints the figures from the
# difference (start-up removed). Not part of make test.
DLIBOS_BENCH     := $(BUILD)/bench_dlibos
DLIBOS_BENCH_OUT := $(BUILD)/bench-dlibos
DLIBOS_BENCH_dlibos   := --set deployment.stack_firmware=$(BUILD)/fw/dlibos_stack.elf \
    --set deployment.app_firmware=$(BUILD)/fw/dlibos_echo.elf
DLIBOS_BENCH_baseline := --set deployment.firmware=$(BUILD)/fw/dlibos_baseline.elf
$(DLIBOS_BENCH): $(call obj,tests/dlibos/bench_dlibos.c)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(shell pkg-config --libs libcjson 2>/dev/null || echo -lcjson)
BENCH_TARGETS += bench-dlibos
bench-dlibos: $(DLIBOS_BENCH) $(DLSIM) $(BUILD)/fw/dlibos_stack.elf $(BUILD)/fw/dlibos_echo.elf \
              $(BUILD)/fw/dlibos_baseline.elf
	@set -e; for d in dlibos baseline; do \
	  for n in 10 30; do \
	    args="$(DLIBOS_BENCH_dlibos)"; [ $$d = baseline ] && args="$(DLIBOS_BENCH_baseline)"; \
	    ./$(DLSIM) -c configs/$${d}_echo.ini $$args $(DLIBOS_BENCH_EXTRA) --set clients.requests=$$n \
	      -o $(DLIBOS_BENCH_OUT)/$$d-$$n > $(DLIBOS_BENCH_OUT)-$$d-$$n.log 2>&1 \
	      || { echo "bench-dlibos: dlsim failed, see $(DLIBOS_BENCH_OUT)-$$d-$$n.log"; exit 1; }; \
	  done; \
	  ./$(DLIBOS_BENCH) $$d $(DLIBOS_BENCH_OUT)/$$d-10 $(DLIBOS_BENCH_OUT)/$$d-30; \
	done
