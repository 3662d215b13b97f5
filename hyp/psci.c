/* PSCI 1.1 for guests (Arm DEN0022), over HVC (or a trapped SMC). */
#include "arch/sysreg.h"
#include "drivers/psci_fw.h"
#include "hyp/guest.h"
#include "hyp/trap.h"

#define PSCI_VERSION_1_1    0x10001
#define AFFINITY_ON	    0
#define AFFINITY_OFF	    1
#define AFFINITY_ON_PENDING 2

static bool is_64bit_call(uint32_t fid)
{
	return fid & 0x40000000U;
}

static struct vcpu *vcpu_by_mpidr(struct guest *g, uint64_t mpidr)
{
	mpidr &= MPIDR_AFF_MASK;
	return mpidr < g->nvcpus ? &g->vcpus[mpidr] : NULL;
}

static int64_t cpu_on(struct guest *g, uint64_t target, uint64_t entry, uint64_t ctx)
{
	struct vcpu *t = vcpu_by_mpidr(g, target);
	if (!t)
		return PSCI_RET_INVALID_PARAMS;
	if (entry - g->cfg->ram_ipa >= g->cfg->ram_size)
		return PSCI_RET_INVALID_ADDRESS;
	if (vcpu_try_power_on(t, entry, ctx))
		return PSCI_RET_SUCCESS;
	return vcpu_is_on_pending(t) ? PSCI_RET_ON_PENDING : PSCI_RET_ALREADY_ON;
}

static int64_t affinity_info(struct guest *g, uint64_t target, uint64_t level)
{
	struct vcpu *t = vcpu_by_mpidr(g, target);
	if (!t || level != 0)
		return PSCI_RET_INVALID_PARAMS;
	return vcpu_is_on(t)	       ? AFFINITY_ON
	       : vcpu_is_on_pending(t) ? AFFINITY_ON_PENDING
				       : AFFINITY_OFF;
}

static bool implemented(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return true;
	}
	return false;
}

void psci_handle(struct vcpu *v, struct gp_regs *r)
{
	struct guest *g = v->guest;
	uint32_t fid = (uint32_t)r->x[0];
	uint64_t mask = is_64bit_call(fid) ? ~0ULL : 0xffffffffULL;
	uint64_t a1 = r->x[1] & mask, a2 = r->x[2] & mask, a3 = r->x[3] & mask;
	int64_t ret;

	switch (fid) {
	case PSCI_VERSION:
		ret = PSCI_VERSION_1_1;
		break;
	case PSCI_FEATURES:
		ret = implemented((uint32_t)a1) ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
		break;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		/* A standby that wakes at once is a valid implementation. */
		ret = PSCI_RET_SUCCESS;
		break;
	case PSCI_CPU_OFF:
		/* Whatever it held in list registers stays pending for its
		 * next life; then RUNNING -> OFF, unless a stop or park
		 * request got there first. */
		vgic_cpu_off(v);
		if (vcpu_self_off(v))
			vcpu_park();
		vcpu_check_requests(v);
		vcpu_park();
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		ret = cpu_on(g, a1, a2, a3);
		break;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		ret = affinity_info(g, a1, a2);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = 2; /* no Trusted OS to migrate */
		break;
	case PSCI_SYSTEM_OFF:
		guest_stop(g, "PSCI SYSTEM_OFF");
		guest_cpu_stopped(v);
	case PSCI_SYSTEM_RESET:
		guest_reset(g, v);
	default:
		ret = PSCI_RET_NOT_SUPPORTED;
	}
	r->x[0] = (uint64_t)ret;
}
