# elf_run.mk - the bare-metal runner (dlsim --elf) and its ELF loader.
LIB_C_SRCS += sim/elf_load.c sim/elf_run.c
