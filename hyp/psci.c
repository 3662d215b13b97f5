/* PSCI 1.1 for guests (Arm DEN0022), over HVC (or a trapped SMC). */
#include "arch/sysreg.h"
#include "drivers/psci_fw.h"
#include "hyp/guest.h"
#include "hyp/trap.h"
#include "nospec.h"

#define PSCI_VERSION_1_1    0x10001
#define AFFINITY_ON	    0
#define AFFINITY_OFF	    1
#define AFFINITY_ON_PENDING 2
#define FN(fid)		    ((fid)&0x1f) /* a PSCI id's function number */

static struct vcpu *vcpu_by_mpidr(struct guest *g, uint64_t mpidr)
{
	mpidr &= MPIDR_AFF_MASK;
	return mpidr < g->nvcpus ? &g->vcpus[index_nospec(mpidr, g->nvcpus)] : NULL;
}

/* One function per call: (function id, arguments) -> the value for x0,
 * called with the guest's x0-x3 where they arrived, so that the dispatch
 * moves nothing; those that need the calling vCPU ask this_vcpu(). */
typedef int64_t (*psci_fn)(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

static int64_t version(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)fid, (void)a1, (void)a2, (void)a3;
	return PSCI_VERSION_1_1;
}

/* A standby that wakes at once is a valid implementation. */
static int64_t cpu_suspend(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)fid, (void)a1, (void)a2, (void)a3;
	return PSCI_RET_SUCCESS;
}

/* Whatever it held in list registers stays pending for its next life;
 * then RUNNING -> OFF, unless a stop or park request got there first. */
static int64_t cpu_off(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct vcpu *v = this_vcpu();
	(void)fid, (void)a1, (void)a2, (void)a3;
	vgic_cpu_off(v);
	if (vcpu_self_off(v))
		vcpu_park();
	vcpu_check_requests(v);
	vcpu_park();
}

static int64_t cpu_on(uint64_t fid, uint64_t target, uint64_t entry, uint64_t ctx)
{
	struct guest *g = this_vcpu()->guest;
	(void)fid;
	struct vcpu *t = vcpu_by_mpidr(g, target);
	if (!t)
		return PSCI_RET_INVALID_PARAMS;
	if (entry - g->cfg->ram_ipa >= g->cfg->ram_size)
		return PSCI_RET_INVALID_ADDRESS;
	int r = vcpu_try_power_on(t, entry, ctx);
	if (r == 0)
		return PSCI_RET_SUCCESS;
	/* The guest is being reset (or stopped): the caller is about to be
	 * parked and never sees this. */
	if (r == -EAGAIN)
		return PSCI_RET_INTERNAL_FAILURE;
	return vcpu_is_on_pending(t) ? PSCI_RET_ON_PENDING : PSCI_RET_ALREADY_ON;
}

static int64_t affinity_info(uint64_t fid, uint64_t target, uint64_t level, uint64_t a3)
{
	(void)fid, (void)a3;
	struct vcpu *t = vcpu_by_mpidr(this_vcpu()->guest, target);
	if (!t || level != 0)
		return PSCI_RET_INVALID_PARAMS;
	return vcpu_is_on(t)	       ? AFFINITY_ON
	       : vcpu_is_on_pending(t) ? AFFINITY_ON_PENDING
				       : AFFINITY_OFF;
}

static int64_t migrate_info_type(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)fid, (void)a1, (void)a2, (void)a3;
	return 2; /* no Trusted OS to migrate */
}

static int64_t system_off(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct vcpu *v = this_vcpu();
	(void)fid, (void)a1, (void)a2, (void)a3;
	guest_stop(v->guest, "PSCI SYSTEM_OFF");
	guest_cpu_stopped(v);
}

static int64_t system_reset(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct vcpu *v = this_vcpu();
	(void)fid, (void)a1, (void)a2, (void)a3;
	guest_reset(v->guest, v);
}

static int64_t features(uint64_t fid, uint64_t id, uint64_t a2, uint64_t a3);

/* SMC32 calls: only the low halves of the arguments count. */
static int64_t cpu_suspend_32(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return cpu_suspend(fid, (uint32_t)a1, (uint32_t)a2, (uint32_t)a3);
}
static int64_t cpu_on_32(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return cpu_on(fid, (uint32_t)a1, (uint32_t)a2, (uint32_t)a3);
}
static int64_t affinity_info_32(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return affinity_info(fid, (uint32_t)a1, (uint32_t)a2, (uint32_t)a3);
}

/* By function number (the id's low bits; DEN0022 5.1), SMC32 and SMC64. */
static const psci_fn functions_32[32] = {
	[FN(PSCI_VERSION)] = version,
	[FN(PSCI_CPU_SUSPEND_32)] = cpu_suspend_32,
	[FN(PSCI_CPU_OFF)] = cpu_off,
	[FN(PSCI_CPU_ON_32)] = cpu_on_32,
	[FN(PSCI_AFFINITY_INFO_32)] = affinity_info_32,
	[FN(PSCI_MIGRATE_INFO_TYPE)] = migrate_info_type,
	[FN(PSCI_SYSTEM_OFF)] = system_off,
	[FN(PSCI_SYSTEM_RESET)] = system_reset,
	[FN(PSCI_FEATURES)] = features,
};
static const psci_fn functions_64[32] = {
	[FN(PSCI_CPU_SUSPEND_64)] = cpu_suspend,
	[FN(PSCI_CPU_ON_64)] = cpu_on,
	[FN(PSCI_AFFINITY_INFO_64)] = affinity_info,
};

/* The handler of a PSCI id this implementation has, or NULL. */
static psci_fn function_of(uint32_t fid)
{
	/* fid is the guest's: the index clamped, not only checked. */
	if (fid - 0x84000000U < 32)
		return functions_32[index_nospec(fid - 0x84000000U, 32)];
	if (fid - 0xc4000000U < 32)
		return functions_64[index_nospec(fid - 0xc4000000U, 32)];
	return NULL;
}

static int64_t features(uint64_t fid, uint64_t id, uint64_t a2, uint64_t a3)
{
	(void)fid, (void)a2, (void)a3;
	return function_of((uint32_t)id) ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
}

int64_t psci_handle(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	psci_fn f = function_of((uint32_t)fid);
	return f ? f(fid, a1, a2, a3) : PSCI_RET_NOT_SUPPORTED;
}
