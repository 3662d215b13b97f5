# Linux test guests: Debian's arm64 cloud kernel and a busybox initramfs,
# downloaded (not installed) by scripts/fetch-linux.sh into build/linux/;
# for a guest given the Raspberry Pi's SD controllers, the non-cloud kernel
# of the same version (it has their drivers; scripts/fetch-rpi.sh) with an
# initramfs of its own modules.
LINUX_DIR := build/linux
LINUX_IMAGE := $(LINUX_DIR)/Image
LINUX_INITRD := $(LINUX_DIR)/initramfs.cpio.gz
RPI_LINUX_IMAGE := $(LINUX_DIR)/rpi/Image
RPI_LINUX_INITRD := $(LINUX_DIR)/initramfs-rpi.cpio.gz

linux-guest: $(LINUX_IMAGE) $(LINUX_INITRD)
linux-rpi-guest: $(RPI_LINUX_IMAGE) $(RPI_LINUX_INITRD)
.PHONY: linux-guest linux-rpi-guest

$(LINUX_IMAGE):
	scripts/fetch-linux.sh $(LINUX_DIR)
$(RPI_LINUX_IMAGE): $(LINUX_IMAGE)
	scripts/fetch-rpi.sh $(LINUX_DIR)

# Drivers of the devices a guest may be handed (a direct-mapped guest's
# virtio disk and NIC; the Pi's SD controllers, ext4, a module there, and
# its Ethernet) and of the channels' PCI functions (uio_pci_generic), from
# the same kernel package, in the order init loads them when its device
# tree has such a device.
LINUX_MODULES := drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_mmio \
	drivers/block/virtio_blk net/core/failover drivers/net/net_failover drivers/net/virtio_net \
	drivers/uio/uio drivers/uio/uio_pci_generic
RPI_LINUX_MODULES := drivers/mmc/host/sdhci drivers/mmc/host/sdhci-pltfm \
	drivers/mmc/host/sdhci-iproc lib/crc16 fs/mbcache fs/jbd2/jbd2 crypto/crc32c_generic \
	fs/ext4/ext4 drivers/net/phy/libphy drivers/net/phy/fixed_phy drivers/net/mdio/fwnode_mdio \
	drivers/net/mdio/of_mdio drivers/net/mdio/mdio-bcm-unimac drivers/net/phy/bcm-phy-lib \
	drivers/net/phy/bcm-phy-ptp drivers/net/phy/broadcom drivers/net/ethernet/broadcom/genet/genet
LINUX_SCRIPTS := guests/linux/io-setup guests/linux/io-bench guests/linux/sd-check \
	guests/linux/chan-check

# chan (a channel from userspace, guests/linux/chan.c): a static program
# for the guests, built with Debian's cross compiler and its arm64 libc
# whatever CROSS_COMPILE builds the hypervisor with.
LINUX_CC ?= aarch64-linux-gnu-gcc
LINUX_CHAN := $(LINUX_DIR)/chan
$(LINUX_CHAN): guests/linux/chan.c
	$(LINUX_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# initramfs OUT KERNEL-TREE MODULES: busybox, init, the scripts and chan, the modules.
define initramfs
	rm -rf $(1).d
	mkdir -p $(1).d/bin $(1).d/dev $(1).d/proc $(1).d/sys $(1).d/tmp $(1).d/lib/modules
	cp $(LINUX_DIR)/root/bin/busybox $(LINUX_SCRIPTS) $(LINUX_CHAN) $(1).d/bin/
	cp guests/linux/init $(1).d/init
	for m in $(3); do \
		cp $(2)/lib/modules/*/kernel/$$m.ko $(1).d/lib/modules/ || exit 1; \
		basename $$m >>$(1).d/lib/modules/order; \
	done
	cd $(1).d && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -9n >$(abspath $(1))
endef

$(LINUX_INITRD): guests/linux/init $(LINUX_SCRIPTS) $(LINUX_CHAN) guests/linux/linux.mk $(LINUX_IMAGE)
	$(call initramfs,$@,$(LINUX_DIR)/kernel,$(LINUX_MODULES))
$(RPI_LINUX_INITRD): guests/linux/init $(LINUX_SCRIPTS) $(LINUX_CHAN) guests/linux/linux.mk $(RPI_LINUX_IMAGE)
	scripts/fetch-rpi.sh $(LINUX_DIR) # a tree fetched before has all the modules
	$(call initramfs,$@,$(LINUX_DIR)/rpi/kernel,$(RPI_LINUX_MODULES))
