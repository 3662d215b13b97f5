#include "drivers/psci_fw.h"

#include "drivers/bcm2835_pm.h"

extern void park(void) __attribute__((noreturn));

static enum psci_conduit conduit;

void psci_fw_init(enum psci_conduit c)
{
	conduit = c;
}

int64_t psci_fw_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	/* SMCCC: x0-x17 may be clobbered by an SMCCC v1.0 implementation. */
	if (conduit == PSCI_CONDUIT_SMC)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	else if (conduit == PSCI_CONDUIT_HVC)
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	else
		return PSCI_RET_NOT_SUPPORTED;
	return (int64_t)x0;
}

int64_t psci_fw_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t ctx)
{
	return psci_fw_call(PSCI_CPU_ON_64, mpidr, pa_addr(entry), ctx);
}

/* Without PSCI (a spin-table board) a CPU cannot be powered off: it
 * sleeps in WFI with its interrupts routed elsewhere. */
void psci_fw_cpu_off(void)
{
	psci_fw_call(PSCI_CPU_OFF, 0, 0, 0);
	park();
}

void psci_fw_system_off(void)
{
	if (conduit == PSCI_CONDUIT_NONE && bcm2835_pm_present())
		bcm2835_pm_reset(true);
	psci_fw_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	park();
}
