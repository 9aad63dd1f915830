// dlsim_main.cpp - the dlsim command line: reads the configuration, picks the
// run mode (full chip, bare-metal ELF, mesh-only synthetic traffic), runs it,
// and writes the outputs. Exit status: 0 success, 1 simulation error, failed
// test or a failed tile (unless run.expect_faults = any), 2 usage or
// configuration error.
#include <systemc>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <getopt.h>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "abi/udn.h"
#include "chip.h"
#include "chip_report.h"
#include "client_system.h"
#include "config.h"
#include "elf_load.h"
#include "live_run.h"
#include "live_tap.h"
#include "mesh/mesh_traffic.h"
#include "modes.h"
#include "run_control.h"
#include "stats.h"
#include "version.h"
#include "workload_pcap.h"

namespace {

const char *usage_text =
    "usage: dlsim [-c FILE] [--set section.key=value ...] [-o DIR] [--progress]\n"
    "             [--pcap-in [PORT=]FILE[,OPTION...] ...] [--tap IFNAME[,port=P]]\n"
    "       dlsim -c FILE [--set ...] --workload-pcap OUT.pcap\n"
    "       dlsim --elf PROG.elf [--max-cycles N] [--ram-mb N] [-c FILE] [--set ...]\n"
    "       dlsim --mesh-only --traffic PATTERN --rate R --size N --cycles C [--warmup W]\n"
    "             [-c FILE] [--set ...] [-o DIR]\n"
    "       dlsim --help | --help-config | --version\n"
    "\n"
    "  -c, --config FILE   chip configuration (INI; one file); built-in TILE-Gx36 defaults without it\n"
    "  --set S.K=V         override one key after the file is read (repeatable)\n"
    "  -o, --output DIR    output directory (default results/last)\n"
    "  --progress          show progress on stderr even when it is not a terminal\n"
    "  --pcap-in [PORT=]FILE[,scale=S][,rate=G][,loop=N][,at=NS]\n"
    "                      replay a pcap (Ethernet, any precision) into PORT (default 0;\n"
    "                      repeatable, one file per port): frames keep the gaps of their\n"
    "                      timestamps times S (default 1; 0: back to back at line rate), or\n"
    "                      with rate=G are offered at G Gb/s of wire; loop=N passes (0:\n"
    "                      forever, default 1); the first frame starts at NS ns (default 0).\n"
    "                      Every frame on every port, both ways, goes to DIR/wire.pcap\n"
    "                      (nanosecond pcap); DIR/wire.txt gives each record's port and\n"
    "                      direction (rx: into the chip, tx: out of it). Unless run.cycles or\n"
    "                      run.time_us bound it, the run lasts until every trace is replayed\n"
    "                      and the chip has drained; FILE is read once (a pipe works; - is stdin)\n"
    "  --tap IFNAME[,port=P]\n"
    "                      live mode: attach port P (default 0) to the Linux TAP device IFNAME\n"
    "                      (an existing one, or created for the run and brought up; needs root);\n"
    "                      frames from Linux enter the port, the chip's frames go to Linux;\n"
    "                      simulated time never runs ahead of wall time; the run lasts until\n"
    "                      SIGINT or SIGTERM (outputs written) or run.time_us / run.cycles\n"
    "  --workload-pcap OUT write the requests the client hosts' workload would send ([clients],\n"
    "                      [workload]) to the pcap OUT without running the chip: one TCP\n"
    "                      connection per client connection (synthetic handshake), the same\n"
    "                      bytes, at their open-loop times (closed loop: back to back after\n"
    "                      the think times)\n"
    "  --elf PROG          run one RISC-V ELF on one tile; pass/fail by tohost\n"
    "  --max-cycles N      bound the --elf run (default: no bound)\n"
    "  --ram-mb N          RAM of the --elf run: N MiB from the ELF's lowest page, 1..4096\n"
    "                      (default 256; reserved, untouched pages cost nothing)\n"
    "  --mesh-only         drive the UDN mesh alone with synthetic traffic:\n"
    "      --traffic uniform|transpose|bitcomp|hotspot|neighbor\n"
    "      --rate R        injection rate, words per tile per cycle (0 < R <= 1)\n"
    "      --size N        payload words per message\n"
    "      --cycles C      measured cycles;  --warmup W  cycles before measuring\n"
    "  --help-config       list every configuration key with type, default, range\n"
    "  --version           print the version\n"
    "\n"
    "Exit status: 0 success, 1 simulation error, failed test or a tile that trapped, faulted or\n"
    "exited non-zero (unless run.expect_faults = any), 2 usage or configuration error (also when\n"
    "firmware exits 2: it refused its configuration, e.g. deployment.app_args).\n";

int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "dlsim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\ntry 'dlsim --help'\n");
    return 2;
}

