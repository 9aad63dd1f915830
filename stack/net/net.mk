# net.mk - the reference TCP/IP stack (stack/net): host build for the Check
# suites, the fuzzer, the dlnet TAP tool and the bench; firmware build
# (build/fw/libnet.a) to prove the sources build for the tiles.
NET_SRCS := stack/net/net.c stack/net/arp.c stack/net/ip.c stack/net/tcp.c \
            stack/net/tcp_in.c stack/net/tcp_out.c stack/net/tcp_rx.c stack/net/tcp_tx.c

CPPFLAGS += -Istack

# Host: the stack is linked into the Check runner with its tests.
TEST_SRCS   += $(NET_SRCS)

# Firmware: every stack source compiled for the tiles, archived.
FIRMWARE += $(BUILD)/fw/libnet.a
NET_FW_OBJS := $(patsubst %.c,$(BUILD)/fw/obj/%.o,$(NET_SRCS))

$(BUILD)/fw/obj/stack/net/%.o: stack/net/%.c
	@mkdir -p $(dir $@)
	@echo "  FWCC    $<"
	$(Q)$(FW_CC) $(FW_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fw/libnet.a: $(NET_FW_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && riscv64-unknown-elf-ar rcs $@ $^
-include $(NET_FW_OBJS:.o=.d)

# build/dlnet: the host stack on a TAP device (stack/net/host/dlnet.c).
NET_HOST_OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(NET_SRCS))
DLNET := $(BUILD)/dlnet
all: $(DLNET)
$(DLNET): $(BUILD)/obj/stack/net/host/dlnet.c.o $(NET_HOST_OBJS)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^

# build/net_fuzz: libFuzzer over the whole input path (tests/net/fuzz_net.c),
# with AddressSanitizer and UBSan. `make test` runs a short bounded session
# (the net_tools suite); `make fuzz` a long one (FUZZ_TIME seconds).
NET_FUZZ := $(BUILD)/net_fuzz
FUZZ_TIME ?= 300
$(NET_FUZZ): tests/net/fuzz_net.c $(NET_SRCS) $(wildcard stack/net/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)clang -std=c11 -g -O1 $(WARN) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -Istack -o $@ tests/net/fuzz_net.c $(NET_SRCS)

.PHONY: fuzz
fuzz: deps
	$(MAKE) $(NET_FUZZ)
	@mkdir -p $(BUILD)/fuzz/corpus
	$(NET_FUZZ) -max_total_time=$(FUZZ_TIME) -max_len=4096 -print_final_stats=1 \
	  -artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus

# The interoperability test's Linux client (tests/net/interop.sh).
NET_ECHO_CLIENT := $(BUILD)/net_echo_client
$(NET_ECHO_CLIENT): tests/net/echo_client.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) -std=c11 -O2 $(WARN) -o $@ $<

# The Check runner runs the fuzzer, dlnet and the client: build them first.
$(TEST_BIN): | $(NET_FUZZ) $(DLNET) $(NET_ECHO_CLIENT)

# make bench: host cost of a 64-byte request/response over the in-memory HAL.
NET_BENCH := $(BUILD)/net_bench
$(NET_BENCH): tests/net/bench_net.c $(NET_SRCS) $(wildcard stack/net/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) -std=c11 -O2 $(WARN) -Istack -o $@ tests/net/bench_net.c $(NET_SRCS)
BENCH_TARGETS += bench-net
bench-net: $(NET_BENCH) $(BUILD)/fw/net_bench.elf $(DLSIM)
	@BUILD=$(BUILD) DLSIM=$(DLSIM) sh tests/net/bench_net.sh

# build/fw/net_bench.elf: the same request/response on the tile core
# (dlsim --elf), for RV64 instructions per request.
FIRMWARE             += $(BUILD)/fw/net_bench.elf
FW_SRCS_net_bench    := $(BOOT_SRCS) stack/net/fw/net_bench.c $(NET_SRCS)
FW_LDFLAGS_net_bench := $(BOOT_LDFLAGS)
$(BUILD)/fw/net_bench.elf: $(FW_SRCS_net_bench) $(BOOT_DEPS) $(wildcard stack/net/*.h)
