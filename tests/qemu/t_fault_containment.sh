# Accesses outside a guest's RAM and above its IPA size come back to it as
# aborts; the hypervisor logs them and the other guest keeps printing, on
# CPUs of their own and on one CPU they share.
. "$(dirname "$0")/lib.sh"
bin=$(build fault "$(dirname "$0")/configs/fault.dts") || exit 1
boot fault 120 -M virt,virtualization=on,gic-version=3 -cpu max -smp 2 -m 1G -kernel "$bin"
expect "^\[probe\] fault_probe: read past end of RAM 0x42000000 -> abort ec=0x25 fsc=0x10" "read past RAM: external abort at EL1"
expect "^\[probe\] fault_probe: write past end of RAM 0x42010000 -> abort ec=0x25 fsc=0x10" "write past RAM: external abort"
expect "^\[probe\] fault_probe: execute past end of RAM 0x42002000 -> abort ec=0x21 fsc=0x10" "instruction fetch: external abort"
expect "^\[probe\] fault_probe: read above the IPA size 0x1000000000 -> abort" "read above IPA size aborts"
expect "^\[probe\] fault_probe: all probes contained contained=[0-9]+ escaped=0" "all probes contained"
expect "^hyp: guest probe cpu=0 read from unmapped ipa=0x42000000 pc=0x[0-9a-f]+ esr=0x[0-9a-f]+: external abort injected" "hypervisor names guest and IPA"
# The abort the guest gets names the faulting address (FAR_EL1).
CHECKS=$((CHECKS + 1))
bad=$(grep -E '^\[probe\] fault_probe: .* 0x[0-9a-f]+ -> abort' "$LOG" |
	sed -E 's/.* (0x[0-9a-f]+) -> abort .* far=(0x[0-9a-f]+)$/\1 \2/' | awk '$1 != $2')
n=$(grep -cE '^\[probe\] fault_probe: .* -> abort .* far=' "$LOG")
if [ "$n" -ge 7 ] && [ -z "$bad" ]; then pass "FAR_EL1 is the faulting address in all $n aborts"
else fail "FAR_EL1 wrong or missing ($n aborts): $bad"; fi
# The bystander keeps printing while the probes fault (they are 300 ms apart).
CHECKS=$((CHECKS + 1))
first=$(grep -n '^\[probe\] fault_probe: read past end of RAM' "$LOG" | head -1 | cut -d: -f1)
last=$(grep -n '^\[probe\] fault_probe: all probes contained' "$LOG" | head -1 | cut -d: -f1)
during=0
[ -n "$first" ] && [ -n "$last" ] &&
	during=$(sed -n "${first},${last}p" "$LOG" | grep -c '^\[bystander\] ipa_view: heartbeat')
if [ "$during" -ge 3 ]; then pass "bystander printed $during heartbeats while the probes faulted"
else fail "bystander printed $during heartbeats between the first and last probe"; fi
expect "^\[bystander\] ipa_view: heartbeat 20/20" "bystander completes"
expect_not "PANIC|FATAL|NO FAULT"
expect_exit

# The same with the prober and the bystander on one CPU (hyp/sched.c):
# the aborts stay the prober's, the bystander's turns keep its beat.
tmpd=$(mktemp -d)
sed 's/cpus = <1>;/cpus = <0>;/' "$(dirname "$0")/configs/fault.dts" >"$tmpd/fault_shared.dts"
bin=$(build fault_shared "$tmpd/fault_shared.dts") || exit 1
rm -rf "$tmpd"
boot fault-shared 120 -M virt,virtualization=on,gic-version=3 -cpu max -smp 2 -m 1G -kernel "$bin"
expect "^hyp: cpu=0 shared by probe/0\(p0\) bystander/0\(p0\)$" "the prober and the bystander share CPU 0"
expect "^\[probe\] fault_probe: all probes contained contained=[0-9]+ escaped=0" "all probes contained on a shared CPU"
expect "^\[bystander\] ipa_view: heartbeat 20/20" "the bystander completes beside it"
expect_not "^hyp: guest bystander .*(abort|unhandled)" "no abort reaches the bystander"
expect_not "PANIC|FATAL|NO FAULT"
expect_exit
exit $FAILED
