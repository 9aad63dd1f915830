# dlibos.mk - the DLibOS firmware images (stack/dlibos): the stack tiles'
# (mPIPE driver + stack/net + the stack side of stack/sock) and the echo
# application's (the app side of stack/sock). configs/dlibos_echo.ini runs
# them. Sources are named here, not through the other fragments' variables,
# which this one is read before.
DLIBOS_NET_SRCS := stack/net/net.c stack/net/arp.c stack/net/ip.c stack/net/tcp.c \
                   stack/net/tcp_in.c stack/net/tcp_out.c stack/net/tcp_rx.c stack/net/tcp_tx.c
DLIBOS_DEPS := stack/dlibos/dlibos.h models/abi/sock.h models/abi/udn.h models/abi/mpipe.h \
               $(wildcard stack/sock/*.h stack/net/*.h stack/driver/*.h)

FIRMWARE               += $(BUILD)/fw/dlibos_stack.elf
FW_SRCS_dlibos_stack   := $(BOOT_SRCS) stack/dlibos/stack_tile.c stack/driver/mpipe_drv.c \
                          stack/sock/sock_stack.c $(DLIBOS_NET_SRCS)
FW_LDFLAGS_dlibos_stack := $(BOOT_LDFLAGS)
$(BUILD)/fw/dlibos_stack.elf: $(FW_SRCS_dlibos_stack) $(BOOT_DEPS) $(DLIBOS_DEPS)

FIRMWARE               += $(BUILD)/fw/dlibos_echo.elf
FW_SRCS_dlibos_echo    := $(BOOT_SRCS) stack/dlibos/echo_app.c stack/sock/sock_app.c
FW_LDFLAGS_dlibos_echo := $(BOOT_LDFLAGS)
$(BUILD)/fw/dlibos_echo.elf: $(FW_SRCS_dlibos_echo) $(BOOT_DEPS) $(DLIBOS_DEPS)
