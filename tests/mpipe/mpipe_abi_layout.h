/* mpipe_abi_layout.h - static assertions pinning the descriptors of
 * models/abi/mpipe.h and the boot block of models/abi/boot_info.h: sizes and
 * every field's offset, as the pictures at the top of those headers draw
 * them. Included by a C test (test_mpipe_driver.c) and a C++ one
 * (test_mpipe_model.cpp), so both languages lay them out alike. */
#ifndef DL_TESTS_MPIPE_ABI_LAYOUT_H
#define DL_TESTS_MPIPE_ABI_LAYOUT_H

#include <stddef.h>

#include "abi/boot_info.h"
#include "abi/mpipe.h"

#define ABI_AT(type, field, off) \
    MPIPE_STATIC_ASSERT(offsetof(type, field) == (off), #type "." #field " is at byte " #off)

MPIPE_STATIC_ASSERT(sizeof(mpipe_idesc) == 64, "ingress descriptor: 8 words");
ABI_AT(mpipe_idesc, ring, 0);
ABI_AT(mpipe_idesc, bucket, 2);
ABI_AT(mpipe_idesc, channel, 4);
ABI_AT(mpipe_idesc, flags, 5);
ABI_AT(mpipe_idesc, l2_size, 6);
ABI_AT(mpipe_idesc, csum_start, 8);
ABI_AT(mpipe_idesc, csum, 10);
ABI_AT(mpipe_idesc, flow_hash, 12);
ABI_AT(mpipe_idesc, l3_off, 16);
ABI_AT(mpipe_idesc, l4_off, 17);
ABI_AT(mpipe_idesc, protocol, 18);
ABI_AT(mpipe_idesc, parse, 19);
ABI_AT(mpipe_idesc, vlan, 20);
ABI_AT(mpipe_idesc, ethertype, 22);
ABI_AT(mpipe_idesc, seq, 24);
ABI_AT(mpipe_idesc, time_sec, 32);
ABI_AT(mpipe_idesc, time_ns, 36);
ABI_AT(mpipe_idesc, bdesc, 40);
ABI_AT(mpipe_idesc, ip_src, 48);
ABI_AT(mpipe_idesc, ip_dst, 52);
ABI_AT(mpipe_idesc, port_src, 56);
ABI_AT(mpipe_idesc, port_dst, 58);
ABI_AT(mpipe_idesc, reserved, 60);

MPIPE_STATIC_ASSERT(sizeof(mpipe_edesc) == 16, "egress descriptor: 2 words");
ABI_AT(mpipe_edesc, w0, 0);
ABI_AT(mpipe_edesc, bdesc, 8);

MPIPE_STATIC_ASSERT(sizeof(boot_region) == 40, "boot region: 40 bytes");
ABI_AT(boot_region, base, 0);
ABI_AT(boot_region, size, 8);
ABI_AT(boot_region, page_size, 16);
ABI_AT(boot_region, kind, 24);
ABI_AT(boot_region, app, 28);
ABI_AT(boot_region, rights, 32);
MPIPE_STATIC_ASSERT(sizeof(boot_info) == 128, "boot info header: 128 bytes");
ABI_AT(boot_info, magic, 0);
ABI_AT(boot_info, version, 8);
ABI_AT(boot_info, tile, 12);
ABI_AT(boot_info, role, 16);
ABI_AT(boot_info, app, 20);
ABI_AT(boot_info, apps, 24);
ABI_AT(boot_info, stack_tiles, 28);
ABI_AT(boot_info, regions, 32);
ABI_AT(boot_info, protection, 36);
ABI_AT(boot_info, width, 40);
ABI_AT(boot_info, height, 44);
ABI_AT(boot_info, flags, 48);
ABI_AT(boot_info, clock_mhz, 52);
ABI_AT(boot_info, udn_queue_words, 56);
ABI_AT(boot_info, stack_index, 60);
ABI_AT(boot_info, ip, 64);
ABI_AT(boot_info, netmask, 68);
ABI_AT(boot_info, mac, 72);
ABI_AT(boot_info, args_len, 80);
ABI_AT(boot_info, stack_set, 88);
ABI_AT(boot_info, region, 128);

/* The register page as its picture draws it. */
MPIPE_STATIC_ASSERT(MPIPE_STACK_REG(1, 0) - MPIPE_STACK_REG(0, 0) == 0x20, "stacks 0x20 apart");
MPIPE_STATIC_ASSERT(MPIPE_RING_REG(1, 0) - MPIPE_RING_REG(0, 0) == 0x20, "rings 0x20 apart");
MPIPE_STATIC_ASSERT(MPIPE_ER_REG(1, 0) - MPIPE_ER_REG(0, 0) == 0x40, "egress rings 0x40 apart");
MPIPE_STATIC_ASSERT(MPIPE_BUCKET_REG(MPIPE_BUCKETS) == 0xD200, "buckets end at 0xD200");
MPIPE_STATIC_ASSERT(MPIPE_ER_REG(MPIPE_EGRESS_RINGS, 0) == 0xE600, "egress rings end at 0xE600");

#endif