// Parses a whole non-negative integer option value; false if it is not one.
bool parse_count(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || v < 0) return false;
    *out = v;
    return true;
}

struct Options {
    const char *config = nullptr;
    const char *outdir = "results/last";
    std::vector<const char *> sets;
    std::vector<PcapInSpec> pcap_in;
    bool live = false;
    TapSpec tap;          // --tap, when live
    bool progress = false;
    const char *workload_pcap = nullptr;
    const char *elf = nullptr;
    int64_t max_cycles = 0;
    int64_t ram_mb = 0;   // 0: the default
    bool mesh_only = false;
    const char *traffic = nullptr;
    const char *rate = nullptr, *size = nullptr, *cycles = nullptr, *warmup = nullptr;
};

enum {
    OPT_SET = 256, OPT_PROGRESS, OPT_ELF, OPT_MAX_CYCLES, OPT_MESH_ONLY, OPT_TRAFFIC,
    OPT_RATE, OPT_SIZE, OPT_CYCLES, OPT_WARMUP, OPT_HELP_CONFIG, OPT_VERSION, OPT_HELP, OPT_PCAP_IN,
    OPT_RAM_MB, OPT_TAP, OPT_WORKLOAD_PCAP
};

// Returns -1 to go on, or the exit status.
int parse_options(int argc, char **argv, Options &o)
{
    static const struct option longopts[] = {
        { "config", required_argument, nullptr, 'c' },
        { "output", required_argument, nullptr, 'o' },
        { "set", required_argument, nullptr, OPT_SET },
        { "progress", no_argument, nullptr, OPT_PROGRESS },
        { "elf", required_argument, nullptr, OPT_ELF },
        { "max-cycles", required_argument, nullptr, OPT_MAX_CYCLES },
        { "ram-mb", required_argument, nullptr, OPT_RAM_MB },
        { "mesh-only", no_argument, nullptr, OPT_MESH_ONLY },
        { "traffic", required_argument, nullptr, OPT_TRAFFIC },
        { "rate", required_argument, nullptr, OPT_RATE },
        { "size", required_argument, nullptr, OPT_SIZE },
        { "cycles", required_argument, nullptr, OPT_CYCLES },
        { "warmup", required_argument, nullptr, OPT_WARMUP },
        { "help-config", no_argument, nullptr, OPT_HELP_CONFIG },
        { "version", no_argument, nullptr, OPT_VERSION },
        { "help", no_argument, nullptr, OPT_HELP },
        { "pcap-in", required_argument, nullptr, OPT_PCAP_IN },
        { "tap", required_argument, nullptr, OPT_TAP },
        { "workload-pcap", required_argument, nullptr, OPT_WORKLOAD_PCAP },
        { nullptr, 0, nullptr, 0 },
    };
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":c:o:h", longopts, nullptr)) != -1) {
        switch (ch) {
        case 'c':
            if (o.config) return usage_error("-c %s: a configuration file is already given (one -c only; "
                                             "change single keys with --set)", optarg);
            o.config = optarg;
            break;
        case 'o': o.outdir = optarg; break;
        case OPT_SET: o.sets.push_back(optarg); break;
        case OPT_PROGRESS: o.progress = true; break;
        case OPT_WORKLOAD_PCAP: o.workload_pcap = optarg; break;
        case OPT_PCAP_IN: {
            PcapInSpec spec;
            std::string err;
            if (!pcap_in_parse(optarg, spec, err)) return usage_error("%s", err.c_str());
            for (const PcapInSpec &s : o.pcap_in)
                if (s.port == spec.port) return usage_error("--pcap-in %s: port already has a file", optarg);
            o.pcap_in.push_back(spec);
            break;
        }
        case OPT_TAP: {
            if (o.live) return usage_error("--tap %s: a TAP device is already given (one --tap only)", optarg);
            std::string err;
            if (!tap_parse(optarg, o.tap, err)) return usage_error("%s", err.c_str());
            o.live = true;
            break;
        }
        case OPT_ELF: o.elf = optarg; break;
        case OPT_MAX_CYCLES:
            if (!parse_count(optarg, &o.max_cycles))
                return usage_error("--max-cycles %s: expected a whole number of cycles", optarg);
            break;
        case OPT_RAM_MB:
            if (!parse_count(optarg, &o.ram_mb) || o.ram_mb < 1 || o.ram_mb > ELF_RUN_RAM_MB_MAX)
                return usage_error("--ram-mb %s: expected a whole number of MiB from 1 to 4096", optarg);
            break;
        case OPT_MESH_ONLY: o.mesh_only = true; break;
        case OPT_TRAFFIC: o.traffic = optarg; break;
        case OPT_RATE: o.rate = optarg; break;
        case OPT_SIZE: o.size = optarg; break;
        case OPT_CYCLES: o.cycles = optarg; break;
        case OPT_WARMUP: o.warmup = optarg; break;
        case OPT_HELP_CONFIG: cfg_print_help(stdout); return 0;
        case OPT_VERSION: printf("dlsim %s\n", DLSIM_VERSION); return 0;
        case 'h':
        case OPT_HELP: fputs(usage_text, stdout); return 0;
        case ':': return usage_error("%s: this option needs a value", argv[optind - 1]);
        default: return usage_error("%s: unknown option", argv[optind - 1]);
        }
    }
    if (optind < argc) return usage_error("%s: unexpected argument", argv[optind]);
    if (o.elf && o.mesh_only) return usage_error("%s", "--elf and --mesh-only exclude each other");
    if (!o.mesh_only && (o.traffic || o.rate || o.size || o.cycles || o.warmup))
        return usage_error("%s", "--traffic, --rate, --size, --cycles and --warmup need --mesh-only");
    if (!o.elf && o.max_cycles) return usage_error("%s", "--max-cycles needs --elf");
    if (!o.elf && o.ram_mb) return usage_error("%s", "--ram-mb needs --elf");
    if ((o.elf || o.mesh_only) && !o.pcap_in.empty())
        return usage_error("%s", "--pcap-in needs the full chip (not --elf or --mesh-only)");
    if ((o.elf || o.mesh_only) && o.live) return usage_error("%s", "--tap needs the full chip (not --elf or --mesh-only)");
    if (o.workload_pcap && (o.elf || o.mesh_only || o.live || !o.pcap_in.empty()))
        return usage_error("%s", "--workload-pcap runs no chip: it takes only -c and --set");
    for (const PcapInSpec &s : o.pcap_in)
        if (o.live && s.port == o.tap.port) {
            fprintf(stderr, "dlsim: --tap %s,port=%d: port %d already replays a --pcap-in trace (%s; a port has "
                    "one backend)\ntry 'dlsim --help'\n", o.tap.ifname.c_str(), o.tap.port, s.port, s.file.c_str());
            return 2;
        }
    return -1;
}

