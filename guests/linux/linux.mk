# Linux test guests: Debian's arm64 cloud kernel and a busybox initramfs,
# downloaded (not installed) by scripts/fetch-linux.sh into build/linux/.
LINUX_DIR := build/linux
LINUX_IMAGE := $(LINUX_DIR)/Image
LINUX_INITRD := $(LINUX_DIR)/initramfs.cpio.gz

linux-guest: $(LINUX_IMAGE) $(LINUX_INITRD)

$(LINUX_IMAGE):
	scripts/fetch-linux.sh $(LINUX_DIR)

$(LINUX_INITRD): guests/linux/init $(LINUX_IMAGE)
	rm -rf $(LINUX_DIR)/initramfs
	mkdir -p $(LINUX_DIR)/initramfs/bin $(LINUX_DIR)/initramfs/dev \
		$(LINUX_DIR)/initramfs/proc $(LINUX_DIR)/initramfs/sys $(LINUX_DIR)/initramfs/tmp
	cp $(LINUX_DIR)/root/bin/busybox $(LINUX_DIR)/initramfs/bin/
	cp guests/linux/init $(LINUX_DIR)/initramfs/init
	cd $(LINUX_DIR)/initramfs && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -9n > ../initramfs.cpio.gz
