# client_hosts.mk - the simulated client hosts behind the ports (sim/client_*):
# they run the host build of stack/net, so its sources go into the simulator
# library too (every stack/net/*.c: this fragment is read before net.mk).
LIB_CXX_SRCS += sim/client_config.cpp sim/client_host.cpp sim/client_driver.cpp sim/client_memcached.cpp \
                sim/client_system.cpp
LIB_C_SRCS   += $(wildcard stack/net/*.c)
$(call obj,$(wildcard stack/net/*.c) sim/client_config.cpp sim/client_host.cpp sim/client_driver.cpp \
  sim/client_memcached.cpp sim/client_system.cpp): CPPFLAGS += -Istack
