# mesh.mk - the UDN mesh model: engine, SystemC wrapper, statistics, the
# synthetic traffic generator, and the benchmark and sweep of the mesh-only
# mode (dlsim --mesh-only: sim/mesh_only.cpp; tests: tests/mesh/).

LIB_CXX_SRCS += models/mesh/udn_mesh.cpp models/mesh/udn_stats.cpp \
                models/mesh/udn_mesh_sc.cpp models/mesh/mesh_traffic.cpp \
                models/mesh/udn_tile_device.cpp

# make bench-mesh: host speed of the mesh-only mode on the 6x6 mesh, uniform
# traffic, 4- and 8-word messages, at 0.01 and 0.1 words/tile/cycle and near
# saturation (0.3, saturation being about 0.36); simulated cycles and
# delivered words per host second.
BENCH_TARGETS += bench-mesh
MESH_BENCH_OUT ?= $(BUILD)/bench/mesh
bench-mesh: $(DLSIM)
	@echo "bench-mesh: 6x6 UDN, uniform traffic; host speed in simulated cycles and delivered words per second"
	@for size in 4 8; do for point in 0.01:2000000 0.1:500000 0.3:200000; do \
	  rate=$${point%%:*}; cycles=$${point##*:}; \
	  printf 'bench-mesh: size %s rate %-5s ' $$size $$rate; \
	  $(DLSIM) --mesh-only --traffic uniform --rate $$rate --size $$size --cycles $$cycles \
	    -o $(MESH_BENCH_OUT) 2>&1 >/dev/null | sed -n 's/^mesh-only host speed: //p'; \
	done; done

# make mesh-sweep [MESH_TRAFFIC=uniform MESH_SIZE=4 MESH_RATES=... MESH_CYCLES=...]:
# latency versus offered load, one mesh-only run per rate (each writes
# stats.json, mesh.dat and links.dat in $(MESH_SWEEP_OUT)/rRATE), the mesh.dat
# rows gathered in $(MESH_SWEEP_OUT)/latency.dat and plotted by
# plots/mesh_latency.gp; the link map of the run at MESH_HEATMAP_RATE (one of
# MESH_RATES) by plots/run_maps.gp from its stats.json (build/dlmaps).
MESH_TRAFFIC      ?= uniform
MESH_SIZE         ?= 4
MESH_RATES        ?= 0.02 0.05 0.1 0.15 0.2 0.25 0.3 0.33 0.36 0.4 0.5
MESH_CYCLES       ?= 20000
MESH_WARMUP       ?= 2000
MESH_HEATMAP_RATE ?= 0.3
MESH_SWEEP_OUT    ?= results/mesh_sweep
.PHONY: mesh-sweep bench-mesh
mesh-sweep: $(DLSIM) $(BUILD)/dlmaps
	@case " $(MESH_RATES) " in *" $(MESH_HEATMAP_RATE) "*) ;; \
	  *) echo "mesh-sweep: MESH_HEATMAP_RATE=$(MESH_HEATMAP_RATE) is not one of MESH_RATES" >&2; exit 2;; esac
	@mkdir -p $(MESH_SWEEP_OUT)
	@: > $(MESH_SWEEP_OUT)/latency.dat
	@for rate in $(MESH_RATES); do \
	  $(DLSIM) --mesh-only --traffic $(MESH_TRAFFIC) --rate $$rate --size $(MESH_SIZE) \
	    --cycles $(MESH_CYCLES) --warmup $(MESH_WARMUP) -o $(MESH_SWEEP_OUT)/r$$rate >/dev/null || exit 1; \
	  grep -v '^#' $(MESH_SWEEP_OUT)/r$$rate/mesh.dat >> $(MESH_SWEEP_OUT)/latency.dat; \
	done
	gnuplot -e "data='$(MESH_SWEEP_OUT)/latency.dat'; out='$(MESH_SWEEP_OUT)/mesh_latency.png'; title='UDN, $(MESH_TRAFFIC) traffic, $(MESH_SIZE)-word payloads'" plots/mesh_latency.gp
	./$(DLMAPS) $(MESH_SWEEP_OUT)/r$(MESH_HEATMAP_RATE) $(MESH_SWEEP_OUT)/mesh_heatmap
	gnuplot -e "prefix='$(MESH_SWEEP_OUT)/mesh_heatmap'" plots/run_maps.gp
	@echo "mesh-sweep: $(MESH_SWEEP_OUT)/latency.dat, mesh_latency.png, mesh_heatmap_links.{png,svg}"
