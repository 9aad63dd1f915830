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
#include "core/tile_core.h"
#include "elf_load.h"
#include "mpipe/mpipe_model.h"

// One tile: a core running firmware (or none: the tile stays idle), its
// private memory holding the firmware image, the chip's shared memory, and
// later its network ports.
class Tile : public sc_core::sc_module {
public:
    Tile(sc_core::sc_module_name name, int index, int x, int y, const dl_config &cfg,
         sc_core::sc_time cycle, phys_mem *shared, const elf_image *fw, uint64_t ram_base,
         uint64_t ram_size);
    ~Tile();
    const int index, x, y;
    TileCore *core = nullptr;   // null when no firmware runs here
    uint64_t busy_cycles() const { return core ? core->busy_cycles() : 0; }
    uint64_t instructions() const { return core ? core->instructions() : 0; }

private:
    std::vector<uint8_t> ram_;
};

class Chip : public sc_core::sc_module {
public:
    // fw, when not null, runs on every tile in private RAM [ram_base,
    // ram_base + ram_size); shared is the chip's shared memory. The mPIPE
    // rules (cfg.mpipe.rules) must parse (mpipe_rules_parse).
    Chip(sc_core::sc_module_name name, const dl_config &cfg, phys_mem *shared,
         const elf_image *fw, uint64_t ram_base, uint64_t ram_size);
    ~Chip();

    // Length of one chip cycle in SystemC time.
    sc_core::sc_time cycle_time() const { return cycle_; }

    // Current chip cycle (SystemC time divided by the cycle time).
    uint64_t now_cycles() const;

    // Runs until `cycles` chip cycles have elapsed, calling progress(done)
    // between slices of simulated time.
    void run(uint64_t cycles, const std::function<void(uint64_t)> &progress);

    const dl_config &cfg;
    phys_mem *const shared;
    std::vector<Tile *> tiles;
    Mpipe *mpipe = nullptr;          // the packet engine, owning the ports
    std::vector<EthPort *> ports;    // mpipe->ports

private:
    sc_core::sc_time cycle_;
};

// Sets the kernel's time resolution; call once before any sc_time exists.
void chip_init_time(void);

// Cycle time for a clock in MHz: one femtosecond resolution, rounded.
sc_core::sc_time chip_cycle_time(int64_t clock_mhz);

#endif
