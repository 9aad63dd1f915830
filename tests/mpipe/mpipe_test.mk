# mpipe_test.mk - the trace tool (build/mktrace) and the mPIPE test suites.
MKTRACE := $(BUILD)/mktrace
all: $(MKTRACE)
$(MKTRACE): traces/mktrace.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

TEST_SRCS   += tests/mpipe/mpipe_frames.c tests/mpipe/test_mpipe_classify.c tests/mpipe/test_mpipe_model.cpp
TEST_SUITES += mpipe_classify_suite mpipe_model_suite

# The driver on the host, against the fake mPIPE.
TEST_SRCS   += stack/driver/mpipe_drv.c stack/driver/mpipe_share.c tests/mpipe/mpipe_fake.c tests/mpipe/test_mpipe_driver.c
TEST_SUITES += mpipe_driver_suite
$(patsubst %,$(BUILD)/obj/%.o,stack/driver/mpipe_drv.c stack/driver/mpipe_share.c tests/mpipe/mpipe_fake.c tests/mpipe/test_mpipe_driver.c): CPPFLAGS += -DMPIPE_DRV_HOST -Istack

# The mPIPE through dlsim: echo firmware end to end, pcap errors.
TEST_SRCS   += tests/mpipe/test_mpipe_dlsim.c
TEST_SUITES += mpipe_dlsim_suite