int load_config(const Options &o, dl_config &cfg)
{
    char err[1024];
    cfg_defaults(&cfg);
    // The bare-metal runner is unprotected unless the file or --set says
    // otherwise (the ISA suites have one segment without rights).
    if (o.elf) cfg.mem.protection = 0;
    if (o.config && cfg_load_file(&cfg, o.config, err, sizeof err) < 0) {
        fprintf(stderr, "dlsim: %s\n", err);
        return 2;
    }
    for (const char *s : o.sets)
        if (cfg_set_arg(&cfg, s, err, sizeof err) < 0) {
            fprintf(stderr, "dlsim: %s\n", err);
            return 2;
        }
    if (cfg_check(&cfg, err, sizeof err) < 0) {
        fprintf(stderr, "dlsim: %s\n", err);
        return 2;
    }
    mpipe_rules rules;
    if (mpipe_rules_parse(cfg.mpipe.rules, &rules, err, sizeof err) < 0) {
        fprintf(stderr, "dlsim: %s\n", err);
        return 2;
    }
    for (const PcapInSpec &s : o.pcap_in)
        if (s.loop == 0 && cfg.run.cycles == 0 && cfg.run.time_us <= 0) {
            fprintf(stderr, "dlsim: --pcap-in %s,loop=0 replays for ever: bound the run with run.cycles "
                    "or run.time_us\n", s.file.c_str());
            return 2;
        }
    for (const PcapInSpec &s : o.pcap_in)
        if (s.port >= cfg.port.count) {
            fprintf(stderr, "dlsim: --pcap-in %d=%s: the chip has %lld port(s) (port.count), numbered from 0\n",
                    s.port, s.file.c_str(), (long long)cfg.port.count);
            return 2;
        }
    if (o.live && o.tap.port >= cfg.port.count) {
        fprintf(stderr, "dlsim: --tap %s,port=%d: the chip has %lld port(s) (port.count), numbered from 0\n",
                o.tap.ifname.c_str(), o.tap.port, (long long)cfg.port.count);
        return 2;
    }
    if (cfg.deployment.mode != CFG_DEPLOY_BASELINE && cfg.deployment.stack_tiles >= cfg.chip.width * cfg.chip.height) {
        fprintf(stderr, "dlsim: deployment.stack_tiles = %lld leaves no application tile on a %lldx%lld chip\n",
                (long long)cfg.deployment.stack_tiles, (long long)cfg.chip.width, (long long)cfg.chip.height);
        return 2;
    }
    return -1;
}

