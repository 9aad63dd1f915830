// chip.h - assembly of the chip from the configuration: a W x H array of
// tile modules and the Ethernet ports, plus the run control that advances
// SystemC time to the configured stop and reports progress. Later models are
// filled into Tile and Port; the assembly does not change shape.
#ifndef DL_SIM_CHIP_H
#define DL_SIM_CHIP_H

#include <systemc>
#include <cstdint>
#include <functional>
#include <vector>

#include "config.h"

// One tile: a core, its memory interface and its network ports (filled in by
// the core, mem and mesh models). Counts the cycles it was busy.
class Tile : public sc_core::sc_module {
public:
    Tile(sc_core::sc_module_name name, int index, int x, int y);
    const int index, x, y;
    uint64_t busy_cycles = 0;   // cycles spent executing
    uint64_t instructions = 0;  // instructions retired
};

// One Ethernet port: frames in and out at line rate (filled in by mPIPE).
class Port : public sc_core::sc_module {
public:
    Port(sc_core::sc_module_name name, int index, double rate_gbps);
    const int index;
    const double rate_gbps;
    uint64_t rx_frames = 0, tx_frames = 0;
};

class Chip : public sc_core::sc_module {
public:
    Chip(sc_core::sc_module_name name, const dl_config &cfg);
    ~Chip();

    // Length of one chip cycle in SystemC time.
    sc_core::sc_time cycle_time() const { return cycle_; }

    // Current chip cycle (SystemC time divided by the cycle time).
    uint64_t now_cycles() const;

    // Runs until `cycles` chip cycles have elapsed, calling progress(done)
    // between slices of simulated time.
    void run(uint64_t cycles, const std::function<void(uint64_t)> &progress);

    const dl_config &cfg;
    std::vector<Tile *> tiles;
    std::vector<Port *> ports;

private:
    sc_core::sc_time cycle_;
};

// Sets the kernel's time resolution; call once before any sc_time exists.
void chip_init_time(void);

// Cycle time for a clock in MHz: one femtosecond resolution, rounded.
sc_core::sc_time chip_cycle_time(int64_t clock_mhz);

#endif
