# dlibos.mk - the DLibOS firmware images (stack/dlibos), built from the same
# sources: the stack tiles' (stack_core: mPIPE driver + stack/net + the stack
# side of stack/sock, over the UDN), the echo application's (echo_core: the
# app side of stack/sock, over the UDN), and the unprotected baseline's
# (both on one tile, through the in-process sock_direct transport).
# configs/dlibos_echo.ini and configs/baseline_echo.ini run them. Sources are
# named here, not through the other fragments' variables, which this one is
# read before.
DLIBOS_NET_SRCS := stack/net/net.c stack/net/arp.c stack/net/ip.c stack/net/tcp.c \
                   stack/net/tcp_in.c stack/net/tcp_out.c stack/net/tcp_rx.c stack/net/tcp_tx.c
DLIBOS_STACK_SRCS := stack/dlibos/stack_core.c stack/driver/mpipe_drv.c stack/driver/mpipe_share.c \
                     stack/sock/sock_stack.c $(DLIBOS_NET_SRCS)
DLIBOS_ECHO_SRCS  := stack/dlibos/echo_core.c stack/sock/sock_app.c
DLIBOS_DEPS := stack/dlibos/dlibos.h stack/dlibos/dl_tiles.h stack/dlibos/stack_core.h stack/dlibos/echo_core.h \
               stack/dlibos/app_core.h \
               models/abi/sock.h models/abi/udn.h models/abi/mpipe.h \
               $(wildcard stack/sock/*.h stack/net/*.h stack/driver/*.h)

FIRMWARE               += $(BUILD)/fw/dlibos_stack.elf
FW_SRCS_dlibos_stack   := $(BOOT_SRCS) stack/dlibos/stack_tile.c $(DLIBOS_STACK_SRCS)
FW_LDFLAGS_dlibos_stack := $(BOOT_LDFLAGS)
$(BUILD)/fw/dlibos_stack.elf: $(FW_SRCS_dlibos_stack) $(BOOT_DEPS) $(DLIBOS_DEPS)

FIRMWARE               += $(BUILD)/fw/dlibos_echo.elf
FW_SRCS_dlibos_echo    := $(BOOT_SRCS) stack/dlibos/echo_app.c $(DLIBOS_ECHO_SRCS)
FW_LDFLAGS_dlibos_echo := $(BOOT_LDFLAGS)
$(BUILD)/fw/dlibos_echo.elf: $(FW_SRCS_dlibos_echo) $(BOOT_DEPS) $(DLIBOS_DEPS)

FIRMWARE                  += $(BUILD)/fw/dlibos_baseline.elf
FW_SRCS_dlibos_baseline   := $(BOOT_SRCS) stack/dlibos/baseline_tile.c stack/sock/sock_direct.c \
                             $(DLIBOS_STACK_SRCS) $(DLIBOS_ECHO_SRCS)
FW_LDFLAGS_dlibos_baseline := $(BOOT_LDFLAGS)
$(BUILD)/fw/dlibos_baseline.elf: $(FW_SRCS_dlibos_baseline) $(BOOT_DEPS) $(DLIBOS_DEPS)

# An application's images: its core (an app_core, app_core.h) linked into the
# app tile's (echo_app.c) and the baseline's (baseline_tile.c) images.
# $(call dlibos_app,NAME,CORE SOURCES,DEPS) makes build/fw/dlibos_NAME.elf
# and build/fw/baseline_NAME.elf.
define dlibos_app
FIRMWARE               += $(BUILD)/fw/dlibos_$(1).elf $(BUILD)/fw/baseline_$(1).elf
FW_SRCS_dlibos_$(1)    := $(BOOT_SRCS) stack/dlibos/echo_app.c stack/sock/sock_app.c $(2)
FW_LDFLAGS_dlibos_$(1) := $(BOOT_LDFLAGS)
$(BUILD)/fw/dlibos_$(1).elf: $$(FW_SRCS_dlibos_$(1)) $(BOOT_DEPS) $(DLIBOS_DEPS) $(3)
FW_SRCS_baseline_$(1)    := $(BOOT_SRCS) stack/dlibos/baseline_tile.c stack/sock/sock_direct.c \
                            $(DLIBOS_STACK_SRCS) stack/sock/sock_app.c $(2)
FW_LDFLAGS_baseline_$(1) := $(BOOT_LDFLAGS)
$(BUILD)/fw/baseline_$(1).elf: $$(FW_SRCS_baseline_$(1)) $(BOOT_DEPS) $(DLIBOS_DEPS) $(3)
endef
HTTPD_SRCS := stack/apps/httpd/httpd_core.c stack/apps/httpd/http_parse.c stack/apps/httpd/http_docs.c
$(eval $(call dlibos_app,httpd,$(HTTPD_SRCS),$(wildcard stack/apps/httpd/*.h)))
$(eval $(call dlibos_app,memcached,$(MC_FW_SRCS),$(MC_ENGINE_DEPS)))
