# mem.mk - the memory system: physical memory, address spaces and regions,
# the MMU with its modelled TLBs, caches with home tiles, DMA coherence.
LIB_C_SRCS  += models/mem/phys_mem.c models/mem/mem_space.c models/mem/mem_tlb.c \
               models/mem/mem_cache.c models/mem/mem_sys.c models/mem/mem_mmu.c \
               models/mem/mem_report.c