int run_mesh_only(const Options &o, const dl_config &cfg)
{
    mesh_traffic_opts m;
    char *end;
    if (!o.traffic || !o.rate || !o.size || !o.cycles)
        return usage_error("%s", "--mesh-only needs --traffic, --rate, --size and --cycles");
    m.traffic = o.traffic;
    m.rate = strtod(o.rate, &end);
    if (*end || end == o.rate || !std::isfinite(m.rate) || m.rate <= 0 || m.rate > 1)
        return usage_error("--rate %s: expected words per tile per cycle, above 0 and at most 1", o.rate);
    if (!parse_count(o.size, &m.size) || m.size < 1 || m.size > (int64_t)UDN_MAX_PAYLOAD) {
        fprintf(stderr, "dlsim: --size %s: expected payload words per message, 1..%u\ntry 'dlsim --help'\n",
                o.size, UDN_MAX_PAYLOAD);
        return 2;
    }
    if (!parse_count(o.cycles, &m.cycles) || m.cycles < 1)
        return usage_error("--cycles %s: expected a number of cycles (at least 1)", o.cycles);
    m.warmup = 0;
    if (o.warmup && !parse_count(o.warmup, &m.warmup))
        return usage_error("--warmup %s: expected a number of cycles", o.warmup);
    char err[1024];
    if (stats_make_dir(o.outdir, err, sizeof err) < 0) {
        fprintf(stderr, "dlsim: %s\n", err);
        return 2;
    }
    return mesh_only_run(&cfg, &m, o.outdir);
}

// What produced the run besides the configuration: the traces, as given.
cJSON *traces_config(const Options &o)
{
    cJSON *c = cJSON_CreateObject();
    cJSON *a = cJSON_AddArrayToObject(c, "traces");
    for (const PcapInSpec &s : o.pcap_in) {
        cJSON *t = cJSON_CreateObject();
        cJSON_AddNumberToObject(t, "port", s.port);
        cJSON_AddStringToObject(t, "file", s.file.c_str());
        cJSON_AddNumberToObject(t, "scale", s.scale);
        if (s.rate_gbps > 0) cJSON_AddNumberToObject(t, "rate_gbps", s.rate_gbps);
        else cJSON_AddNullToObject(t, "rate_gbps");
        cJSON_AddNumberToObject(t, "loop", (double)s.loop);
        cJSON_AddNumberToObject(t, "at_ns", (double)s.at_ns);
        cJSON_AddItemToArray(a, t);
    }
    if (o.live) {   // the run was live: its results depend on what Linux sent, when
        cJSON *l = cJSON_AddObjectToObject(c, "live");
        cJSON_AddStringToObject(l, "tap", o.tap.ifname.c_str());
        cJSON_AddNumberToObject(l, "port", o.tap.port);
    }
    return c;
}

