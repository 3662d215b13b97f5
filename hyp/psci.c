/* PSCI 1.1 for guests (Arm DEN0022), over HVC (or a trapped SMC). */
#include "arch/sysreg.h"
#include "drivers/psci_fw.h"
#include "hyp/guest.h"
#include "hyp/trap.h"

#define PSCI_VERSION_1_1    0x10001
#define AFFINITY_ON	    0
#define AFFINITY_OFF	    1
#define AFFINITY_ON_PENDING 2
#define FN(fid)		    ((fid)&0x1f) /* a PSCI id's function number */

static bool is_64bit_call(uint32_t fid)
{
	return fid & 0x40000000U;
}

static struct vcpu *vcpu_by_mpidr(struct guest *g, uint64_t mpidr)
{
	mpidr &= MPIDR_AFF_MASK;
	return mpidr < g->nvcpus ? &g->vcpus[mpidr] : NULL;
}

/* One function per call, (v, arguments) -> the value for x0. */
typedef int64_t (*psci_fn)(struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3);

static int64_t version(struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)v, (void)a1, (void)a2, (void)a3;
	return PSCI_VERSION_1_1;
}

/* A standby that wakes at once is a valid implementation. */
static int64_t cpu_suspend(struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)v, (void)a1, (void)a2, (void)a3;
	return PSCI_RET_SUCCESS;
}

/* Whatever it held in list registers stays pending for its next life;
 * then RUNNING -> OFF, unless a stop or park request got there first. */
static int64_t cpu_off(struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)a1, (void)a2, (void)a3;
	vgic_cpu_off(v);
	if (vcpu_self_off(v))
		vcpu_park();
	vcpu_check_requests(v);
	vcpu_park();
}

static int64_t cpu_on(struct vcpu *v, uint64_t target, uint64_t entry, uint64_t ctx)
{
	struct guest *g = v->guest;
	struct vcpu *t = vcpu_by_mpidr(g, target);
	if (!t)
		return PSCI_RET_INVALID_PARAMS;
	if (entry - g->cfg->ram_ipa >= g->cfg->ram_size)
		return PSCI_RET_INVALID_ADDRESS;
	if (vcpu_try_power_on(t, entry, ctx))
		return PSCI_RET_SUCCESS;
	return vcpu_is_on_pending(t) ? PSCI_RET_ON_PENDING : PSCI_RET_ALREADY_ON;
}

static int64_t affinity_info(struct vcpu *v, uint64_t target, uint64_t level, uint64_t a3)
{
	(void)a3;
	struct vcpu *t = vcpu_by_mpidr(v->guest, target);
	if (!t || level != 0)
		return PSCI_RET_INVALID_PARAMS;
	return vcpu_is_on(t)	       ? AFFINITY_ON
	       : vcpu_is_on_pending(t) ? AFFINITY_ON_PENDING
				       : AFFINITY_OFF;
}

static int64_t migrate_info_type(struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)v, (void)a1, (void)a2, (void)a3;
	return 2; /* no Trusted OS to migrate */
}

static int64_t system_off(struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)a1, (void)a2, (void)a3;
	guest_stop(v->guest, "PSCI SYSTEM_OFF");
	guest_cpu_stopped(v);
}

static int64_t system_reset(struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)a1, (void)a2, (void)a3;
	guest_reset(v->guest, v);
}

static int64_t features(struct vcpu *v, uint64_t fid, uint64_t a2, uint64_t a3);

/* By function number (the id's low bits; DEN0022 5.1). */
static const psci_fn functions[32] = {
	[FN(PSCI_VERSION)] = version,
	[FN(PSCI_CPU_SUSPEND_32)] = cpu_suspend,
	[FN(PSCI_CPU_OFF)] = cpu_off,
	[FN(PSCI_CPU_ON_32)] = cpu_on,
	[FN(PSCI_AFFINITY_INFO_32)] = affinity_info,
	[FN(PSCI_MIGRATE_INFO_TYPE)] = migrate_info_type,
	[FN(PSCI_SYSTEM_OFF)] = system_off,
	[FN(PSCI_SYSTEM_RESET)] = system_reset,
	[FN(PSCI_FEATURES)] = features,
};
/* Those that also have an SMC64 form. */
#define HAS_SMC64 \
	(BIT(FN(PSCI_CPU_SUSPEND_64)) | BIT(FN(PSCI_CPU_ON_64)) | BIT(FN(PSCI_AFFINITY_INFO_64)))

/* The handler of a PSCI id this implementation has, or NULL. */
static psci_fn function_of(uint32_t fid)
{
	uint32_t fn = fid - (is_64bit_call(fid) ? 0xc4000000U : 0x84000000U);
	if (fn >= 32 || (is_64bit_call(fid) && !(HAS_SMC64 & BIT(fn))))
		return NULL;
	return functions[fn];
}

static int64_t features(struct vcpu *v, uint64_t fid, uint64_t a2, uint64_t a3)
{
	(void)v, (void)a2, (void)a3;
	return function_of((uint32_t)fid) ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
}

int64_t psci_handle(struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3, uint32_t fid)
{
	psci_fn f = function_of(fid);
	if (!f)
		return PSCI_RET_NOT_SUPPORTED;
	if (!is_64bit_call(fid)) /* SMC32: only the low halves count */
		a1 = (uint32_t)a1, a2 = (uint32_t)a2, a3 = (uint32_t)a3;
	return f(v, a1, a2, a3);
}
