// chip.cpp - builds the tiles and ports of the chip from the configuration
// and runs simulated time forward in slices, so progress can be reported.
#include "chip.h"

#include <cstdio>

#include "abi/boot_info.h"
#include "abi/tile_memmap.h"

using namespace sc_core;

namespace {
mem_params mem_from(const dl_config &c)
{
    mem_params p;
    mem_params_from_config(&c, &p);
    return p;
}
} // namespace

Tile::Tile(sc_module_name name, int index_, int x_, int y_, const TileCoreParams &core_params,
           const mem_params &mem, bool caches, sc_time cycle, phys_mem *shared, mem_sys *sys, const ChipImage *fw)
    : sc_module(name), index(index_), x(x_), y(y_), fw_(fw)
{
    char err[512];
    if (!fw) return;
    if (!(ram_ = phys_image_map(&fw->mem, err, sizeof err))) {
        error = err;
        return;
    }
    boot_.assign(TILE_BOOT_INFO_SIZE, 0);
    core = new TileCore("core", index, core_params, cycle, stdout);
    core->load(ram_, fw->win_va, fw->win_size, fw->entry);
    core->map_shared(shared);
    if (mem_mmu_build(&mmu_, &mem, (unsigned)index, core->iss(), sys, shared->host, shared->size, fw->seg, fw->nseg,
                      fw->win_va, fw->win_size, ram_, boot_.data(), err, sizeof err) < 0) {
        error = err;
        return;
    }
    core->set_mmu(&mmu_, caches);
}

Tile::~Tile()
{
    delete core;
    mem_mmu_free(&mmu_);
    if (fw_) phys_image_unmap(&fw_->mem, ram_);
}

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

Chip::Chip(sc_module_name name, const dl_config &c, phys_mem *shared_mem, const ChipFirmware &fw)
    : sc_module(name), cfg(c), mem(mem_from(c)), mpipe_params(mpipe_params_from_config(c)), shared(shared_mem),
      cycle_(chip_cycle_time(c.chip.clock_mhz))
{
    char nm[32], err[512];
    const TileCoreParams core_params = tile_core_params_from_config(c);
    const bool caches = c.core.timing && c.mem.timing;
    if (mem_sys_init(&memsys, &mem, err, sizeof err) < 0 ||
        mem_layout_homes(&memsys, &mem, shared->host, shared->size, err, sizeof err) < 0)
        error = err;
    else
        phys_mem_observe(shared, mem_sys_dma_written, &memsys); // DMA drops cached copies
    // Each image once; a role without its own image runs deployment.firmware.
    const elf_image *src[IMG_N] = { fw.all, fw.stack, fw.app };
    const char *key[IMG_N] = { "deployment.firmware", "deployment.stack_firmware", "deployment.app_firmware" };
    const char *path[IMG_N] = { c.deployment.firmware, c.deployment.stack_firmware, c.deployment.app_firmware };
    const ChipImage *img[IMG_N] = {};
    for (int k = 0; k < IMG_N; k++)
        if (src[k] && error.empty() && load_image(src[k], key[k], path[k], image_[k])) img[k] = &image_[k];
    if (!img[IMG_STACK]) img[IMG_STACK] = img[IMG_ALL];
    if (!img[IMG_APP]) img[IMG_APP] = img[IMG_ALL];
    std::vector<const ChipImage *> own((size_t)(c.chip.width * c.chip.height), nullptr); // tile_firmware
    for (size_t k = 0; k < fw.tiles.size() && k < CFG_TILE_FW_MAX && error.empty(); k++) {
        const ChipTileImage &t = fw.tiles[k];
        std::string key = "deployment.tile_firmware (tile " + std::to_string(t.tile) + ")";
        if (t.tile >= 0 && (size_t)t.tile < own.size() &&
            load_image(t.img, key.c_str(), t.path.c_str(), tile_image_[k]))
            own[(size_t)t.tile] = &tile_image_[k];
    }
    for (int y = 0; y < c.chip.height; y++)
        for (int x = 0; x < c.chip.width; x++) {
            int i = y * (int)c.chip.width + x;
            unsigned role, app;
            mem_layout_role(&mem, (unsigned)i, &role, &app);
            const ChipImage *tile_img = role == BOOT_ROLE_STACK ? img[IMG_STACK]
                                        : role == BOOT_ROLE_APP ? img[IMG_APP] : img[IMG_ALL];
            if (own[(size_t)i]) tile_img = own[(size_t)i];
            snprintf(nm, sizeof nm, "tile%d", i);
            tiles.push_back(new Tile(nm, i, x, y, core_params, mem, caches, cycle_, shared,
                                     error.empty() ? &memsys : nullptr, error.empty() ? tile_img : nullptr));
            if (error.empty() && !tiles.back()->error.empty()) error = "tile " + std::to_string(i) + ": " + tiles.back()->error;
        }
    mpipe_rules rules;
    if (mpipe_rules_parse(c.mpipe.rules, &rules, nm, sizeof nm) < 0)
        SC_REPORT_FATAL("chip", "mpipe.rules do not parse (check them with mpipe_rules_parse first)");
    mpipe = new Mpipe("mpipe", mpipe_params, rules, shared, cycle_);
    ports = mpipe->ports;
    std::vector<WakeableTile *> cores;
    for (Tile *t : tiles) {
        cores.push_back(t->core);
        if (t->core) t->core->attach(TILE_MPIPE_BASE, TILE_MPIPE_SIZE, mpipe);
    }
    mpipe->wake_targets(cores);
    attach_udn();
}

// Lays the firmware out once for every tile: its segments and window, its
// bytes in a phys_image, the page rights checked in a scratch address space
// (so an error names the file, not a tile), and the host memory the run
// commits at start against what the host has.
bool Chip::load_image(const elf_image *fw, const char *key, const char *path, ChipImage &image)
{
    char err[512];
    const std::string k = std::string(key) + ": ";
    mem_space scratch{};
    int n = elf_mem_segments(fw, path, image.seg, err, sizeof err);
    if (n < 0) {
        error = k + err;
        return false;
    }
    image.nseg = (unsigned)n;
    image.entry = fw->entry;
    mem_layout_window(&mem, image.seg, image.nseg, &image.win_va, &image.win_size);
    if (image.win_size > TILE_PRIVATE_PHYS_STRIDE - TILE_BOOT_INFO_SIZE) {
        error = k + path + ": the segments need " +
                std::to_string(image.win_size >> 20) + " MiB, more than the private window of a tile (" +
                std::to_string((TILE_PRIVATE_PHYS_STRIDE - TILE_BOOT_INFO_SIZE) >> 20) + " MiB)";
        return false;
    }
    int rc = mem_layout_private(&scratch, &mem, image.seg, image.nseg, image.win_va, image.win_size, nullptr, 0,
                                nullptr, 0, err, sizeof err);
    mem_space_free(&scratch);
    if (rc < 0) {
        error = k + path + ": " + err;
        return false;
    }
    if (phys_image_init(&image.mem, image.win_size, err, sizeof err) < 0 ||
        elf_write_image(fw, &image.mem, image.win_va, err, sizeof err) < 0) {
        error = k + path + ": " + err;
        return false;
    }
    // What the run commits before it starts: the image's bytes once, each
    // tile's boot page and core (decode cache). The rest of each window
    // costs host memory only when the tile touches it.
    uint64_t tiles_n = (uint64_t)(cfg.chip.width * cfg.chip.height);
    uint64_t start = image.mem.bytes + tiles_n * (TILE_BOOT_INFO_SIZE + sizeof(iss_core));
    uint64_t worst = image.mem.bytes + tiles_n * (image.win_size + TILE_BOOT_INFO_SIZE + sizeof(iss_core));
    int64_t avail = phys_host_available();
    if (avail >= 0 && start > (uint64_t)avail) {
        error = "not enough host memory: the firmware's image and " + std::to_string(tiles_n) + " tiles need " +
                std::to_string(start >> 20) + " MiB at start, the host has " + std::to_string(avail >> 20) +
                " MiB available";
        return false;
    }
    if (avail >= 0 && worst > (uint64_t)avail)
        fprintf(stderr,
                "dlsim: warning: if every tile touches all of its %llu MiB private window, the run needs "
                "%llu MiB of host memory; the host has %llu MiB available\n",
                (unsigned long long)(image.win_size >> 20), (unsigned long long)(worst >> 20),
                (unsigned long long)(avail >> 20));
    return true;
}

void Chip::attach_udn()
{
    udn_mesh_params p;
    char err[512];
    if (udn_mesh_params_from_config(&cfg, &p, err, sizeof err) < 0) {
        if (error.empty()) error = err;
        return;
    }
    udn = new udn_mesh_sc("udn", p, cycle_);
    udn->watch_data(true); // cores sleep on data events (UdnTileDevice)
    for (Tile *t : tiles) {
        if (!t->core) continue;
        udn_pages_.push_back(new UdnTileDevice(*udn, t->index));
        t->core->attach(TILE_UDN_BASE, TILE_UDN_SIZE, udn_pages_.back());
    }
}

void Chip::attach_backend(int port, std::unique_ptr<PortBackend> backend)
{
    ports.at((size_t)port)->attach_backend(backend.get());
    backends_.push_back(std::move(backend));
}

void Chip::attach_backend(int port, PortBackend *backend)
{
    ports.at((size_t)port)->attach_backend(backend);
}

void Chip::record_wire(WireRecorder *recorder)
{
    for (EthPort *p : ports) p->record_to(recorder);
}

Chip::~Chip()
{
    for (Tile *t : tiles) delete t;
    for (ChipImage &im : image_) phys_image_free(&im.mem);
    for (ChipImage &im : tile_image_) phys_image_free(&im.mem);
    mem_sys_free(&memsys);
    delete mpipe;
    for (UdnTileDevice *d : udn_pages_) delete d;
    delete udn;
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
