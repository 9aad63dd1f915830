// chip_report.cpp - the results section of stats.json and the summary of
// a chip run, read from the models' counters after the run.
#include "chip_report.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "abi/boot_info.h"
#include "mem/mem_report.h"
#include "mesh/udn_stats.h"
#include "version.h"

namespace {

const char *tile_state_name(const Tile *t)
{
    if (!t->core) return "idle";
    switch (t->core->state) {
    case TileState::idle: return "idle";
    case TileState::running: return "running";
    case TileState::exited: return "exited";
    case TileState::trapped: return t->core->faulted() ? "faulted" : "trapped";
    }
    return "?";
}

// Frames of a trace the run never put on the wire; UINT64_MAX: endless.
uint64_t not_offered(const TraceReport &t)
{
    return t.total == UINT64_MAX ? UINT64_MAX : t.total - std::min(t.offered, t.total);
}

// Reads n bytes at the tile's address va (its own address space, read
// right); false if it cannot.
bool tile_read(const Tile &t, uint64_t va, void *out, size_t n)
{
    const mem_region *r = t.mmu() ? mem_space_find(&t.mmu()->space, va) : nullptr;
    if (!r || !r->host || !(r->rights & BOOT_RIGHT_R) || va - r->va + n > r->size) return false;
    memcpy(out, r->host + (va - r->va), n);
    return true;
}

// A NUL-terminated name of at most max characters of [a-z0-9_.] at va.
bool tile_read_name(const Tile &t, uint64_t va, char *out, size_t max)
{
    for (size_t i = 0; i <= max; i++) {
        if (!tile_read(t, va + i, &out[i], 1)) return false;
        if (!out[i]) return true;
        char c = out[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
    }
    return false;
}

// One registered set into fw; false (nothing added) if the tile cannot read
// it or a name is bad.
bool add_stat_set(cJSON *fw, const Tile &t, uint64_t va)
{
    tile_stat_set s;
    char prefix[TILE_STAT_NAME_MAX + 1], name[TILE_STAT_NAME_MAX + 1];
    if (!tile_read(t, va, &s, sizeof s) || s.count == 0 || s.count > TILE_STAT_COUNT_MAX || (s.names & 7) ||
        (s.values & 7) || !tile_read_name(t, s.prefix, prefix, TILE_STAT_NAME_MAX))
        return false;
    std::vector<std::pair<std::string, uint64_t>> got;
    for (uint64_t i = 0; i < s.count; i++) {
        uint64_t np, v;
        if (!tile_read(t, s.names + 8 * i, &np, 8) || !tile_read(t, s.values + 8 * i, &v, 8) ||
            !tile_read_name(t, np, name, TILE_STAT_NAME_MAX - strlen(prefix)))
            return false;
        got.emplace_back(std::string(prefix) + name, v);
    }
    for (const auto &g : got) cJSON_AddNumberToObject(fw, g.first.c_str(), (double)g.second);
    return true;
}

// results.tiles[t].firmware: the counter sets the firmware registered
// (TILE_SYS_STAT_SET), read now through the tile's own address space; a set
// it cannot read is refused and counted.
void add_firmware_counters(cJSON *o, const Tile &t)
{
    const tile_sys &sys = t.core->sys();
    uint64_t refused = sys.stats_refused;
    cJSON *fw = sys.nstat_sets ? cJSON_AddObjectToObject(o, "firmware") : nullptr;
    for (unsigned i = 0; i < sys.nstat_sets; i++)
        if (!add_stat_set(fw, t, sys.stat_set[i])) refused++;
    if (refused) cJSON_AddNumberToObject(o, "firmware_stats_refused", (double)refused);
}

// How the run ended, and each trace: how much of it was offered.
void add_run(cJSON *r, const RunOutcome &run, size_t failures)
{
    cJSON *o = cJSON_AddObjectToObject(r, "run");
    cJSON_AddStringToObject(o, "end", run.end);
    if (run.bound) cJSON_AddNumberToObject(o, "bound_cycles", (double)run.bound);
    else cJSON_AddNullToObject(o, "bound_cycles");
    cJSON_AddNumberToObject(o, "tile_failures", (double)failures);
    cJSON *a = cJSON_AddArrayToObject(r, "traces");
    for (const TraceReport &t : run.traces) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "port", t.port);
        cJSON_AddStringToObject(x, "file", t.file.c_str());
        cJSON_AddNumberToObject(x, "records", (double)t.records);
        if (t.total == UINT64_MAX) cJSON_AddNullToObject(x, "frames");   // loop=0: endless
        else cJSON_AddNumberToObject(x, "frames", (double)t.total);
        cJSON_AddNumberToObject(x, "offered", (double)t.offered);
        if (t.total == UINT64_MAX) cJSON_AddNullToObject(x, "not_offered");
        else cJSON_AddNumberToObject(x, "not_offered", (double)not_offered(t));
        cJSON_AddBoolToObject(x, "past_time_limit", t.past_time_limit);
        cJSON_AddItemToArray(a, x);
    }
}

} // namespace

