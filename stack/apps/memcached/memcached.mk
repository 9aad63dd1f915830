# memcached.mk - the memcached application (stack/apps/memcached): the
# engine (protocol, store, settings), built on the host for the Check suites
# and the fuzzer, and as firmware for both deployments.
MC_ENGINE_SRCS := stack/apps/memcached/mc_proto.c stack/apps/memcached/mc_store.c stack/apps/memcached/mc_args.c
MC_ENGINE_DEPS := $(wildcard stack/apps/memcached/*.h)

# Firmware: the server (memcached_core + mc_app_core, an app_core) on a
# dlibos app tile over the UDN and in the baseline beside the stack on every
# tile: stack/dlibos.mk's dlibos_app makes both images (read after this
# fragment: the sources are named here, the images there).
MC_FW_SRCS := stack/apps/memcached/mc_app_core.c stack/apps/memcached/memcached_core.c $(MC_ENGINE_SRCS)
