/* arp.c - ARP for IPv4 over Ethernet (RFC 826): answers requests for our
 * address, resolves next hops with a bounded cache, retries and timeouts.
 * An entry still in use when it expires is re-confirmed by unicast requests
 * while it goes on being used, so long connections see no gap.
 * While a next hop is unresolved, outgoing packets to it are dropped and
 * counted (arp_miss_drop); TCP's retransmission recovers them. */
#include "net/net_priv.h"

#define ARP_LEN 28

static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* Sends a request (op 1) or reply (op 2) to tha: a request goes to the
 * broadcast address, or to the known MAC when refreshing an entry. */
static void arp_send(net_t *net, uint16_t op, const uint8_t tha[6], uint32_t tpa)
{
    uint8_t *f = net->tx;
    memcpy(f, tha, 6);
    memcpy(f + 6, net->cfg.mac, 6);
    wr16(f + 12, ETH_TYPE_ARP);
    uint8_t *a = f + ETH_HLEN;
    wr16(a, 1);
    wr16(a + 2, ETH_TYPE_IP);
    a[4] = 6;
    a[5] = 4;
    wr16(a + 6, op);
    memcpy(a + 8, net->cfg.mac, 6);
    wr32(a + 14, net->cfg.ip);
    if (op == 1 && !memcmp(tha, bcast, 6)) memset(a + 18, 0, 6); else memcpy(a + 18, tha, 6);
    wr32(a + 24, tpa);
    memset(a + ARP_LEN, 0, 60 - ETH_HLEN - ARP_LEN); /* pad to the minimum frame */
    if (op == 1) net->cnt.arp_req_tx++; else net->cnt.arp_reply_tx++;
    net_tx_frame(net, 60);
}

static arp_entry_t *arp_find(net_t *net, uint32_t ip)
{
    for (uint32_t i = 0; i < net->cfg.arp_entries; i++)
        if (net->arp[i].state != ARP_FREE && net->arp[i].ip == ip) return &net->arp[i];
    return NULL;
}

/* A free entry, or the one closest to expiry (evicted, counted). */
static arp_entry_t *arp_alloc(net_t *net)
{
    arp_entry_t *victim = &net->arp[0];
    for (uint32_t i = 0; i < net->cfg.arp_entries; i++) {
        arp_entry_t *e = &net->arp[i];
        if (e->state == ARP_FREE) return e;
        if (e->deadline < victim->deadline) victim = e;
    }
    net->cnt.arp_evict++;
    return victim;
}

static void arp_learn(arp_entry_t *e, net_t *net, uint32_t ip, const uint8_t mac[6])
{
    e->ip = ip;
    memcpy(e->mac, mac, 6);
    e->state = ARP_RESOLVED;
    e->tries = 0;
    e->used = 0;
    e->deadline = net->now + net->cfg.arp_ttl_ns;
    net->cnt.arp_learn++;
}

void arp_input(net_t *net, const uint8_t *a, uint32_t len)
{
    net->cnt.arp_rx++;
    if (len < ARP_LEN || rd16(a) != 1 || rd16(a + 2) != ETH_TYPE_IP || a[4] != 6 || a[5] != 4) {
        net->cnt.arp_bad++;
        return;
    }
    uint16_t op = rd16(a + 6);
    const uint8_t *sha = a + 8;
    uint32_t spa = rd32(a + 14), tpa = rd32(a + 24);
    if ((op != 1 && op != 2) || (sha[0] & 1) || spa == net->cfg.ip || spa == 0xffffffffu) {
        net->cnt.arp_bad++;
        return;
    }
    /* RFC 826: update the sender if we know it; add it if the packet is for
     * us. A sender address of 0 (an address probe) is never learnt. */
    arp_entry_t *e = spa ? arp_find(net, spa) : NULL;
    if (e) arp_learn(e, net, spa, sha);
    if (tpa != net->cfg.ip) {
        net->cnt.arp_not_us++;
        return;
    }
    if (!e && spa) arp_learn(arp_alloc(net), net, spa, sha);
    if (op == 1) arp_send(net, 2, sha, spa);
}

int arp_resolve(net_t *net, uint32_t ip, uint8_t mac[6])
{
    arp_entry_t *e = arp_find(net, ip);
    if (e && (e->state == ARP_RESOLVED || e->state == ARP_REFRESH)) {
        memcpy(mac, e->mac, 6);
        e->used = 1;
        return 0;
    }
    if (!e) {
        e = arp_alloc(net);
        e->ip = ip;
        e->state = ARP_PENDING;
        e->tries = 1;
        e->deadline = net->now + net->cfg.arp_retry_ns;
        arp_send(net, 1, bcast, ip);
    }
    net->cnt.arp_miss_drop++;
    return -1;
}

void arp_timer(net_t *net)
{
    for (uint32_t i = 0; i < net->cfg.arp_entries; i++) {
        arp_entry_t *e = &net->arp[i];
        if (e->state == ARP_FREE || net->now < e->deadline) continue;
        if (e->state == ARP_RESOLVED && !e->used) {
            e->state = ARP_FREE;
        } else if (e->state == ARP_RESOLVED) {
            e->state = ARP_REFRESH;
            e->tries = 1;
            e->deadline = net->now + net->cfg.arp_retry_ns;
            arp_send(net, 1, e->mac, e->ip);
        } else if (e->tries >= net->cfg.arp_tries) {
            e->state = ARP_FREE;
            net->cnt.arp_fail++;
        } else {
            e->tries++;
            e->deadline = net->now + net->cfg.arp_retry_ns;
            arp_send(net, 1, e->state == ARP_REFRESH ? e->mac : bcast, e->ip);
        }
    }
}
