# Two Debian Linux guests (IPA 32 with 1 vCPU, IPA 40 with 2 vCPUs) and a
# bare-metal one, on GICv3 and on GICv2: each Linux reaches its shell with
# exactly its own RAM and CPUs, typed input reaches only the guest with
# focus, and one keeps running while the other powers off.
. "$(dirname "$0")/lib.sh"
bin=$(build linux "$ROOT/dts/qemu-virt-demo.dts") || exit 1
for gic in 3 2; do
	run_expect linux-gicv$gic "$(dirname "$0")/linux-console.exp" \
		-M virt,virtualization=on,gic-version=$gic -cpu max -smp 4 -m 2G -kernel "$bin"
	expect '^\[linux32\] marker-1032' "the log shows linux32's output"
	expect_not '^\[linux40\] marker-1032|^\[linux32\] marker-1040' \
		"typed input reached only the guest with focus"
	expect_not '^hyp: guest .* (unhandled|unexpected)|PANIC|FATAL' "no unhandled trap reported"
done
exit $FAILED
