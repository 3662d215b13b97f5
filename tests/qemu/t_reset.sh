# PSCI SYSTEM_RESET restarts the guest from its images.
. "$(dirname "$0")/lib.sh"
bin=$(build reset "$(dirname "$0")/configs/reset.dts") || exit 1
boot reset 60 -M virt,virtualization=on,gic-version=3 -cpu max -smp 1 -m 1G -kernel "$bin"
expect "^\[phoenix\] ipa_view: requesting SYSTEM_RESET"
expect "^hyp: guest phoenix reset: reloading its images"
expect_after "^hyp: guest phoenix reset" "^\[phoenix\] ipa_view: back after SYSTEM_RESET" "guest came back"
expect "^\[phoenix\] ipa_view: done, powering off"
expect_exit
exit $FAILED
