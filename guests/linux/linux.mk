# Linux test guests: Debian's arm64 cloud kernel and a busybox initramfs,
# downloaded (not installed) by scripts/fetch-linux.sh into build/linux/.
LINUX_DIR := build/linux
LINUX_IMAGE := $(LINUX_DIR)/Image
LINUX_INITRD := $(LINUX_DIR)/initramfs.cpio.gz

linux-guest: $(LINUX_IMAGE) $(LINUX_INITRD)

$(LINUX_IMAGE):
	scripts/fetch-linux.sh $(LINUX_DIR)

# Drivers of the devices a guest may be handed (direct-mapped guests: the
# virtio disk and NIC), from the same kernel package, loaded by init when
# its device tree has such a device.
LINUX_MODULES := drivers/virtio/virtio drivers/virtio/virtio_ring drivers/virtio/virtio_mmio \
	drivers/block/virtio_blk net/core/failover drivers/net/net_failover drivers/net/virtio_net

$(LINUX_INITRD): guests/linux/init guests/linux/io-setup guests/linux/linux.mk $(LINUX_IMAGE)
	rm -rf $(LINUX_DIR)/initramfs
	mkdir -p $(LINUX_DIR)/initramfs/bin $(LINUX_DIR)/initramfs/dev \
		$(LINUX_DIR)/initramfs/proc $(LINUX_DIR)/initramfs/sys $(LINUX_DIR)/initramfs/tmp \
		$(LINUX_DIR)/initramfs/lib/modules
	cp $(LINUX_DIR)/root/bin/busybox $(LINUX_DIR)/initramfs/bin/
	cp guests/linux/init $(LINUX_DIR)/initramfs/init
	cp guests/linux/io-setup $(LINUX_DIR)/initramfs/bin/io-setup
	for m in $(LINUX_MODULES); do \
		cp $(LINUX_DIR)/kernel/lib/modules/*/kernel/$$m.ko $(LINUX_DIR)/initramfs/lib/modules/ || exit 1; \
	done
	cd $(LINUX_DIR)/initramfs && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -9n > ../initramfs.cpio.gz
