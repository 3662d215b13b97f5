# Host unit tests: the very same mm/, drivers/, hyp/ sources the hypervisor
# runs, built for the host and linked with cmocka.
HOSTCC ?= gcc
UNIT_BUILD := build/host
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -Iinclude -fsanitize=address,undefined -fno-sanitize-recover=all
UNIT_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
UNIT_SRCS := mm/pgtable.c mm/page_pool.c mm/stage2.c mm/phys_alloc.c drivers/host_owned.c \
	drivers/fdt.c drivers/fdt_write.c drivers/platform.c hyp/config/config.c hyp/config/devices.c hyp/config/guest_fdt.c hyp/config/boot_layout.c hyp/config/direct_map.c hyp/config/channels.c \
	hyp/id_regs.c hyp/mitigations.c lib/printf.c
UNIT_TESTS := $(patsubst tests/unit/%.c,$(UNIT_BUILD)/%,$(wildcard tests/unit/test_*.c))

.SECONDEXPANSION:
# Sources only one test links (they need what the test provides: park()).
UNIT_EXTRA_board := drivers/bcm2711_gpio.c drivers/bcm2835_pm.c drivers/spin_table.c
# The life cycles run on the fuzzers' simulated registers, with a hook
# before every read-modify-write (include/atomic.h).
UNIT_EXTRA_lifecycle := hyp/vcpu.c hyp/psci.c
UNIT_FLAGS_lifecycle := -DHOST_ARCH -DHOST_ATOMIC_HOOK -Itests/fuzz/host
# The firmware's mailbox waits on a counter the test provides.
UNIT_EXTRA_rpi_firmware := drivers/rpi_firmware.c
UNIT_EXTRA_chan_pci := hyp/vdev/chan_pci.c
UNIT_FLAGS_rpi_firmware := -DHOST_ARCH -Itests/fuzz/host
# The switch's TLB rule (hyp/vcpu_ctx.h), on the simulated registers.
UNIT_FLAGS_sched := -DHOST_ARCH -Itests/fuzz/host

$(UNIT_BUILD)/test_%: tests/unit/test_%.c $(UNIT_SRCS) $(wildcard tests/unit/*.h) $$(UNIT_EXTRA_$$*) | $(UNIT_BUILD)
	$(HOSTCC) $(UNIT_CFLAGS) $(UNIT_FLAGS_$*) -o $@ $< $(UNIT_SRCS) $(UNIT_EXTRA_$*) $(UNIT_LIBS)

$(UNIT_BUILD):
	mkdir -p $@

# Real host device trees for test_host_owned, as QEMU hands them to the
# hypervisor: virt's, and Debian's Raspberry Pi 4 tree (scripts/fetch-rpi.sh)
# with the memory and the rest that raspi4b fills in, as the firmware does.
UNIT_DTB := $(UNIT_BUILD)/dtb
$(UNIT_DTB)/virt-gicv%.dtb:
	@mkdir -p $(dir $@)
	$(QEMU) -M virt,virtualization=on,gic-version=$*,dumpdtb=$@ -cpu max -smp 4 -m 1G -nographic >/dev/null
$(UNIT_DTB)/bcm2711-rpi-4-b.dtb: $(LINUX_DIR)/rpi/bcm2711-rpi-4-b.dtb
	@mkdir -p $(dir $@)
	$(QEMU) -M raspi4b,dumpdtb=$@ -dtb $< -nographic >/dev/null
UNIT_DTBS := $(UNIT_DTB)/virt-gicv2.dtb $(UNIT_DTB)/virt-gicv3.dtb $(UNIT_DTB)/bcm2711-rpi-4-b.dtb

.PHONY: unit-test lint
unit-test: $(UNIT_TESTS) $(UNIT_DTBS) lint
	@set -e; for t in $(UNIT_TESTS); do echo "== $$t"; HOST_DTB_DIR=$(UNIT_DTB) $$t; done

# What QEMU cannot show, checked in the source (scripts/lint.sh).
lint:
	@scripts/lint.sh
