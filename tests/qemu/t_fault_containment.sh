# Accesses outside a guest's RAM and above its IPA size come back to it as
# aborts; the hypervisor logs them and the other guest keeps printing.
. "$(dirname "$0")/lib.sh"
bin=$(build fault "$(dirname "$0")/configs/fault.dts") || exit 1
boot fault 120 -M virt,virtualization=on,gic-version=3 -cpu max -smp 2 -m 1G -kernel "$bin"
expect "^\[probe\] fault_probe: read past end of RAM 0x42000000 -> abort ec=0x25 fsc=0x10" "read past RAM: external abort at EL1"
expect "^\[probe\] fault_probe: write past end of RAM 0x42010000 -> abort ec=0x25 fsc=0x10" "write past RAM: external abort"
expect "^\[probe\] fault_probe: execute past end of RAM 0x42002000 -> abort ec=0x21 fsc=0x10" "instruction fetch: external abort"
expect "^\[probe\] fault_probe: read above the IPA size 0x1000000000 -> abort" "read above IPA size aborts"
expect "^\[probe\] fault_probe: all probes contained contained=[0-9]+ escaped=0" "all probes contained"
expect "^hyp: guest probe cpu=0 read from unmapped ipa=0x42000000 pc=0x[0-9a-f]+ esr=0x[0-9a-f]+: external abort injected" "hypervisor names guest and IPA"
expect_after "all probes contained" "^\[bystander\] ipa_view: heartbeat" "bystander prints after the probes"
expect "^\[bystander\] ipa_view: heartbeat 10/10" "bystander completes"
expect_not "PANIC|FATAL|NO FAULT"
expect_exit
exit $FAILED
