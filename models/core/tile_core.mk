# tile_core.mk - the SystemC wrapper of the tile core (lead's part of models/core).
LIB_CXX_SRCS += models/core/tile_core.cpp
