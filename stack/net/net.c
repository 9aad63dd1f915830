/* net.c - the stack instance: configuration checks, memory layout
 * (footprint/new/join), Ethernet input, the timer entry point, counters,
 * checksums and the keyed hash. */
#include "net/net_priv.h"

void net_config_default(net_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->netmask = 0xffffff00u;
    cfg->mtu = 1500;
    cfg->ttl = 64;
    cfg->max_conns = 64;
    cfg->max_listeners = 8;
    cfg->max_udp_ports = 8;
    cfg->arp_entries = 16;
    cfg->rcv_buf = 16384;
    cfg->snd_buf = 16384;
    cfg->ooo_ranges = 4;
    cfg->hash_buckets = 64;
    cfg->port_lo = 32768;
    cfg->port_hi = 60999;
    cfg->secret = 0x5eed5eed12345678ULL;
    cfg->rto_init_ns = 1000000000ULL;
    cfg->rto_min_ns = 200000000ULL;
    cfg->rto_max_ns = 60000000000ULL;
    cfg->delack_ns = 40000000ULL;
    cfg->msl_ns = 30000000000ULL;
    cfg->arp_ttl_ns = 300000000000ULL;
    cfg->arp_retry_ns = 1000000000ULL;
    cfg->arp_tries = 3;
    cfg->max_retries = 12;
    cfg->syn_retries = 5;
    cfg->rx_refs = 64;
    cfg->tx_refs = 64;
    cfg->rx_frames = 1024;
    cfg->copy_api = 1;
}

static const char *const counter_names[] = {
#define NET_COUNTER_NAME(name, text) #name,
    NET_COUNTERS(NET_COUNTER_NAME)
#undef NET_COUNTER_NAME
};
static const char *const counter_texts[] = {
#define NET_COUNTER_TEXT(name, text) text,
    NET_COUNTERS(NET_COUNTER_TEXT)
#undef NET_COUNTER_TEXT
};

const char *net_counter_name(unsigned i) { return i < NET_COUNTER_CNT ? counter_names[i] : NULL; }
const char *net_counter_text(unsigned i) { return i < NET_COUNTER_CNT ? counter_texts[i] : NULL; }

static int pow2(uint64_t x) { return x && !(x & (x - 1)); }
static uint64_t up(uint64_t x) { return (x + NET_ALIGN - 1) & ~(NET_ALIGN - 1); }

/* Layout of the region, in this order, each part aligned to NET_ALIGN:
 * struct net | conns | ooo ranges | rcv rings | snd rings | buckets |
 * listeners | udp ports | arp cache | tx buffer | rx refs | tx refs |
 * frame slots. The rings exist only for the copy API. */
typedef struct layout {
    uint64_t conns, ooo, rcv, snd, buckets, lis, udp, arp, tx, rxr, txr, frames, end;
} layout_t;

static void layout(const net_config_t *c, layout_t *l)
{
    uint64_t o = up(sizeof(struct net));
    l->conns = o;   o = up(o + (uint64_t)c->max_conns * sizeof(tcp_conn_t));
    l->ooo = o;     o = up(o + (uint64_t)c->max_conns * c->ooo_ranges * 2 * sizeof(uint32_t));
    l->rcv = o;     o = up(o + (c->copy_api ? (uint64_t)c->max_conns * c->rcv_buf : 0));
    l->snd = o;     o = up(o + (c->copy_api ? (uint64_t)c->max_conns * c->snd_buf : 0));
    l->buckets = o; o = up(o + (uint64_t)c->hash_buckets * sizeof(uint32_t));
    l->lis = o;     o = up(o + (uint64_t)c->max_listeners * sizeof(tcp_listener_t));
    l->udp = o;     o = up(o + (uint64_t)c->max_udp_ports * sizeof(uint16_t));
    l->arp = o;     o = up(o + (uint64_t)c->arp_entries * sizeof(arp_entry_t));
    l->tx = o;      o = up(o + ETH_HLEN + c->mtu);
    l->rxr = o;     o = up(o + (uint64_t)c->max_conns * c->rx_refs * sizeof(rx_ref_t));
    l->txr = o;     o = up(o + (uint64_t)c->max_conns * c->tx_refs * sizeof(tx_ref_t));
    l->frames = o;  o = up(o + (uint64_t)c->rx_frames * sizeof(rx_frame_t));
    l->end = o;
}

size_t net_align(void) { return NET_ALIGN; }

