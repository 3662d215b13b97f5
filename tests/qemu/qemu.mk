# Running under QEMU: the demo (make run) and the QEMU tests (make qemu-test).
QEMU ?= qemu-system-aarch64
QEMU_CPU ?= max
QEMU_SMP ?= 4
QEMU_MEM ?= 2G
QEMU_MACHINE ?= virt,virtualization=on,gic-version=$(GIC)
QEMU_EXTRA ?=
QEMU_CMD = $(QEMU) -M $(QEMU_MACHINE) -cpu $(QEMU_CPU) -smp $(QEMU_SMP) -m $(QEMU_MEM) \
	-nographic -kernel $(HYP_BIN) $(QEMU_EXTRA)
# Raspberry Pi 4: QEMU's raspi4b (4 Cortex-A72, GIC-400, 2 GiB) enters the
# image at EL2 with the board's own device tree, as the Pi firmware does;
# -no-reboot turns the watchdog's power-off into QEMU's exit.
RPI4_DTB := $(LINUX_DIR)/rpi/bcm2711-rpi-4-b.dtb
ifeq ($(PLATFORM),rpi4)
QEMU_CMD = $(QEMU) -M raspi4b -nographic -no-reboot -dtb $(RPI4_DTB) -kernel $(HYP_BIN) $(QEMU_EXTRA)
endif

$(RPI4_DTB) $(LINUX_DIR)/rpi/start4.elf:
	scripts/fetch-rpi.sh $(LINUX_DIR)

# Raspberry Pi 4 boot card: $(BUILD)/sdcard/ and $(BUILD)/sdcard.img, the
# firmware starting the hypervisor, or with BOOT=uboot Debian's U-Boot.
BOOT ?= firmware
.PHONY: sdcard
sdcard: deps $(LINUX_DIR)/rpi/start4.elf
	@test "$(PLATFORM)" = rpi4 || { echo "sdcard: use make PLATFORM=rpi4 sdcard" >&2; exit 1; }
	@$(MAKE) --no-print-directory hyp
	@scripts/mk-sdcard.sh $(HYP_BIN) $(LINUX_DIR)/rpi $(BUILD) $(BOOT) $(if $(BRINGUP),bringup)

run: deps $(if $(filter rpi4,$(PLATFORM)),$(RPI4_DTB))
	@$(MAKE) --no-print-directory hyp
	@echo "QEMU: exit with Ctrl-A X; the machine powers off when every guest has stopped"
	$(QEMU_CMD)

# Guest I/O (dts/qemu-virt-io.dts): a direct-mapped Linux guest owning
# QEMU's virtio disk (an ext4 image made here, kept between runs) and NIC
# (its port 80 forwarded to the host's IO_PORT). README: what to try.
IO_DISK := $(BUILD)/io-disk.img
IO_PORT ?= 8080
.PHONY: run-io
run-io: deps
	@scripts/mk-io-disk.sh $(IO_DISK)
	@$(MAKE) --no-print-directory run CONFIG=dts/qemu-virt-io.dts QEMU_EXTRA="\
		-drive file=$(IO_DISK),if=none,format=raw,id=d0 -device virtio-blk-device,drive=d0 \
		-netdev user,id=n0,hostfwd=tcp:127.0.0.1:$(IO_PORT)-:80 -device virtio-net-device,netdev=n0"

# Host unit tests, then every QEMU scenario in tests/qemu/.
test: deps
	@$(MAKE) --no-print-directory unit-test
	@$(MAKE) --no-print-directory fuzz-smoke
	@$(MAKE) --no-print-directory qemu-test

qemu-test:
	@tests/qemu/run-all.sh

# What the hypervisor costs its guests, beside native (tests/bench/run.sh):
# build/bench/results.md and results.svg. BENCH_BASELINE=old.tsv compares.
.PHONY: bench
bench: deps
	@tests/bench/run.sh

# What the tests execute, at EL2 and on the host (tests/coverage/run.sh):
# build/coverage/index.md. Slow (the whole QEMU suite); not part of test.
.PHONY: coverage
coverage: deps
	@tests/coverage/run.sh

# Breaks the hypervisor on purpose, one mutation at a time
# (tests/mutation/mutations.txt), and checks a test notices each. Slow.
mutation: deps
	@tests/mutation/run.sh