std::vector<std::string> chip_tile_failures(const Chip &chip)
{
    std::vector<std::string> out;
    char line[256];
    for (const Tile *t : chip.tiles) {
        if (!t->core) continue;
        if (t->core->state == TileState::trapped) {
            const iss_core &c = t->core->core();
            snprintf(line, sizeof line, "tile %d: %s (%s at pc 0x%" PRIx64 ")", t->index,
                     t->core->faulted() ? "faulted" : "trapped", iss_cause_name(c.trap_cause),
                     (uint64_t)c.trap_pc);
            out.push_back(line);
        } else if (t->core->state == TileState::exited && t->core->exit_code() != 0) {
            snprintf(line, sizeof line, "tile %d: exited with code %lld", t->index,
                     (long long)t->core->exit_code());
            out.push_back(line);
        }
    }
    return out;
}

cJSON *chip_results(const Chip &chip, const RunOutcome &run)
{
    const uint64_t cycles = run.cycles;
    cJSON *r = cJSON_CreateObject();
    add_run(r, run, chip_tile_failures(chip).size());
    cJSON_AddNumberToObject(r, "cycles", (double)cycles);
    cJSON_AddNumberToObject(r, "time_ns", (double)cycles * 1000.0 / (double)chip.cfg.chip.clock_mhz);
    cJSON *tiles = cJSON_AddArrayToObject(r, "tiles");
    uint64_t insns = 0;
    for (const Tile *t : chip.tiles) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "tile", t->index);
        cJSON_AddNumberToObject(o, "x", t->x);
        cJSON_AddNumberToObject(o, "y", t->y);
        uint64_t busy = std::min(t->busy_cycles(), cycles);
        cJSON_AddNumberToObject(o, "busy_cycles", (double)busy);
        cJSON_AddNumberToObject(o, "idle_cycles", (double)(cycles - busy));
        cJSON_AddNumberToObject(o, "instructions", (double)t->instructions());
        cJSON_AddStringToObject(o, "state", tile_state_name(t));
        if (t->core) {
            const iss_core &c = t->core->core();
            cJSON_AddNumberToObject(o, "atomics", (double)c.stat_atomics);
            cJSON_AddNumberToObject(o, "sc_failed", (double)c.stat_sc_failed);
            cJSON_AddNumberToObject(o, "deadline_wakes", (double)t->core->deadline_wakes);
            add_firmware_counters(o, *t);
        }
        if (t->core && t->core->state == TileState::exited)
            cJSON_AddNumberToObject(o, "exit_code", (double)t->core->exit_code());
        if (t->core && t->core->state == TileState::trapped) {
            const iss_core &c = t->core->core();
            cJSON *trap = cJSON_AddObjectToObject(o, "trap");
            cJSON_AddStringToObject(trap, "cause", iss_cause_name(c.trap_cause));
            cJSON_AddNumberToObject(trap, "pc", (double)c.trap_pc);
            cJSON_AddNumberToObject(trap, "instruction", (double)c.trap_insn);
            cJSON_AddNumberToObject(trap, "tval", (double)c.trap_tval);
            if (t->core->faulted()) mem_report_fault(o, t->mmu(), c.trap_pc);
        }
        if (t->mmu()) mem_report_tile(o, t->mmu(), t->mmu()->sys);
        cJSON_AddItemToArray(tiles, o);
        insns += t->instructions();
    }
    cJSON_AddNumberToObject(r, "instructions", (double)insns);
    cJSON *ports = cJSON_AddArrayToObject(r, "ports");
    for (const EthPort *p : chip.ports) {
        cJSON_AddItemToArray(ports, mpipe_port_report(*p));
    }
    cJSON_AddItemToObject(r, "mpipe", mpipe_report(*chip.mpipe));
    cJSON_AddItemToObject(r, "udn", chip.udn->engine().stats().to_json(cycles));
    return r;
}