size_t net_footprint(const net_config_t *c)
{
    if (!c) return 0;
    if (c->mtu < 576 || c->mtu > 9000) return 0;
    if (c->ttl < 1 || c->ttl > 255) return 0;
    if (c->max_conns < 1 || c->max_conns > (1u << 20)) return 0;
    if (c->max_listeners > 1024 || c->max_udp_ports > 1024) return 0;
    if (c->arp_entries < 1 || c->arp_entries > 65536) return 0;
    uint32_t mss = c->mtu - IP_HLEN - TCP_HLEN;
    if (!pow2(c->rcv_buf) || c->rcv_buf < 2 * mss || c->rcv_buf > (1u << 30)) return 0;
    if (!pow2(c->snd_buf) || c->snd_buf < mss || c->snd_buf > (1u << 30)) return 0;
    if (c->ooo_ranges > 16) return 0;
    if (!pow2(c->hash_buckets) || c->hash_buckets > (1u << 22)) return 0;
    if (c->port_lo == 0 || c->port_hi < c->port_lo) return 0;
    if (!c->rto_min_ns || c->rto_min_ns > c->rto_max_ns || c->rto_init_ns < c->rto_min_ns
        || c->rto_init_ns > c->rto_max_ns) return 0;
    if (!c->delack_ns || !c->msl_ns || !c->arp_ttl_ns || !c->arp_retry_ns || !c->arp_tries) return 0;
    if (!c->max_retries || c->max_retries > 100 || !c->syn_retries || c->syn_retries > 100) return 0;
    if (c->ip == 0 || c->ip == 0xffffffffu) return 0;
    if (c->rx_refs < 2 * c->ooo_ranges + 4 || c->rx_refs > 4096) return 0;
    if (c->tx_refs < 4 || c->tx_refs > 4096) return 0;
    if (c->rx_frames < 1 || c->rx_frames > (1u << 20) || c->copy_api > 1) return 0;
    layout_t l;
    layout(c, &l);
    if (l.end > (uint64_t)SIZE_MAX) return 0;
    return (size_t)l.end;
}

void *net_new(void *mem, const net_config_t *cfg, const net_hal_t *hal)
{
    if (!mem || ((uintptr_t)mem & (NET_ALIGN - 1)) || !hal || !hal->tx || !hal->now_ns) return NULL;
    size_t fp = net_footprint(cfg);
    if (!fp) return NULL;
    memset(mem, 0, fp);
    layout_t l;
    layout(cfg, &l);
    uint8_t *base = mem;
    struct net *net = mem;
    net->cfg = *cfg;
    net->hal = *hal;
    net->mss = cfg->mtu - IP_HLEN - TCP_HLEN;
    while (net->rcv_ws < 14 && (cfg->rcv_buf >> net->rcv_ws) > 65535) net->rcv_ws++;
    net->next_port = cfg->port_lo;
    net->conns = (tcp_conn_t *)(base + l.conns);
    net->ooo = (uint32_t *)(base + l.ooo);
    net->rcv_mem = base + l.rcv;
    net->snd_mem = base + l.snd;
    net->buckets = (uint32_t *)(base + l.buckets);
    net->lis = (tcp_listener_t *)(base + l.lis);
    net->udp_ports = (uint16_t *)(base + l.udp);
    net->arp = (arp_entry_t *)(base + l.arp);
    net->tx = base + l.tx;
    net->rxr = (rx_ref_t *)(base + l.rxr);
    net->txr = (tx_ref_t *)(base + l.txr);
    net->frames = (rx_frame_t *)(base + l.frames);
    for (uint32_t i = 0; i < cfg->rx_frames; i++) net->frames[i].next = i + 2 <= cfg->rx_frames ? i + 2 : 0;
    net->frame_free = 1;
    for (uint32_t i = 0; i < cfg->max_conns; i++) {
        net->conns[i].hnext = i + 2 <= cfg->max_conns ? i + 2 : 0;
        net->conns[i].gen = 1;
    }
    net->free_head = 1;
    net->magic = NET_MAGIC;
    return mem;
}

net_t *net_join(void *shnet)
{
    struct net *net = shnet;
    if (!net || net->magic != NET_MAGIC) return NULL;
    return net;
}

void *net_leave(net_t *net) { return net; }

void *net_delete(void *shnet)
{
    struct net *net = shnet;
    if (!net || net->magic != NET_MAGIC) return NULL;
    net->magic = 0;
    return shnet;
}

const net_counters_t *net_counters(const net_t *net) { return &net->cnt; }
uint32_t net_conns_used(const net_t *net) { return net->conns_used; }

uint32_t net_arp_used(const net_t *net)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < net->cfg.arp_entries; i++) n += net->arp[i].state != ARP_FREE;
    return n;
}

uint32_t net_rx_frames_held(const net_t *net) { return net->frames_held; }

uint32_t net_rx_refs_held(const net_t *net)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < net->cfg.max_conns; i++) n += net->conns[i].nrx;
    return n;
}

uint32_t net_frame_hold(net_t *net)
{
    if (net->in_slot) return net->in_slot;
    uint32_t s = net->frame_free;
    if (!s) return 0;
    rx_frame_t *f = &net->frames[s - 1];
    net->frame_free = f->next;
    f->token = net->in_token;
    f->refs = 0;
    net->frames_held++;
    net->in_slot = s;
    return s;
}

static void frame_free(net_t *net, uint32_t slot)
{
    rx_frame_t *f = &net->frames[slot - 1];
    f->next = net->frame_free;
    net->frame_free = slot;
    net->frames_held--;
    net->hal.rx_release(net->hal.ctx, f->token);
}

