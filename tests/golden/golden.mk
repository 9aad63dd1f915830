# golden.mk - trace regressions: shipped pcaps, and the webserver driven by
# client hosts, through the whole chip, compared byte for byte with
# tests/golden/NAME/{wire.pcap,results.json} (tests/golden/golden_cases.h).
TEST_SRCS   += tests/golden/test_golden.c tests/golden/golden_run.c tests/golden/golden_diff.c
TEST_SUITES += golden_suite

$(TEST_BIN): | $(BUILD)/fw/dlibos_stack.elf $(BUILD)/fw/dlibos_httpd.elf $(BUILD)/fw/baseline_httpd.elf

# Rewrites the golden files after a deliberate change and prints what
# changed (frames, timestamps, counters: review it and the git diff).
# make golden [GOLDEN="CASE ..."] (default: every case).
GOLDEN ?=
.PHONY: golden
golden: $(DLSIM) $(FIRMWARE) $(BUILD)/golden_update
	$(BUILD)/golden_update $(DLSIM) $(BUILD) $(GOLDEN)

$(BUILD)/golden_update: $(call obj,tests/golden/golden_update.c tests/golden/golden_run.c \
                                  tests/golden/golden_diff.c tests/common/test_util.c)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
