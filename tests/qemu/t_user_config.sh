# A user's config outside the repo, naming their own Image file, builds
# with make CONFIG=... and boots.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make -C "$ROOT" --no-print-directory -s guests >/dev/null
cp "$ROOT/build/qemu-virt/guests/ipa_view.bin" "$tmp/my-kernel.img"
cat >"$tmp/mine.dts" <<'DTS'
/dts-v1/;
/ {
	guests {
		mine {
			ipa-bits = <44>;
			cpus = <1>;
			memory = <0x100 0x00000000 0x0 0x8000000>;
			kernel = /incbin/("my-kernel.img");
			bootargs = "heartbeats=1";
		};
	};
};
DTS
bin=$(build user "$tmp/mine.dts") || exit 1
boot user 60 -M virt,virtualization=on,gic-version=3 -cpu max -smp 2 -m 1G -kernel "$bin"
expect "^hyp: guest mine ipa-bits=44 levels=4 start-level=0 roots=1 " "user guest geometry"
expect "^\[mine\] ipa_view: hello from EL1 .* ipa-bits=44 ram=0x10000000000-0x10008000000" "user guest runs"
expect_exit
exit $FAILED
