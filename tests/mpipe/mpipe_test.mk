# mpipe_test.mk - the trace tool (build/mktrace) and the mPIPE test suites.
MKTRACE := $(BUILD)/mktrace
all: $(MKTRACE)
$(MKTRACE): traces/mktrace.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)
