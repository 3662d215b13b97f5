#include "hyp/trap.h"

#include "arch/sysreg.h"
#include "drivers/console.h"
#include "drivers/psci_fw.h"
#include "hyp/guest.h"
#include "hyp/inject.h"
#include "hyp/mmio_decode.h"

static void handle_unknown(struct vcpu *v, struct gp_regs *r, uint64_t esr)
{
	(void)r;
	if (guest_should_report(v->guest, (unsigned)ESR_EC(esr)))
		hyp_printf("hyp: guest %s cpu=%u unexpected trap ec=0x%x esr=0x%llx pc=0x%llx: "
			   "undefined\n",
			   v->guest->name, v->pcpu, (unsigned)ESR_EC(esr), (unsigned long long)esr,
			   (unsigned long long)read_sysreg(elr_el2));
	inject_undef();
}

static const trap_handler trap_table[64] = {
	[EC_HVC64] = handle_hvc,     [EC_SMC64] = handle_smc,	  [EC_SYSREG] = handle_sysreg,
	[EC_DABT_LOW] = handle_dabt, [EC_IABT_LOW] = handle_iabt,
};

void handle_guest_sync(struct gp_regs *r)
{
	uint64_t esr = read_sysreg(esr_el2);
	trap_handler h = trap_table[ESR_EC(esr)];
	(h ? h : handle_unknown)(this_vcpu(), r, esr);
}

void handle_hvc(struct vcpu *v, struct gp_regs *r, uint64_t esr)
{
	/* HVC #0 with an SMCCC standard-service (PSCI) function id, 32- or
	 * 64-bit; the preferred return is already the next instruction. */
	uint32_t owner = (uint32_t)(r->x[0] >> 24) & 0xbf;
	if ((esr & 0xffff) == 0 && owner == 0x84 && !(r->x[0] >> 32)) {
		psci_handle(v, r);
		return;
	}
	r->x[0] = (uint64_t)PSCI_RET_NOT_SUPPORTED;
}

void handle_smc(struct vcpu *v, struct gp_regs *r, uint64_t esr)
{
	/* Trapped by HCR_EL2.TSC: never reaches the firmware. */
	skip_instruction(esr);
	handle_hvc(v, r, esr & ~0xffffULL);
}

void handle_iabt(struct vcpu *v, struct gp_regs *r, uint64_t esr)
{
	uint64_t far = read_sysreg(far_el2);
	(void)r;
	if (guest_should_report(v->guest, EC_IABT_LOW))
		hyp_printf(
			"hyp: guest %s cpu=%u instruction fetch from unmapped ipa=0x%llx pc=0x%llx "
			"esr=0x%llx: external abort injected\n",
			v->guest->name, v->pcpu,
			(unsigned long long)mmio_fault_ipa(read_sysreg(hpfar_el2), far),
			(unsigned long long)read_sysreg(elr_el2), (unsigned long long)esr);
	inject_external_abort(true, far);
}

void handle_guest_serror(struct gp_regs *r, uint64_t esr)
{
	struct vcpu *v = this_vcpu();
	(void)r;
	hyp_printf("hyp: guest %s cpu=%u SError esr=0x%llx\n", v->guest->name, v->pcpu,
		   (unsigned long long)esr);
	guest_stop(v->guest, "SError");
	guest_cpu_stopped(v);
}

void hyp_panic_exception(unsigned kind, uint64_t esr, uint64_t far, uint64_t elr)
{
	static const char *const kinds[] = {"sync", "irq", "fiq", "serror"};
	struct cpu *c = this_cpu();
	hyp_printf("hyp: PANIC cpu=%u unexpected %s exception at EL2 esr=0x%llx far=0x%llx "
		   "elr=0x%llx\n",
		   c ? c->idx : 0, kinds[kind & 3], (unsigned long long)esr,
		   (unsigned long long)far, (unsigned long long)elr);
	console_flush();
	psci_fw_system_off();
}
