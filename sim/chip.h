// chip.h - assembly of the chip from the configuration: a W x H array of
// tiles (core, MMU, private memory), the shared memory's memory system, the
// UDN mesh with each core's UDN page, and the mPIPE with its Ethernet ports;
// plus the run control that advances SystemC time to the configured stop
// and reports progress. See docs/DESIGN.md, "Architecture".
#ifndef DL_SIM_CHIP_H
#define DL_SIM_CHIP_H

#include <systemc>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "core/tile_core.h"
#include "mem/mem_mmu.h"
#include "mem/mem_sys.h"
#include "mesh/udn_tile_device.h"
#include "elf_load.h"
#include "model_params.h"
#include "mpipe/mpipe_model.h"
#include "mpipe/port_backend.h"

// The firmware as every tile maps it: its loadable segments, the private
// window they need, and the window's initial bytes, held once on the host
// (each tile maps a copy-on-write view: models/mem/phys_mem.h).
struct ChipImage {
    uint64_t entry = 0;
    mem_segment seg[ELF_MAX_SEGMENTS] = {};
    unsigned nseg = 0;
    uint64_t win_va = 0, win_size = 0;
    phys_image mem{ -1, 0, nullptr, 0, 0, 0 };
};

// One tile: a core running firmware (or none: the tile stays idle), its
// private memory holding the firmware image and boot-information page, and
// its address space (MMU) over those and the chip's shared memory. The
// UDN and mPIPE pages are attached to the core by the Chip.
class Tile : public sc_core::sc_module {
public:
    // The tile's address space is built from the region table of mem
    // (mem_mmu_build); on failure `error` says why.
    Tile(sc_core::sc_module_name name, int index, int x, int y, const TileCoreParams &core_params,
         const mem_params &mem, bool caches, sc_core::sc_time cycle, phys_mem *shared, mem_sys *sys,
         const ChipImage *fw);
    ~Tile();
    const int index, x, y;
    TileCore *core = nullptr;   // null when no firmware runs here
    uint64_t busy_cycles() const { return core ? core->busy_cycles() : 0; }
    uint64_t instructions() const { return core ? core->instructions() : 0; }
    const mem_mmu *mmu() const { return core ? &mmu_ : nullptr; }
    std::string error;

private:
    const ChipImage *fw_ = nullptr;
    uint8_t *ram_ = nullptr;           // private memory: a view of fw_->mem
    std::vector<uint8_t> boot_;        // boot-information page
    mem_mmu mmu_{};
};

// The images a run loads (each null when not given): `all` runs on every
// tile whose role has none of its own; in dlibos mode `stack` runs on the
// stack tiles and `app` on the app tiles (deployment.stack_firmware,
// deployment.app_firmware). In baseline mode only `all` is used.
// `tiles`: tiles with an image of their own (deployment.tile_firmware),
// whatever their role.
struct ChipTileImage {
    int tile;
    const elf_image *img;
    std::string path;
};
struct ChipFirmware {
    const elf_image *all = nullptr, *stack = nullptr, *app = nullptr;
    std::vector<ChipTileImage> tiles;
};

class Chip : public sc_core::sc_module {
public:
    // fw: the image of each tile (ChipFirmware); a tile without one stays
    // idle. Each runs each in its own address space
    // (private copy-on-write view of the image, shared memory, MMIO) built
    // from the configuration's region table; shared is the chip's shared
    // memory. The mPIPE rules (cfg.mpipe.rules) must parse
    // (mpipe_rules_parse). When the image does not fit the address space or
    // the host memory, or the memory system or an address space cannot be
    // built, `error` says why (check it before running).
    Chip(sc_core::sc_module_name name, const dl_config &cfg, phys_mem *shared,
         const ChipFirmware &fw);
    ~Chip();

    // Length of one chip cycle in SystemC time.
    sc_core::sc_time cycle_time() const { return cycle_; }

    // Current chip cycle (SystemC time divided by the cycle time).
    uint64_t now_cycles() const;

    // Runs until `cycles` chip cycles have elapsed, calling progress(done)
    // between slices of simulated time.
    void run(uint64_t cycles, const std::function<void(uint64_t)> &progress);

    // Puts a backend at the far end of a port (0 <= port < ports.size()),
    // owned by the chip from then on. Before the run.
    void attach_backend(int port, std::unique_ptr<PortBackend> backend);
    // The same for a backend the caller owns and keeps alive for the run
    // (the client hosts' switches, which share one scheduler).
    void attach_backend(int port, PortBackend *backend);
    // Records every frame crossing every port (not owned). Before the run.
    void record_wire(WireRecorder *recorder);

    const dl_config &cfg;
    const mem_params mem;            // the models' parameters, from cfg
    const MpipeParams mpipe_params;
    phys_mem *const shared;
    std::vector<Tile *> tiles;
    Mpipe *mpipe = nullptr;          // the packet engine, owning the ports
    std::vector<EthPort *> ports;    // mpipe->ports
    mem_sys memsys{};                // caches, homing, DMA invalidation
    udn_mesh_sc *udn = nullptr;      // the UDN, each core's UDN page attached to it
    std::string error;

private:
    void attach_udn();
    bool load_image(const elf_image *fw, const char *key, const char *path, ChipImage &image);

    enum { IMG_ALL, IMG_STACK, IMG_APP, IMG_N };
    ChipImage image_[IMG_N];
    ChipImage tile_image_[CFG_TILE_FW_MAX];  // deployment.tile_firmware

    sc_core::sc_time cycle_;
    std::vector<UdnTileDevice *> udn_pages_;
    std::vector<std::unique_ptr<PortBackend>> backends_;
};

// Sets the kernel's time resolution; call once before any sc_time exists.
void chip_init_time(void);

// Cycle time for a clock in MHz: one femtosecond resolution, rounded.
sc_core::sc_time chip_cycle_time(int64_t clock_mhz);

#endif