// A live run: its TAP device (owned by the chip) and its pacing.
struct LiveRun {
    TapBackend *tap = nullptr;
    LiveReport rep;
};

// The firmware images of deployment.firmware, .stack_firmware and
// .app_firmware (each when set), freed when it goes.
struct FirmwareSet {
    elf_image img[3]{};
    bool have[3] = {};
    cfg_tile_fw tile[CFG_TILE_FW_MAX]{};  // deployment.tile_firmware
    elf_image tile_img[CFG_TILE_FW_MAX]{};
    int ntiles = 0;
    ~FirmwareSet() { release(); }
    void release()
    {
        for (elf_image &i : img) elf_free(&i);
        for (elf_image &i : tile_img) elf_free(&i);
    }
    ChipFirmware chip() const
    {
        ChipFirmware f;
        f.all = have[0] ? &img[0] : nullptr;
        f.stack = have[1] ? &img[1] : nullptr;
        f.app = have[2] ? &img[2] : nullptr;
        for (int k = 0; k < ntiles; k++) f.tiles.push_back({ tile[k].tile, &tile_img[k], tile[k].path });
        return f;
    }
};

// Loads each firmware key that is set; 0, or 2 with the error printed
// (naming the key and where it was set).
static int load_firmware(const dl_config &cfg, FirmwareSet &fw)
{
    char err[1024];
    const char *key[3] = { "deployment.firmware", "deployment.stack_firmware", "deployment.app_firmware" };
    const char *path[3] = { cfg.deployment.firmware, cfg.deployment.stack_firmware, cfg.deployment.app_firmware };
    const char *from[3] = { cfg.deployment.firmware_from, cfg.deployment.stack_firmware_from,
                            cfg.deployment.app_firmware_from };
    for (int k = 0; k < 3; k++) {
        uint64_t ram_base = 0, ram_size = 0;
        if (!*path[k]) continue;
        if (elf_load_file(path[k], &fw.img[k], err, sizeof err) < 0 ||
            elf_ram_window(&fw.img[k], path[k], &ram_base, &ram_size, err, sizeof err) < 0) {
            fprintf(stderr, "dlsim: %s%s%s: %s\n", from[k], *from[k] ? ": " : "", key[k], err);
            return 2;
        }
        fw.have[k] = true;
    }
    const char *tf_from = cfg.deployment.tile_firmware_from;
    int n = cfg_tile_firmware(&cfg, fw.tile, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "dlsim: %s\n", err);
        return 2;
    }
    for (int k = 0; k < n; k++) {
        uint64_t ram_base = 0, ram_size = 0;
        const char *path = fw.tile[k].path;
        if (elf_load_file(path, &fw.tile_img[k], err, sizeof err) < 0 ||
            elf_ram_window(&fw.tile_img[k], path, &ram_base, &ram_size, err, sizeof err) < 0) {
            fprintf(stderr, "dlsim: %s%sdeployment.tile_firmware (tile %d): %s\n", tf_from, *tf_from ? ": " : "",
                    fw.tile[k].tile, err);
            return 2;
        }
        fw.ntiles = k + 1;
    }
    return 0;
}

// Reads every --pcap-in trace (before the chip is built, so that a bad one
// stops the run at once); replays keeps a view of each. 0, or 2 printed.
static int open_replays(const Options &o, const dl_config &cfg, std::vector<std::unique_ptr<PcapReplay>> &backends,
                        std::vector<PcapReplay *> &replays)
{
    for (const PcapInSpec &s : o.pcap_in) {
        backends.push_back(std::make_unique<PcapReplay>(s, cfg.port.rate_gbps));
        replays.push_back(backends.back().get());
        if (!replays.back()->error().empty()) {
            fprintf(stderr, "dlsim: --pcap-in: %s\n", replays.back()->error().c_str());
            return 2;
        }
    }
    return 0;
}

