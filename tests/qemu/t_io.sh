# Guest I/O through bus masters a direct-mapped guest owns (issue: DMA
# devices): a Debian Linux guest whose RAM sits at IPA == PA is given QEMU
# virt's virtio disk and NIC (two virtio-mmio transports in one page). It
# reads the disk with O_DIRECT (the checksum must be the image's), mounts
# the ext4 image made here and reads the file written here, and serves it
# over HTTP on QEMU's user network, which the host fetches through a
# forwarded port. A bare-metal guest placed by the hypervisor runs beside
# it. On GICv3 and GICv2.
. "$(dirname "$0")/lib.sh"
make -C "$ROOT" --no-print-directory -s linux-guest >/dev/null || {
	echo "FAIL io: could not fetch the Linux kernel"; exit 1; }
# The refusals first (bare-metal guests: quick).
bin=$(build direct_bad "$(dirname "$0")/configs/direct_bad.dts") || exit 1
boot direct_bad 60 -M virt,virtualization=on,gic-version=3 -cpu max -smp 4 -m 2G -kernel "$bin"
expect "^hyp: guest second refused: direct-map: memory 0x80800000-0x817fffff overlaps guest first's \(0x80000000-0x80ffffff\)$" "overlapping direct-map ranges refused"
expect "^hyp: guest overhyp refused: direct-map: memory 0x40000000-0x40ffffff overlaps the hypervisor's image and page pool \(0x" "a range over the hypervisor refused"
expect "^hyp: guest overdtb refused: direct-map: memory 0x44000000-0x7fffffff overlaps the host device tree \(0x" "a range over the host device tree refused"
expect "^hyp: guest notram refused: direct-map: memory 0x20000000-0x20ffffff is not host RAM" "a range that is not RAM refused"
expect "^hyp: guest notdirect refused: device /virtio_mmio@a003e00 masters the bus \(DMA\)" "a bus master for a guest that is not direct-mapped refused"
expect "^hyp: guest first ram ipa=0x80000000 pa=0x80000000 \(direct-map\)" "the first direct-mapped guest accepted"
expect "^\[first\] ipa_view: ram walk pages=[0-9]+ errors=0" "and walks its RAM"
expect "^\[first\] ipa_view: heartbeat 3/3" "and keeps running"
expect_stopped_cleanly

bin=$(build io "$(dirname "$0")/configs/io.dts") || exit 1
dir=$ROOT/build/tests/io

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

for gic in 3 2; do
	NAME=io-gicv$gic
	LOG=$LOGDIR/$NAME.log
	port=$(free_port)
	# A new disk each run: the guest's mount writes to it.
	token="disk-token-$$-$RANDOM"
	"$ROOT/scripts/mk-io-disk.sh" "$dir/disk.img" "$token" || { echo "FAIL io: no disk image"; exit 1; }
	disk_md5=$(head -c 32M "$dir/disk.img" | md5sum | cut -d' ' -f1)
	rm -f "$dir/rc"
	(run_watched 240 "$QEMU" -nographic -monitor none \
		-M virt,virtualization=on,gic-version=$gic -cpu max -smp 4 -m 2G -kernel "$bin" \
		-drive file="$dir/disk.img",if=none,format=raw,id=d0 -device virtio-blk-device,drive=d0 \
		-netdev user,id=n0,hostfwd=tcp:127.0.0.1:$port-:80 -device virtio-net-device,netdev=n0 \
		</dev/null; echo "$RC" >"$dir/rc") &
	qemu=$!
	for _ in $(seq 150); do
		grep -q "io: eth0 up\|io: eth0 not up" "$LOG" 2>/dev/null && break
		kill -0 $qemu 2>/dev/null || break
		sleep 1
	done
	# What the host got over the guest's NIC, added to the log.
	hello=$(curl -s -m 20 "http://127.0.0.1:$port/hello.txt")
	got=$(curl -s -m 60 "http://127.0.0.1:$port/blob" | md5sum | cut -d' ' -f1)
	want=$(curl -s -m 20 "http://127.0.0.1:$port/blob.md5" | cut -d' ' -f1)
	wait $qemu
	RC=$(cat "$dir/rc" 2>/dev/null || echo 1)
	sed -i 's/\r$//' "$LOG"
	echo "host: http hello.txt: $hello" >>"$LOG"
	echo "host: http blob md5=$got, blob.md5 says ${want:-nothing}" >>"$LOG"
	expect "^hyp: guest io ram ipa=0xb0000000 pa=0xb0000000 \(direct-map\)" "RAM at IPA == PA"
	expect "^hyp: guest bystander ram ipa=0x8000000000 pa=0x[4-9a][0-9a-f]{7} " "the bystander placed below it (the allocator takes the top first)"
	expect "^\[io\] .*io: O_DIRECT read of 32 MiB in [0-9]+ ms, md5=$disk_md5$" "O_DIRECT read: the disk's own bytes"
	expect "^\[io\] .*io: /dev/vda mounted: $token$" "ext4 disk mounted, the file written here read"
	expect "^\[io\] .*io: eth0 up, httpd serving" "eth0 up"
	expect "^host: http hello.txt: $token$" "the host fetched a file over the guest's NIC"
	expect "^host: http blob md5=([0-9a-f]{32}), blob.md5 says \1$" "16 MiB fetched intact"
	expect "^\[bystander\] ipa_view: heartbeat 25/25" "the bystander ran throughout"
	expect "^hyp: guest io stopped: PSCI SYSTEM_OFF" "the I/O guest powered off"
	expect_not "^hyp: guest .* (unhandled|unexpected|abort)" "no unhandled trap, no abort"
	expect_stopped_cleanly
done
exit $FAILED
