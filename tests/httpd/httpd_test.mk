# httpd_test.mk - the httpd's host tests (tests/httpd): the request parser
# and document set (http_parse_suite; their sources are in the simulator
# library, sim/client_hosts.mk, for the HTTP client driver), the parser's
# fuzzer, and both deployments on the chip with the HTTP client hosts
# (httpd_suite).
TEST_SRCS   += tests/httpd/test_http_parse.c tests/httpd/test_httpd.c
TEST_SUITES += http_parse_suite httpd_suite
$(TEST_BIN): | $(BUILD)/fw/dlibos_stack.elf $(BUILD)/fw/dlibos_httpd.elf $(BUILD)/fw/baseline_httpd.elf

# build/http_fuzz: libFuzzer over the parser (tests/httpd/fuzz_http.c) with
# AddressSanitizer and UBSan; `make test` runs a short bounded session
# (httpd_suite), `make fuzz` a long one before the stack's (FUZZ_TIME seconds each).
HTTP_FUZZ := $(BUILD)/http_fuzz
HTTP_FUZZ_SRCS := tests/httpd/fuzz_http.c stack/apps/httpd/http_parse.c
$(HTTP_FUZZ): $(HTTP_FUZZ_SRCS) stack/apps/httpd/http_parse.h
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)clang -std=c11 -g -O1 $(WARN) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -Istack -o $@ $(HTTP_FUZZ_SRCS)
$(TEST_BIN): | $(HTTP_FUZZ)

.PHONY: fuzz-http
fuzz: fuzz-http
fuzz-http: deps
	$(MAKE) $(HTTP_FUZZ)
	@mkdir -p $(BUILD)/fuzz/http-corpus
	$(HTTP_FUZZ) -max_total_time=$(FUZZ_TIME) -max_len=4096 -print_final_stats=1 -dict=tests/httpd/http.dict \
	  -artifact_prefix=$(BUILD)/fuzz/http- $(BUILD)/fuzz/http-corpus tests/httpd/fuzz_corpus
