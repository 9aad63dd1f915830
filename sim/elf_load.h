/* elf_load.h - reading a RISC-V ELF64 executable for the bare-metal runner:
 * validation (class, machine, bounds, placement of segments), the extent of
 * its loadable segments, copying them into guest RAM or a tile image, and
 * looking up symbols (tohost). */
#ifndef DL_SIM_ELF_LOAD_H
#define DL_SIM_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "mem/mem_space.h"
#include "mem/phys_mem.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct elf_image {
    uint8_t *data;        /* the whole file (malloc'd) */
    size_t size;
    uint64_t entry;
    uint64_t lo, hi;      /* physical extent of the PT_LOAD segments: [lo, hi) */
} elf_image;

/* Reads and validates path. Returns 0, or -1 with a one-line message in err
 * naming the file and the problem (missing or unreadable, truncated, not ELF,
 * not ELF64, not little-endian, not RISC-V, not an executable, a segment
 * outside the file, no loadable segment; a loadable segment whose physical
 * address differs from its virtual one, that lies in the null-pointer
 * region below TILE_MMIO_BASE, or that is out of address order with or
 * overlaps the one before it, each naming its program header). */
int elf_load_file(const char *path, elf_image *img, char *err, size_t errlen);

/* Copies every PT_LOAD segment into ram, which holds guest [base, base+size)
 * and is zeroed beforehand (so .bss needs nothing). The caller has sized RAM
 * from img->lo/hi. */
void elf_copy_segments(const elf_image *img, uint8_t *ram, uint64_t base);

/* Finds a symbol by name in .symtab; returns 0 and its value, or -1 when the
 * file has no symbol table or no such symbol. */
int elf_find_symbol(const elf_image *img, const char *name, uint64_t *value);

/* The RAM window a tile needs for img: its PT_LOAD extent rounded out to
 * 4 KiB pages. Returns 0, or -1 with a message naming path when the span is
 * over 4 GiB or overlaps the MMIO window of tile_memmap.h. */
int elf_ram_window(const elf_image *img, const char *path, uint64_t *base,
                   uint64_t *size, char *err, size_t errlen);

/* The most loadable segments an image may have (each becomes a region of
 * the tile's address space). */
#define ELF_MAX_SEGMENTS 64

/* Fills seg[] with the non-empty PT_LOAD segments (in address order, as
 * elf_load_file checked) for the address-space builder (mem_space.h):
 * address, size in memory, program-header flags as BOOT_RIGHT_* rights.
 * Returns their number, or -1 with a message naming path when there are more
 * than ELF_MAX_SEGMENTS. The one conversion every runner uses. */
int elf_mem_segments(const elf_image *img, const char *path, mem_segment seg[ELF_MAX_SEGMENTS], char *err,
                     size_t errlen);

/* Writes the file bytes of every PT_LOAD segment into m, whose offset 0 is
 * guest address base (what is not written stays zero: .bss). Returns 0, or
 * -1 with a message. */
int elf_write_image(const elf_image *img, phys_image *m, uint64_t base, char *err, size_t errlen);

void elf_free(elf_image *img);

#ifdef __cplusplus
}
#endif

#endif
