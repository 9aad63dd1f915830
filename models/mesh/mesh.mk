# mesh.mk - the UDN mesh model: engine, SystemC wrapper, statistics, the
# mesh-only synthetic-traffic mode, its Check suite and benchmark.

LIB_CXX_SRCS += models/mesh/udn_mesh.cpp models/mesh/udn_stats.cpp \
                models/mesh/udn_mesh_sc.cpp models/mesh/mesh_traffic.cpp \
                models/mesh/mesh_only.cpp
