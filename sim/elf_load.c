/* elf_load.c - validation and loading of RISC-V ELF64 executables (see
 * elf_load.h). Every offset read from the file is bounds-checked first. */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "abi/tile_memmap.h"
#include "elf_load.h"

static int elf_fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
    va_list ap;
    int n = *path ? snprintf(err, errlen, "%s: ", path) : 0; /* "": the caller names the file */
    if (n < 0 || (size_t)n >= errlen)
        n = 0;
    va_start(ap, fmt);
    vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static int read_whole(const char *path, elf_image *img, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    long len;
    if (!f)
        return elf_fail(err, errlen, path, "cannot open: %s", strerror(errno));
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return elf_fail(err, errlen, path, "is a directory, expected an ELF file");
    }
    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return elf_fail(err, errlen, path, "cannot read: %s", strerror(errno));
    }
    img->data = malloc(len ? (size_t)len : 1);
    img->size = (size_t)len;
    if (!img->data || fread(img->data, 1, img->size, f) != img->size) {
        fclose(f);
        free(img->data);
        img->data = NULL;
        return elf_fail(err, errlen, path, "cannot read %ld bytes", len);
    }
    fclose(f);
    return 0;
}

/* Is [off, off + len) inside the file? */
static int in_file(const elf_image *img, uint64_t off, uint64_t len)
{
    return off <= img->size && len <= img->size - off;
}

/* Program header i (the table is checked to lie in the file). */
static Elf64_Phdr elf_phdr(const elf_image *img, unsigned i)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img->data;
    Elf64_Phdr ph;
    memcpy(&ph, img->data + eh->e_phoff + i * sizeof ph, sizeof ph);
    return ph;
}

/* Where loadable segment ph (program header i) may go: at its virtual
 * address (physical = virtual), above the null-pointer region of
 * tile_memmap.h, after the previous loadable one (prev, header prev_i, or
 * NULL) and not overlapping it. */
static int elf_check_place(const Elf64_Phdr *ph, unsigned i, const Elf64_Phdr *prev, unsigned prev_i,
                           const char *path, char *err, size_t errlen)
{
    if (ph->p_paddr != ph->p_vaddr)
        return elf_fail(err, errlen, path,
                        "program header %u: physical address %#llx differs from virtual address %#llx "
                        "(expected them equal: segments are loaded at their virtual address)", i,
                        (unsigned long long)ph->p_paddr, (unsigned long long)ph->p_vaddr);
    if (ph->p_vaddr < TILE_MMIO_BASE)
        return elf_fail(err, errlen, path,
                        "program header %u at %#llx maps the null-pointer region 0..%#llx, where every "
                        "access must fault (models/abi/tile_memmap.h): link it at %#llx", i,
                        (unsigned long long)ph->p_vaddr, (unsigned long long)(TILE_MMIO_BASE - 1),
                        (unsigned long long)TILE_DRAM_BASE);
    if (prev && ph->p_vaddr < prev->p_vaddr)
        return elf_fail(err, errlen, path,
                        "program header %u (%#llx) comes after program header %u (%#llx): loadable "
                        "segments must be in address order", i, (unsigned long long)ph->p_vaddr,
                        prev_i, (unsigned long long)prev->p_vaddr);
    if (prev && ph->p_vaddr < prev->p_vaddr + prev->p_memsz)
        return elf_fail(err, errlen, path,
                        "program header %u (%#llx..%#llx) overlaps program header %u (%#llx..%#llx)", i,
                        (unsigned long long)ph->p_vaddr, (unsigned long long)(ph->p_vaddr + ph->p_memsz),
                        prev_i, (unsigned long long)prev->p_vaddr,
                        (unsigned long long)(prev->p_vaddr + prev->p_memsz));
    return 0;
}

/* Validates the loaded file; the caller frees it on failure. */
static int elf_check(elf_image *img, const char *path, char *err, size_t errlen)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img->data;
    int loadable = 0;
    if (img->size < EI_NIDENT || memcmp(img->data, ELFMAG, SELFMAG) != 0)
        return elf_fail(err, errlen, path, "not an ELF file (bad magic)");
    if (img->data[EI_CLASS] != ELFCLASS64)
        return elf_fail(err, errlen, path, "wrong ELF class %u: expected ELFCLASS64 (RV64)",
                        img->data[EI_CLASS]);
    if (img->data[EI_DATA] != ELFDATA2LSB)
        return elf_fail(err, errlen, path, "not a little-endian ELF file");
    if (img->size < sizeof(Elf64_Ehdr))
        return elf_fail(err, errlen, path, "truncated: %zu bytes, smaller than the ELF header",
                        img->size);
    if (eh->e_machine != EM_RISCV)
        return elf_fail(err, errlen, path, "wrong machine %u: expected RISC-V (%u)",
                        eh->e_machine, EM_RISCV);
    if (eh->e_type != ET_EXEC)
        return elf_fail(err, errlen, path, "not an executable (ELF type %u)", eh->e_type);
    if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
        !in_file(img, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
        return elf_fail(err, errlen, path, "truncated or corrupt program header table");
    img->entry = eh->e_entry;
    img->lo = UINT64_MAX;
    img->hi = 0;
    Elf64_Phdr prev = { 0 };
    unsigned prev_i = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph = elf_phdr(img, i);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (!in_file(img, ph.p_offset, ph.p_filesz))
            return elf_fail(err, errlen, path,
                            "truncated: segment %u needs bytes %#llx..%#llx, file has %zu", i,
                            (unsigned long long)ph.p_offset,
                            (unsigned long long)(ph.p_offset + ph.p_filesz), img->size);
        if (ph.p_filesz > ph.p_memsz || ph.p_paddr + ph.p_memsz < ph.p_paddr)
            return elf_fail(err, errlen, path, "corrupt segment %u (sizes)", i);
        if (elf_check_place(&ph, i, loadable ? &prev : NULL, prev_i, path, err, errlen) < 0)
            return -1;
        if (ph.p_paddr < img->lo) img->lo = ph.p_paddr;
        if (ph.p_paddr + ph.p_memsz > img->hi) img->hi = ph.p_paddr + ph.p_memsz;
        prev = ph;
        prev_i = i;
        loadable++;
    }
    if (!loadable)
        return elf_fail(err, errlen, path, "no loadable segment (PT_LOAD)");
    return 0;
}

