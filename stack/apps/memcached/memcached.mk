# memcached.mk - the memcached application (stack/apps/memcached): the
# engine (protocol, store, settings), built on the host for the Check suites
# and the fuzzer, and as firmware for both deployments.
MC_ENGINE_SRCS := stack/apps/memcached/mc_proto.c stack/apps/memcached/mc_store.c stack/apps/memcached/mc_args.c
MC_ENGINE_DEPS := $(wildcard stack/apps/memcached/*.h)

# Firmware: the server (memcached_core: the app side of stack/sock + the
# engine) on a dlibos app tile over the UDN, and in the baseline beside the
# stack on every tile (stack/dlibos's sources, sock_direct). Those sources
# are named here: stack/dlibos/dlibos.mk is read after this fragment.
MC_FW_SRCS := stack/apps/memcached/memcached_core.c stack/sock/sock_app.c $(MC_ENGINE_SRCS)
MC_FW_DEPS := $(MC_ENGINE_DEPS) $(wildcard stack/dlibos/*.h stack/sock/*.h stack/net/*.h stack/driver/*.h) \
              models/abi/sock.h models/abi/udn.h models/abi/mpipe.h
MC_STACK_SRCS := stack/dlibos/stack_core.c stack/driver/mpipe_drv.c stack/sock/sock_stack.c stack/sock/sock_direct.c \
                 $(addprefix stack/net/,net.c arp.c ip.c tcp.c tcp_in.c tcp_out.c tcp_rx.c tcp_tx.c)

FIRMWARE                    += $(BUILD)/fw/dlibos_memcached.elf
FW_SRCS_dlibos_memcached    := $(BOOT_SRCS) stack/apps/memcached/dlibos_mc.c $(MC_FW_SRCS)
FW_LDFLAGS_dlibos_memcached := $(BOOT_LDFLAGS)
$(BUILD)/fw/dlibos_memcached.elf: $(FW_SRCS_dlibos_memcached) $(BOOT_DEPS) $(MC_FW_DEPS)

FIRMWARE                      += $(BUILD)/fw/baseline_memcached.elf
FW_SRCS_baseline_memcached    := $(BOOT_SRCS) stack/apps/memcached/baseline_mc.c $(MC_STACK_SRCS) $(MC_FW_SRCS)
FW_LDFLAGS_baseline_memcached := $(BOOT_LDFLAGS)
$(BUILD)/fw/baseline_memcached.elf: $(FW_SRCS_baseline_memcached) $(BOOT_DEPS) $(MC_FW_DEPS)