// The run's bound in cycles (0: until the traces and clients are done and
// the chip drained) and the cycles the progress line expects. 0, or 2
// printed when run.time_us is under one cycle.
static int run_bounds(const dl_config &cfg, const Chip &chip, const std::vector<PcapReplay *> &replays,
                      const ClientPlan *clients, bool live, uint64_t &bound, uint64_t &expected)
{
    bound = cfg.run.time_us > 0 || cfg.run.cycles > 0 ? cfg_run_cycles(&cfg) : 0;
    if ((cfg.run.time_us > 0 || cfg.run.cycles > 0) && bound == 0) {
        fprintf(stderr, "dlsim: run.time_us = %g is shorter than one cycle\n", cfg.run.time_us);
        return 2;
    }
    if (!bound && replays.empty() && !clients && !live) bound = RUN_DEFAULT_CYCLES;
    expected = bound;
    if (live) return 0;   // until a signal: no expected length
    for (const PcapReplay *r : replays) {
        if (!bound && r->end_fs() != UINT64_MAX)
            expected = std::max<uint64_t>(expected, r->end_fs() / chip.cycle_time().value());
    }
    if (clients && !bound && clients->duration_ns)
        expected = std::max<uint64_t>(expected, clients->end_ns() * (uint64_t)cfg.chip.clock_mhz / 1000);
    return 0;
}

// stats.json of a finished run. 0, or 1 printed.
static int write_stats(const Options &o, const dl_config &cfg, const Chip &chip, const RunOutcome &run,
                       const ClientSystem *clients, const LiveRun *live, double wall)
{
    char err[1024];
    cJSON *host = cJSON_CreateObject();
    cJSON_AddNumberToObject(host, "wall_seconds", wall);
    cJSON_AddNumberToObject(host, "cycles_per_second", wall > 0 ? (double)run.cycles / wall : 0);
    cJSON_AddStringToObject(host, "dlsim_version", DLSIM_VERSION);
    cJSON *results = chip_results(chip, run);
    if (clients) {
        std::string herr;
        if (!clients->write_latency_hist(std::string(o.outdir) + "/latency_hist.dat", herr)) {
            fprintf(stderr, "dlsim: %s\n", herr.c_str());
            cJSON_Delete(host);
            cJSON_Delete(results);
            return 1;
        }
        cJSON_AddItemToObject(results, "clients", clients->results());
        cJSON_AddNumberToObject(host, "clients_seconds", clients->host_seconds());
        cJSON_AddNumberToObject(host, "clients_share", wall > 0 ? clients->host_seconds() / wall : 0);
    }
    if (live) live_to_json(*live->tap, live->rep, results, host);
    if (stats_write(o.outdir, &cfg, "chip", traces_config(o), results, host, err, sizeof err) < 0) {
        fprintf(stderr, "dlsim: %s\n", err);
        return 1;
    }
    return 0;
}

