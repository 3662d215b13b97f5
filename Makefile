# Build the hypervisor (an arm64 Image with its guest configuration linked
# in), the test guests, and run the demo or the tests under QEMU.
#   make                  build build/$(PLATFORM)/hyp.bin
#   make run              the demo: several guests under QEMU
#   make test             host unit tests and QEMU tests
#   make CONFIG=my.dts run   your own guests (docs/config.md)

PLATFORM ?= qemu-virt
CROSS_COMPILE ?= aarch64-linux-gnu-
# BRINGUP=1: the first-boot card for a new board (docs/rpi4.md): the
# conformance guests, an early line before the MMU, the firmware's own log.
CONFIG ?= dts/$(PLATFORM)-$(if $(BRINGUP),bringup,demo).dts
GIC ?= 3

BUILD := build/$(PLATFORM)
HYP_ELF := $(BUILD)/hyp.elf
HYP_BIN := $(BUILD)/hyp.bin
CONFIG_DTB := $(BUILD)/config.dtb

CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
DTC ?= dtc

PLATFORM_DEFINE_qemu-virt := PLATFORM_QEMU_VIRT
PLATFORM_DEFINE_rpi4 := PLATFORM_RPI4
ifeq ($(PLATFORM_DEFINE_$(PLATFORM)),)
$(error unknown PLATFORM=$(PLATFORM): use qemu-virt or rpi4)
endif

# Position independent, no FP/SIMD (the guest's FP state stays untouched),
# no unaligned accesses (C runs with the MMU off at first).
# -ffixed-x18: the C code leaves the guest's x18 alone, so the short trap
# paths need not save it (boot/vectors.S).
TARGET_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin \
	-fno-common -fno-stack-protector -fpie -include include/visibility.h -fno-plt -mgeneral-regs-only -mstrict-align -ffixed-x18 \
	-mbranch-protection=none -mno-outline-atomics -fno-asynchronous-unwind-tables -I. -Iinclude \
	-D$(PLATFORM_DEFINE_$(PLATFORM)) -DHYP_TARGET
# SELFTEST=1: test builds with calls that make EL2 fail on purpose (hyp/trap.c).
TARGET_CFLAGS += $(if $(SELFTEST),-DHYP_SELFTEST)
# CHECKS=1 (the default; make bench builds with 0): what QEMU cannot show
# stops the machine with a PANIC line, such as an exclusive with the MMU
# off (include/atomic.h).
CHECKS ?= 1
TARGET_CFLAGS += $(if $(filter 1,$(CHECKS)),-DHYP_CHECKS)
# MITIGATIONS=1 (the default): speculation mitigations where the CPU needs
# them (docs/security.md); 0 builds without; "always" runs the Spectre-BHB
# loop on any CPU, so that make bench can state its cost on QEMU.
MITIGATIONS ?= 1
TARGET_CFLAGS += $(if $(filter 1 always,$(MITIGATIONS)),-DHYP_MITIGATIONS)
TARGET_CFLAGS += $(if $(filter always,$(MITIGATIONS)),-DHYP_MITIGATIONS_ALWAYS)
# FP_EAGER=1: a shared CPU moves FP/SIMD registers at every switch instead
# of at a vCPU's first use after one (hyp/vcpu_ctx.c; make bench measures
# both).
TARGET_CFLAGS += $(if $(filter 1,$(FP_EAGER)),-DHYP_FP_EAGER)
TARGET_CFLAGS += $(if $(BRINGUP),-DHYP_BRINGUP)
# GICV2_HW_LINK=1: forwarded interrupts use the list registers' hardware
# link on QEMU's GICv2 too, as on a GIC-400 (drivers/gicv2.c says why QEMU
# otherwise takes the soft path).
TARGET_CFLAGS += $(if $(filter 1,$(GICV2_HW_LINK)),-DHYP_GICV2_HW_LINK)
# SELFTEST=mmu-off: a lock taken before the EL2 MMU is on, which a checked
# build must refuse (tests/qemu/t_el2_fault.sh).
TARGET_CFLAGS += $(if $(filter mmu-off,$(SELFTEST)),-DHYP_SELFTEST_MMU_OFF)
TARGET_LDFLAGS := --build-id=none -pie --no-dynamic-linker -z norelro -z noexecstack -nostdlib --no-warn-rwx-segments

HYP_SRCS := $(wildcard boot/*.S boot/*.c hyp/*.c hyp/*/*.c mm/*.c drivers/*.c) lib/string.c lib/printf.c
HYP_OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(HYP_SRCS)) $(BUILD)/obj/hyp/config/config_blob.S.o

.PHONY: all hyp guests run test unit-test qemu-test mutation deps clean
all: hyp
hyp: $(HYP_BIN)

# V=1 shows every command.
Q := $(if $(V),,@)

$(BUILD)/obj/%.c.o: %.c Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(TARGET_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.S.o: %.S Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(TARGET_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/hyp/config/config_blob.S.o: hyp/config/config_blob.S $(CONFIG_DTB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(TARGET_CFLAGS) -DCONFIG_DTB_PATH='"$(CONFIG_DTB)"' -c $< -o $@

$(HYP_ELF): $(HYP_OBJS) linker.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(TARGET_LDFLAGS) -T linker.ld -o $@ $(HYP_OBJS)

$(HYP_BIN): $(HYP_ELF)
	$(Q)$(OBJCOPY) -O binary $< $@
	@echo "built $@ (config $(CONFIG))"

# The config is compiled on every build (it is cheap) so that a different
# CONFIG= or a changed /incbin/ image is always picked up; the blob is only
# replaced when its bytes change.
CONFIG_TEXT = $(shell cat $(CONFIG) 2>/dev/null)
$(CONFIG_DTB): FORCE guests $(if $(findstring /incbin/("Image"),$(CONFIG_TEXT)),linux-guest) \
		$(if $(findstring /incbin/("rpi/Image"),$(CONFIG_TEXT)),linux-rpi-guest)
	@mkdir -p $(dir $@)
	@test -f "$(CONFIG)" || { echo "CONFIG=$(CONFIG): no such file" >&2; exit 1; }
	$(Q)$(DTC) -q -I dts -O dtb -i $(dir $(CONFIG)) -i $(BUILD)/guests -i $(LINUX_DIR) -o $@.tmp $(CONFIG)
	@$(CHECK_CONFIG) $@.tmp $(CONFIG)
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@
FORCE:

# The hypervisor's own config parser and validator, built for the host:
# what a configuration will be refused for, said at build time.
CHECK_CONFIG := build/host/check_config
CHECK_CONFIG_SRCS := scripts/check_config.c hyp/config/config.c hyp/config/boot_layout.c hyp/config/channels.c drivers/fdt.c lib/printf.c
$(CHECK_CONFIG): $(CHECK_CONFIG_SRCS) $(wildcard hyp/*.h hyp/*/*.h drivers/*.h include/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(or $(HOSTCC),gcc) -std=gnu11 -O1 -Wall -Wextra -Werror -I. -Iinclude -o $@ $(CHECK_CONFIG_SRCS)
$(CONFIG_DTB): $(CHECK_CONFIG)

include guests/guests.mk
include guests/linux/linux.mk
include tests/unit/unit.mk
include tests/fuzz/fuzz.mk
include tests/qemu/qemu.mk

deps:
	@scripts/install-deps.sh --check >/dev/null 2>&1 || scripts/install-deps.sh

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
