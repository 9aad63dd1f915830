/* mpipe_frames.c - test frames and the reference checksum checker. */
#include "mpipe_frames.h"

#include <string.h>

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }

/* RFC 1071: the complement of the ones'-complement sum of 16-bit words. */
static uint16_t rfc1071(const uint8_t *d, size_t n)
{
    uint32_t sum = 0;
    while (n > 1) {
        sum += (uint32_t)d[0] * 256 + d[1];
        d += 2;
        n -= 2;
    }
    if (n) sum += (uint32_t)d[0] * 256;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

size_t tf_l3(const uint8_t *f) { return (f[12] == 0x81 && f[13] == 0) ? 18 : 14; }
size_t tf_l4(const uint8_t *f) { return tf_l3(f) + (size_t)(f[tf_l3(f)] & 15) * 4; }

/* Checksum of the L4 segment with its pseudo-header, over a copy. */
static uint16_t l4_sum(const uint8_t *f)
{
    static uint8_t buf[12 + 16384];
    const uint8_t *ip = f + tf_l3(f);
    size_t l4len = (size_t)(ip[2] << 8 | ip[3]) - (size_t)(ip[0] & 15) * 4;
    memcpy(buf, ip + 12, 8);
    buf[8] = 0;
    buf[9] = ip[9];
    put16(buf + 10, (unsigned)l4len);
    memcpy(buf + 12, f + tf_l4(f), l4len);
    return rfc1071(buf, 12 + l4len);
}

size_t tf_build(uint8_t *f, size_t len, int proto, uint32_t src, uint32_t dst, uint16_t sport,
                uint16_t dport, uint16_t vlan, uint8_t seed)
{
    memset(f, 0, len);
    const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
    memcpy(f, macs, 12);
    size_t l3 = 14;
    if (vlan) {
        put16(f + 12, 0x8100);
        put16(f + 14, vlan);
        l3 = 18;
    }
    put16(f + l3 - 2, 0x0800);
    uint8_t *ip = f + l3;
    ip[0] = 0x45;
    put16(ip + 2, (unsigned)(len - l3));
    ip[8] = 64;
    ip[9] = (uint8_t)proto;
    put32(ip + 12, src);
    put32(ip + 16, dst);
    put16(ip + 10, rfc1071(ip, 20));
    uint8_t *l4 = ip + 20;
    size_t hdr = proto == 6 ? 20 : 8, l4len = len - l3 - 20;
    put16(l4, sport);
    put16(l4 + 2, dport);
    if (proto == 6) l4[12] = 0x50;
    else put16(l4 + 4, (unsigned)l4len);
    for (size_t k = hdr; k < l4len; k++) l4[k] = (uint8_t)(seed + k);
    put16(l4 + (proto == 6 ? 16 : 6), l4_sum(f));
    return len;
}

int tf_ipv4_ok(const uint8_t *f, size_t len)
{
    size_t l3 = tf_l3(f);
    return len >= l3 + 20 && rfc1071(f + l3, (size_t)(f[l3] & 15) * 4) == 0;
}

int tf_l4_ok(const uint8_t *f, size_t len)
{
    (void)len;
    return l4_sum(f) == 0;
}

uint32_t tf_flow_hash(uint32_t src, uint32_t dst, uint8_t proto, uint16_t sport, uint16_t dport)
{
    uint8_t b[13] = { (uint8_t)(src >> 24), (uint8_t)(src >> 16), (uint8_t)(src >> 8), (uint8_t)src,
                      (uint8_t)(dst >> 24), (uint8_t)(dst >> 16), (uint8_t)(dst >> 8), (uint8_t)dst,
                      proto, (uint8_t)(sport >> 8), (uint8_t)sport, (uint8_t)(dport >> 8), (uint8_t)dport };
    uint32_t h = 2166136261u;
    for (int i = 0; i < 13; i++) {
        h ^= b[i];
        h *= 16777619u;
    }
    return h ^ (h >> 16);
}