// The summary on stdout, warnings on stderr, and the exit status: 1 when
// a tile failed and the configuration does not expect it.
static int report_run(const dl_config &cfg, const Chip &chip, const RunOutcome &run, const ClientSystem *clients,
                      const LiveRun *live, double wall, const char *outdir)
{
    print_summary(chip, run, wall, outdir);
    if (live) live_summary(*live->tap, live->rep, wall);
    if (clients) {
        clients->summary(stdout);
        printf("  clients     host time %.3f s (%.1f%% of the run)\n", clients->host_seconds(),
               wall > 0 ? 100.0 * clients->host_seconds() / wall : 0.0);
    }
    for (const TraceReport &t : run.traces)
        if (t.total != UINT64_MAX && t.offered < t.total)
            fprintf(stderr, "dlsim: warning: --pcap-in %d=%s: %llu of its %llu frames were not offered%s\n",
                    t.port, t.file.c_str(), (unsigned long long)(t.total - t.offered),
                    (unsigned long long)t.total,
                    t.past_time_limit ? " (they fall after the end of simulated time)"
                                      : " before the run ended (run.cycles / run.time_us)");
    if (!strcmp(run.end, "drain_limit"))
        fprintf(stderr, "dlsim: warning: the chip had not drained %g us after the traces ended "
                "(frames held in the mPIPE or unconsumed descriptors; run.drain_us)\n", cfg.run.drain_us);
    std::vector<std::string> failed = chip_tile_failures(chip);
    // Firmware that exits 2 refused its configuration (e.g. deployment.app_args;
    // it printed why): a configuration error, whatever run.expect_faults says.
    for (const Tile *t : chip.tiles)
        if (t->core && t->core->state == TileState::exited && t->core->exit_code() == 2) {
            fprintf(stderr, "dlsim: tile %d refused its configuration (exit code 2; its console says why)\n",
                    t->index);
            return 2;
        }
    if (!failed.empty() && cfg.run.expect_faults == CFG_FAULTS_NONE) {
        fprintf(stderr, "dlsim: %zu tile(s) failed (exit status 1; set run.expect_faults = any when "
                "faults are expected):\n", failed.size());
        for (const std::string &f : failed) fprintf(stderr, "dlsim:   %s\n", f.c_str());
        return 1;
    }
    return 0;
}

// Shared memory freed on every way out of run_chip.
struct SharedMem {
    phys_mem mem;
    bool ok = false;
    ~SharedMem() { if (ok) phys_mem_free(&mem); }
};

// --workload-pcap: the workload's requests into a file, no chip.
int write_workload_pcap(const Options &o, const dl_config &cfg)
{
    ClientPlan plan;
    std::string err;
    uint32_t ip, mask;
    uint64_t mac, n;
    char e[512];
    if (!client_plan(cfg, {}, plan, err)) {
        fprintf(stderr, "dlsim: %s\n", err.c_str());
        return 2;
    }
    if (cfg_net(&cfg, &ip, &mask, &mac, e, sizeof e) < 0) {
        fprintf(stderr, "dlsim: %s\n", e);
        return 2;
    }
    if (!workload_pcap_write(plan, mac, o.workload_pcap, n, err)) {
        fprintf(stderr, "dlsim: %s\n", err.c_str());
        return 2;
    }
    printf("dlsim: %llu requests of %llu connections written to %s\n", (unsigned long long)n,
           (unsigned long long)plan.connections(), o.workload_pcap);
    return 0;
}

