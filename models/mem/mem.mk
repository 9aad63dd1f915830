# mem.mk - the memory system: shared physical memory (more with issue 7).
LIB_C_SRCS  += models/mem/phys_mem.c
TEST_SRCS   += tests/unit/test_phys_mem.c
TEST_SUITES += phys_mem_suite
