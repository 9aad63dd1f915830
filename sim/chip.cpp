// chip.cpp - builds the tiles and ports of the chip from the configuration
// and runs simulated time forward in slices, so progress can be reported.
#include "chip.h"

#include <cstdio>

using namespace sc_core;

Tile::Tile(sc_module_name name, int index_, int x_, int y_, const dl_config &cfg,
           sc_time cycle, phys_mem *shared, const elf_image *fw, uint64_t ram_base,
           uint64_t ram_size)
    : sc_module(name), index(index_), x(x_), y(y_)
{
    if (!fw) return;
    ram_.assign(ram_size, 0);
    elf_copy_segments(fw, ram_.data(), ram_base);
    core = new TileCore("core", index, cfg, cycle, stdout);
    core->load(ram_.data(), ram_base, ram_size, fw->entry);
    core->map_shared(shared);
}

Tile::~Tile() { delete core; }

void chip_init_time(void)
{
    sc_set_time_resolution(1, SC_FS);
}

sc_time chip_cycle_time(int64_t clock_mhz)
{
    // 1e9 fs per microsecond / cycles per microsecond.
    uint64_t fs = (1000000000ULL + (uint64_t)clock_mhz / 2) / (uint64_t)clock_mhz;
    return sc_time::from_value(fs);
}

Chip::Chip(sc_module_name name, const dl_config &c, phys_mem *shared_mem, const elf_image *fw,
           uint64_t ram_base, uint64_t ram_size)
    : sc_module(name), cfg(c), shared(shared_mem), cycle_(chip_cycle_time(c.chip.clock_mhz))
{
    char nm[32];
    for (int y = 0; y < c.chip.height; y++)
        for (int x = 0; x < c.chip.width; x++) {
            int i = y * (int)c.chip.width + x;
            snprintf(nm, sizeof nm, "tile%d", i);
            tiles.push_back(new Tile(nm, i, x, y, c, cycle_, shared, fw, ram_base, ram_size));
        }
    mpipe_rules rules;
    if (mpipe_rules_parse(c.mpipe.rules, &rules, nm, sizeof nm) < 0)
        SC_REPORT_FATAL("chip", "mpipe.rules do not parse (check them with mpipe_rules_parse first)");
    mpipe = new Mpipe("mpipe", c, rules, shared, cycle_);
    ports = mpipe->ports;
    std::vector<TileCore *> cores;
    for (Tile *t : tiles) cores.push_back(t->core);
    mpipe->attach_tiles(cores);
}

Chip::~Chip()
{
    for (Tile *t : tiles) delete t;
    delete mpipe;
}

uint64_t Chip::now_cycles() const
{
    return sc_time_stamp().value() / cycle_.value();
}

void Chip::run(uint64_t cycles, const std::function<void(uint64_t)> &progress)
{
    // About a hundred slices: enough for smooth progress, few enough to cost
    // nothing. Slices end on cycle boundaries, so they change no result.
    uint64_t slice = cycles / 100 ? cycles / 100 : 1;
    uint64_t done = now_cycles();
    while (done < cycles) {
        uint64_t step = cycles - done < slice ? cycles - done : slice;
        sc_start(sc_time::from_value(cycle_.value() * step));
        done += step;
        progress(done);
    }
}
