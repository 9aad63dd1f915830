# elf_run.mk - the bare-metal runner (dlsim --elf), its ELF loader and the
# host side of tohost (HTIF system calls).
LIB_C_SRCS += sim/elf_load.c sim/elf_run.c sim/elf_htif.c