int run_chip(const Options &o, const dl_config &cfg)
{
    char err[1024];
    if (stats_make_dir(o.outdir, err, sizeof err) < 0) {
        fprintf(stderr, "dlsim: %s\n", err);
        return 2;
    }
    ClientPlan plan;   // [clients]: checked before anything is built
    std::vector<int> traced;
    for (const PcapInSpec &s : o.pcap_in) traced.push_back(s.port);
    std::string plan_err;
    if (!client_plan(cfg, traced, plan, plan_err)) {
        fprintf(stderr, "dlsim: %s\n", plan_err.c_str());
        return 2;
    }
    LiveRun live;
    std::unique_ptr<TapBackend> tap;
    int sigfd = -1;
    if (o.live) {
        if (plan.enabled && std::count(plan.ports.begin(), plan.ports.end(), o.tap.port)) {
            fprintf(stderr, "dlsim: --tap %s,port=%d: port %d has client hosts (clients.hosts_per_port = %lld, "
                    "clients.ports = %s; a port has one backend): --set clients.hosts_per_port=0 or leave the "
                    "port out of clients.ports\n", o.tap.ifname.c_str(), o.tap.port, o.tap.port,
                    (long long)cfg.clients.hosts_per_port, cfg.clients.ports);
            return 2;
        }
        tap = std::make_unique<TapBackend>(o.tap);
        if (!tap->error().empty()) {
            fprintf(stderr, "dlsim: %s\n", tap->error().c_str());
            return 2;
        }
        live.tap = tap.get();
        std::string serr;
        sigfd = live_signals_open(serr);
        if (sigfd < 0) {
            fprintf(stderr, "dlsim: live mode: %s\n", serr.c_str());
            return 1;
        }
    }
    FirmwareSet fw;
    if (load_firmware(cfg, fw)) return 2;
    SharedMem shared;
    if (phys_mem_init(&shared.mem, (uint64_t)cfg.mem.dram_mib << 20, err, sizeof err) < 0) {
        fprintf(stderr, "dlsim: mem.dram_mib: %s\n", err);
        return 1;
    }
    shared.ok = true;
    std::vector<std::unique_ptr<PcapReplay>> backends; // to the chip, which owns them
    std::vector<PcapReplay *> replays;
    if (open_replays(o, cfg, backends, replays)) {
        return 2;
    }
    WireRecorder recorder(o.outdir); // only once the inputs are known good
    if (!recorder.error().empty()) {
        fprintf(stderr, "dlsim: %s\n", recorder.error().c_str());
        return 1;
    }
    Chip chip("chip", cfg, &shared.mem, fw.chip());
    fw.release();
    if (!chip.error.empty()) {
        fprintf(stderr, "dlsim: %s\n", chip.error.c_str());
        return 2;
    }
    chip.record_wire(&recorder);
    for (size_t i = 0; i < o.pcap_in.size(); i++) chip.attach_backend(o.pcap_in[i].port, std::move(backends[i]));
    if (tap) chip.attach_backend(o.tap.port, std::move(tap));
    std::unique_ptr<ClientSystem> clients;
    if (plan.enabled) {
        clients = std::make_unique<ClientSystem>(plan, plan_err);
        if (!plan_err.empty()) {
            fprintf(stderr, "dlsim: clients: %s\n", plan_err.c_str());
            return 2;
        }
        for (size_t i = 0; i < plan.ports.size(); i++) chip.attach_backend(plan.ports[i], clients->switches()[i]);
    }
    uint64_t bound, expected;
    if (run_bounds(cfg, chip, replays, clients ? &plan : nullptr, o.live, bound, expected)) return 2;
    uint64_t drain = (uint64_t)std::llround(cfg.run.drain_us * (double)cfg.chip.clock_mhz);
    double start = stats_host_seconds();
    bool tty = isatty(2);
    Progress progress{ o.progress || tty, tty, expected, (double)cfg.chip.clock_mhz, start };
    if (clients) // answered so far, the warm-up's too
        progress.requests = [&clients]() { return clients->totals().completed + clients->totals().warmup_answered; };
    RunOutcome run;
    run.bound = bound;
    std::function<bool()> clients_done = nullptr;
    if (clients) clients_done = [&clients]() { return clients->done(); };
    if (o.live) {
        run.end = live_run(chip, *live.tap, sigfd, bound, progress, run.cycles, live.rep);
        close(sigfd);
        if (live.rep.signal) run.end_why = live_signal_name(live.rep);
    } else {
        run.end = run_to_end(chip, replays, bound, drain, progress, run.cycles, clients_done);
    }
    double wall = stats_host_seconds() - start;
    for (const PcapReplay *r : replays)
        run.traces.push_back(TraceReport{ r->spec().port, r->spec().file, r->records(), r->total(),
                                          chip.ports[(size_t)r->spec().port]->rx_frames, r->past_time_limit() });
    const LiveRun *lr = o.live ? &live : nullptr;
    if (write_stats(o, cfg, chip, run, clients.get(), lr, wall)) return 1;
    return report_run(cfg, chip, run, clients.get(), lr, wall, o.outdir);
}

} // namespace

int sc_main(int argc, char **argv)
{
    Options o;
    dl_config cfg;
    int rc = parse_options(argc, argv, o);
    if (rc >= 0) return rc;
    rc = load_config(o, cfg);
    if (rc >= 0) return rc;
    chip_init_time();
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    if (o.elf) return elf_run(&cfg, o.elf, (uint64_t)o.max_cycles, (uint64_t)o.ram_mb, nullptr);
    if (o.mesh_only) return run_mesh_only(o, cfg);
    if (o.workload_pcap) return write_workload_pcap(o, cfg);
    return run_chip(o, cfg);
}

// Our own main, so that SystemC's banner stays out of the summary.
int main(int argc, char **argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}
