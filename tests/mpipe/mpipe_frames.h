/* mpipe_frames.h - test frames for the mPIPE suites, and a reference
 * checker of IPv4 and TCP/UDP checksums written apart from the model's
 * code (RFC 1071 over a copy with the pseudo-header in front). */
#ifndef DL_TESTS_MPIPE_FRAMES_H
#define DL_TESTS_MPIPE_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Builds an Ethernet/IPv4 frame into f of exactly len bytes (len >= 14 +
 * 20 + L4 header): proto 6 (TCP) or 17 (UDP), with a VLAN tag when vlan is
 * not 0, valid checksums, payload bytes (seed + k). Returns len. */
size_t tf_build(uint8_t *f, size_t len, int proto, uint32_t src, uint32_t dst, uint16_t sport,
                uint16_t dport, uint16_t vlan, uint8_t seed);

/* 1 when the frame's IPv4 header checksum verifies. */
int tf_ipv4_ok(const uint8_t *f, size_t len);

/* 1 when the frame's TCP or UDP checksum verifies (pseudo-header included). */
int tf_l4_ok(const uint8_t *f, size_t len);

/* Offsets of the L3 and L4 headers (after an optional VLAN tag). */
size_t tf_l3(const uint8_t *f);
size_t tf_l4(const uint8_t *f);

/* Reference flow hash of a frame's 5-tuple, written from the documented
 * definition (FNV-1a, then h ^ h >> 16). */
uint32_t tf_flow_hash(uint32_t src, uint32_t dst, uint8_t proto, uint16_t sport, uint16_t dport);

#ifdef __cplusplus
}
#endif
#endif
