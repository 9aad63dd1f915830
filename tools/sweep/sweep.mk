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
# dlcost: the cost of protection per request from runs' counters (plots/protection_cost.gp)
DLCOST := $(BUILD)/dlcost
$(DLCOST): $(call obj,tools/sweep/dlcost.c)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(shell pkg-config --libs libcjson 2>/dev/null || echo -lcjson)
all: $(DLSWEEP) $(DLMAPS) $(DLCOST)

TEST_SRCS   += tests/sweep/test_sweep.c tools/sweep/sha256.c tests/sweep/test_figures.c
TEST_SUITES += sweep_suite figures_suite
$(call obj,tests/sweep/test_sweep.c): CPPFLAGS += -Itools/sweep
$(TEST_BIN): | $(DLSWEEP) $(DLMAPS) $(DLCOST) $(BUILD)/fw/dlibos_stack.elf $(BUILD)/fw/dlibos_echo.elf $(BUILD)/fw/dlibos_baseline.elf

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

# make plots [EXP=NAME]: for each experiment of PLOT_EXPS (or EXP), its
# sweep (points already done are not run again), then what its [plot]
# section asks for: the figure of x, line and y from results/NAME/table.dat
# (plots/sweep_lines.gp) and the tile and link maps of its map point
# (plots/run_maps.gp through dlmaps), and the experiment's own figure when
# plots/NAME.gp exists (given dir=results/NAME and dlcost). PNG and SVG each,
# in results/NAME/.
PLOT_EXPS ?= echo_tiles tilegx36_echo httpd_tiles httpd_stack_tiles httpd_latency protection_cost mc_etc_tiles \
             mc_tiles mc_stack_tiles mc_latency
plots: all
	@set -e; for e in $(or $(EXP),$(PLOT_EXPS)); do r=results/$$e; \
	  ./$(DLSWEEP) --dlsim $(DLSIM) -j $(JOBS) configs/experiments/$$e.ini; \
	  test -f $$r/plot.gp || { echo "make plots: configs/experiments/$$e.ini has no [plot] section" >&2; exit 2; }; \
	  if grep -q "^x = " $$r/plot.gp; then gnuplot -e "load '$$r/plot.gp'" plots/sweep_lines.gp; \
	    echo "plots: $$r/$$e.png, $$r/$$e.svg"; fi; \
	  map=$$(sed -n "s/^map_point = '\(.*\)'$$/\1/p" $$r/plot.gp); \
	  if [ -n "$$map" ]; then ./$(DLMAPS) "$$r/$$map" $$r/maps; gnuplot -e "prefix='$$r/maps'" plots/run_maps.gp; \
	    echo "plots: $$r/maps_tiles.{png,svg}, $$r/maps_links.{png,svg} (point $$map)"; fi; \
	  if [ -f plots/$$e.gp ]; then gnuplot -e "dir='$$r'; dlcost='./$(DLCOST)'" plots/$$e.gp; \
	    echo "plots: $$r/$$e* (plots/$$e.gp)"; fi; \
	done
