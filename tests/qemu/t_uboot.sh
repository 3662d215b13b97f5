# The hypervisor image is an arm64 Image that U-Boot's booti starts.
. "$(dirname "$0")/lib.sh"
UBOOT=/usr/lib/u-boot/qemu_arm64/u-boot.bin
bin=$(build demo "$ROOT/dts/qemu-virt-baremetal.dts") || exit 1
run_expect uboot "$(dirname "$0")/uboot-booti.exp" "$UBOOT" "$bin" \
	-M virt,virtualization=on,gic-version=3 -cpu max -smp 4 -m 2G
for g in ipa32 ipa40 ipa48 ipa52; do
	expect "^\[$g\] ipa_view: ram walk pages=[1-9][0-9]* errors=0" "$g runs after booti"
done
exit $FAILED
