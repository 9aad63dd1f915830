# boot.mk - the tile firmware runtime (crt0, linker script, console stdio,
# exit) and the variables other firmware uses to link against it:
#   FW_SRCS_x    := $(BOOT_SRCS) my sources...
#   FW_LDFLAGS_x := $(BOOT_LDFLAGS)
#   $(BUILD)/fw/x.elf: $(FW_SRCS_x) $(BOOT_DEPS)
# The DRAM base comes from models/abi/tile_memmap.h, the one source of truth.
TILE_DRAM_BASE_HEX := $(shell sed -n 's/^\#define TILE_DRAM_BASE[ \t]*\(0x[0-9A-Fa-f]*\).*/\1/p' models/abi/tile_memmap.h)
BOOT_SRCS    := stack/boot/crt0.S stack/boot/boot.c stack/boot/tile_console.c
BOOT_LDFLAGS := -nostartfiles -Wl,--defsym=__tile_dram_base=$(TILE_DRAM_BASE_HEX) -T stack/boot/tile.ld
BOOT_DEPS    := stack/boot/tile.ld stack/boot/tile_rt.h models/abi/tile_memmap.h models/abi/boot_info.h

FIRMWARE         += $(BUILD)/fw/hello.elf
FW_SRCS_hello    := $(BOOT_SRCS) stack/boot/hello.c
FW_LDFLAGS_hello := $(BOOT_LDFLAGS)
$(BUILD)/fw/hello.elf: $(FW_SRCS_hello) $(BOOT_DEPS)
