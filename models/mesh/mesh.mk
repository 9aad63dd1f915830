# mesh.mk - the UDN mesh model: engine, SystemC wrapper, statistics, the
# mesh-only synthetic-traffic mode, its Check suite and benchmark.

LIB_CXX_SRCS += models/mesh/udn_mesh.cpp models/mesh/udn_stats.cpp \
                models/mesh/udn_mesh_sc.cpp models/mesh/mesh_traffic.cpp \
                models/mesh/mesh_only.cpp

# Tests: the engine (test_mesh.cpp), and the event-driven model against the
# cycle-by-cycle reference (test_mesh_equiv.cpp, test_mesh_ref.cpp).
TEST_SRCS   += models/mesh/test_mesh.cpp models/mesh/test_mesh_equiv.cpp \
               models/mesh/test_mesh_ref.cpp
TEST_SUITES += mesh_suite mesh_equiv_suite