int elf_load_file(const char *path, elf_image *img, char *err, size_t errlen)
{
    memset(img, 0, sizeof *img);
    if (read_whole(path, img, err, errlen) != 0)
        return -1;
    if (elf_check(img, path, err, errlen) != 0) {
        elf_free(img);
        return -1;
    }
    return 0;
}

void elf_copy_segments(const elf_image *img, uint8_t *ram, uint64_t base)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img->data;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph = elf_phdr(img, i);
        if (ph.p_type == PT_LOAD && ph.p_memsz != 0 && ph.p_filesz != 0)
            memcpy(ram + (ph.p_paddr - base), img->data + ph.p_offset, ph.p_filesz);
    }
}

int elf_mem_segments(const elf_image *img, const char *path, mem_segment seg[ELF_MAX_SEGMENTS], char *err,
                     size_t errlen)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img->data;
    unsigned n = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph = elf_phdr(img, i);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (n < ELF_MAX_SEGMENTS) {
            seg[n].va = ph.p_paddr; /* as elf_copy_segments places it */
            seg[n].size = ph.p_memsz;
            seg[n].rights = ((ph.p_flags & PF_R) ? 1u : 0u) | ((ph.p_flags & PF_W) ? 2u : 0u) |
                            ((ph.p_flags & PF_X) ? 4u : 0u);
        }
        n++;
    }
    if (n > ELF_MAX_SEGMENTS)
        return elf_fail(err, errlen, path, "%u loadable segments, more than the %u the loader takes", n,
                        ELF_MAX_SEGMENTS);
    return (int)n;
}

int elf_write_image(const elf_image *img, phys_image *m, uint64_t base, char *err, size_t errlen)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img->data;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph = elf_phdr(img, i);
        if (ph.p_type == PT_LOAD && ph.p_memsz != 0 && ph.p_filesz != 0 &&
            phys_image_write(m, ph.p_paddr - base, img->data + ph.p_offset, ph.p_filesz, err, errlen) < 0)
            return -1;
    }
    return 0;
}

int elf_find_symbol(const elf_image *img, const char *name, uint64_t *value)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img->data;
    if (eh->e_shentsize != sizeof(Elf64_Shdr) ||
        !in_file(img, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
        return -1;
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        Elf64_Shdr sh, strsh;
        memcpy(&sh, img->data + eh->e_shoff + i * sizeof sh, sizeof sh);
        if (sh.sh_type != SHT_SYMTAB || sh.sh_link >= eh->e_shnum ||
            !in_file(img, sh.sh_offset, sh.sh_size))
            continue;
        memcpy(&strsh, img->data + eh->e_shoff + sh.sh_link * sizeof strsh, sizeof strsh);
        if (!in_file(img, strsh.sh_offset, strsh.sh_size))
            continue;
        const char *strs = (const char *)img->data + strsh.sh_offset;
        for (uint64_t off = 0; off + sizeof(Elf64_Sym) <= sh.sh_size; off += sizeof(Elf64_Sym)) {
            Elf64_Sym sym;
            memcpy(&sym, img->data + sh.sh_offset + off, sizeof sym);
            if (sym.st_name >= strsh.sh_size)
                continue;
            size_t maxlen = strsh.sh_size - sym.st_name;
            if (strnlen(strs + sym.st_name, maxlen) < maxlen &&
                strcmp(strs + sym.st_name, name) == 0) {
                *value = sym.st_value;
                return 0;
            }
        }
    }
    return -1;
}

void elf_free(elf_image *img)
{
    free(img->data);
    img->data = NULL;
    img->size = 0;
}

#define ELF_RAM_PAGE 4096ULL
#define ELF_RAM_MAX (1ULL << 32)   /* largest span of segments accepted */

int elf_ram_window(const elf_image *img, const char *path, uint64_t *base,
                   uint64_t *size, char *err, size_t errlen)
{
    if (img->hi - img->lo > ELF_RAM_MAX || img->hi + ELF_RAM_PAGE < img->hi)
        return elf_fail(err, errlen, path, "loadable segments span %#llx..%#llx, more than 4 GiB",
                        (unsigned long long)img->lo, (unsigned long long)img->hi);
    *base = img->lo & ~(ELF_RAM_PAGE - 1);
    *size = ((img->hi + ELF_RAM_PAGE - 1) & ~(ELF_RAM_PAGE - 1)) - *base;
    if (*base < TILE_MMIO_BASE + TILE_MMIO_SIZE && TILE_MMIO_BASE < *base + *size)
        return elf_fail(err, errlen, path, "loadable segments %#llx..%#llx overlap the MMIO window",
                        (unsigned long long)img->lo, (unsigned long long)img->hi);
    return 0;
}
