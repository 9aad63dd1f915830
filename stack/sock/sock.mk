# sock.mk - the socket interface (stack/sock): both sides are linked into the
# Check runner (tests/sock) and compiled for the tiles into build/fw/libsock.a,
# which proves they build freestanding (RV64, picolibc).
SOCK_SRCS := stack/sock/sock_app.c stack/sock/sock_stack.c stack/sock/sock_direct.c

TEST_SRCS += $(SOCK_SRCS)

FIRMWARE += $(BUILD)/fw/libsock.a
SOCK_FW_OBJS := $(patsubst %.c,$(BUILD)/fw/obj/%.o,$(SOCK_SRCS))

$(BUILD)/fw/obj/stack/sock/%.o: stack/sock/%.c
	@mkdir -p $(dir $@)
	@echo "  FWCC    $<"
	$(Q)$(FW_CC) $(FW_CFLAGS) -ffreestanding -MMD -MP -c $< -o $@

$(BUILD)/fw/libsock.a: $(SOCK_FW_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && riscv64-unknown-elf-ar rcs $@ $^
-include $(SOCK_FW_OBJS:.o=.d)
