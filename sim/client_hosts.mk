# client_hosts.mk - the simulated client hosts behind the ports (sim/client_*):
# they run the host build of stack/net, so its sources go into the simulator
# library too (every stack/net/*.c: this fragment is read before net.mk).
LIB_CXX_SRCS += sim/client_config.cpp sim/client_host.cpp sim/client_driver.cpp sim/client_memcached.cpp \
  sim/client_system.cpp sim/client_report.cpp sim/workload_pcap.cpp
LIB_C_SRCS   += $(wildcard stack/net/*.c)
$(call obj,$(wildcard stack/net/*.c) sim/client_config.cpp sim/client_host.cpp sim/client_driver.cpp \
  sim/client_memcached.cpp sim/client_system.cpp sim/client_report.cpp sim/workload_pcap.cpp): CPPFLAGS += -Istack
# The HTTP driver reads the httpd's document set with the firmware's parser.
LIB_CXX_SRCS += sim/client_http.cpp
# The replay driver reads captures with the trace library (tools/trace) and
# checks HTTP bodies against the httpd's documents.
LIB_CXX_SRCS += sim/client_replay.cpp sim/replay_trace.cpp sim/replay_compare.cpp
LIB_C_SRCS   += $(wildcard tools/trace/trace*.c)
$(call obj,sim/client_replay.cpp sim/replay_trace.cpp sim/replay_compare.cpp sim/client_system.cpp \
  sim/client_config.cpp sim/client_driver.cpp): CPPFLAGS += -Istack -Itools/trace
LIB_C_SRCS   += stack/apps/httpd/http_docs.c stack/apps/httpd/http_parse.c
$(call obj,sim/client_http.cpp stack/apps/httpd/http_docs.c stack/apps/httpd/http_parse.c): CPPFLAGS += -Istack
