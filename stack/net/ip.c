/* ip.c - IPv4 input validation and output (no options sent, fragments
 * counted and dropped), ICMP echo and port unreachable, and UDP. */
#include "net/net_priv.h"

static int is_bad_src(const net_t *net, uint32_t a)
{
    uint32_t m = net->cfg.netmask;
    return a == 0xffffffffu || (a >> 28) == 0xe || (a >> 28) == 0xf || a == net->cfg.ip
        || (m != 0xffffffffu && (a & ~m) == ~m && (a & m) == (net->cfg.ip & m));
}

/* l4len bytes of L4 headers (and data) at net->tx + L4_OFF, followed by the
 * pending payload slices (net->iov, net->niov), if any. */
int ip_output(net_t *net, uint32_t dst, uint8_t proto, uint32_t l4len)
{
    uint32_t plen = net->niov ? net->iov_len : 0;
    if (!plen) net->niov = 0; /* kept for net_tx_frame only when it carries bytes */
    if (IP_HLEN + l4len + plen > net->cfg.mtu) {
        net->cnt.ip_too_big++;
        net->niov = 0;
        return -1;
    }
    uint32_t hop = dst;
    if ((dst ^ net->cfg.ip) & net->cfg.netmask) {
        if (!net->cfg.gateway) {
            net->cnt.ip_no_route++;
            net->niov = 0;
            return -1;
        }
        hop = net->cfg.gateway;
    }
    uint8_t mac[6];
    uint32_t niov = net->niov;
    net->niov = 0; /* an ARP request sent now must not carry them */
    if (arp_resolve(net, hop, mac)) return -1;
    net->niov = niov;
    uint8_t *f = net->tx;
    memcpy(f, mac, 6);
    memcpy(f + 6, net->cfg.mac, 6);
    wr16(f + 12, ETH_TYPE_IP);
    uint8_t *ip = f + ETH_HLEN;
    ip[0] = 0x45;
    ip[1] = 0;
    wr16(ip + 2, (uint16_t)(IP_HLEN + l4len + plen));
    wr16(ip + 4, net->ip_id++);
    wr16(ip + 6, 0x4000); /* DF: we never fragment */
    ip[8] = (uint8_t)net->cfg.ttl;
    ip[9] = proto;
    wr16(ip + 10, 0);
    wr32(ip + 12, net->cfg.ip);
    wr32(ip + 16, dst);
    wr16(ip + 10, net_csum_fold(net_csum_add(0, ip, IP_HLEN)));
    uint32_t len = ETH_HLEN + IP_HLEN + l4len;
    net->cnt.ip_tx++;
    return net_tx_frame(net, len);
}

/* ICMP destination unreachable, port unreachable, quoting the offending
 * header and 8 bytes of its payload (RFC 792). */
static void icmp_port_unreach(net_t *net, const uint8_t *ip, uint32_t hlen, uint32_t totlen)
{
    uint32_t q = min_u32(totlen, hlen + 8);
    uint8_t *m = net->tx + L4_OFF;
    m[0] = 3;
    m[1] = 3;
    memset(m + 2, 0, 6);
    memcpy(m + 8, ip, q);
    wr16(m + 2, net_csum_fold(net_csum_add(0, m, 8 + q)));
    net->cnt.icmp_unreach_tx++;
    ip_output(net, rd32(ip + 12), IP_PROTO_ICMP, 8 + q);
}

static void icmp_input(net_t *net, uint32_t src, const uint8_t *p, uint32_t len)
{
    net->cnt.icmp_rx++;
    if (len < 8 || net_csum_fold(net_csum_add(0, p, len)) != 0) {
        net->cnt.icmp_bad++;
        return;
    }
    if (p[0] != 8 || p[1] != 0) {
        net->cnt.icmp_other++;
        return;
    }
    if (IP_HLEN + len > net->cfg.mtu) {
        net->cnt.ip_too_big++;
        return;
    }
    uint8_t *m = net->tx + L4_OFF;
    memcpy(m, p, len);
    m[0] = 0;
    wr16(m + 2, 0);
    wr16(m + 2, net_csum_fold(net_csum_add(0, m, len)));
    net->cnt.icmp_echo_tx++;
    ip_output(net, src, IP_PROTO_ICMP, len);
}

static int udp_bound(const net_t *net, uint16_t port)
{
    for (uint32_t i = 0; i < net->cfg.max_udp_ports; i++)
        if (net->udp_ports[i] == port) return 1;
    return 0;
}

