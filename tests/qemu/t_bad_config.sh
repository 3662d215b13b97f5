# Every bad guest is refused with its name and reason; the good one runs.
. "$(dirname "$0")/lib.sh"
bin=$(build bad "$(dirname "$0")/configs/bad.dts") || exit 1
boot bad 60 -M virt,virtualization=on,gic-version=3 -cpu max -smp 4 -m 1G -kernel "$bin"
expect "^hyp: guest unaligned refused: memory ipa=0x40000800 size=0x2000000 not 4 KiB aligned"
expect "^hyp: guest toolarge refused: memory ipa=0xf0000000 size=0x20000000 does not fit in ipa-bits=32"
expect "^hyp: guest overlap refused: passthrough 0 ipa=0x41000000 overlaps memory or console"
expect "^hyp: guest nocpu refused: cpu 9 does not exist \(host has 4\)"
expect "^hyp: guest hostram refused: passthrough 0 pa=0x40000000 is host RAM"
expect "^hyp: guest nokernel refused: kernel image missing"
expect "^hyp: guest hungry refused: not enough free host memory for its RAM" "4 GiB guest on a 1 GiB machine refused"
expect "^\[good\] ipa_view: heartbeat 1/1" "the good guest runs"
expect_exit
# The build already said what it could (scripts/check_config.c).
LOG=$LOGDIR/bad.build.log
check "the build warns of a refusal it can see" \
	grep -q "bad.dts: warning: guest nokernel will be refused: kernel image missing" "$LOG"
check "the build warns of misaligned memory" \
	grep -q "warning: guest unaligned will be refused: memory ipa=0x40000800" "$LOG"
tmpd=$(mktemp -d)
printf '/dts-v1/;\n/ { nothing; };\n' >"$tmpd/none.dts"
LOG=$LOGDIR/bad-none.build.log
make -C "$ROOT" --no-print-directory -s BUILD=build/tests/bad-none CONFIG="$tmpd/none.dts" hyp >"$LOG" 2>&1
check "an unusable configuration fails the build" test $? -ne 0
check "and says why" grep -q "none.dts: the hypervisor cannot use this configuration: no /guests node" "$LOG"
# A typo in a property name fails the build, naming the nearest known one.
printf '/dts-v1/;\n/ { guests { g { ipa-bits = <40>; cpus = <0>; memory = <0 0x40000000 0 0x2000000>;\n kernel = /incbin/("ipa_view.bin"); interupts = <34>; }; }; };\n' >"$tmpd/typo.dts"
LOG=$LOGDIR/bad-typo.build.log
make -C "$ROOT" --no-print-directory -s BUILD=build/tests/bad-typo CONFIG="$tmpd/typo.dts" hyp >"$LOG" 2>&1
check "a misspelt property fails the build" test $? -ne 0
check "and names the property it meant" grep -q "typo.dts: error: guest g: interupts: unknown property, did you mean interrupts?" "$LOG"
rm -rf "$tmpd"

