/* config.h - the simulator's configuration: one struct with a section per
 * model, filled from built-in defaults, an INI file (libinih) and --set
 * overrides. Every key is described once, in the table of config_keys.c. */
#ifndef DL_SIM_CONFIG_H
#define DL_SIM_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CFG_STR_MAX 256
/* Longest line of a configuration file, in characters without the line end
 * (a string value is at most CFG_STR_MAX - 1 = 255 characters; the rest is
 * room for the key and a comment). */
#define CFG_LINE_MAX 1024

/* Enumerations stored as ints; the names are in config_keys.c. */
enum { CFG_ORDER_XY = 0, CFG_ORDER_YX = 1 };
enum { CFG_ARB_ROUND_ROBIN = 0, CFG_ARB_FIXED = 1 };
enum { CFG_DEPLOY_DLIBOS = 0, CFG_DEPLOY_BASELINE = 1 };
enum { CFG_FAULTS_NONE = 0, CFG_FAULTS_ANY };   /* run.expect_faults */
enum { CFG_LOOP_CLOSED = 0, CFG_LOOP_OPEN };     /* workload.loop */
/* workload.kind; a new kind goes here, in config_keys.c's choices, in
 * client_driver_new (replay: ClientSystem builds its driver) and in
 * ClientSystem::results' names */
enum { CFG_WL_ECHO = 0, CFG_WL_WEB, CFG_WL_MEMCACHED, CFG_WL_ETC, CFG_WL_REPLAY };
enum { CFG_ARRIVALS_GPARETO = 0, CFG_ARRIVALS_POISSON };         /* workload.etc_arrivals */
enum { CFG_POP_WEIGHT = 0, CFG_POP_ZIPF };       /* workload.web_popularity */
enum { CFG_REPLAY_TIMED = 0, CFG_REPLAY_CLOSED }; /* workload.replay_mode */
/* Page sizes (mem.*_page) in choice order, and rights (bit 0 read, 1 write,
 * 2 execute: the choice index is the bit mask). */
enum { CFG_PAGE_16K = 0, CFG_PAGE_64K, CFG_PAGE_16M, CFG_PAGE_4G };
#define CFG_PAGE_BYTES(p) ((p) == CFG_PAGE_16K ? (16ULL << 10) : (p) == CFG_PAGE_64K ? (64ULL << 10) \
                           : (p) == CFG_PAGE_16M ? (16ULL << 20) : (4ULL << 30))
#define CFG_RIGHTS_CHOICES "none|r|w|rw|x|rx|wx|rwx"

typedef struct dl_config {
    struct {
        char name[CFG_STR_MAX];
        int64_t width, height;     /* tiles */
        int64_t clock_mhz;
    } chip;
    struct {
        int timing;                /* bool: timing model on */
        int64_t issue_width;       /* instructions per cycle, in order */
        int64_t load_use;          /* cycles from an L1-hit load to its use */
        int64_t branch_taken;      /* penalty of a correctly predicted taken branch */
        int64_t mispredict;        /* penalty of a mispredicted branch */
        int64_t mul_latency, div_latency;
        int64_t misaligned_penalty;
        int64_t quantum;           /* cycles a core may run ahead of SystemC time */
    } core;
    struct {
        int order;                 /* CFG_ORDER_* */
        int64_t hop_latency;       /* cycles per router hop */
        int64_t queues;            /* demux queues per tile */
        int64_t queue_words;       /* capacity of one demux queue */
        int64_t router_buffer;     /* words of input buffer per router port */
        int arbitration;           /* CFG_ARB_*: who wins a free router output */
        int hardwall;              /* bool: confine traffic to the rectangle below */
        int64_t hardwall_x0, hardwall_y0;  /* its top-left tile (inclusive) */
        int64_t hardwall_x1, hardwall_y1;  /* its bottom-right tile (inclusive) */
        int sender_id;             /* bool: queues record senders (UDN_SENDER; not a TILE-Gx feature) */
    } mesh;
    struct {
        int64_t classifiers;
        int64_t classify_cycles;
        char rules[CFG_STR_MAX];   /* classifier rules, see models/mpipe/mpipe_classify.h */
        int64_t dma_latency;       /* cycles from a DMA transfer to its data in memory */
        int64_t dma_bytes_per_cycle;
        int64_t max_frame;         /* bytes without FCS; longer frames are dropped */
        int64_t egress_sf_blocks;  /* 128-byte blocks read before transmission starts */
    } mpipe;
    struct {
        int64_t count;
        double rate_gbps;
        int pad_short;             /* bool: pad short backend frames to 60 bytes */
    } port;
    struct {
        int64_t dram_mib;
        int protection;            /* bool */
        /* address space: private regions' pages; per shared region kind
         * (rings, hdr, rx_pool, tx, shared): size, page, rights per role */
        int code_page, data_page;  /* CFG_PAGE_* */
        int64_t rings_kib, hdr_kib, rx_pool_kib, tx_kib;
        int rings_page, hdr_page, rx_pool_page, tx_page, shared_page;
        int rings_stack, rings_app, rings_baseline;        /* CFG_RIGHTS_* bits */
        int hdr_stack, hdr_app, hdr_baseline;
        int rx_pool_stack, rx_pool_app, rx_pool_baseline;
        int tx_stack, tx_app, tx_baseline;
        int shared_stack, shared_app, shared_baseline;
        int mpipe_app;             /* an app tile's rights on the mPIPE pages */
        /* MMU */
        int64_t itlb_entries, itlb_assoc, dtlb_entries, dtlb_assoc, tlb_refill;
        /* caches and latencies */
        int timing;                /* bool: cache model on (with core.timing) */
        int64_t line_bytes, l1i_kib, l1i_assoc, l1d_kib, l1d_assoc, l2_kib, l2_assoc;
        int64_t l2_latency, remote_latency, hop_cycles, dram_latency;
        int64_t controllers, controller_interleave;
        int homing;                /* MEM_HOMING_*: hash | page */
    } mem;
    struct {
        int mode;                  /* CFG_DEPLOY_* */
        int64_t stack_tiles;
        char firmware[CFG_STR_MAX]; /* ELF run on every tile; "" = idle tiles.
                                     * A relative path in a file is resolved
                                     * against the file's folder. */
        char firmware_from[CFG_STR_MAX]; /* where it was set: FILE:LINE, the
                                     * --set argument, or "" (default) */
        char stack_firmware[CFG_STR_MAX]; /* ELF of the stack tiles (dlibos);
                                     * "" = deployment.firmware. Resolved alike. */
        char stack_firmware_from[CFG_STR_MAX];
        char app_firmware[CFG_STR_MAX]; /* ELF of the app tiles (dlibos);
                                     * "" = deployment.firmware. Resolved alike. */
        char app_firmware_from[CFG_STR_MAX];
        char tile_firmware[CFG_STR_MAX]; /* "TILE:PATH[,TILE:PATH...]": tiles
                                     * with an image of their own (any role);
                                     * each PATH resolved alike. */
        char tile_firmware_from[CFG_STR_MAX];
        char stack_set[CFG_STR_MAX];  /* "" (tiles 0 .. stack_tiles-1) or a list such as 0,5,30-31 */
        char app_args[CFG_STR_MAX];   /* handed to the app (and baseline) tiles in boot_info */
    } deployment;
    struct {
        char address[CFG_STR_MAX]; /* the chip's IPv4 address and prefix length, "10.0.0.1/24" */
        char mac[CFG_STR_MAX];     /* the chip's MAC, "02:dc:ff:00:00:01" */
    } net;
    struct {
        int64_t cycles;            /* stop after this many chip cycles */
        double time_us;            /* or after this simulated time, if > 0 */
        int64_t seed;
        double drain_us;           /* drain allowance after the last trace frame */
        int expect_faults;         /* CFG_FAULTS_*: tile faults make the exit status 1 unless any */
    } run;
    struct {                       /* simulated client hosts behind the ports (sim/client_*) */
        int64_t hosts_per_port;    /* 0: none */
        char ports[CFG_STR_MAX];   /* "all" or a list such as "0,2-3" */
        int64_t conns_per_host;
        int64_t server_port;
        int64_t requests;          /* per connection; 0: until duration_us */
        double duration_us, start_us, timeout_us;
        int64_t window_kib;
        double rto_us, delack_us, timer_us;
        int64_t switch_frames;
    } clients;
    struct {                       /* what the client hosts do (sim/client_*, configs/README.md) */
        int kind;                  /* CFG_WL_* */
        int loop;                  /* CFG_LOOP_* */
        double rate;               /* open loop: requests per second, all connections together */
        double think_us;           /* closed loop: mean think time */
        int64_t seed;              /* 0: run.seed */
        double warmup_us;          /* answers before start_us + warmup_us are not counted */
        int64_t echo_bytes;        /* kind echo: bytes per request */
        char web_paths[CFG_STR_MAX]; /* kind web: "[HEAD:|404:]PATH[*WEIGHT],..." ("" every document) */
        int web_popularity;        /* CFG_POP_*: by weight, or Zipf over the entries in order */
        double web_zipf_s;         /* its exponent */
        int web_keepalive;
        int64_t web_pipeline;
        int64_t mc_keys, mc_value_bytes, mc_multiget;   /* kind memcached */
        double mc_get_ratio;
        int64_t etc_keys, etc_value_max;                /* kind etc */
        double etc_zipf_s, etc_get_ratio;
        int etc_arrivals;          /* CFG_ARRIVALS_* */
        char trace[CFG_STR_MAX];   /* kind replay: the pcap whose clients are replayed; resolved
                                    * as deployment.firmware */
        char trace_from[CFG_STR_MAX];
        int replay_mode;           /* CFG_REPLAY_* */
        double replay_speed;
        int64_t replay_port;       /* 0: each connection's captured server port */
    } workload;
} dl_config;

typedef enum { CFG_INT, CFG_DOUBLE, CFG_BOOL, CFG_ENUM, CFG_STRING } cfg_type;

typedef struct cfg_key {
    const char *section;
    const char *key;
    cfg_type type;
    const char *def;       /* default, as text: parsed like user input */
    double min, max;       /* inclusive range for CFG_INT and CFG_DOUBLE */
    const char *choices;   /* CFG_ENUM: names separated by '|', in enum order */
    size_t offset;         /* of the field in dl_config */
    const char *help;      /* one line */
} cfg_key;

/* The key table and the section names, in documentation order. */
const cfg_key *cfg_keys(size_t *count);
const char *const *cfg_sections(size_t *count);

/* Fills every key with its default. */
void cfg_defaults(dl_config *c);

/* Each returns 0 on success, or -1 with a one-line message in err that names
 * where the problem is (file and line, or the --set argument), the key and
 * what was expected. */
int cfg_load_file(dl_config *c, const char *path, char *err, size_t errlen);
int cfg_set_arg(dl_config *c, const char *assignment, char *err, size_t errlen);
int cfg_set(dl_config *c, const char *section, const char *key,
            const char *value, const char *where, char *err, size_t errlen);

/* Checks what no single key's range can: relations between keys (TLB
 * geometry, the hardwall rectangle inside the mesh) and that the firmware
 * file can be read. Call after the file and every --set. Returns 0, or -1
 * with a message in err naming the key(s) and, for the firmware, where it
 * was set. */
int cfg_check(const dl_config *c, char *err, size_t errlen);

/* net.address and net.mac, parsed (host byte order; mac byte 0 in bits
 * 47..40). Returns 0, or -1 with a message naming the key. */
int cfg_net(const dl_config *c, uint32_t *ip, uint32_t *netmask, uint64_t *mac, char *err, size_t errlen);

/* The stack tiles as a set (bit t of set[t / 64]): deployment.stack_set, or
 * tiles 0 .. deployment.stack_tiles-1 when it is empty. Returns the count,
 * or -1 with a message naming the key. */
int cfg_stack_set(const dl_config *c, uint64_t set[4], char *err, size_t errlen);

/* deployment.tile_firmware, parsed: at most CFG_TILE_FW_MAX entries, each a
 * tile number and its ELF's path (already resolved against its file). */
#define CFG_TILE_FW_MAX 16
typedef struct cfg_tile_fw {
    int tile;
    char path[CFG_STR_MAX];
} cfg_tile_fw;
/* Splits c->deployment.tile_firmware into out[]; returns the count, or -1
 * with a message naming the key, where it was set and the bad entry (not
 * TILE:PATH, a tile beyond chip.width * chip.height, a tile named twice). */
int cfg_tile_firmware(const dl_config *c, cfg_tile_fw *out, char *err, size_t errlen);

/* Writes key = value for one key into buf (the value as an INI file takes it). */
void cfg_format_value(const dl_config *c, const cfg_key *k, char *buf, size_t len);

/* Prints the table: section.key, type, default, range, meaning. */
void cfg_print_help(FILE *out);

/* The cycle count at which the run stops (run.time_us wins when set). */
uint64_t cfg_run_cycles(const dl_config *c);

#ifdef __cplusplus
}
#endif
#endif
