# driver.mk - the firmware mPIPE driver (stack/driver) and the echo firmware
# that runs it (configs/echo.ini).
DRIVER_SRCS := stack/driver/mpipe_drv.c
DRIVER_DEPS := stack/driver/mpipe_drv.h models/abi/mpipe.h

FIRMWARE        += $(BUILD)/fw/echo.elf
FW_SRCS_echo    := $(BOOT_SRCS) $(DRIVER_SRCS) stack/driver/echo.c
FW_LDFLAGS_echo := $(BOOT_LDFLAGS)
$(BUILD)/fw/echo.elf: $(FW_SRCS_echo) $(BOOT_DEPS) $(DRIVER_DEPS)
