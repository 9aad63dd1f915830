# sweep.mk - dlsweep (tools/sweep): experiments of configs/experiments/NAME.ini
# run point by point into results/NAME/, here in parallel or as a Slurm job
# array, and tabulated; make plots draws their figures (plots/).
#
#   make sweep EXP=NAME [JOBS=n]                       run here, JOBS at once (default: cores)
#   make sweep EXP=NAME RUNNER=slurm [SLURM_WAIT=1] [SBATCH_ARGS='-p part']
#   make plots [EXP=echo_tiles] [PLOT_RUN=DIR]         figures of a sweep table and of one run
DLSWEEP      := $(BUILD)/dlsweep
DLSWEEP_SRCS := tools/sweep/dlsweep.c tools/sweep/experiment.c tools/sweep/point.c tools/sweep/table.c \
                tools/sweep/slurm.c tools/sweep/sha256.c
# dlsim's own configuration code: dlsweep checks every point as dlsim would.
DLSWEEP_SIM  := sim/config.c sim/config_keys.c sim/stats.c models/mpipe/mpipe_classify.c
$(DLSWEEP): $(call obj,$(DLSWEEP_SRCS) $(DLSWEEP_SIM))
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(shell pkg-config --libs inih libcjson 2>/dev/null || echo -linih -lcjson) -lm
all: $(DLSWEEP)

TEST_SRCS   += tests/sweep/test_sweep.c tests/sweep/test_slurm.c tools/sweep/sha256.c
TEST_SUITES += sweep_suite slurm_suite
$(call obj,tests/sweep/test_sweep.c tests/sweep/test_slurm.c): CPPFLAGS += -Itools/sweep
$(TEST_BIN): | $(DLSWEEP) $(BUILD)/fw/dlibos_stack.elf $(BUILD)/fw/dlibos_echo.elf $(BUILD)/fw/dlibos_baseline.elf

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
