# Bare-metal test guests: position-independent arm64 Images, like the
# hypervisor, so one binary runs at any guest RAM address.
GUEST_NAMES := ipa_view fault_probe arch_check psci_race irq_check bench chan_check sched_check
GUEST_COMMON := guests/common/start.S guests/common/libguest.c guests/common/gic_lite.c guests/common/chan.c drivers/fdt.c drivers/platform.c lib/string.c lib/printf.c
GUEST_BINS := $(patsubst %,$(BUILD)/guests/%.bin,$(GUEST_NAMES))

guests: $(GUEST_BINS)

$(BUILD)/guests/%.elf: guests/%/main.c $(GUEST_COMMON) guests/common/libguest.h guests/common/gic_lite.h guests/common/chan.h guests/common/guest.ld
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GUEST   $@")
	$(Q)$(CC) $(TARGET_CFLAGS) -Iguests/common -nostdlib -Wl,--build-id=none,-pie,--no-dynamic-linker,-z,norelro,-z,noexecstack,--no-warn-rwx-segments \
		-T guests/common/guest.ld -o $@ $< $(GUEST_COMMON)

$(BUILD)/guests/%.bin: $(BUILD)/guests/%.elf
	$(Q)$(OBJCOPY) -O binary $< $@
.SECONDARY:
