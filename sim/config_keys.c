/* config_keys.c - the one table of configuration keys: section, name, type,
 * default, range and meaning. Defaults are TILE-Gx36 values from the
 * hardware notes; "assumed" marks a value no public source gives. */
#include "config.h"

#define F(field) offsetof(dl_config, field)
#define NOLIM 0, 0

static const cfg_key keys[] = {
    /* chip */
    { "chip", "name", CFG_STRING, "tilegx36", NOLIM, 0, F(chip.name),
      "name of the chip configuration, echoed in the outputs" },
    { "chip", "width", CFG_INT, "6", 1, 16, 0, F(chip.width),
      "tiles per mesh row (TILE-Gx36: 6)" },
    { "chip", "height", CFG_INT, "6", 1, 16, 0, F(chip.height),
      "tiles per mesh column (TILE-Gx36: 6)" },
    { "chip", "clock_mhz", CFG_INT, "1200", 1, 10000, 0, F(chip.clock_mhz),
      "tile and mesh clock in MHz (TILE-Gx36: 1200)" },

    /* core */
    { "core", "timing", CFG_BOOL, "on", NOLIM, 0, F(core.timing),
      "timing model on; off = one cycle per instruction (fast functional runs)" },
    { "core", "issue_width", CFG_INT, "3", 1, 8, 0, F(core.issue_width),
      "independent instructions issued per cycle, in order (TILE-Gx bundle: up to 3)" },
    { "core", "load_use", CFG_INT, "2", 1, 100, 0, F(core.load_use),
      "cycles from an L1-hit load to a dependent use (TILE-Gx: 2)" },
    { "core", "branch_taken", CFG_INT, "0", 0, 100, 0, F(core.branch_taken),
      "extra cycles of a correctly predicted taken branch (assumed)" },
    { "core", "mispredict", CFG_INT, "2", 0, 100, 0, F(core.mispredict),
      "extra cycles of a mispredicted branch, static predictor (assumed)" },
    { "core", "mul_latency", CFG_INT, "2", 1, 100, 0, F(core.mul_latency),
      "cycles of a multiply (TILE-Gx: 2)" },
    { "core", "div_latency", CFG_INT, "32", 1, 1000, 0, F(core.div_latency),
      "cycles of a divide or remainder (assumed; TILE-Gx divides in software)" },
    { "core", "misaligned_penalty", CFG_INT, "4", 0, 1000, 0, F(core.misaligned_penalty),
      "extra cycles of a misaligned load or store (assumed)" },
    { "core", "quantum", CFG_INT, "1000", 1, 1000000, 0, F(core.quantum),
      "cycles a core may run ahead of SystemC time between sync points" },

    /* mesh */
    { "mesh", "order", CFG_ENUM, "xy", NOLIM, "xy|yx", F(mesh.order),
      "dimension order of UDN routing (TILE-Gx: X then Y, Y then X selectable)" },
    { "mesh", "hop_latency", CFG_INT, "1", 1, 100, 0, F(mesh.hop_latency),
      "cycles per router hop (iMesh: 1; assumed for the Gx)" },
    { "mesh", "queues", CFG_INT, "4", 1, 4, 0, F(mesh.queues),
      "UDN demux queues per tile (TILE-Gx: 4)" },
    { "mesh", "queue_words", CFG_INT, "128", 2, 65536, 0, F(mesh.queue_words),
      "capacity of one demux queue in words (assumed)" },
    { "mesh", "router_buffer", CFG_INT, "4", 1, 1024, 0, F(mesh.router_buffer),
      "words of buffer per router input port (assumed)" },
    { "mesh", "arbitration", CFG_ENUM, "round_robin", NOLIM, "round_robin|fixed", F(mesh.arbitration),
      "who wins a free router output: round robin after the last grant, or fixed priority E, W, S, N, local" },
    { "mesh", "hardwall", CFG_BOOL, "off", NOLIM, 0, F(mesh.hardwall),
      "confine UDN traffic to the rectangle below: a message crossing its edge is dropped there and faults its sender" },
    { "mesh", "hardwall_x0", CFG_INT, "0", 0, 255, 0, F(mesh.hardwall_x0),
      "hardwall rectangle: first column (inclusive)" },
    { "mesh", "hardwall_y0", CFG_INT, "0", 0, 255, 0, F(mesh.hardwall_y0),
      "hardwall rectangle: first row (inclusive)" },
    { "mesh", "hardwall_x1", CFG_INT, "5", 0, 255, 0, F(mesh.hardwall_x1),
      "hardwall rectangle: last column (inclusive, below chip.width)" },
    { "mesh", "hardwall_y1", CFG_INT, "5", 0, 255, 0, F(mesh.hardwall_y1),
      "hardwall rectangle: last row (inclusive, below chip.height)" },
    { "mesh", "sender_id", CFG_BOOL, "off", NOLIM, 0, F(mesh.sender_id),
      "research option, NOT a TILE-Gx feature: demux queues record each message's sender, read by UDN_SENDER(q) (off: the register does not exist)" },

    /* mpipe */
    { "mpipe", "classifiers", CFG_INT, "10", 1, 64, 0, F(mpipe.classifiers),
      "classifier processors (TILE-Gx: 10)" },
    { "mpipe", "classify_cycles", CFG_INT, "10", 1, 100000, 0, F(mpipe.classify_cycles),
      "cycles one frame occupies a classifier processor (assumed; 10 at 1.2 GHz keep up with 4 x 10 GbE of 64-byte frames up to 201)" },
    { "mpipe", "rules", CFG_STRING, "default stacks=0-31 buckets=0+256", NOLIM, 0, F(mpipe.rules),
      "classifier rules: RULE[|RULE...], RULE = dport=P[-Q]|default stacks=S[-T][,..] buckets=FIRST+N" },
    { "mpipe", "dma_latency", CFG_INT, "80", 0, 100000, 0, F(mpipe.dma_latency),
      "cycles from a DMA transfer to its data in memory (assumed; DRAM ~67-88 cycles)" },
    { "mpipe", "dma_bytes_per_cycle", CFG_INT, "16", 1, 1024, 0, F(mpipe.dma_bytes_per_cycle),
      "bytes per cycle of the iDMA and of each port's eDMA engine (assumed)" },
    { "mpipe", "max_frame", CFG_INT, "1544", 60, 10240, 0, F(mpipe.max_frame),
      "largest frame in bytes without FCS; longer are dropped (TILE-Gx: 1544, 10240 jumbo)" },
    { "mpipe", "egress_sf_blocks", CFG_INT, "12", 1, 128, 0, F(mpipe.egress_sf_blocks),
      "128-byte blocks of a frame read before egress starts sending it (TILE-Gx: 12)" },

    /* port */
    { "port", "count", CFG_INT, "4", 0, 16, 0, F(port.count),
      "10 GbE ports on the chip (TILE-Gx36: 4)" },
    { "port", "rate_gbps", CFG_DOUBLE, "10", 0.001, 400, 0, F(port.rate_gbps),
      "line rate of each port in Gb/s" },
    { "port", "pad_short", CFG_BOOL, "on", NOLIM, 0, F(port.pad_short),
      "pad backend frames under 60 bytes to the minimum (off: drop them as runts)" },

    /* mem */
    { "mem", "dram_mib", CFG_INT, "256", 1, 1024, 0, F(mem.dram_mib),
      "shared memory (DRAM behind TILE_SHARED_BASE) in MiB, sparse on the host" },
    { "mem", "protection", CFG_BOOL, "on", NOLIM, 0, F(mem.protection),
      "per-role address spaces; off = one flat, unprotected address space" },
    /* mem: the region table (see configs/README.md): private code and data,
     * then the shared memory carved into rings, header buffers, one RX pool
     * and one TX region per application, and the rest (shared). */
#define PAGES "16k|64k|16m|4g"
#define RIGHTS CFG_RIGHTS_CHOICES
    { "mem", "code_page", CFG_ENUM, "64k", NOLIM, PAGES, F(mem.code_page),
      "TLB page size of the firmware's code region (TILE-Gx default page: 64 KiB)" },
    { "mem", "data_page", CFG_ENUM, "64k", NOLIM, PAGES, F(mem.data_page),
      "TLB page size of the firmware's data, heap and stack region" },
    { "mem", "rings_kib", CFG_INT, "2048", 64, 1048576, 0, F(mem.rings_kib),
      "KiB of shared memory for mPIPE notification and egress rings (ours)" },
    { "mem", "rings_page", CFG_ENUM, "64k", NOLIM, PAGES, F(mem.rings_page),
      "TLB page size of the rings region" },
    { "mem", "rings_stack", CFG_ENUM, "rw", NOLIM, RIGHTS, F(mem.rings_stack),
      "stack tiles' rights on the rings" },
    { "mem", "rings_app", CFG_ENUM, "none", NOLIM, RIGHTS, F(mem.rings_app),
      "app tiles' rights on the rings" },
    { "mem", "rings_baseline", CFG_ENUM, "rw", NOLIM, RIGHTS, F(mem.rings_baseline),
      "baseline tiles' rights on the rings" },
    { "mem", "hdr_kib", CFG_INT, "2048", 64, 1048576, 0, F(mem.hdr_kib),
      "KiB of shared memory for the stack's header buffers (ours)" },
    { "mem", "hdr_page", CFG_ENUM, "64k", NOLIM, PAGES, F(mem.hdr_page),
      "TLB page size of the header-buffer region" },
    { "mem", "hdr_stack", CFG_ENUM, "rw", NOLIM, RIGHTS, F(mem.hdr_stack),
      "stack tiles' rights on the header buffers" },
    { "mem", "hdr_app", CFG_ENUM, "none", NOLIM, RIGHTS, F(mem.hdr_app),
      "app tiles' rights on the header buffers" },
    { "mem", "hdr_baseline", CFG_ENUM, "rw", NOLIM, RIGHTS, F(mem.hdr_baseline),
      "baseline tiles' rights on the header buffers" },
    { "mem", "rx_pool_kib", CFG_INT, "1024", 64, 1048576, 0, F(mem.rx_pool_kib),
      "KiB of RX buffers per application (one pool each, mPIPE buffer stacks; ours)" },
    { "mem", "rx_pool_page", CFG_ENUM, "64k", NOLIM, PAGES, F(mem.rx_pool_page),
      "TLB page size of the RX pools" },
    { "mem", "rx_pool_stack", CFG_ENUM, "rw", NOLIM, RIGHTS, F(mem.rx_pool_stack),
      "stack tiles' rights on every application's RX pool" },
    { "mem", "rx_pool_app", CFG_ENUM, "r", NOLIM, RIGHTS, F(mem.rx_pool_app),
      "an app tile's rights on its own RX pool (others' pools: none)" },
    { "mem", "rx_pool_baseline", CFG_ENUM, "rw", NOLIM, RIGHTS, F(mem.rx_pool_baseline),
      "baseline tiles' rights on every RX pool" },
    { "mem", "tx_kib", CFG_INT, "1024", 64, 1048576, 0, F(mem.tx_kib),
      "KiB of TX region per application (replies built in place; ours)" },
    { "mem", "tx_page", CFG_ENUM, "64k", NOLIM, PAGES, F(mem.tx_page),
      "TLB page size of the TX regions" },
    { "mem", "tx_stack", CFG_ENUM, "r", NOLIM, RIGHTS, F(mem.tx_stack),
      "stack tiles' rights on every application's TX region" },
    { "mem", "tx_app", CFG_ENUM, "rw", NOLIM, RIGHTS, F(mem.tx_app),
      "an app tile's rights on its own TX region (others' regions: none)" },
    { "mem", "tx_baseline", CFG_ENUM, "rw", NOLIM, RIGHTS, F(mem.tx_baseline),
      "baseline tiles' rights on every TX region" },
    { "mem", "shared_page", CFG_ENUM, "64k", NOLIM, PAGES, F(mem.shared_page),
      "TLB page size of the rest of the shared memory" },
    { "mem", "shared_stack", CFG_ENUM, "rw", NOLIM, RIGHTS, F(mem.shared_stack),
      "stack tiles' rights on the rest of the shared memory" },
    { "mem", "shared_app", CFG_ENUM, "rw", NOLIM, RIGHTS, F(mem.shared_app),
      "app tiles' rights on the rest of the shared memory" },
    { "mem", "shared_baseline", CFG_ENUM, "rw", NOLIM, RIGHTS, F(mem.shared_baseline),
      "baseline tiles' rights on the rest of the shared memory" },
    { "mem", "mpipe_app", CFG_ENUM, "none", NOLIM, RIGHTS, F(mem.mpipe_app),
      "app tiles' rights on the mPIPE register pages (stack and baseline: rw)" },
    { "mem", "itlb_entries", CFG_INT, "16", 1, 4096, 0, F(mem.itlb_entries),
      "instruction TLB entries per tile (TILE-Gx: 16)" },
    { "mem", "itlb_assoc", CFG_INT, "16", 1, 4096, 0, F(mem.itlb_assoc),
      "instruction TLB ways; = entries: fully associative (assumed)" },
    { "mem", "dtlb_entries", CFG_INT, "32", 1, 4096, 0, F(mem.dtlb_entries),
      "data TLB entries per tile (TILE-Gx: 32)" },
    { "mem", "dtlb_assoc", CFG_INT, "32", 1, 4096, 0, F(mem.dtlb_assoc),
      "data TLB ways; = entries: fully associative (assumed)" },
    { "mem", "tlb_refill", CFG_INT, "21", 0, 100000, 0, F(mem.tlb_refill),
      "cycles of a TLB miss refilled by the hypervisor (TILE-Gx: DRAM load 88 vs 67)" },
    { "mem", "timing", CFG_BOOL, "on", NOLIM, 0, F(mem.timing),
      "cache model on (with core.timing); off = every access an L1 hit" },
    { "mem", "line_bytes", CFG_INT, "64", 8, 4096, 0, F(mem.line_bytes),
      "cache line size in bytes (TILE-Gx: 64)" },
    { "mem", "l1i_kib", CFG_INT, "32", 1, 65536, 0, F(mem.l1i_kib),
      "L1 instruction cache per tile in KiB (TILE-Gx: 32)" },
    { "mem", "l1i_assoc", CFG_INT, "2", 1, 64, 0, F(mem.l1i_assoc),
      "L1 instruction cache ways (TILE-Gx: 2)" },
    { "mem", "l1d_kib", CFG_INT, "32", 1, 65536, 0, F(mem.l1d_kib),
      "L1 data cache per tile in KiB (TILE-Gx: 32)" },
    { "mem", "l1d_assoc", CFG_INT, "2", 1, 64, 0, F(mem.l1d_assoc),
      "L1 data cache ways (TILE-Gx: 2)" },
    { "mem", "l2_kib", CFG_INT, "256", 1, 65536, 0, F(mem.l2_kib),
      "L2 per tile in KiB, also the home cache of its lines (TILE-Gx: 256)" },
    { "mem", "l2_assoc", CFG_INT, "8", 1, 64, 0, F(mem.l2_assoc),
      "L2 ways (TILE-Gx: 8)" },
    { "mem", "l2_latency", CFG_INT, "11", 1, 10000, 0, F(mem.l2_latency),
      "load-to-use cycles of a local L2 hit (TILE-Gx: 11)" },
    { "mem", "remote_latency", CFG_INT, "31", 1, 10000, 0, F(mem.remote_latency),
      "cycles of a hit at a remote home, plus hop_cycles per hop (TILE-Gx: 32-41)" },
    { "mem", "hop_cycles", CFG_INT, "1", 0, 1000, 0, F(mem.hop_cycles),
      "cycles per mesh hop added to remote and DRAM accesses (fitted to 32-41)" },
    { "mem", "dram_latency", CFG_INT, "67", 1, 100000, 0, F(mem.dram_latency),
      "cycles of a DRAM access, plus hop_cycles per hop (TILE-Gx: 67)" },
    { "mem", "controllers", CFG_INT, "2", 1, 4, 0, F(mem.controllers),
      "DDR3 memory controllers on the mesh edges (TILE-Gx36: 2)" },
    { "mem", "controller_interleave", CFG_INT, "4096", 64, 1073741824, 0, F(mem.controller_interleave),
      "bytes per stripe across the memory controllers (assumed)" },
    { "mem", "homing", CFG_ENUM, "hash", NOLIM, "hash|page", F(mem.homing),
      "home of a line: hash (lines over all tiles) or page (64 KiB pages on the tiles using them)" },
#undef PAGES
#undef RIGHTS

    /* deployment */
    { "deployment", "mode", CFG_ENUM, "dlibos", NOLIM, "dlibos|baseline", F(deployment.mode),
      "dlibos: stack and app tiles apart; baseline: run to completion on every tile" },
    { "deployment", "stack_tiles", CFG_INT, "8", 1, 256, 0, F(deployment.stack_tiles),
      "tiles running the driver and TCP/IP stack in dlibos mode (our default): tiles 0 .. N-1, "
      "or those of deployment.stack_set" },
    { "deployment", "stack_set", CFG_STRING, "", NOLIM, 0, F(deployment.stack_set),
      "which tiles run the stack, a list such as 0,5,30-35 (as many as deployment.stack_tiles); "
      "empty: tiles 0 .. deployment.stack_tiles-1" },
    { "deployment", "app_args", CFG_STRING, "", NOLIM, 0, F(deployment.app_args),
      "settings handed to the application (app tiles, baseline tiles) in its boot information; "
      "their meaning is the application's (stack/apps)" },

    { "deployment", "firmware", CFG_STRING, "", NOLIM, 0, F(deployment.firmware),
      "RISC-V ELF run on every tile (each reads its tile number); empty: tiles stay idle; "
      "relative: to the configuration file's folder (with --set: to the current folder)" },
    { "deployment", "stack_firmware", CFG_STRING, "", NOLIM, 0, F(deployment.stack_firmware),
      "RISC-V ELF run on the stack tiles in dlibos mode instead of deployment.firmware; "
      "empty: deployment.firmware; relative paths as for deployment.firmware" },
    { "deployment", "app_firmware", CFG_STRING, "", NOLIM, 0, F(deployment.app_firmware),
      "RISC-V ELF run on the app tiles in dlibos mode instead of deployment.firmware; "
      "empty: deployment.firmware; relative paths as for deployment.firmware" },
    { "deployment", "tile_firmware", CFG_STRING, "", NOLIM, 0, F(deployment.tile_firmware),
      "TILE:PATH[,TILE:PATH...]: these tiles run their own ELF instead of their role's "
      "(e.g. a hostile app beside honest ones); relative paths as for deployment.firmware" },

    /* net: the chip's network interface, shared by every port and stack tile */
    { "net", "address", CFG_STRING, "10.0.0.1/24", NOLIM, 0, F(net.address),
      "the chip's IPv4 address and prefix length (/8 to /30); client hosts are numbered in its subnet" },
    { "net", "mac", CFG_STRING, "02:dc:ff:00:00:01", NOLIM, 0, F(net.mac),
      "the chip's MAC address, six hex bytes separated by colons (unicast)" },

    /* run */
    { "run", "cycles", CFG_INT, "0", 0, 1e15, 0, F(run.cycles),
      "stop after this many chip cycles; 0: no bound (with --pcap-in: until every trace is "
      "replayed and the chip has drained; without: 1200000 cycles)" },
    { "run", "time_us", CFG_DOUBLE, "0", 0, 1e9, 0, F(run.time_us),
      "stop after this simulated time in microseconds instead, when above 0" },
    { "run", "seed", CFG_INT, "1", 0, 9007199254740991.0, 0, F(run.seed),
      "seed of every pseudo-random choice in the run" },
    { "run", "drain_us", CFG_DOUBLE, "1000", 0, 1e9, 0, F(run.drain_us),
      "with --pcap-in and no bound: simulated time the chip may take to drain after the last frame" },
    { "run", "expect_faults", CFG_ENUM, "none", NOLIM, "none|any", F(run.expect_faults),
      "none: a tile that traps, faults or exits non-zero makes dlsim exit 1; any: faults expected, exit 0" },

    /* clients: simulated client hosts behind the ports (sim/client_*.cpp,
     * configs/README.md); each runs the host build of stack/net */
    { "clients", "hosts_per_port", CFG_INT, "0", 0, 4096, 0, F(clients.hosts_per_port),
      "client hosts behind each port in clients.ports, switch-like fan-in (0: no client hosts)" },
    { "clients", "ports", CFG_STRING, "all", NOLIM, 0, F(clients.ports),
      "ports with client hosts: all (every port without a --pcap-in trace) or a list such as 0,2-3" },
    { "clients", "conns_per_host", CFG_INT, "1", 1, 16384, 0, F(clients.conns_per_host),
      "TCP connections each client host opens to the server" },
    { "clients", "server_port", CFG_INT, "7", 1, 65535, 0, F(clients.server_port),
      "TCP port of the service on the chip the hosts connect to (echo: 7, httpd: 80, memcached: 11211)" },
    { "clients", "requests", CFG_INT, "0", 0, 1e12, 0, F(clients.requests),
      "requests per connection, then it closes (0: no limit; clients.duration_us must be set)" },
    { "clients", "duration_us", CFG_DOUBLE, "0", 0, 1e9, 0, F(clients.duration_us),
      "the measured window in us, after clients.start_us and workload.warmup_us: requests are issued "
      "and answers counted until its end (0: until clients.requests are answered)" },
    { "clients", "start_us", CFG_DOUBLE, "0", 0, 1e9, 0, F(clients.start_us),
      "simulated time in us at which the hosts resolve the server's address and connect" },
    { "clients", "timeout_us", CFG_DOUBLE, "10000", 0, 1e9, 0, F(clients.timeout_us),
      "a connection not open, or a request not answered, this long (us) is aborted and counted as "
      "an error (0: never, which needs run.cycles or run.time_us)" },
    { "clients", "window_kib", CFG_INT, "16", 4, 65536, 0, F(clients.window_kib),
      "the client hosts' TCP receive and send buffers per connection in KiB (a power of 2)" },
    { "clients", "rto_us", CFG_DOUBLE, "1000", 1, 1e9, 0, F(clients.rto_us),
      "the client hosts' initial and minimum TCP retransmission timeout in us (also the ARP retry)" },
    { "clients", "delack_us", CFG_DOUBLE, "200", 1, 1e9, 0, F(clients.delack_us),
      "the client hosts' delayed-ACK timeout in us" },
    { "clients", "timer_us", CFG_DOUBLE, "100", 1, 1e9, 0, F(clients.timer_us),
      "period in us of the client hosts' TCP timers and of the request timeout checks" },
    { "clients", "switch_frames", CFG_INT, "4096", 1, 1000000, 0, F(clients.switch_frames),
      "frames the switch of a port holds for the chip; beyond, frames are dropped and counted" },

    /* workload: what the client hosts do (sim/client_*.cpp, configs/README.md) */
    { "workload", "kind", CFG_ENUM, "echo", NOLIM, "echo|web|memcached|etc|replay", F(workload.kind),
      "what each connection does: echo (requests of workload.echo_bytes, every byte of the answer "
      "checked); web (GETs of workload.web_paths from the httpd); memcached (gets and sets over "
      "workload.mc_keys keys); etc (Facebook's ETC on memcached, workload.etc_*); every answer checked; "
      "replay (the clients of the capture workload.trace, every answer compared with the real server's)" },
    { "workload", "loop", CFG_ENUM, "closed", NOLIM, "closed|open", F(workload.loop),
      "closed: requests in flight per connection bounded, the next after a think time; "
      "open: requests issued at Poisson times (etc: ETC's gaps) of workload.rate whatever the answers" },
    { "workload", "rate", CFG_DOUBLE, "0", 0, 1e12, 0, F(workload.rate),
      "open loop: requests per simulated second of all connections together (above 0)" },
    { "workload", "think_us", CFG_DOUBLE, "0", 0, 1e9, 0, F(workload.think_us),
      "closed loop: mean think time in us between an answer and the next request (exponential; 0: none)" },
    { "workload", "seed", CFG_INT, "0", 0, 9007199254740991.0, 0, F(workload.seed),
      "seed of the arrival and think times, the choices and the payloads (0: run.seed)" },
    { "workload", "warmup_us", CFG_DOUBLE, "0", 0, 1e9, 0, F(workload.warmup_us),
      "simulated time in us after clients.start_us whose answers are not counted (the warm-up)" },
    { "workload", "echo_bytes", CFG_INT, "64", 1, 16777216, 0, F(workload.echo_bytes),
      "kind echo: bytes of each request; the echo service returns them, every byte checked" },
    { "workload", "web_paths", CFG_STRING, "", NOLIM, 0, F(workload.web_paths),
      "kind web: what is fetched, [HEAD:|404:]PATH[*WEIGHT],... (e.g. /64*3,/1k,HEAD:/1k,404:/x): "
      "GETs (HEADs) of documents of deployment.app_args, or of a path that is none (404 expected); "
      "empty: a GET of every document, equally" },
    { "workload", "web_popularity", CFG_ENUM, "weight", NOLIM, "weight|zipf", F(workload.web_popularity),
      "kind web: entries drawn by their weights, or by a Zipf popularity over the entries in order "
      "(the first the most popular; weights then not allowed)" },
    { "workload", "web_zipf_s", CFG_DOUBLE, "1", 0, 100, 0, F(workload.web_zipf_s),
      "kind web, web_popularity zipf: the exponent (0: uniform)" },
    { "workload", "web_keepalive", CFG_BOOL, "on", NOLIM, 0, F(workload.web_keepalive),
      "kind web: on: a connection carries all its requests; off: one connection per request "
      "(Connection: close, the server closes)" },
    { "workload", "web_pipeline", CFG_INT, "1", 1, 64, 0, F(workload.web_pipeline),
      "kind web: requests written ahead of their answers on a connection (closed loop: in flight)" },
    { "workload", "mc_keys", CFG_INT, "1000", 1, 1e9, 0, F(workload.mc_keys),
      "kind memcached: keys of the key space (key:0 .. key:N-1), each drawn uniformly" },
    { "workload", "mc_get_ratio", CFG_DOUBLE, "0.9", 0, 1, 0, F(workload.mc_get_ratio),
      "kind memcached: share of gets among the requests (the others are sets; 0.9: 90:10, 0.99: 99:1)" },
    { "workload", "mc_value_bytes", CFG_INT, "100", 1, 1048000, 0, F(workload.mc_value_bytes),
      "kind memcached: bytes of every value set (within the server's item_max)" },
    { "workload", "mc_multiget", CFG_INT, "1", 1, 100, 0, F(workload.mc_multiget),
      "kind memcached: keys per get" },
    { "workload", "etc_keys", CFG_INT, "10000", 1, 1e8, 0, F(workload.etc_keys),
      "kind etc: keys of the key space; key k's size is drawn once (GEV, Atikoglu et al. 2012)" },
    { "workload", "etc_zipf_s", CFG_DOUBLE, "1", 0, 100, 0, F(workload.etc_zipf_s),
      "kind etc: exponent of the keys' Zipf popularity (key 0 the most popular; 0: uniform)" },
    { "workload", "etc_get_ratio", CFG_DOUBLE, "0.967741935483871", 0, 1, 0, F(workload.etc_get_ratio),
      "kind etc: share of gets among the requests (ETC: 30:1)" },
    { "workload", "etc_value_max", CFG_INT, "65536", 15, 1048000, 0, F(workload.etc_value_max),
      "kind etc: largest value in bytes (the Generalized Pareto tail clamped; within the server's item_max)" },
    { "workload", "etc_arrivals", CFG_ENUM, "gpareto", NOLIM, "gpareto|poisson", F(workload.etc_arrivals),
      "kind etc, open loop: inter-arrival times from ETC's Generalized Pareto scaled to workload.rate, "
      "or Poisson" },
    { "workload", "trace", CFG_STRING, "", NOLIM, 0, F(workload.trace),
      "kind replay: pcap of clients talking to a real server (both directions) whose client side is "
      "replayed, one connection per captured connection (relative to the file's folder)" },
    { "workload", "replay_mode", CFG_ENUM, "timed", NOLIM, "timed|closed", F(workload.replay_mode),
      "kind replay: timed (connections and requests at their recorded times / replay_speed, open loop) or "
      "closed (connections at their recorded times, each request once the previous answer is in)" },
    { "workload", "replay_speed", CFG_DOUBLE, "1", 1e-6, 1e6, 0, F(workload.replay_speed),
      "kind replay: the capture's times divided by this (2: twice as fast)" },
    { "workload", "replay_port", CFG_INT, "0", 0, 65535, 0, F(workload.replay_port),
      "kind replay: the chip's TCP port every connection goes to (0: each connection's captured server port)" },
};

static const char *const sections[] = {
    "chip", "core", "mesh", "mpipe", "port", "mem", "deployment", "net", "run", "clients", "workload",
};

const cfg_key *cfg_keys(size_t *count)
{
    *count = sizeof keys / sizeof keys[0];
    return keys;
}

const char *const *cfg_sections(size_t *count)
{
    *count = sizeof sections / sizeof sections[0];
    return sections;
}
