#!/usr/bin/env bash
# mk-io-disk.sh IMAGE [TOKEN]: the ext4 disk of the guest-I/O demo and test
# (dts/qemu-virt-io.dts): hello.txt (saying TOKEN), a 16 MiB file of random
# bytes to fetch (blob) and its md5 (blob.md5). Made without root
# (mke2fs -d). A second run keeps an existing image unless TOKEN is given.
set -euo pipefail
img=$1
token=${2:-}
[ -s "$img" ] && [ -z "$token" ] && exit 0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "${token:-hello from the disk of a direct-mapped guest}" >"$dir/hello.txt"
head -c 16M /dev/urandom >"$dir/blob"
(cd "$dir" && md5sum blob >blob.md5)
mkdir -p "$(dirname "$img")"
PATH=$PATH:/sbin:/usr/sbin mke2fs -q -F -t ext4 -d "$dir" "$img" 64M
