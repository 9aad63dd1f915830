# memcached.mk - the memcached application (stack/apps/memcached): the
# engine (protocol, store, settings), built on the host for the Check suites
# and the fuzzer, and as firmware for both deployments.
MC_ENGINE_SRCS := stack/apps/memcached/mc_proto.c stack/apps/memcached/mc_store.c stack/apps/memcached/mc_args.c
MC_ENGINE_DEPS := $(wildcard stack/apps/memcached/*.h)
