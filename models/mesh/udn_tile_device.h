// udn_tile_device.h - the UDN page of one tile (models/abi/udn.h) as a
// device of the tile core: each register maps onto the mesh module's tile
// interface, and an empty queue or a full network blocks the access on the
// mesh's events. Like the TILE-Gx network registers, an access costs the
// instruction only, plus the cycles it stalls. UDN_WAIT also ends when any
// other device wakes the tile (TileCore::wake_up, e.g. the mPIPE landing a
// descriptor on the tile's notification ring), and reports the tile's
// wake-up deadline (TILE_SYS_WAKE_AT) when that ended the sleep.
#ifndef DL_MESH_UDN_TILE_DEVICE_H
#define DL_MESH_UDN_TILE_DEVICE_H

#include "core/mmio_device.h"
#include "mesh/udn_mesh_sc.h"

class UdnTileDevice : public MmioDevice {
public:
    // The mesh must deliver data events for every word: call
    // mesh.watch_data(true) once when tiles are attached.
    UdnTileDevice(udn_mesh_sc &mesh, int tile) : mesh_(mesh), tile_(tile) {}

    MmioResult load(uint64_t offset, unsigned size, uint64_t &value,
                    const sc_core::sc_event **wait) override;
    MmioResult store(uint64_t offset, unsigned size, uint64_t value,
                     const sc_core::sc_event **wait) override;
    // Another device woke the tile: ends its UDN_WAIT (udn_mesh_sc::wake).
    void tile_woken(int tile) override;
    // The tile's deadline ended a sleep: the next UDN_WAIT returns at once
    // with UDN_WAIT_DEADLINE.
    void tile_deadline(int tile) override;

private:
    udn_mesh_sc &mesh_;
    const int tile_;
    bool deadline_ = false; // a deadline came since the last UDN_WAIT returned
};

#endif
