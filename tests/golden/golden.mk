# golden.mk - trace regressions: shipped pcaps through the whole chip,
# compared byte for byte with tests/golden/NAME/{wire.pcap,results.json}.
TEST_SRCS   += tests/golden/test_golden.c tests/golden/golden_run.c
TEST_SUITES += golden_suite

# Rewrites the golden files after a deliberate change (review the git diff).
.PHONY: golden
golden: $(DLSIM) $(FIRMWARE) $(BUILD)/golden_update
	$(BUILD)/golden_update $(DLSIM) $(BUILD)

$(BUILD)/golden_update: $(call obj,tests/golden/golden_update.c tests/golden/golden_run.c \
                                  tests/common/test_util.c)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
