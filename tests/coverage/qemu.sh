#!/usr/bin/env bash
# QEMU as the tests run it (QEMU=tests/coverage/qemu.sh), logging each
# block of code it translates, once (-d in_asm: addresses and opcodes), and
# naming the images it was given, for make coverage (tests/coverage/run.sh).
dir=${COVERAGE_DIR:?COVERAGE_DIR not set}
id=$$-$RANDOM
prev=
for a in "$@"; do
	case $prev in -kernel) realpath "$a" >>"$dir/$id.images" 2>/dev/null ;; esac
	case $a in *loader,file=*) f=${a#*loader,file=}; realpath "${f%%,*}" >>"$dir/$id.images" 2>/dev/null ;; esac
	prev=$a
done
exec qemu-system-aarch64 "$@" -d in_asm -D "$dir/$id.log"