# Passthrough ranges and kernel images that would give a guest the
# hypervisor's memory or devices (review findings 1-3).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Image headers (booting.rst): text_offset at byte 8, image_size at 16,
# little-endian, magic "ARM\x64" at 56; the body is ipa_view's.
image() { # FILE TEXT_OFFSET IMAGE_SIZE
	cp "$ROOT/build/qemu-virt/guests/ipa_view.bin" "$1"
	le64 "$2" | dd of="$1" bs=1 seek=8 conv=notrunc status=none
	le64 "$3" | dd of="$1" bs=1 seek=16 conv=notrunc status=none
	printf 'ARM\x64' | dd of="$1" bs=1 seek=56 conv=notrunc status=none
}
le64() { # N: its 8 bytes, little-endian
	local hex i
	hex=$(printf '%016x' "$1")
	for i in 14 12 10 8 6 4 2 0; do printf "\\x${hex:$i:2}"; done
}
make -C "$ROOT" --no-print-directory -s guests >/dev/null
image "$tmp/wrap.img" 0xffffffffffe00000 0x1000
image "$tmp/huge.img" 0 0xfffffffffff00000
# What a user might hand over instead of an Image: Debian's vmlinuz
# (gzip), an ELF, a big-endian Image.
gzip -c "$ROOT/build/qemu-virt/guests/ipa_view.bin" >"$tmp/vmlinuz"
cp "$ROOT/build/qemu-virt/guests/ipa_view.elf" "$tmp/kernel.elf"
image "$tmp/be.img" 0 0x1000
printf '\x01' | dd of="$tmp/be.img" bs=1 seek=24 conv=notrunc status=none
cat >"$tmp/bad_pa.dts" <<'DTS'
/dts-v1/;
/ {
	guests {
		good {
			ipa-bits = <40>;
			cpus = <0>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			passthrough = <0x0 0x20000000 0x0 0x09010000 0x0 0x1000>;
			kernel = /incbin/("ipa_view.bin");
			bootargs = "heartbeats=1";
		};
		pabit48 {
			ipa-bits = <40>;
			cpus = <1>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			passthrough = <0x0 0x20000000 0x10000 0x40200000 0x0 0x400000>;
			kernel = /incbin/("ipa_view.bin");
		};
		pawrap {
			ipa-bits = <40>;
			cpus = <1>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			passthrough = <0x1 0x0 0xffffffff 0xc0000000 0x0 0x80000000>;
			kernel = /incbin/("ipa_view.bin");
		};
		gicd {
			ipa-bits = <40>;
			cpus = <1>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			passthrough = <0x0 0x20000000 0x0 0x08000000 0x0 0x10000>;
			kernel = /incbin/("ipa_view.bin");
		};
		gicr {
			ipa-bits = <40>;
			cpus = <1>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			passthrough = <0x0 0x20000000 0x0 0x080a0000 0x0 0x20000>;
			kernel = /incbin/("ipa_view.bin");
		};
		its {
			ipa-bits = <40>;
			cpus = <1>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			devices = "/intc@8000000/its@8080000";
			devices-ipa = <0x0 0x20000000>;
			kernel = /incbin/("ipa_view.bin");
		};
		itsraw {
			ipa-bits = <40>;
			cpus = <1>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			passthrough = <0x0 0x20000000 0x0 0x08090000 0x0 0x1000>;
			kernel = /incbin/("ipa_view.bin");
		};
		sharer {
			ipa-bits = <40>;
			cpus = <1>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			passthrough = <0x0 0x20000000 0x0 0x09010000 0x0 0x1000>;
			kernel = /incbin/("ipa_view.bin");
		};
	};
};
DTS
bin=$(build bad_pa "$tmp/bad_pa.dts") || exit 1
boot bad_pa 60 -M virt,virtualization=on,gic-version=3 -cpu max -smp 4 -m 1G -kernel "$bin"
expect "^hyp: guest pabit48 refused: passthrough 0 pa=0x1000040200000 size=0x400000 is outside the 48-bit physical address space" "PA with bit 48 set refused"
expect "^hyp: guest pawrap refused: passthrough 0 pa=0xffffffffc0000000 size=0x80000000 is outside" "wrapping PA refused"
expect "^hyp: guest gicd refused: passthrough 0 pa=0x8000000 is the hypervisor's interrupt controller \(intc@8000000\)" "host GICD refused"
expect "^hyp: guest gicr refused: passthrough 0 pa=0x80a0000 is the hypervisor's interrupt controller \(intc@8000000\)" "host GICR refused"
expect "^hyp: guest its refused: device /intc@8000000/its@8080000 pa=0x8080000 is the hypervisor's interrupt controller \(its@8080000\)" "the GIC's ITS refused as a device"
expect "^hyp: guest itsraw refused: passthrough 0 pa=0x8090000 is the hypervisor's interrupt controller \(its@8080000\)" "the ITS's translation frame refused as raw passthrough"
expect "^hyp: guest sharer refused: passthrough 0 pa=0x9010000 is already passed through to guest good" "shared passthrough refused"
expect "^\[good\] ipa_view: heartbeat 1/1" "the good guest runs"
expect_not "PANIC|FATAL" "no panic"
expect "^hyp: all guests stopped, powering off" "orderly power-off"
expect_exit

# The same on a GICv2 host: its distributor, CPU interface, the
# virtualization frames (GICH, GICV) and the v2m MSI frame, a child node.
gic2_guest() { # NAME PROPERTY...
	printf '\t\t%s {\n\t\t\tipa-bits = <40>;\n\t\t\tcpus = <1>;\n' "$1"
	printf '\t\t\tmemory = <0x0 0x40000000 0x0 0x2000000>;\n'
	printf '\t\t\tkernel = /incbin/("ipa_view.bin");\n'
	shift
	printf '\t\t\t%s;\n' "$@"
	printf '\t\t};\n'
}
raw_at() { echo "passthrough = <0x0 0x20000000 0x0 $1 0x0 0x1000>"; }
{
	printf '/dts-v1/;\n/ {\n\tguests {\n'
	printf '\t\tgood {\n\t\t\tipa-bits = <40>;\n\t\t\tcpus = <0>;\n'
	printf '\t\t\tmemory = <0x0 0x40000000 0x0 0x2000000>;\n'
	printf '\t\t\tkernel = /incbin/("ipa_view.bin");\n\t\t\tbootargs = "heartbeats=1";\n\t\t};\n'
	gic2_guest gicd "$(raw_at 0x08000000)"
	gic2_guest gicc "$(raw_at 0x08010000)"
	gic2_guest gich "$(raw_at 0x08030000)"
	gic2_guest gicv "$(raw_at 0x08040000)"
	gic2_guest gichdev 'devices = "/intc@8000000"' 'devices-ipa = <0x0 0x20000000>'
	gic2_guest v2m 'devices = "/intc@8000000/v2m@8020000"' 'devices-ipa = <0x0 0x20000000>'
	gic2_guest v2mraw "$(raw_at 0x08020000)"
	printf '\t};\n};\n'
} >"$tmp/bad_gic2.dts"
bin=$(build bad_gic2 "$tmp/bad_gic2.dts") || exit 1
boot bad_gic2 60 -M virt,virtualization=on,gic-version=2 -cpu max -smp 4 -m 1G -kernel "$bin"
for g in gicd:0x8000000 gicc:0x8010000 gich:0x8030000 gicv:0x8040000; do
	expect "^hyp: guest ${g%%:*} refused: passthrough 0 pa=${g#*:} is the hypervisor's interrupt controller \(intc@8000000\)" "GICv2 host: ${g%%:*} refused"
