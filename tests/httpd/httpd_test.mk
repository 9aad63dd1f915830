# httpd_test.mk - the httpd's host tests (tests/httpd): the request parser
# and document set (http_parse_suite; their sources are in the simulator
# library, sim/client_hosts.mk, for the HTTP client driver), the parser
# beside Debian's nginx on loopback (http_nginx_suite), the HTTP client
# driver against right and spoilt answers (http_client_suite), the parser's
# fuzzer, and both deployments on the chip with the HTTP client hosts
# (httpd_suite).
TEST_SRCS   += tests/httpd/test_http_parse.c tests/httpd/test_http_nginx.c tests/httpd/test_http_client.cpp \
               tests/httpd/test_httpd.c
TEST_SUITES += http_parse_suite http_nginx_suite http_client_suite httpd_suite
$(call obj,tests/httpd/test_http_client.cpp): CPPFLAGS += -Istack -Itests/clients
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

# make bench-httpd: both deployments on configs/tilegx36.ini serving the
# httpd (--set overrides: dlibos with 8 stack tiles and the httpd on all 28
# app tiles, port 80, the rule split=28 as configs/dlibos_echo.ini, 256
# keep-alive connections; the baseline on all 36 tiles, 512), closed loop,
# GETs of HTTPD_BENCH_PATHS; each run with 20 and 60 requests per
# connection, the figures from the difference (bench_dlibos, as make
# bench-dlibos). Not part of make test.
HTTPD_BENCH_PATHS ?= /64
HTTPD_BENCH_OUT   := $(BUILD)/bench-httpd
HTTPD_BENCH_CLIENTS := --set workload.kind=web --set clients.server_port=80 \
    --set workload.web_paths=$(HTTPD_BENCH_PATHS) --set clients.hosts_per_port=8 \
    --set workload.loop=closed --set clients.start_us=900
HTTPD_BENCH_dlibos   := --set deployment.mode=dlibos \
    --set deployment.stack_firmware=$(BUILD)/fw/dlibos_stack.elf \
    --set deployment.app_firmware=$(BUILD)/fw/dlibos_httpd.elf --set clients.conns_per_host=8
HTTPD_BENCH_baseline := --set deployment.mode=baseline --set mem.protection=off \
    --set deployment.firmware=$(BUILD)/fw/baseline_httpd.elf --set clients.conns_per_host=16
HTTPD_BENCH_RULES_dlibos   := default stacks=0-27 buckets=0+252 split=28
HTTPD_BENCH_RULES_baseline := default stacks=0-31 buckets=0+256
BENCH_TARGETS += bench-httpd
bench-httpd: $(DLIBOS_BENCH) $(DLSIM) $(BUILD)/fw/dlibos_stack.elf $(BUILD)/fw/dlibos_httpd.elf \
             $(BUILD)/fw/baseline_httpd.elf
	@set -e; mkdir -p $(HTTPD_BENCH_OUT); for d in dlibos baseline; do \
	  for n in 20 60; do \
	    args="$(HTTPD_BENCH_dlibos)"; rules="$(HTTPD_BENCH_RULES_dlibos)"; \
	    [ $$d = baseline ] && args="$(HTTPD_BENCH_baseline)" && rules="$(HTTPD_BENCH_RULES_baseline)"; \
	    ./$(DLSIM) -c configs/tilegx36.ini $$args --set "mpipe.rules=$$rules" $(HTTPD_BENCH_CLIENTS) \
	      $(HTTPD_BENCH_EXTRA) --set clients.requests=$$n -o $(HTTPD_BENCH_OUT)/$$d-$$n > $(HTTPD_BENCH_OUT)/$$d-$$n.log 2>&1 \
	      || { echo "bench-httpd: dlsim failed, see $(HTTPD_BENCH_OUT)/$$d-$$n.log"; exit 1; }; \
	  done; \
	  echo "httpd, GET $(HTTPD_BENCH_PATHS):"; ./$(DLIBOS_BENCH) $$d $(HTTPD_BENCH_OUT)/$$d-20 $(HTTPD_BENCH_OUT)/$$d-60; \
	done

# The parser as tile firmware (tests/httpd/parse_loop.c, dlsim --elf):
# instructions per request on the tile core.
FIRMWARE              += $(BUILD)/fw/parse_loop.elf
FW_SRCS_parse_loop    := $(BOOT_SRCS) tests/httpd/parse_loop.c stack/apps/httpd/http_parse.c
FW_LDFLAGS_parse_loop := $(BOOT_LDFLAGS)
$(BUILD)/fw/parse_loop.elf: $(FW_SRCS_parse_loop) $(BOOT_DEPS) stack/apps/httpd/http_parse.h
$(TEST_BIN): | $(BUILD)/fw/parse_loop.elf
