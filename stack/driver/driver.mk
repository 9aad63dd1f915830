# driver.mk - the firmware mPIPE driver (stack/driver) and the echo firmware
# that runs it (configs/echo.ini).
DRIVER_SRCS := stack/driver/mpipe_drv.c
DRIVER_DEPS := stack/driver/mpipe_drv.h models/abi/mpipe.h

FIRMWARE        += $(BUILD)/fw/echo.elf
FW_SRCS_echo    := $(BOOT_SRCS) $(DRIVER_SRCS) stack/driver/echo.c
FW_LDFLAGS_echo := $(BOOT_LDFLAGS)
$(BUILD)/fw/echo.elf: $(FW_SRCS_echo) $(BOOT_DEPS) $(DRIVER_DEPS)

# Host speed of the mPIPE with the echo firmware on 4 tiles, 4 x 10 GbE of
# back-to-back 64-byte frames (60 bytes + FCS) for 1 ms after the 60 us the
# firmware takes to set up: frames through the model per host second, and the
# share of the line rate the echo sends back. Protected, as configs/echo.ini,
# but on a 3 x 2 chip with 4 stack tiles (the echo tiles; the 2 application
# tiles exit at once): echo needs an application's RX pool for its buffers.
BENCH_TARGETS += bench-mpipe
BENCH_MPIPE := $(BUILD)/bench/mpipe
bench-mpipe: $(DLSIM) $(BUILD)/fw/echo.elf $(BUILD)/mktrace
	@mkdir -p $(BENCH_MPIPE)
	@$(BUILD)/mktrace $(BENCH_MPIPE)/64.pcap --frames 1024 --sizes 60 --protos udp --flows 64 --gap-ns 0
	@echo "bench-mpipe: echo on 4 tiles, 4 x 10 Gb/s of 64-byte frames, 1 ms"
	@$(DLSIM) -c configs/echo.ini --set deployment.firmware=$(BUILD)/fw/echo.elf --set run.cycles=1272000 \
	  --set chip.width=3 --set deployment.stack_tiles=4 \
	  $(foreach p,0 1 2 3,--pcap-in $(p)=$(BENCH_MPIPE)/64.pcap,scale=0,loop=0,at=60000) \
	  -o $(BENCH_MPIPE) > $(BENCH_MPIPE)/summary.txt
	@grep -E 'host|ports' $(BENCH_MPIPE)/summary.txt
	@awk '/^  host/ { wall = $$2 } \
	      /^  ports/ { rx = $$2; tx = $$5 } \
	      END { printf "  mpipe       %.0f frames/host-s (in + out), echo at %.1f%% of 4 x 10 Gb/s line rate\n", \
	            (rx + tx) / wall, 100 * tx * 672 / (4 * 10e9 * 1e-3) }' $(BENCH_MPIPE)/summary.txt
