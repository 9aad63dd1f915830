# trace.mk - the trace tools (tools/trace: the protocol-matching library,
# build/dltrace, build/dlcompare, the trace fuzzer) and their Check suites.
TRACE_SRCS := tools/trace/trace.c tools/trace/trace_tcp.c tools/trace/trace_pcap.c tools/trace/trace_proto.c \
              tools/trace/trace_http.c tools/trace/trace_memcache.c tools/trace/trace_stats.c
TRACE_OBJS := $(call obj,$(TRACE_SRCS))
DLTRACE    := $(BUILD)/dltrace
DLCOMPARE  := $(BUILD)/dlcompare
all: $(DLTRACE) $(DLCOMPARE)

$(DLTRACE): $(call obj,tools/trace/dltrace.c) $(TRACE_OBJS)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(DLCOMPARE): $(call obj,tools/trace/dlcompare.c) $(TRACE_OBJS)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The library is linked into the Check runner with its tests.
TEST_SRCS   += $(TRACE_SRCS) tests/trace/test_trace.c tests/trace/test_trace_tools.c tests/trace/trace_craft.c
TEST_SUITES += trace_parse_suite trace_tools_suite
$(call obj,tests/trace/test_trace.c tests/trace/test_trace_tools.c tests/trace/trace_craft.c): CPPFLAGS += -Itools/trace

# build/trace_fuzz: libFuzzer over the frame decoder, the reassembly and the
# three protocol parsers (tests/trace/fuzz_trace.c), with ASan and UBSan.
# `make test` runs a short bounded session (trace_tools suite); `make fuzz`
# a long one as well.
TRACE_FUZZ := $(BUILD)/trace_fuzz
$(TRACE_FUZZ): tests/trace/fuzz_trace.c $(TRACE_SRCS) $(wildcard tools/trace/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)clang -std=c11 -g -O1 $(WARN) -D_DEFAULT_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -Itools/trace -o $@ tests/trace/fuzz_trace.c $(TRACE_SRCS) -lpcap -lm
.PHONY: fuzz-trace
fuzz-trace: $(TRACE_FUZZ)
	@mkdir -p $(BUILD)/fuzz/trace_corpus
	$(TRACE_FUZZ) -max_total_time=$(FUZZ_TIME) -max_len=8192 -print_final_stats=1 \
	  -artifact_prefix=$(BUILD)/fuzz/trace- $(BUILD)/fuzz/trace_corpus
fuzz: fuzz-trace

# The Check runner runs the tools and the fuzzer: build them first.
$(TEST_BIN): | $(DLTRACE) $(DLCOMPARE) $(TRACE_FUZZ)
