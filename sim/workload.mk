# workload.mk - the workload generators' distributions (sim/workload_dist.c)
# in the simulator library.
LIB_C_SRCS += sim/workload_dist.c
