# core.mk - the tile core: RV64IMA ISS with the TILE-Gx timing model.
LIB_C_SRCS += models/core/iss.c models/core/iss_decode.c models/core/iss_run.c models/core/iss_mem.c \
              models/core/iss_csr.c models/core/iss_trap.c models/core/iss_amo.c \
              models/core/tile_sys.c
