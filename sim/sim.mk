# sim.mk - the simulator's own sources: configuration, stats, chip assembly.
LIB_C_SRCS   += sim/config.c sim/config_keys.c sim/stats.c
LIB_CXX_SRCS += sim/chip.cpp sim/chip_report.cpp sim/run_control.cpp sim/model_params.cpp \
                sim/mesh_only.cpp \
                sim/live_tap.cpp sim/live_run.cpp

# Host speed of the chip skeleton: an idle TILE-Gx36 for 100 ms simulated.
BENCH_TARGETS += bench-idle
bench-idle: $(DLSIM)
	@echo "bench-idle: idle TILE-Gx36, 120 M cycles"
	@./$(DLSIM) -c configs/tilegx36.ini --set run.cycles=120000000 -o $(BUILD)/bench/idle \
	  | grep -E 'simulated|host'
