# sweep.mk - dlsweep (tools/sweep): experiments of configs/experiments/NAME.ini
# run point by point into results/NAME/, here in parallel or as a Slurm job
# array, and tabulated; make plots draws their figures (plots/).
#
#   make sweep EXP=NAME [JOBS=n]                       run here, JOBS at once (default: cores)
#   make sweep EXP=NAME RUNNER=slurm [SLURM_WAIT=1] [SBATCH_ARGS='-p part']
#   make plots [EXP=echo_tiles] [PLOT_RUN=DIR]         figures of a sweep table and of one run
DLSWEEP      := $(BUILD)/dlsweep
DLSWEEP_SRCS := tools/sweep/dlsweep.c tools/sweep/experiment.c tools/sweep/exp_points.c tools/sweep/point.c tools/sweep/table.c \
                tools/sweep/slurm.c tools/sweep/sha256.c
# dlsim's own configuration code: dlsweep checks every point as dlsim would.
DLSWEEP_SIM  := sim/config.c sim/config_keys.c sim/stats.c models/mpipe/mpipe_classify.c
$(DLSWEEP): $(call obj,$(DLSWEEP_SRCS) $(DLSWEEP_SIM))
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(shell pkg-config --libs inih libcjson 2>/dev/null || echo -linih -lcjson) -lm
DLMAPS := $(BUILD)/dlmaps
$(DLMAPS): $(call obj,tools/sweep/dlmaps.c)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(shell pkg-config --libs libcjson 2>/dev/null || echo -lcjson)
all: $(DLSWEEP) $(DLMAPS)

TEST_SRCS   += tests/sweep/test_sweep.c tools/sweep/sha256.c
TEST_SUITES += sweep_suite
$(call obj,tests/sweep/test_sweep.c): CPPFLAGS += -Itools/sweep
$(TEST_BIN): | $(DLSWEEP) $(DLMAPS) $(BUILD)/fw/dlibos_stack.elf $(BUILD)/fw/dlibos_echo.elf $(BUILD)/fw/dlibos_baseline.elf

EXP         ?=
RUNNER      ?= local
SWEEP_ARGS  ?=
SBATCH_ARGS ?=
SLURM_WAIT  ?=
.PHONY: sweep plots
sweep: all
	@test -n "$(EXP)" || { echo "make sweep: expected EXP=NAME (configs/experiments/NAME.ini)" >&2; exit 2; }
	@case "$(RUNNER)" in local|slurm) ;; *) echo "make sweep: RUNNER=$(RUNNER): expected local or slurm" >&2; exit 2;; esac
	./$(DLSWEEP) --dlsim $(DLSIM) \
	  $(if $(filter slurm,$(RUNNER)),--runner slurm $(if $(SLURM_WAIT),--wait) \
	    $(if $(SBATCH_ARGS),--sbatch-args '$(SBATCH_ARGS)'),-j $(JOBS)) \
	  $(SWEEP_ARGS) configs/experiments/$(EXP).ini

# make plots [EXP=echo_tiles]: the figure of the experiment's [plot] section
# from results/EXP/table.dat (plots/sweep_lines.gp), the tile and link maps
# of its map point (plots/run_maps.gp), and the maps of a loaded TILE-Gx36:
# DLibOS echo, 4 hosts x 4 connections on each of the 4 ports (PLOT_RUN,
# run once into results/maps36 unless given). PNG and SVG each.
PLOT_EXP  = $(or $(EXP),echo_tiles)
PLOT_RUN ?= results/maps36
PLOT_RUN_ARGS := -c configs/tilegx36.ini --set deployment.mode=dlibos \
    --set deployment.stack_firmware=$(BUILD)/fw/dlibos_stack.elf \
    --set deployment.app_firmware=$(BUILD)/fw/dlibos_echo.elf --set clients.hosts_per_port=4 \
    --set clients.conns_per_host=4 --set clients.start_us=600 --set clients.requests=50
results/maps36/stats.json: | $(DLSIM) $(BUILD)/fw/dlibos_stack.elf $(BUILD)/fw/dlibos_echo.elf
	./$(DLSIM) $(PLOT_RUN_ARGS) -o results/maps36 > results/maps36.log
plots: $(DLMAPS) $(PLOT_RUN)/stats.json
	@test -f results/$(PLOT_EXP)/plot.gp || { echo "make plots: results/$(PLOT_EXP)/plot.gp is missing: run" \
	  "make sweep EXP=$(PLOT_EXP) first (its experiment needs a [plot] section)" >&2; exit 2; }
	gnuplot -e "load 'results/$(PLOT_EXP)/plot.gp'" plots/sweep_lines.gp
	@map=$$(sed -n "s/^map_point = '\(.*\)'$$/\1/p" results/$(PLOT_EXP)/plot.gp); \
	if [ -n "$$map" ]; then \
	  ./$(DLMAPS) "results/$(PLOT_EXP)/$$map" results/$(PLOT_EXP)/maps && \
	  gnuplot -e "prefix='results/$(PLOT_EXP)/maps'" plots/run_maps.gp || exit 1; fi
	./$(DLMAPS) $(PLOT_RUN) $(PLOT_RUN)/maps
	gnuplot -e "prefix='$(PLOT_RUN)/maps'" plots/run_maps.gp
	@echo "plots: results/$(PLOT_EXP)/$(PLOT_EXP).{png,svg}, results/$(PLOT_EXP)/maps_{tiles,links}.{png,svg}," \
	  "$(PLOT_RUN)/maps_{tiles,links}.{png,svg}"
