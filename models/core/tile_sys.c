/* tile_sys.c - the SYS page registers of a tile (see tile_sys.h). */
#include <string.h>

#include "abi/tile_memmap.h"
#include "core/tile_sys.h"

void tile_sys_init(tile_sys *s, unsigned tile, FILE *out)
{
    memset(s, 0, sizeof *s);
    s->tile = tile;
    s->out = out;
}

int tile_sys_owns(uint64_t addr)
{
    return addr - TILE_SYS_BASE < TILE_SYS_SIZE;
}

static void sys_emit_line(tile_sys *s)
{
    fprintf(s->out, "[tile %u] %.*s\n", s->tile, (int)s->len, s->line);
    s->len = 0;
}

iss_mem_status tile_sys_load(tile_sys *s, uint64_t addr, unsigned size,
                             uint64_t cycle, uint64_t *val)
{
    if (size != 8 || (addr & 7))
        return ISS_MEM_ACCESS_FAULT;
    switch (addr) {
    case TILE_SYS_CYCLE:   *val = cycle; return ISS_MEM_OK;
    case TILE_SYS_TILE_ID: *val = s->tile; return ISS_MEM_OK;
    case TILE_SYS_WAKE_AT: *val = s->wake_at; return ISS_MEM_OK;
    case TILE_SYS_CONSOLE:
    case TILE_SYS_EXIT:
    case TILE_SYS_STAT_SET: *val = 0; return ISS_MEM_OK;
    }
    return ISS_MEM_ACCESS_FAULT;
}

iss_mem_status tile_sys_store(tile_sys *s, uint64_t addr, unsigned size,
                              uint64_t val)
{
    if (addr == TILE_SYS_STAT_SET && size == 8) {
        if ((val & 7) || s->nstat_sets == TILE_STAT_SETS) s->stats_refused++;
        else s->stat_set[s->nstat_sets++] = val;
        return ISS_MEM_OK;
    }
    if (addr == TILE_SYS_CONSOLE && (size == 1 || size == 8)) {
        char ch = (char)(val & 0xff);
        if (ch == '\n' || s->len == sizeof s->line)
            sys_emit_line(s);
        if (ch != '\n')
            s->line[s->len++] = ch;
        return ISS_MEM_OK;
    }
    if (addr == TILE_SYS_WAKE_AT && size == 8) {
        s->wake_at = val;
        return ISS_MEM_OK;
    }
    if (addr == TILE_SYS_EXIT && size == 8) {
        s->exited = 1;
        s->exit_code = val;
        return ISS_MEM_STOP;
    }
    return ISS_MEM_ACCESS_FAULT;
}

void tile_sys_flush(tile_sys *s)
{
    if (s->len)
        sys_emit_line(s);
}