static void udp_input(net_t *net, const uint8_t *ip, uint32_t hlen, uint32_t totlen, int bcast)
{
    const uint8_t *u = ip + hlen;
    uint32_t len = totlen - hlen, src = rd32(ip + 12), dst = rd32(ip + 16);
    net->cnt.udp_rx++;
    if (len < UDP_HLEN || rd16(u + 4) < UDP_HLEN || rd16(u + 4) > len) {
        net->cnt.udp_bad++;
        return;
    }
    len = rd16(u + 4);
    if (rd16(u + 6) && net_csum_fold(net_csum_add(net_csum_pseudo(src, dst, IP_PROTO_UDP, len), u, len))) {
        net->cnt.udp_bad_csum++;
        return;
    }
    uint16_t dport = rd16(u + 2);
    if (!dport || !udp_bound(net, dport)) {
        net->cnt.udp_no_port++;
        if (!bcast) icmp_port_unreach(net, ip, hlen, totlen);
        return;
    }
    if (net->hal.udp_rx) {
        net_udp_meta_t meta = {src, dst, rd16(u), dport};
        net->hal.udp_rx(net->hal.ctx, &meta, u + UDP_HLEN, len - UDP_HLEN);
    }
}

void ip_input(net_t *net, const uint8_t *ip, uint32_t len)
{
    net->cnt.ip_rx++;
    if (len < IP_HLEN) {
        net->cnt.ip_short++;
        return;
    }
    if (ip[0] >> 4 != 4) {
        net->cnt.ip_bad_version++;
        return;
    }
    uint32_t hlen = (ip[0] & 15u) * 4u, totlen = rd16(ip + 2);
    if (hlen < IP_HLEN || hlen > len) {
        net->cnt.ip_bad_hlen++;
        return;
    }
    if (totlen < hlen || totlen > len) { /* len may exceed totlen: padding */
        net->cnt.ip_bad_len++;
        return;
    }
    if (net_csum_fold(net_csum_add(0, ip, hlen)) != 0) {
        net->cnt.ip_bad_csum++;
        return;
    }
    uint32_t src = rd32(ip + 12), dst = rd32(ip + 16);
    int bcast = dst == 0xffffffffu;
    if (dst != net->cfg.ip && !(bcast && ip[9] == IP_PROTO_UDP)) {
        net->cnt.ip_not_us++;
        return;
    }
    if (is_bad_src(net, src) || src == 0) {
        net->cnt.ip_bad_src++;
        return;
    }
    if (rd16(ip + 6) & 0x3fff) { /* MF or a fragment offset */
        net->cnt.ip_frag_drop++;
        return;
    }
    switch (ip[9]) {
    case IP_PROTO_TCP: tcp_input(net, src, dst, ip + hlen, totlen - hlen); break;
    case IP_PROTO_UDP: udp_input(net, ip, hlen, totlen, bcast); break;
    case IP_PROTO_ICMP: icmp_input(net, src, ip + hlen, totlen - hlen); break;
    default: net->cnt.ip_bad_proto++; break;
    }
}

int net_udp_bind(net_t *net, uint16_t port)
{
    if (!port) return -NET_EINVAL;
    if (udp_bound(net, port)) return -NET_EADDRINUSE;
    for (uint32_t i = 0; i < net->cfg.max_udp_ports; i++)
        if (!net->udp_ports[i]) {
            net->udp_ports[i] = port;
            return 0;
        }
    return -NET_ENOMEM;
}

int net_udp_send(net_t *net, uint16_t sport, uint32_t dst, uint16_t dport, const void *data, uint32_t len)
{
    net->now = net->hal.now_ns(net->hal.ctx);
    if (!sport || !dport || dst == 0 || (!data && len)) return -NET_EINVAL;
    if (IP_HLEN + UDP_HLEN + (uint64_t)len > net->cfg.mtu) {
        net->cnt.ip_too_big++;
        return -NET_EINVAL;
    }
    uint8_t *u = net->tx + L4_OFF;
    wr16(u, sport);
    wr16(u + 2, dport);
    wr16(u + 4, (uint16_t)(UDP_HLEN + len));
    wr16(u + 6, 0);
    if (len) memcpy(u + UDP_HLEN, data, len);
    uint16_t cs = net_csum_fold(net_csum_add(net_csum_pseudo(net->cfg.ip, dst, IP_PROTO_UDP, UDP_HLEN + len),
                                             u, UDP_HLEN + len));
    wr16(u + 6, cs ? cs : 0xffff);
    net->cnt.udp_tx++;
    return ip_output(net, dst, IP_PROTO_UDP, UDP_HLEN + len) ? -NET_ENOROUTE : 0;
}
