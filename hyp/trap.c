#include "hyp/trap.h"

#include "arch/sysreg.h"
#include "drivers/console.h"
#include "drivers/psci_fw.h"
#include "hyp/guest.h"
#include "hyp/inject.h"
#include "hyp/mmio_decode.h"
#include "hyp/irq.h"
#include "hyp/sched.h"
#include "hyp/vcpu_ctx.h"

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
	[EC_SMC64] = handle_smc,
	[EC_SYSREG] = handle_sysreg,
	[EC_IABT_LOW] = handle_iabt,
};

/* From the vectors, for every class without an entry of its own. */
void handle_guest_sync(struct gp_regs *r, uint64_t esr)
{
	trap_handler h = trap_table[ESR_EC(esr)];
	(h ? h : handle_unknown)(this_vcpu(), r, esr);
}

/* A shared CPU's vectors (boot/vectors.S): the whole frame saved, every
 * class dispatched here; sched_exit follows. */
void handle_shared_sync(struct gp_regs *r)
{
	uint64_t esr = read_sysreg(esr_el2);
	switch (ESR_EC(esr)) {
	case EC_WFX:
		sched_wfx(r, esr);
		break;
	case EC_DABT_LOW:
		handle_guest_dabt(r, esr);
		break;
	case EC_HVC64:
		r->x[0] = (uint64_t)handle_guest_hvc(r->x[0], r->x[1], r->x[2], r->x[3], esr);
		break;
	case EC_FP:
		if (!vcpu_ctx_fp_trap(this_vcpu()))
			handle_guest_sync(r, esr);
		break;
	default:
		handle_guest_sync(r, esr);
	}
}

void handle_shared_serror(struct gp_regs *r)
{
	handle_guest_serror(r, read_sysreg(esr_el2));
}

#ifdef HYP_SELFTEST
/* Test builds only (make SELFTEST=1, tests/qemu/t_el2_fault.sh): vendor
 * hypervisor-service calls that make EL2 fail on purpose, so that a test
 * sees the fault report and the machine stop. */
#define SELFTEST_STACK_OVERFLOW 0xc6000001U
#define SELFTEST_WRITE_TEXT	0xc6000002U
#define SELFTEST_EXEC_DATA	0xc6000003U

/* A RET, in writable data: fetching it must fault (W^X, SCTLR_EL2.WXN). */
static uint32_t data_code[4] __attribute__((aligned(16))) = {0xd65f03c0};

static __attribute__((noinline)) uint64_t recurse(uint64_t n)
{
	volatile uint64_t pad[32];
	pad[n % 32] = n;
	return n > (1ULL << 40) ? 0 : recurse(n + 1) + pad[n % 32];
}

static void selftest(uint64_t fid)
{
	if (fid == SELFTEST_STACK_OVERFLOW)
		recurse(0);
	if (fid == SELFTEST_WRITE_TEXT)
		*(volatile uint32_t *)(uintptr_t)handle_guest_hvc = 0;
	if (fid == SELFTEST_EXEC_DATA)
		((void (*)(void))(uintptr_t)data_code)();
}
#endif

/* An SMCCC call (SMC32/64, HVC #0 or a trapped SMC): PSCI is the one
 * standard service offered; anything else is NOT_SUPPORTED (SMCCC 1.1). */
static inline int64_t smccc_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t imm)
{
#ifdef HYP_SELFTEST
	selftest(fid);
#endif
	if (imm == 0 && !(fid >> 32) && ((fid >> 24) & 0xbf) == 0x84)
		return psci_handle(fid, a1, a2, a3);
	return PSCI_RET_NOT_SUPPORTED;
}

/* From the vectors, for EC_HVC64, which put the result in the guest's x0;
 * the preferred return is already the next instruction. */
int64_t handle_guest_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t esr)
{
	return smccc_call(fid, a1, a2, a3, esr & 0xffff);
}

void handle_smc(struct vcpu *v, struct gp_regs *r, uint64_t esr)
{
	/* Trapped by HCR_EL2.TSC: never reaches the firmware. */
	(void)v;
	skip_instruction(esr);
	r->x[0] = (uint64_t)smccc_call(r->x[0], r->x[1], r->x[2], r->x[3], 0);
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

extern uint8_t __image_start[];

#ifdef HYP_CHECKS
/* include/atomic.h: an exclusive about to run with the MMU off, which would
 * hang a BCM2711 for ever. Needs no lock and no per-CPU state (neither
 * may exist yet). */
void hyp_panic_mmu_off(const char *what)
{
	console_panic();
	hyp_printf("hyp: PANIC mpidr=0x%llx %s (an exclusive access) with the EL2 MMU off "
		   "(SCTLR_EL2.M = 0): it never completes on a Raspberry Pi 4 (called from "
		   "hyp.elf+0x%llx)\n",
		   (unsigned long long)(read_sysreg(mpidr_el1) & MPIDR_AFF_MASK), what,
		   (unsigned long long)((uintptr_t)__builtin_return_address(0) -
					(uintptr_t)__image_start));
	console_flush();
	psci_fw_system_off();
}
#endif

/* Where code at addr sits in hyp.elf (linked at 0): for addr2line. */
static unsigned long long elf_offset(uint64_t addr)
{
	return (unsigned long long)(addr - (uintptr_t)__image_start);
}

/* Fail-stop: a hypervisor bug must never let guests run on in an unknown
 * state. Says what, where, on which CPU for which guest, the call chain
 * (frame records, while they stay on that CPU's stack), then powers off. */
void hyp_panic_exception(unsigned kind, uint64_t esr, uint64_t far, uint64_t elr, uint64_t fp,
			 uint64_t sp, uint64_t lr)
{
	static const char *const kinds[] = {"sync", "irq", "fiq", "serror"};
	struct cpu *c = this_cpu();
	unsigned idx = c ? c->idx : 0;
	uint64_t lo = cpu_stack_base(idx), hi = lo + STACK_SIZE;
	bool overflow = far < lo && far >= lo - STACK_GUARD;

	console_panic();
	hyp_printf(
		"hyp: PANIC cpu=%u guest=%s unexpected %s exception at EL2 esr=0x%llx far=0x%llx "
		"elr=0x%llx (hyp.elf+0x%llx) sp=0x%llx%s\n",
		idx, c && c->vcpu ? c->vcpu->guest->name : "none", kinds[kind & 3],
		(unsigned long long)esr, (unsigned long long)far, (unsigned long long)elr,
		elf_offset(elr), (unsigned long long)sp,
		overflow ? ": stack overflow into the guard page" : "");
	/* The failing function's return address (a leaf keeps no frame),
	 * then the frame records. */
	hyp_printf("hyp:   called from hyp.elf+0x%llx\n", elf_offset(lr - 4));
	for (unsigned depth = 0; depth < 16 && fp >= lo && fp + 16 <= hi && !(fp & 15); depth++) {
		const uint64_t *frame = (const uint64_t *)(uintptr_t)fp;
		hyp_printf("hyp:   called from hyp.elf+0x%llx\n", elf_offset(frame[1] - 4));
		if (frame[0] <= fp)
			break; /* frames go up the stack */
		fp = frame[0];
	}
	console_flush();
	psci_fw_system_off();
}