void net_frame_put(net_t *net, uint32_t slot)
{
    rx_frame_t *f = &net->frames[slot - 1];
    if (--f->refs == 0 && slot != net->in_slot) frame_free(net, slot);
}

/* Transmits the frame in net->tx: len bytes of headers (and data already
 * copied there), then the pending payload slices (net->iov). */
int net_tx_frame(net_t *net, uint32_t len)
{
    uint32_t n = net->niov;
    net->niov = 0;
    int bad;
    if (n && net->hal.tx_gather && len + net->iov_len >= 60) {
        bad = net->hal.tx_gather(net->hal.ctx, net->tx, len, net->iov, n);
    } else {
        len += net_iov_copy(net->tx + len, net->iov, n);
        if (len < 60) {
            memset(net->tx + len, 0, 60 - len);
            len = 60;
        }
        bad = net->hal.tx(net->hal.ctx, net->tx, len);
    }
    if (bad) {
        net->cnt.eth_tx_fail++;
        return -1;
    }
    net->cnt.eth_tx++;
    return 0;
}

static void eth_input(net_t *net, const uint8_t *f, uint32_t len);

void net_input(net_t *net, const uint8_t *f, uint32_t len)
{
    net->in_ref = 0;
    eth_input(net, f, len);
}

void net_input_ref(net_t *net, const uint8_t *f, uint32_t len, uint64_t token)
{
    if (!net->hal.rx_release) { /* nobody to give it back to: copy */
        net_input(net, f, len);
        return;
    }
    net->in_ref = 1;
    net->in_slot = 0;
    net->in_token = token;
    eth_input(net, f, len);
    uint32_t s = net->in_slot;
    net->in_ref = 0;
    net->in_slot = 0;
    if (!s) net->hal.rx_release(net->hal.ctx, token);
    else if (!net->frames[s - 1].refs) frame_free(net, s);
}

static void eth_input(net_t *net, const uint8_t *f, uint32_t len)
{
    net->now = net->hal.now_ns(net->hal.ctx);
    net->cnt.eth_rx++;
    if (len < ETH_HLEN) {
        net->cnt.eth_short++;
        return;
    }
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    if (memcmp(f, net->cfg.mac, 6) && memcmp(f, bcast, 6)) {
        net->cnt.eth_not_us++;
        return;
    }
    uint16_t type = rd16(f + 12);
    if (type == ETH_TYPE_IP)
        ip_input(net, f + ETH_HLEN, len - ETH_HLEN);
    else if (type == ETH_TYPE_ARP)
        arp_input(net, f + ETH_HLEN, len - ETH_HLEN);
    else
        net->cnt.eth_bad_type++;
    tcp_deliver_events(net);
}

void net_timer(net_t *net)
{
    net->now = net->hal.now_ns(net->hal.ctx);
    arp_timer(net);
    tcp_timer(net);
    tcp_deliver_events(net);
}

/* RFC 1071: the ones'-complement sum does not depend on byte order, so a
 * 2-aligned buffer is summed in native 16-bit words (halfword loads on the
 * tiles, where unaligned loads do not exist) and the folded result swapped
 * once; otherwise byte by byte. */
uint64_t net_csum_add(uint64_t sum, const uint8_t *p, uint32_t len)
{
    if (!((uintptr_t)p & 1) && len >= 2) {
        const uint8_t *a = __builtin_assume_aligned(p, 2);
        uint64_t acc = 0;
        for (; len >= 8; a += 8, len -= 8) {
            uint16_t w[4];
            memcpy(w, a, 8);
            acc += (uint32_t)w[0] + w[1] + w[2] + w[3];
        }
        for (; len >= 2; a += 2, len -= 2) {
            uint16_t w;
            memcpy(&w, a, 2);
            acc += w;
        }
        while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        acc = (acc >> 8 | acc << 8) & 0xffff;
#endif
        sum += acc;
        p = a;
    }
    uint32_t i = 0;
    for (; i + 1 < len; i += 2) sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (i < len) sum += (uint32_t)p[i] << 8;
    return sum;
}

uint16_t net_csum_fold(uint64_t sum)
{
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

uint64_t net_csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint32_t len)
{
    return (uint64_t)(src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;
}

/* SipHash-2-4 of the two words a, b under the key (secret, ~secret). */
#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                              \
    do {                                                                      \
        v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);             \
        v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                                \
        v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                                \
        v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);             \
    } while (0)

uint64_t net_hash(const net_t *net, uint64_t a, uint64_t b)
{
    uint64_t k0 = net->cfg.secret, k1 = ~net->cfg.secret * 0x9e3779b97f4a7c15ULL;
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
    uint64_t m[3] = {a, b, (uint64_t)16 << 56};
    for (int i = 0; i < 3; i++) {
        v3 ^= m[i];
        SIPROUND;
        SIPROUND;
        v0 ^= m[i];
    }
    v2 ^= 0xff;
    SIPROUND; SIPROUND; SIPROUND; SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}
