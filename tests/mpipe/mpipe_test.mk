# mpipe_test.mk - the trace tool (build/mktrace) and the mPIPE test suites.
MKTRACE := $(BUILD)/mktrace
all: $(MKTRACE)
$(MKTRACE): traces/mktrace.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

TEST_SRCS   += tests/mpipe/mpipe_frames.c tests/mpipe/test_mpipe_classify.c tests/mpipe/test_mpipe_model.cpp
TEST_SUITES += mpipe_classify_suite mpipe_model_suite