done
expect "^hyp: guest gichdev refused: device /intc@8000000: interrupt <1 9> is not an SPI" "GICv2 host: the GIC node refused as a device"
expect "^hyp: guest v2m refused: device /intc@8000000/v2m@8020000 pa=0x8020000 is the hypervisor's interrupt controller \(v2m@8020000\)" "GICv2 host: the v2m frame refused as a device"
expect "^hyp: guest v2mraw refused: passthrough 0 pa=0x8020000 is the hypervisor's interrupt controller \(v2m@8020000\)" "GICv2 host: the v2m frame refused as raw passthrough"
expect "^\[good\] ipa_view: heartbeat 1/1" "GICv2 host: the good guest runs"
expect_stopped_cleanly

# When no guest can start, the hypervisor says so and powers the machine
# off (a fatal line, not a hang): here the only guest wants a CPU the
# machine does not have, which only the boot can know.
NAME=none-starts
cat >"$tmp/none_starts.dts" <<'DTS'
/dts-v1/;
/ {
	guests {
		lonely {
			ipa-bits = <40>;
			cpus = <7>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			kernel = /incbin/("ipa_view.bin");
		};
	};
};
DTS
bin=$(build none_starts "$tmp/none_starts.dts") || exit 1
LOG=$LOGDIR/none_starts.log
timeout -k 5 60 "$QEMU" -nographic -monitor none -M virt,virtualization=on,gic-version=3 \
	-cpu max -smp 4 -m 1G -kernel "$bin" </dev/null >"$LOG" 2>&1
RC=$?
sed -i 's/\r$//' "$LOG"
expect "^hyp: guest lonely refused: cpu 7 does not exist \(host has 4\)" "the guest refused, by name"
expect "^hyp: FATAL no guest could start: nothing to run" "no guest left: said so"
expect_not "^hyp: PANIC" "no panic (the panic path powers off too)"
CHECKS=$((CHECKS + 1))
if [ "$RC" = 0 ]; then pass "the machine powered off"; else fail "QEMU did not power off (exit $RC)"; fi

# Kernel images that cannot be booted as given, each refused by name.
cat >"$tmp/bad_image.dts" <<'DTS'
/dts-v1/;
/ {
	guests {
		good {
			ipa-bits = <40>;
			cpus = <0>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			kernel = /incbin/("ipa_view.bin");
			bootargs = "heartbeats=1";
		};
		wrapimage {
			ipa-bits = <40>;
			cpus = <2>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			kernel = /incbin/("wrap.img");
		};
		hugeimage {
			ipa-bits = <40>;
			cpus = <3>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			kernel = /incbin/("huge.img");
		};
		gzipped {
			ipa-bits = <40>;
			cpus = <3>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			kernel = /incbin/("vmlinuz");
		};
		elf {
			ipa-bits = <40>;
			cpus = <3>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			kernel = /incbin/("kernel.elf");
		};
		bigendian {
			ipa-bits = <40>;
			cpus = <3>;
			memory = <0x0 0x40000000 0x0 0x2000000>;
			kernel = /incbin/("be.img");
		};
	};
};
DTS
bin=$(build bad_image "$tmp/bad_image.dts") || exit 1
boot bad_image 60 -M virt,virtualization=on,gic-version=3 -cpu max -smp 4 -m 1G -kernel "$bin"
expect "^hyp: guest wrapimage refused: .*kernel text_offset places it outside memory" "wrapping text_offset refused"
expect "^hyp: guest hugeimage refused: .*kernel image_size does not fit in memory" "huge image_size refused"
expect "^hyp: guest gzipped refused: kernel is gzip-compressed \(a vmlinuz\?\): give the Image inside \(gzip -dc\)" "a vmlinuz refused, with what to do"
expect "^hyp: guest elf refused: kernel is an ELF file" "an ELF kernel refused"
expect "^hyp: guest bigendian refused: kernel is a big-endian arm64 Image" "a big-endian Image refused"
LOG=$LOGDIR/bad_image.build.log
check "the build warned of the vmlinuz too" grep -q "warning: guest gzipped will be refused: kernel is gzip-compressed" "$LOG"
LOG=$LOGDIR/bad_image.log
expect "^\[good\] ipa_view: heartbeat 1/1" "the good guest runs"
expect_stopped_cleanly
exit $FAILED
