# memcached_test.mk - Check suites of the memcached application
# (tests/memcached): the engine on the host (every command, malformed,
# truncated, oversized and split input, eviction, expiry, app_args; a short
# fuzzer run), the comparison with Debian's memcached, and both deployments
# on the chip.
TEST_SRCS   += tests/memcached/mc_script.c tests/memcached/test_mc_compare.c tests/memcached/test_mc_proto.c \
               tests/memcached/test_mc_chip.c $(MC_ENGINE_SRCS)
TEST_SUITES += mc_proto_suite mc_compare_suite mc_chip_suite

# The store's lock on the chip, every tile contending (mc_chip_suite):
# tests/memcached/mc_lock_fair.c.
FIRMWARE                += $(BUILD)/fw/mc_lock_fair.elf
FW_SRCS_mc_lock_fair    := $(BOOT_SRCS) tests/memcached/mc_lock_fair.c stack/apps/memcached/mc_store.c
FW_LDFLAGS_mc_lock_fair := $(BOOT_LDFLAGS)
$(BUILD)/fw/mc_lock_fair.elf: $(FW_SRCS_mc_lock_fair) $(BOOT_DEPS) $(MC_ENGINE_DEPS)
$(TEST_BIN): | $(BUILD)/fw/dlibos_memcached.elf $(BUILD)/fw/baseline_memcached.elf $(BUILD)/fw/dlibos_stack.elf \
               $(BUILD)/fw/dlibos_echo.elf $(BUILD)/fw/mc_lock_fair.elf

# build/mc_fuzz: libFuzzer over the engine (tests/memcached/fuzz_mc.c) with
# AddressSanitizer and UBSan; the mc_proto suite runs it briefly, `make fuzz`
# for FUZZ_TIME seconds.
MC_FUZZ := $(BUILD)/mc_fuzz
$(MC_FUZZ): tests/memcached/fuzz_mc.c $(MC_ENGINE_SRCS) $(MC_ENGINE_DEPS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)clang -std=c11 -g -O1 $(WARN) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -Istack -o $@ tests/memcached/fuzz_mc.c $(MC_ENGINE_SRCS)
$(TEST_BIN): | $(MC_FUZZ)
.PHONY: fuzz-memcached
fuzz: fuzz-memcached
fuzz-memcached: $(MC_FUZZ)
	@mkdir -p $(BUILD)/fuzz/mc_corpus
	$(MC_FUZZ) -max_total_time=$(FUZZ_TIME) -max_len=20000 -print_final_stats=1 \
	  -artifact_prefix=$(BUILD)/fuzz/mc_ $(BUILD)/fuzz/mc_corpus

# make bench-memcached: both deployments on configs/tilegx36.ini serving
# memcached (--set overrides: the dlibos run with 8 stack tiles and the
# server on all 28 app tiles, its rule split=28 as configs/dlibos_echo.ini,
# 256 connections; the baseline on all 36 tiles, 512 connections), a
# get-heavy closed loop (90 % gets of 32-byte values over 256 keys); each run
# with 10 and 30 requests per connection, the figures from the difference
# (bench_dlibos, as make bench-dlibos), the store lock from the consoles.
# Not part of make test.
MC_BENCH_OUT     := $(BUILD)/bench-memcached
MC_BENCH_CLIENTS := --set workload.kind=memcached --set clients.server_port=11211 --set workload.loop=closed \
    --set clients.start_us=800 --set workload.mc_keys=256 --set workload.mc_get_ratio=0.9 \
    --set workload.mc_value_bytes=32 --set workload.mc_multiget=1 --set clients.hosts_per_port=8 \
    --set deployment.app_args=mem_mb=64,item_max=1048576
MC_BENCH_dlibos   := --set deployment.mode=dlibos --set deployment.stack_firmware=$(BUILD)/fw/dlibos_stack.elf \
    --set deployment.app_firmware=$(BUILD)/fw/dlibos_memcached.elf --set clients.conns_per_host=8
MC_BENCH_RULES_dlibos   := default stacks=0-27 buckets=0+252 split=28
MC_BENCH_RULES_baseline := default stacks=0-31 buckets=0+256
MC_BENCH_baseline := --set deployment.mode=baseline --set mem.protection=off \
    --set deployment.firmware=$(BUILD)/fw/baseline_memcached.elf --set clients.conns_per_host=16
BENCH_TARGETS += bench-memcached
bench-memcached: $(DLIBOS_BENCH) $(DLSIM) $(BUILD)/fw/dlibos_stack.elf $(BUILD)/fw/dlibos_memcached.elf \
                 $(BUILD)/fw/baseline_memcached.elf
	@set -e; mkdir -p $(MC_BENCH_OUT); for d in dlibos baseline; do \
	  for n in 10 30; do \
	    args="$(MC_BENCH_dlibos)"; rules="$(MC_BENCH_RULES_dlibos)"; \
	    [ $$d = baseline ] && args="$(MC_BENCH_baseline)" && rules="$(MC_BENCH_RULES_baseline)"; \
	    ./$(DLSIM) -c configs/tilegx36.ini $$args --set "mpipe.rules=$$rules" $(MC_BENCH_CLIENTS) $(MC_BENCH_EXTRA) --set clients.requests=$$n \
	      -o $(MC_BENCH_OUT)/$$d-$$n > $(MC_BENCH_OUT)/$$d-$$n.log 2>&1 \
	      || { echo "bench-memcached: dlsim failed, see $(MC_BENCH_OUT)/$$d-$$n.log"; exit 1; }; \
	  done; \
	  echo "memcached, 90 % gets of 32-byte values:"; \
	  ./$(DLIBOS_BENCH) $$d $(MC_BENCH_OUT)/$$d-10 $(MC_BENCH_OUT)/$$d-30 $(MC_BENCH_OUT)/$$d-10.log $(MC_BENCH_OUT)/$$d-30.log; \
	done