void print_summary(const Chip &chip, const RunOutcome &run, double wall, const char *outdir)
{
    const uint64_t cycles = run.cycles;
    const dl_config &c = chip.cfg;
    uint64_t busy = 0, insns = 0;
    for (const Tile *t : chip.tiles) {
        busy += std::min(t->busy_cycles(), cycles);
        insns += t->instructions();
    }
    double tile_cycles = (double)cycles * (double)chip.tiles.size();
    printf("dlsim %s: %s, %lldx%lld tiles at %lld MHz, %zu ports at %g Gb/s\n", DLSIM_VERSION,
           c.chip.name, (long long)c.chip.width, (long long)c.chip.height,
           (long long)c.chip.clock_mhz, chip.ports.size(), c.port.rate_gbps);
    const char *drained = !c.clients.hosts_per_port ? "the traces replayed and the chip drained"
                          : run.traces.empty() ? "the clients done and the chip drained"
                                               : "the traces replayed, the clients done and the chip drained";
    const char *why = !run.end_why.empty() ? run.end_why.c_str()
                      : !strcmp(run.end, "drained") ? drained
                      : !strcmp(run.end, "drain_limit") ? "the chip did not drain within run.drain_us"
                      : c.run.cycles == 0 && c.run.time_us <= 0 ? "the default length (no run.cycles)"
                      : c.run.time_us > 0 ? "run.time_us" : "run.cycles";
    printf("  simulated   %llu cycles (%.3f us), ended by %s\n", (unsigned long long)cycles,
           (double)cycles / (double)c.chip.clock_mhz, why);
    printf("  tiles       %.1f%% busy, %llu instructions retired\n",
           tile_cycles > 0 ? 100.0 * (double)busy / tile_cycles : 0.0, (unsigned long long)insns);
    printf("  host        %.3f s, %.1f Mcycles/s\n", wall, wall > 0 ? (double)cycles / wall / 1e6 : 0.0);
    uint64_t rx = 0, tx = 0;
    for (const EthPort *p : chip.ports) {
        rx += p->rx_frames;
        tx += p->tx_frames;
    }
    uint64_t dropped = chip.mpipe->drops_total();
    printf("  ports       %llu frames in, %llu out, %llu dropped by the mPIPE\n", (unsigned long long)rx,
           (unsigned long long)tx, (unsigned long long)dropped);
    for (const TraceReport &t : run.traces) {
        uint64_t left = not_offered(t);
        if (t.total == UINT64_MAX)
            printf("  trace       port %d %s: %llu frames offered (endless loop)\n", t.port, t.file.c_str(),
                   (unsigned long long)t.offered);
        else
            printf("  trace       port %d %s: %llu of %llu frames offered, %llu not offered%s\n", t.port,
                   t.file.c_str(), (unsigned long long)t.offered, (unsigned long long)t.total,
                   (unsigned long long)left, t.past_time_limit ? " (past the end of simulated time)" : "");
    }
    for (const std::string &f : chip_tile_failures(chip)) printf("  failed      %s\n", f.c_str());
    std::vector<const mem_mmu *> mmus;
    for (const Tile *t : chip.tiles) mmus.push_back(t->mmu());
    char caches[256];
    if (mem_report_caches_line(mmus.data(), (unsigned)mmus.size(), caches, sizeof caches) == 0)
        printf("  caches      %s\n", caches);
    printf("  outputs     %s/stats.json, %s/wire.pcap\n", outdir, outdir);
}

