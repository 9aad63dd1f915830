/* elf_load.h - reading a RISC-V ELF64 executable for the bare-metal runner:
 * validation (class, machine, bounds), the extent of its loadable segments,
 * copying them into guest RAM, and looking up symbols (tohost). */
#ifndef DL_SIM_ELF_LOAD_H
#define DL_SIM_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

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
 * outside the file, no loadable segment). */
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

/* A loadable segment: virtual address, size in memory, and its flags as
 * rights (bit 0 read, 1 write, 2 execute: models/abi/boot_info.h). */
typedef struct elf_segment {
    uint64_t va, size;
    unsigned rights;
} elf_segment;

/* Fills seg[0 .. max) with the non-empty PT_LOAD segments in file order;
 * returns how many the file has (may exceed max). */
unsigned elf_segments(const elf_image *img, elf_segment *seg, unsigned max);

void elf_free(elf_image *img);

#ifdef __cplusplus
}
#endif

#endif
