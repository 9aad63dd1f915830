// udn_tile_device.cpp - UDN registers of a tile onto the mesh's tile calls.
#include "mesh/udn_tile_device.h"

#include "abi/udn.h"

using namespace sc_core;

MmioResult UdnTileDevice::load(uint64_t off, unsigned size, uint64_t &value, const sc_event **wait)
{
    if (size != 8 || (off & 7)) return MmioResult::fault;
    int queues = mesh_.engine().params().queues;
    if (off >= UDN_RECV(0) && off < UDN_RECV(queues)) {
        if (mesh_.try_recv(tile_, (int)((off - UDN_RECV(0)) / 8), &value)) return MmioResult::ok;
        *wait = &mesh_.data_event(tile_);
        return MmioResult::block;
    }
    if (off >= UDN_COUNT(0) && off < UDN_COUNT(queues)) {
        value = (uint64_t)mesh_.count(tile_, (int)((off - UDN_COUNT(0)) / 8));
        return MmioResult::ok;
    }
    // UDN_SENDER(q) exists only with mesh.sender_id on (not a TILE-Gx register).
    if (off >= UDN_SENDER(0) && off < UDN_SENDER(queues) && mesh_.engine().params().sender_id) {
        value = mesh_.sender(tile_, (int)((off - UDN_SENDER(0)) / 8));
        return MmioResult::ok;
    }
    switch (off) {
    case UDN_AVAIL:
        value = mesh_.avail_mask(tile_);
        return MmioResult::ok;
    case UDN_WAIT:
        value = mesh_.avail_mask(tile_);
        if (mesh_.take_wake(tile_)) value |= UDN_WAIT_WOKEN;
        if (deadline_) value |= UDN_WAIT_DEADLINE;
        deadline_ = false;
        if (value) return MmioResult::ok;
        *wait = &mesh_.data_event(tile_);
        return MmioResult::block;
    case UDN_FAULT:
        value = (uint64_t)mesh_.take_fault(tile_);
        return MmioResult::ok;
    }
    return MmioResult::fault;
}

MmioResult UdnTileDevice::store(uint64_t off, unsigned size, uint64_t value, const sc_event **wait)
{
    if (size != 8 || off != UDN_SEND) return MmioResult::fault;
    switch (mesh_.try_send(tile_, value)) {
    case UDN_SEND_OK:
        return MmioResult::ok;
    case UDN_SEND_FULL:
        *wait = &mesh_.space_event(tile_);
        return MmioResult::block;
    default:
        return MmioResult::fault; // a bad header: the tile's program stops on the trap
    }
}

void UdnTileDevice::tile_woken(int tile)
{
    if (tile == tile_) mesh_.wake(tile_);
}

void UdnTileDevice::tile_deadline(int tile)
{
    if (tile == tile_) deadline_ = true;
}
