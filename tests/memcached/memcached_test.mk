# memcached_test.mk - Check suites of the memcached application
# (tests/memcached): the engine on the host (every command, malformed,
# truncated, oversized and split input, eviction, expiry, app_args; a short
# fuzzer run), the comparison with Debian's memcached, and both deployments
# on the chip.
TEST_SRCS   += tests/memcached/mc_script.c tests/memcached/test_mc_compare.c tests/memcached/test_mc_proto.c \
               tests/memcached/test_mc_chip.c $(MC_ENGINE_SRCS)
TEST_SUITES += mc_proto_suite mc_compare_suite mc_chip_suite
$(TEST_BIN): | $(BUILD)/fw/dlibos_memcached.elf $(BUILD)/fw/baseline_memcached.elf $(BUILD)/fw/dlibos_stack.elf \
               $(BUILD)/fw/dlibos_echo.elf

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
