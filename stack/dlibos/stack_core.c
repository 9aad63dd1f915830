/* stack_core.c - the stack of a DLibOS tile, shared by both deployments
 * (moved here from stack_tile.c): the mPIPE driver, one stack/net instance
 * of its own (shared nothing) and the stack side of the socket interface
 * (stack/sock's sock_stack) wired to net's zero-copy API. stack_tile.c runs
 * it on a dlibos stack tile (requests and events over the UDN);
 * baseline_tile.c runs it beside the echo app on every baseline tile (the
 * same requests and events through the in-process sock_direct transport).
 *
 * Data path, zero copy:
 *   ingress  a frame's mPIPE buffer (in its app's RX pool) goes to
 *            net_input_ref with its buffer descriptor as the token; the app
 *            reads the payload in place (DATA events); rx_release pushes the
 *            buffer back to its stack when the last reference goes.
 *   egress   tx_gather copies the stack's header into a slot of this tile's
 *            share of the hdr region and posts it, then one descriptor per
 *            payload slice pointing into the app's TX region (the egress DMA
 *            gathers them; they stay put until acknowledged). Frames sent by
 *            tx() (ARP, control segments, short segments) are copied whole
 *            into a slot. A slot is reused once the engine has completed the
 *            descriptors that read it.
 *   ports    one interface (one IP, one MAC) over all ports: the port of a
 *            destination MAC is learnt from the frames that arrive (as a
 *            switch does); broadcast or unknown destinations go out of every
 *            port.
 *
 * Layout (regions from the boot-information block):
 *   rings  a control block (the shared egress rings' counters, the ready
 *          word), then one notification ring per serving stack tile (stack
 *          index i: ring i), then G x ports egress rings, G = min(24 / ports,
 *          stack tiles): egress ring g * ports + p sends on port p and is
 *          shared by the stack tiles i with i % G == g (mpipe_drv.h's
 *          mpipe_equeue_put_shared: a fetch-add reserves the slots, the
 *          doorbell goes in order). E = min(stack tiles, rings that fit)
 *          stack tiles serve: all of them on the TILE-Gx36.
 *   hdr    split evenly between the stack tiles, in 2 KiB slots.
 *   rx_pool[a]  application a's buffer stacks, set up by stack index 0 for
 *          every app tile served (two, 2a: 256 B and 2a + 1: 1664 B, while
 *          2 x app tiles fit the 32 stacks; else one, a: 1664 B), which also
 *          points every bucket at the serving tiles' rings; the mPIPE rules
 *          pick an app tile's stacks (by port, or by bucket: mpipe.rules
 *          split=N), and a new connection goes to the app tile whose RX pool
 *          its frames land in. */
#include <stdio.h>
#include <string.h>

#include "boot/tile_rt.h"
#include "dlibos/stack_core.h"
#include "driver/mpipe_drv.h"

#define RING_ENTRIES  512
#define ERING_ENTRIES 512
#define RING_BYTES    ((uint64_t)RING_ENTRIES * MPIPE_IDESC_BYTES)
#define ERING_BYTES   ((uint64_t)ERING_ENTRIES * MPIPE_EDESC_BYTES)
#define CTL_BYTES     4096u  /* the control block at the start of the rings region */
#define EG_READY      0x4547524459ULL /* "EGRDY": stack index 0 set the egress rings up */
#define SMALL_CLASS   1   /* 256 B */
#define LARGE_CLASS   4   /* 1664 B */
#define SLOT_BYTES    2048u
#define SLOTS_MAX     256u
#define MACS          64u
#define MAX_CONNS     64u
#define ARP_ENTRIES   256u  /* every client host the chip talks to: each stack
                             * tile learns them all (the others' ARP notes);
                             * beyond, entries are evicted (arp_evict), answers
                             * wait for ARP again and are dropped (arp_miss_drop,
                             * printed: report_capacity) */
#define TIMER_NS      100000u  /* net_timer period */
#define RX_BUDGET     32u

typedef struct slot {
    unsigned ering;     /* the last egress ring that reads it, or ~0 */
    uint64_t need;      /* completions that ring must reach before reuse */
} slot_t;

typedef struct mac_port {
    uint8_t mac[6];
    uint8_t port, used;
} mac_port_t;

static net_t *net;
static sock_stack_t *ss;
/* The rings region's control block: the ready word, then the counters of
 * each shared egress ring. */
typedef struct eg_ctl {
    uint64_t ready;
    uint64_t pad[7];
    mpipe_eshare ring[MPIPE_EGRESS_RINGS];
} eg_ctl_t;
_Static_assert(sizeof(eg_ctl_t) <= CTL_BYTES, "the control block fits its bytes");

static unsigned ports, serving;
static mpipe_equeue eq[MPIPE_CHANNELS];
static mpipe_eshare *eqs[MPIPE_CHANNELS]; /* their shared counters */
static eg_ctl_t *ctl;
static int eg_ready;
static uint64_t hdr_base;
static unsigned nslots, next_slot;
static slot_t slots[SLOTS_MAX];
static mac_port_t macs[MACS];
static uint64_t tx_drop;
static void register_counters(void);

/* sock index of each net connection (by the handle's index bits), and the
 * handle it belongs to. */
static struct {
    uint32_t handle;
    int32_t idx;
} conn_map[MAX_CONNS];

static uint64_t now_ns(void *ctx)
{
    (void)ctx;
    return tile_cycles() * 1000u / DLIBOS_CLOCK_MHZ;
}

/* ---- ports: learnt from the source MACs of what arrives ---- */

static int mac_port(const uint8_t *mac)
{
    for (unsigned i = 0; i < MACS && macs[i].used; i++)
        if (!memcmp(macs[i].mac, mac, 6)) return macs[i].port;
    return -1;
}

static void mac_learn(const volatile uint8_t *mac, unsigned port)
{
    uint8_t m[6];
    for (int i = 0; i < 6; i++) m[i] = mac[i];
    if (m[0] & 1) return; /* not a unicast source */
    unsigned i = 0;
    for (; i < MACS && macs[i].used; i++)
        if (!memcmp(macs[i].mac, m, 6)) break;
    if (i == MACS) i = (unsigned)(m[5] % MACS); /* full: replace one */
    memcpy(macs[i].mac, m, 6);
    macs[i].port = (uint8_t)port;
    macs[i].used = 1;
}

/* ---- egress ---- */

/* A header slot whose previous frame the engine has finished reading. */
static uint8_t *slot_take(unsigned *si)
{
    slot_t *s = &slots[next_slot];
    if (s->ering != ~0u) {
        mpipe_equeue *q = &eq[s->ering];
        while (mpipe_equeue_reap(q) < s->need) mpipe_equeue_wait(q, q->done);
    }
    *si = next_slot;
    if (++next_slot == nslots) next_slot = 0;
    return (uint8_t *)(uintptr_t)(hdr_base + (uint64_t)*si * SLOT_BYTES);
}

/* Measuring the egress (stack/dlibos/README.md; off in the shipped
 * images): build with -DDLIBOS_EGRESS_STATS=1 and the stack tiles print
 * their posts, the instructions and cycles spent posting, the polls for an
 * earlier poster and the sleeps for room; -DDLIBOS_EGRESS_GROUPS=G forces G
 * ring groups (1: every stack tile shares one ring per port);
 * -DDLIBOS_EGRESS_PLAIN=1 posts with the unshared mpipe_equeue_put (only
 * right when every stack tile has its own rings: G = stack tiles). */
#ifndef DLIBOS_EGRESS_STATS
#define DLIBOS_EGRESS_STATS 0
#endif
#ifndef DLIBOS_EGRESS_GROUPS
#define DLIBOS_EGRESS_GROUPS 0
#endif
#ifndef DLIBOS_EGRESS_PLAIN
#define DLIBOS_EGRESS_PLAIN 0
#endif
static uint64_t eg_posts, eg_insns, eg_cycles;
static mpipe_eshare_stats eg_stats;

/* Posts descriptors d[0..n) on port p's ring (shared with other stack
 * tiles), waiting for room and for the earlier posters. */
static void post(unsigned p, const mpipe_edesc *d, unsigned n, unsigned si)
{
    if (!eg_ready) { /* stack index 0 sets the shared rings up */
        while (__atomic_load_n(&ctl->ready, __ATOMIC_ACQUIRE) != EG_READY) {}
        eg_ready = 1;
    }
    uint64_t i0 = DLIBOS_EGRESS_STATS ? tile_instret() : 0, c0 = DLIBOS_EGRESS_STATS ? tile_cycles() : 0;
    slots[si].ering = p;
    if (DLIBOS_EGRESS_PLAIN) {
        mpipe_equeue *q = &eq[p];
        while (mpipe_equeue_put(q, d, n) < 0) mpipe_equeue_wait(q, mpipe_equeue_reap(q));
        slots[si].need = q->tail;
    } else {
        slots[si].need = mpipe_equeue_put_shared(&eq[p], eqs[p], d, n, DLIBOS_EGRESS_STATS ? &eg_stats : NULL);
    }
    if (DLIBOS_EGRESS_STATS) {
        eg_posts++;
        eg_insns += tile_instret() - i0;
        eg_cycles += tile_cycles() - c0;
    }
}

/* The ports a frame to dst goes out of: one, or all of them. */
static void port_range(const uint8_t *dst, unsigned *p0, unsigned *p1)
{
    int p = (dst[0] & 1) ? -1 : mac_port(dst);
    if (p >= 0 && (unsigned)p < ports) { *p0 = (unsigned)p; *p1 = (unsigned)p + 1; }
    else { *p0 = 0; *p1 = ports; }
}

/* A frame out of its port(s): the header (a whole frame when n = 0) copied
 * into a slot, then the n payload slices gathered from where they are (the
 * app's TX region), the last descriptor ending the packet. */
static int hal_tx_gather(void *ctx, const uint8_t *hdr, uint32_t hlen, const net_iov_t *iov, uint32_t n)
{
    (void)ctx;
    if (!serving || hlen > SLOT_BYTES || n > NET_IOV_MAX) { tx_drop++; return -1; }
    unsigned p0, p1;
    port_range(hdr, &p0, &p1);
    for (unsigned p = p0; p < p1; p++) {
        unsigned si;
        uint8_t *s = slot_take(&si);
        memcpy(s, hdr, hlen);
        mpipe_edesc d[1 + NET_IOV_MAX];
        d[0].w0 = mpipe_edesc_w0(hlen, n == 0, 0);
        d[0].bdesc = mpipe_bdesc((uint64_t)(uintptr_t)s, 0, 0, MPIPE_C_UNCHAINED);
        for (uint32_t i = 0; i < n; i++) {
            d[1 + i].w0 = mpipe_edesc_w0(iov[i].len, i + 1 == n, 0);
            d[1 + i].bdesc = mpipe_bdesc((uint64_t)(uintptr_t)iov[i].p, 0, 0, MPIPE_C_UNCHAINED);
        }
        post(p, d, 1 + n, si);
    }
    return 0;
}

/* A frame the stack built whole (ARP, control and short segments). */
static int hal_tx(void *ctx, const uint8_t *frame, uint32_t len)
{
    return hal_tx_gather(ctx, frame, len, NULL, 0);
}

#define PEER_TOKEN (~0ULL) /* a frame of our own making, not an mPIPE buffer */

static void hal_rx_release(void *ctx, uint64_t token)
{
    (void)ctx;
    if (token != PEER_TOKEN) mpipe_buffer_push(token);
}

/* ---- ARP shared between the stack tiles (DLIBOS_Q_PEER, dlibos.h) ---- */

static unsigned me, stack_tiles;
static const uint32_t *peer_tiles; /* the stack tiles' tile numbers, by stack index */
static dl_udn_tp_t udn_tp;

/* An ARP frame for our address: tell the other stack tiles who sent it. */
static void arp_share(const uint8_t *f, uint32_t len)
{
    if (stack_tiles < 2 || len < 42 || f[12] != 0x08 || f[13] != 0x06 || f[21] > 2) return;
    uint32_t tpa = (uint32_t)f[38] << 24 | (uint32_t)f[39] << 16 | (uint32_t)f[40] << 8 | f[41];
    uint32_t spa = (uint32_t)f[28] << 24 | (uint32_t)f[29] << 16 | (uint32_t)f[30] << 8 | f[31];
    if (tpa != DLIBOS_IP || spa == 0 || (f[22] & 1)) return;
    uint64_t w[2] = { (uint64_t)DLIBOS_PEER_ARP << 56 | spa, 0 };
    for (int i = 0; i < 6; i++) w[1] = w[1] << 8 | f[22 + i];
    for (unsigned s = 0; s < stack_tiles; s++)
        if (s != me) dl_udn_send(&udn_tp, peer_tiles[s], DLIBOS_Q_PEER, w, 2);
}

/* What another stack tile learnt: fed to our stack as an ARP reply to us. */
static uint32_t arp_from_peers(const uint8_t *our_mac)
{
    uint32_t n = 0;
    while (dl_udn_read(UDN_COUNT(DLIBOS_Q_PEER)) >= 2) {
        uint64_t w0 = dl_udn_read(UDN_RECV(DLIBOS_Q_PEER)), w1 = dl_udn_read(UDN_RECV(DLIBOS_Q_PEER));
        n++;
        if (w0 >> 56 != DLIBOS_PEER_ARP) continue;
        uint8_t f[42], mac[6];
        for (int i = 0; i < 6; i++) mac[i] = (uint8_t)(w1 >> (40 - 8 * i));
        uint32_t spa = (uint32_t)w0;
        memcpy(f, our_mac, 6);
        memcpy(f + 6, mac, 6);
        const uint8_t hdr[8] = { 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4 };
        memcpy(f + 12, hdr, 8);
        f[20] = 0;
        f[21] = 2;
        memcpy(f + 22, mac, 6);
        for (int i = 0; i < 4; i++) f[28 + i] = (uint8_t)(spa >> (24 - 8 * i));
        memcpy(f + 32, our_mac, 6);
        for (int i = 0; i < 4; i++) f[38 + i] = (uint8_t)(DLIBOS_IP >> (24 - 8 * i));
        net_input_ref(net, f, sizeof f, PEER_TOKEN);
    }
    return n;
}

/* ---- TCP <-> socket interface ---- */

static int32_t map_get(uint32_t h)
{
    uint32_t i = h & (MAX_CONNS - 1);
    return conn_map[i].idx >= 0 && conn_map[i].handle == h ? conn_map[i].idx : -1;
}
static void map_set(uint32_t h, int32_t idx)
{
    conn_map[h & (MAX_CONNS - 1)].handle = h;
    conn_map[h & (MAX_CONNS - 1)].idx = idx;
}

/* The app tiles served and their RX pools: a connection belongs to the app
 * tile whose pool its frames land in (the mPIPE rules choose the pool, so
 * only that tile can read them). */
static unsigned napps;
static const sock_stack_app_t *apps;
static struct { uint64_t base, size; } pools[SOCK_STACK_APPS_MAX];
static uint32_t frame_app = SOCK_STACK_ANY_APP; /* app slot of the frame being input */
static uint64_t accepted;                      /* connections given to an app tile */

static unsigned stacks_per_app; /* dl_stacks_per_app(napps): 1 or 2 */

/* The app slot whose buffer stack (and RX pool) holds frame f of buffer
 * descriptor b: stack s belongs to slot s / stacks_per_app (setup_stacks). */
static uint32_t app_of_frame(const uint8_t *f, uint64_t b)
{
    uint32_t i = mpipe_bdesc_stack(b) >> (stacks_per_app - 1);
    uint64_t a = (uint64_t)(uintptr_t)f;
    return i < napps && a - pools[i].base < pools[i].size ? i : SOCK_STACK_ANY_APP;
}

static void hal_tcp_event(void *ctx, uint32_t conn, uint32_t ev)
{
    (void)ctx;
    if (ev & NET_EV_ACCEPT) {
        uint32_t ip;
        uint16_t port, lport;
        int32_t idx = -1;
        if (net_tcp_peer(net, conn, &ip, &port, &lport) == 0)
            idx = sock_stack_tcp_accept_app(ss, conn, lport, ip, port, frame_app);
        if (idx >= 0 && accepted++ == 0)
            printf("stack tile %u: first connection, for app tile %u\n", me,
                   (unsigned)apps[sock_stack_conn_app(ss, (uint32_t)idx)].tile);
        if (idx < 0) {
            net_tcp_abort(net, conn);
            return;
        }
        map_set(conn, idx);
    }
    int32_t idx = map_get(conn);
    if (idx < 0) return;
    if (ev & NET_EV_SENT) {
        int64_t b = net_tcp_sent(net, conn);
        if (b > 0) sock_stack_tcp_sent(ss, (uint32_t)idx, (uint32_t)b);
    }
    if (ev & NET_EV_READABLE) sock_stack_tcp_readable(ss, (uint32_t)idx);
    if (ev & NET_EV_PEER_FIN) sock_stack_tcp_peer_fin(ss, (uint32_t)idx);
    if (ev & NET_EV_RESET) {
        sock_stack_tcp_reset(ss, (uint32_t)idx); /* releases the references it held */
        map_set(conn, -1);
        net_tcp_close(net, conn);                /* gives the handle up */
    }
}

static void hal_tcp_done(void *ctx, uint32_t conn)
{
    (void)ctx;
    int32_t idx = map_get(conn);
    if (idx < 0) return;
    map_set(conn, -1);
    sock_stack_tcp_done(ss, (uint32_t)idx);
}

static int op_listen(void *c, uint16_t port, uint32_t backlog)
{
    (void)c;
    int rc = net_tcp_listen(net, port, backlog);
    return rc == -NET_EADDRINUSE ? 0 : rc; /* several app tiles on one port */
}
static int op_send(void *c, uint64_t conn, uint64_t addr, uint32_t len)
{
    (void)c;
    return net_tcp_send_ref(net, (uint32_t)conn, (const void *)(uintptr_t)addr, len) == (int64_t)len ? 0 : -1;
}
static int op_recv(void *c, uint64_t conn, sock_rx_t *out)
{
    (void)c;
    net_rx_ref_t r;
    if (net_tcp_read_ref(net, (uint32_t)conn, &r) <= 0) return 0;
    out->addr = (uint64_t)(uintptr_t)r.data;
    out->len = r.len;
    out->token = r.id;
    return 1;
}
static void op_release(void *c, uint64_t conn, uint64_t token)
{
    (void)c;
    net_tcp_release(net, (uint32_t)conn, (uint32_t)token);
}
static void op_close(void *c, uint64_t conn)
{
    (void)c;
    net_tcp_close(net, (uint32_t)conn); /* tcp_done follows (maybe at once) */
}
static void op_abort(void *c, uint64_t conn)
{
    (void)c;
    int32_t idx = map_get((uint32_t)conn);
    net_tcp_abort(net, (uint32_t)conn); /* no tcp_done from net after an abort */
    if (idx >= 0) {
        map_set((uint32_t)conn, -1);
        sock_stack_tcp_done(ss, (uint32_t)idx);
    }
}

/* ---- set-up ---- */

static _Alignas(64) uint8_t net_mem[512 * 1024];
static _Alignas(64) uint8_t ss_mem[256 * 1024];

/* App slot a's buffer stacks in its own RX pool (which only it and the
 * stack tiles may read): with `per` = 2, stacks 2a (256 B) and 2a + 1
 * (1664 B); with `per` = 1, stack a (1664 B: any frame up to
 * mpipe.max_frame). The mPIPE rules (mpipe.rules) pick them: by port
 * ("dport=8 stacks=2-3 ...") or by bucket ("stacks=0-27 split=28": one set
 * of stacks per app tile; stack/dlibos/README.md). */
static void setup_stacks(unsigned a, unsigned per, const boot_region *pool)
{
    if (per == 1) {
        mpipe_stack_init(a, LARGE_CLASS, pool->base, pool->size / mpipe_size_class_bytes(LARGE_CLASS));
        return;
    }
    uint64_t small = MPIPE_BUFFER_ALIGN * ((pool->size / 4) / MPIPE_BUFFER_ALIGN);
    mpipe_stack_init(2 * a, SMALL_CLASS, pool->base, small / mpipe_size_class_bytes(SMALL_CLASS));
    mpipe_stack_init(2 * a + 1, LARGE_CLASS, pool->base + small,
                     (pool->size - small) / mpipe_size_class_bytes(LARGE_CLASS));
}

/* Buffer stacks per app tile: two while they fit the 32, else one. */
unsigned dl_stacks_per_app(unsigned napps_)
{
    return 2 * napps_ <= MPIPE_STACKS ? 2 : 1;
}

/* Stack index 0, before any other stack tile posts or gets a frame: the
 * buffer stacks of every app tile served (in its RX pool, when it has one
 * big enough), the shared egress rings and their counters (then the ready
 * word), every bucket pointing at the serving tiles' rings. */
static void setup_chip(const dl_stack_cfg_t *c, unsigned rings, unsigned groups, uint64_t ering_base)
{
    unsigned per = dl_stacks_per_app(c->napps);
    for (unsigned i = 0; i < c->napps; i++) {
        const boot_region *pool = tile_region(BOOT_REGION_RX_POOL, i);
        if (per * (i + 1) <= MPIPE_STACKS && pool && pool->size >= 4 * mpipe_size_class_bytes(LARGE_CLASS))
            setup_stacks(i, per, pool);
        else
            printf("stack tile 0: app tile %u gets no buffer stacks (no RX pool big enough, or no stack left)\n",
                   (unsigned)c->apps[i].tile);
    }
    memset(ctl, 0, sizeof *ctl);
    for (unsigned g = 0; g < groups; g++)
        for (unsigned p = 0; p < ports; p++)
            mpipe_equeue_init(&eq[p], g * ports + p, ering_base + (g * ports + p) * ERING_BYTES, ERING_ENTRIES, p, -1);
    __atomic_store_n(&ctl->ready, EG_READY, __ATOMIC_RELEASE);
    mpipe_group_init(0, 0, rings);
    mpipe_buckets_init(0, MPIPE_BUCKETS, 0, 0, rings, MPIPE_MODE_STATIC);
}

static uint8_t our_mac[6]; /* net.mac, from the boot information */
static mpipe_iqueue iq;
static uint64_t last_timer;

/* Ports served (at most MPIPE_CHANNELS), and the egress ring groups G. */
static unsigned ports_now(void)
{
    unsigned p = mpipe_port_count();
    return p > MPIPE_CHANNELS ? MPIPE_CHANNELS : p;
}
static unsigned groups_for(unsigned stack_tiles_, unsigned p)
{
    unsigned g = DLIBOS_EGRESS_GROUPS ? DLIBOS_EGRESS_GROUPS : MPIPE_EGRESS_RINGS / p;
    return g < stack_tiles_ ? g : stack_tiles_;
}

unsigned dl_stack_rings_for(unsigned stack_tiles_, const boot_region *rings)
{
    unsigned p = ports_now();
    if (p == 0 || !rings || stack_tiles_ == 0) return 0;
    uint64_t fixed = CTL_BYTES + (uint64_t)groups_for(stack_tiles_, p) * p * ERING_BYTES;
    if (rings->size < fixed + RING_BYTES) return 0;
    uint64_t fit = (rings->size - fixed) / RING_BYTES;
    unsigned e = stack_tiles_;
    if (e > MPIPE_RINGS) e = MPIPE_RINGS;
    if (e > fit) e = (unsigned)fit;
    return e;
}

/* The app tiles served and their RX pools (app slot i reads RX pool i). */
static const char *init_apps(const dl_stack_cfg_t *c)
{
    if (c->napps == 0 || c->napps > SOCK_STACK_APPS_MAX) return "no app tile, or too many";
    napps = c->napps;
    apps = c->apps;
    stacks_per_app = dl_stacks_per_app(napps);
    for (unsigned i = 0; i < napps; i++) {
        const boot_region *pool = tile_region(BOOT_REGION_RX_POOL, i);
        if (!pool || !(pool->rights & BOOT_RIGHT_R)) return "needs read access to every app tile's RX pool";
        pools[i].base = pool->base;
        pools[i].size = pool->size;
    }
    return NULL;
}

/* Which stack tiles serve frames, this tile's header slots and rings (the
 * mPIPE first: frames that come while the rest is set up wait in the
 * ring). */
static const char *init_rings(const dl_stack_cfg_t *c, const boot_region *rings, const boot_region *hdr)
{
    unsigned t = c->tile;
    ports = ports_now();
    if (ports == 0) return "no port";
    unsigned e = dl_stack_rings_for(c->stack_tiles, rings);
    if (e == 0) return "the rings region holds no notification ring";
    unsigned groups = groups_for(c->stack_tiles, ports);
    uint64_t ering_base = rings->base + CTL_BYTES + (uint64_t)e * RING_BYTES;
    ctl = (eg_ctl_t *)(uintptr_t)rings->base;
    serving = t < e;
    uint64_t hdr_share = hdr->size / c->stack_tiles;
    hdr_share -= hdr_share % SLOT_BYTES;
    nslots = (unsigned)(hdr_share / SLOT_BYTES);
    if (nslots > SLOTS_MAX) nslots = SLOTS_MAX;
    if (nslots < 4) return "the hdr region is too small for its stack tiles";
    hdr_base = hdr->base + t * hdr_share;
    for (unsigned i = 0; i < nslots; i++) slots[i].ering = ~0u;
    if (serving) {
        unsigned g = t % groups;
        if (t == 0) setup_chip(c, e, groups, ering_base);
        mpipe_iqueue_init(&iq, t, rings->base + CTL_BYTES + t * RING_BYTES, RING_ENTRIES, (int)c->self_tile);
        for (unsigned p = 0; p < ports; p++) {
            mpipe_equeue_attach(&eq[p], g * ports + p, ering_base + (g * ports + p) * ERING_BYTES, ERING_ENTRIES);
            eqs[p] = &ctl->ring[g * ports + p];
        }
    }
    return NULL;
}

/* This tile's stack/net instance. */
static const char *init_net(unsigned t)
{
    net_config_t nc;
    net_config_default(&nc);
    nc.ip = DLIBOS_IP;
    nc.netmask = DLIBOS_NETMASK;
    for (int i = 0; i < 6; i++) our_mac[i] = (uint8_t)(tile_boot_info()->mac >> (40 - 8 * i));
    memcpy(nc.mac, our_mac, 6);
    nc.max_conns = MAX_CONNS;
    nc.hash_buckets = MAX_CONNS;
    nc.copy_api = 0;
    /* the echo releases what it received once it has queued its answer, so
     * the peer may send a window more before that answer is acknowledged:
     * room for four windows of unacknowledged answers (a SEND beyond it is
     * refused: stack/dlibos/README.md) */
    nc.snd_buf = 4 * nc.rcv_buf;
    nc.rx_frames = 1024;
    nc.rto_init_ns = 1000000;   /* simulated runs last milliseconds */
    nc.rto_min_ns = 1000000;
    nc.delack_ns = 200000;
    nc.msl_ns = 1000000;
    nc.arp_retry_ns = 1000000;
    nc.arp_entries = ARP_ENTRIES;
    nc.secret = 0x5eed5eed00000000ULL + t;
    net_hal_t hal = { 0 };
    hal.now_ns = now_ns;
    hal.tx = hal_tx;
    hal.tx_gather = hal_tx_gather;
    hal.tcp_event = hal_tcp_event;
    hal.rx_release = hal_rx_release;
    hal.tcp_done = hal_tcp_done;
    if (net_footprint(&nc) == 0 || net_footprint(&nc) > sizeof net_mem) return "net does not fit its memory";
    net = net_join(net_new(net_mem, &nc, &hal));
    return net ? NULL : "net_new failed";
}

const char *dl_stack_init(const dl_stack_cfg_t *c)
{
    unsigned t = c->tile;
    const boot_region *rings = tile_region(BOOT_REGION_RINGS, BOOT_APP_NONE);
    const boot_region *hdr = tile_region(BOOT_REGION_HDR, BOOT_APP_NONE);
    const unsigned rw = BOOT_RIGHT_R | BOOT_RIGHT_W;
    if (!rings || !hdr || (rings->rights & rw) != rw || (hdr->rights & rw) != rw)
        return "needs rw rings and hdr regions";
    me = t;
    stack_tiles = c->stack_tiles;
    peer_tiles = c->peers;
    udn_tp.width = c->width;
    for (unsigned i = 0; i < MAX_CONNS; i++) conn_map[i].idx = -1;
    const char *err = init_apps(c);
    if (!err) err = init_rings(c, rings, hdr);
    if (!err) err = init_net(t);
    if (err) return err;

    /* the socket interface: the app tiles it serves, with their TX regions */
    sock_stack_cfg_t sc = { .tile = c->self_tile, .max_conns = MAX_CONNS, .rx_refs = 16,
                            .req_credits = c->req_credits, .evt_credits = c->evt_credits,
                            .napps = c->napps, .apps = c->apps, .seed = 0xd11b05ULL + t };
    sock_tcp_ops_t ops = { NULL, op_listen, op_send, op_recv, op_release, op_close, op_abort };
    if (sock_stack_footprint(&sc) == 0 || sock_stack_footprint(&sc) > sizeof ss_mem)
        return "sock_stack does not fit its memory";
    ss = sock_stack_join(sock_stack_new(ss_mem, &sc, &c->tp, &ops));
    if (!ss) return "sock_stack_new failed";
    register_counters();
    return NULL;
}

/* Prints the non-zero sock counters when a rejection counter changed since
 * the last print, when idle or 200 us after the last print: what the tests
 * read of the stack's checks (tests/dlibos/test_hostile.c). Honest runs
 * print nothing. */
static void report_rejections(int idle)
{
    static uint64_t last, last_ns;
    const sock_stack_counters_t *c = sock_stack_counters(ss);
    uint64_t now = c->sock_err_ev + c->sock_not_app + c->sock_no_credit + c->sock_credit_excess +
                   c->sock_sender_forged + c->sock_req - c->sock_req_ok;
    if (now == last || (!idle && now_ns(NULL) - last_ns < 200000u)) return;
    last = now;
    last_ns = now_ns(NULL);
    const uint64_t *v = (const uint64_t *)c;
    printf("stack tile %u: sock", me);
    for (unsigned i = 0; i < SOCK_STACK_COUNTER_CNT; i++)
        if (v[i]) printf(" %s=%lu", sock_stack_counter_name(i), (unsigned long)v[i]);
    printf("\n");
}

/* What was lost to a full table (ARP cache, connections) or a full egress,
 * printed when it grows (at most every 200 us while busy): a capacity limit
 * reached is never silent. Runs within the limits print nothing. */
static void report_capacity(int idle)
{
    static uint64_t last, last_ns;
    const net_counters_t *c = net_counters(net);
    uint64_t now = c->arp_evict + c->arp_miss_drop + c->arp_fail + c->tcp_conn_full + tx_drop;
    if (now == last || (!idle && now_ns(NULL) - last_ns < 200000u)) return;
    last = now;
    last_ns = now_ns(NULL);
    printf("stack tile %u: limits reached: arp_evict=%lu arp_miss_drop=%lu arp_fail=%lu tcp_conn_full=%lu "
           "tx_drop=%lu\n", me, (unsigned long)c->arp_evict, (unsigned long)c->arp_miss_drop,
           (unsigned long)c->arp_fail, (unsigned long)c->tcp_conn_full, (unsigned long)tx_drop);
}

/* With DLIBOS_EGRESS_STATS: the egress figures, when idle and changed. */
static void report_egress(int idle)
{
    static uint64_t last;
    if (!DLIBOS_EGRESS_STATS || !idle || eg_posts == last) return;
    last = eg_posts;
    uint64_t spins = eg_stats.spins, waits = eg_stats.waits;
    printf("stack tile %u: egress posts=%lu instructions=%lu cycles=%lu spins=%lu waits=%lu\n", me,
           (unsigned long)eg_posts, (unsigned long)eg_insns, (unsigned long)eg_cycles, (unsigned long)spins,
           (unsigned long)waits);
}

/* The stack's counters (net.*, sock_*, tx_drop) reach stats.json
 * (results.tiles[t].firmware): the simulator reads them at the end. */
static const char *net_names[NET_COUNTER_CNT], *sock_names[SOCK_STACK_COUNTER_CNT];
static const char *const tx_drop_name[] = { "tx_drop" };
static tile_stat_set stat_sets[3];

static void register_counters(void)
{
    for (unsigned i = 0; i < NET_COUNTER_CNT; i++) net_names[i] = net_counter_name(i);
    for (unsigned i = 0; i < SOCK_STACK_COUNTER_CNT; i++) sock_names[i] = sock_stack_counter_name(i);
    stat_sets[0] = (tile_stat_set){ (uintptr_t)"net.", (uintptr_t)net_names, (uintptr_t)net_counters(net),
                                    NET_COUNTER_CNT };
    stat_sets[1] = (tile_stat_set){ (uintptr_t)"", (uintptr_t)sock_names, (uintptr_t)sock_stack_counters(ss),
                                    SOCK_STACK_COUNTER_CNT };
    stat_sets[2] = (tile_stat_set){ (uintptr_t)"", (uintptr_t)tx_drop_name, (uintptr_t)&tx_drop, 1 };
    for (unsigned i = 0; i < 3; i++) tile_stat_register(&stat_sets[i]);
}

int dl_stack_serving(void) { return (int)serving; }
int dl_stack_idle(void) { return net_conns_used(net) == 0; }

void dl_stack_sleep(void)
{
    /* the next timer tick's first cycle (now_ns reaches it), or none */
    uint64_t tick = ((last_timer + TIMER_NS) * DLIBOS_CLOCK_MHZ + 999u) / 1000u;
    tile_wake_at(dl_stack_idle() ? 0 : tick);
    dl_udn_wait(NULL);
}

uint32_t dl_stack_poll(void)
{
    uint32_t work = 0;
    volatile mpipe_idesc *d;
    while (serving && work < RX_BUDGET && (d = mpipe_iqueue_peek(&iq))) {
        uint64_t b = d->bdesc;
        uint32_t len = d->l2_size;
        unsigned ch = d->channel;
        int bad = mpipe_bdesc_c(b) != MPIPE_C_UNCHAINED || (d->flags & MPIPE_IDESC_TR);
        if (bad) mpipe_frame_free(d);
        mpipe_iqueue_consume(&iq, d);
        work++;
        if (bad) continue;
        const uint8_t *f = (const uint8_t *)mpipe_hal_ptr(mpipe_bdesc_data(b));
        if (len >= 12) mac_learn(f + 6, ch);
        arp_share(f, len);
        work += arp_from_peers(our_mac); /* before each frame: it may need them */
        frame_app = app_of_frame(f, b);
        net_input_ref(net, f, len, b);
        frame_app = SOCK_STACK_ANY_APP;
    }
    work += arp_from_peers(our_mac);
    work += sock_stack_input(ss, RX_BUDGET);
    uint64_t now = now_ns(NULL);
    if (now - last_timer >= TIMER_NS) {
        net_timer(net);
        last_timer = now;
    }
    work += sock_stack_output(ss);
    report_rejections(!work);
    report_capacity(!work);
    report_egress(!work);
    return work;
}
