# net.mk - the reference TCP/IP stack (stack/net): host build for the Check
# suites, the fuzzer, the dlnet TAP tool and the bench; firmware build
# (build/fw/libnet.a) to prove the sources build for the tiles.
NET_SRCS := stack/net/net.c stack/net/arp.c stack/net/ip.c stack/net/tcp.c \
            stack/net/tcp_in.c stack/net/tcp_out.c

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
