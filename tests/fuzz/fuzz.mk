# Host fuzzing with clang's libFuzzer, over the very sources the hypervisor
# runs (tests/fuzz/README.md).
#   make fuzz                 every target for FUZZ_SECONDS (default 60) each
#   make fuzz FUZZ_TARGETS=fuzz_vgic FUZZ_SECONDS=600
#   make fuzz-smoke           every target over its committed corpus, a few
#                             seconds each (part of make test)
FUZZ_CC ?= clang
FUZZ_BUILD := build/fuzz
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-function \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I. -Iinclude
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 4
FUZZ_ALL := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_COMMON := drivers/fdt.c drivers/fdt_write.c lib/printf.c
FUZZ_SRCS_fuzz_fdt := $(FUZZ_COMMON) drivers/platform.c drivers/host_owned.c
FUZZ_SRCS_fuzz_config := $(FUZZ_COMMON) hyp/config/config.c hyp/config/devices.c hyp/config/boot_layout.c
FUZZ_SRCS_fuzz_guest_fdt := $(FUZZ_SRCS_fuzz_config) hyp/config/guest_fdt.c
FUZZ_SRCS_fuzz_mmio_decode :=
FUZZ_SRCS_fuzz_chan_pci := hyp/vdev/chan_pci.c
FUZZ_SRCS_fuzz_chan_bridge := hyp/vdev/chan_bridge.c hyp/vdev/chan_pci.c hyp/config/channels.c \
	drivers/fdt.c lib/printf.c
FUZZ_INC_fuzz_chan_bridge := -Itests/fuzz/host -DHOST_ARCH
# The emulated devices need the two target-only headers (system registers,
# the WFE spinlock) in host form: tests/fuzz/host comes first.
FUZZ_SRCS_fuzz_vdev := hyp/vgic/vgic.c hyp/vgic/vgic_v3.c hyp/vgic/vgic_v2.c hyp/vdev/vpl011.c hyp/mmio.c hyp/irq.c \
	hyp/inject.c lib/printf.c
FUZZ_INC_fuzz_vdev := -Itests/fuzz/host -DHOST_ARCH

$(FUZZ_BUILD)/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h tests/fuzz/host/*.h tests/fuzz/host/*/*.h) \
		$(wildcard hyp/*.[ch] hyp/*/*.[ch] drivers/*.[ch] include/*.h include/arch/*.h lib/*.[ch]) tests/fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_INC_$*) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_SRCS_$*)

# For make coverage (tests/coverage/run.sh): how each target is built.
fuzz-print-%:
	@echo "$(FUZZ_INC_$*) $(FUZZ_SRCS_$*)"

.PHONY: fuzz fuzz-smoke fuzz-build
fuzz-build: $(addprefix $(FUZZ_BUILD)/,$(FUZZ_TARGETS))
fuzz: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)
fuzz-smoke: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)
