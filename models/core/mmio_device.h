// mmio_device.h - the interface between a tile and a device page it maps
// (docs/DESIGN.md, "How to add a model", and "The sync protocol"): what a
// device implements (MmioDevice) and what a device may ask of a tile
// (WakeableTile). Devices include only this, never the core itself.
#ifndef DL_CORE_MMIO_DEVICE_H
#define DL_CORE_MMIO_DEVICE_H

#include <systemc>
#include <cstdint>

// Result of one device access.
enum class MmioResult { ok, fault, block };

// A device page as a tile sees it. Accesses arrive with the tile's time
// level with the kernel's (each is a sync point). On MmioResult::block the
// device sets *wait to the event after which the access is to be tried
// again.
class MmioDevice {
public:
    virtual ~MmioDevice() {}
    virtual MmioResult load(uint64_t offset, unsigned size, uint64_t &value,
                            const sc_core::sc_event **wait) = 0;
    virtual MmioResult store(uint64_t offset, unsigned size, uint64_t value,
                             const sc_core::sc_event **wait) = 0;
    // Another device woke the tile (WakeableTile::wake_up): a device that
    // can hold the tile asleep ends that sleep (UDN_WAIT). Default: nothing.
    virtual void tile_woken(int tile) { (void)tile; }
    // The tile's wake-up deadline (TILE_SYS_WAKE_AT) ended a sleep of the
    // tile: a device with a wait register marks it (UDN_WAIT_DEADLINE).
    // Default: nothing.
    virtual void tile_deadline(int tile) { (void)tile; }
};

// A tile as a device that wakes it sees it (TileCore implements it).
class WakeableTile {
public:
    // Something the tile may wait for happened: ends a wfi now, or makes
    // the next wfi return at once, and tells every device the tile maps
    // (MmioDevice::tile_woken).
    virtual void wake_up() = 0;

protected:
    ~WakeableTile() {}
};

#endif
