/* The vCPU life cycle (hyp/vcpu.h) and what PSCI reports of it: every
 * transition tried while another CPU moves the vCPU to each other state
 * just before the compare-and-swap (include/atomic.h's hook), so that a
 * transition made by a plain store, which would overwrite that move,
 * fails here; AFFINITY_INFO and CPU_ON answers for every state. hyp/vcpu.c
 * and hyp/psci.c as the hypervisor runs them, on the fuzzers' simulated
 * registers (tests/fuzz/host). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/gic.h"
#include "drivers/psci_fw.h"
#include "hyp/guest.h"
#include "hyp/trap.h"

/* --- the machine around vcpu.c and psci.c ---------------------------- */
static struct guest g;
static unsigned doorbells, wfes;
uint8_t cpu_stacks[MAX_CPUS * STACK_SLOT];
static jmp_buf parked;

uint64_t host_sysreg_read(const char *name)
{
	if (!strcmp(name, "tpidr_el2"))
		return (uint64_t)(uintptr_t)&cpus[0];
	if (!strcmp(name, "cntfrq_el0"))
		return 1000000000;
	if (!strcmp(name, "cntpct_el0"))
		return (uint64_t)wfes * 1000; /* a microsecond a wait */
	return 0;
}
void host_sysreg_write(const char *name, uint64_t v)
{
	(void)name, (void)v;
}
void host_lock_error(const char *what)
{
	fail_msg("%s", what);
}

/* The vCPU being parked, on its own CPU, answers at its next exit. */
static struct vcpu *answers;
void host_wfe(void)
{
	wfes++;
	if (answers && __atomic_load_n(&answers->state, __ATOMIC_SEQ_CST) == VCPU_PARK_REQ)
		answers->state = VCPU_OFF;
}

static void send_sgi(uint64_t mpidr, unsigned cpu, unsigned sgi)
{
	(void)mpidr, (void)cpu, (void)sgi;
	doorbells++;
}
static const struct gic_ops ops = {.send_sgi = send_sgi};
const struct gic_ops *gic = &ops;

void vcpu_enter(struct gp_regs *regs)
{
	(void)regs;
	longjmp(parked, 1);
}
void call_on_stack(void *arg, void (*fn)(void *), void *sp)
{
	(void)arg, (void)fn, (void)sp;
	longjmp(parked, 1);
}
void el2_regs_init(void) {}
/* Shared CPUs (hyp/sched.c) are not this test's: every CPU here is
 * dedicated, so none of these may be reached. */
void el2_vectors_shared(void)
{
	fail_msg("a dedicated CPU took the shared vectors");
}
void sched_loop(void *cpu)
{
	(void)cpu;
	fail_msg("a dedicated CPU ran the scheduler");
	abort();
}
void vcpu_ctx_clear(struct vcpu *v)
{
	(void)v;
	fail_msg("a dedicated CPU cleared a shared CPU's registers");
}
void sched_park_local(struct vcpu *v)
{
	(void)v;
	fail_msg("a dedicated CPU parked a sibling in place");
}
void guest_load_cpu_state(struct guest *gg, struct vcpu *v)
{
	(void)gg, (void)v;
}
void vgic_cpu_reset(struct vcpu *v)
{
	(void)v;
}
void vgic_cpu_leave(struct vcpu *v)
{
	(void)v;
}
void vgic_cpu_off(struct vcpu *v)
{
	(void)v;
}
void irq_handle_pending(struct vcpu *v, bool in_guest)
{
	(void)v, (void)in_guest;
}
void guest_cpu_stopped(struct vcpu *v)
{
	(void)v;
	longjmp(parked, 1);
}
/* As hyp/guest.c's: the guest stopped, each vCPU asked to stop. */
void guest_stop(struct guest *gg, const char *why)
{
	(void)why;
	gg->state = GUEST_STOPPED;
	for (unsigned i = 0; i < gg->nvcpus; i++)
		vcpu_request_stop(&gg->vcpus[i]);
}
void guest_reset(struct guest *gg, struct vcpu *self)
{
	(void)gg, (void)self;
	longjmp(parked, 1);
}
void hyp_printf(const char *fmt, ...)
{
	(void)fmt;
}

/* --- the competing CPU ------------------------------------------------ */
void (*host_atomic_hook)(uint32_t *p);
static uint32_t *race_on, race_to;
static unsigned race_at, rmws; /* make the move before the race_at-th RMW on race_on */

static void race(uint32_t *p)
{
	if (p == race_on && ++rmws == race_at)
		*p = race_to;
}

static void compete(struct vcpu *v, unsigned at, uint32_t to)
{
	race_on = &v->state, race_to = to, race_at = at, rmws = 0;
	host_atomic_hook = race;
}

static struct vcpu *fresh(uint32_t state)
{
	memset(&g, 0, sizeof(g));
	g.state = GUEST_RUNNING;
	g.nvcpus = 2;
	static struct guest_config cfg = {.ram_ipa = 0x40000000, .ram_size = 0x1000000};
	g.cfg = &cfg;
	for (unsigned i = 0; i < 2; i++) {
		g.vcpus[i].guest = &g;
		g.vcpus[i].id = i;
		g.vcpus[i].pcpu = i;
	}
	cpus[0].vcpu = &g.vcpus[0];
	g.vcpus[0].state = VCPU_RUNNING; /* the caller */
	g.vcpus[1].state = state;
	host_atomic_hook = NULL;
	answers = NULL;
	doorbells = 0;
	return &g.vcpus[1];
}

static const uint32_t states[] = {VCPU_OFF,     VCPU_CLAIMED,  VCPU_ON_PENDING,
				  VCPU_RUNNING, VCPU_PARK_REQ, VCPU_STOPPED};

static void test_power_on(void **state)
{
	(void)state;
	struct vcpu *v = fresh(VCPU_OFF);
	assert_int_equal(vcpu_try_power_on(v, 0x40001000, 7), 0);
	assert_int_equal(v->state, VCPU_ON_PENDING);
	assert_int_equal(v->entry, 0x40001000);
	assert_int_equal(v->context, 7);
	assert_int_equal(doorbells, 1); /* its CPU is told */

	/* Another CPU got there first (a CPU_ON, a stop, ...): nothing of
	 * this call lands, the other move stands. */
	for (unsigned i = 1; i < ARRAY_SIZE(states); i++) {
		v = fresh(VCPU_OFF);
		compete(v, 1, states[i]);
		assert_int_equal(vcpu_try_power_on(v, 0x40002000, 9), -EBUSY);
		assert_int_equal(v->state, states[i]);
		assert_int_equal(v->entry, 0);
	}
	/* Not off to begin with: refused, unchanged. */
	for (unsigned i = 1; i < ARRAY_SIZE(states); i++) {
		v = fresh(states[i]);
		assert_int_equal(vcpu_try_power_on(v, 0x40002000, 9), -EBUSY);
		assert_int_equal(v->state, states[i]);
	}
	/* A stop between the claim and the start wins; the call succeeded. */
	v = fresh(VCPU_OFF);
	compete(v, 2, VCPU_STOPPED);
	assert_int_equal(vcpu_try_power_on(v, 0x40002000, 9), 0);
	assert_int_equal(v->state, VCPU_STOPPED);
	/* The guest is being reset (or stopped): no vCPU starts, none is
	 * left claimed. */
	v = fresh(VCPU_OFF);
	g.state = GUEST_RESETTING;
	assert_int_equal(vcpu_try_power_on(v, 0x40002000, 9), -EAGAIN);
	assert_int_equal(v->state, VCPU_OFF);
	/* ... and a stop made while it gave the claim back stands. */
	v = fresh(VCPU_OFF);
	g.state = GUEST_RESETTING;
	compete(v, 2, VCPU_STOPPED);
	assert_int_equal(vcpu_try_power_on(v, 0x40002000, 9), -EAGAIN);
	assert_int_equal(v->state, VCPU_STOPPED);
}

static void test_self_off(void **state)
{
	(void)state;
	struct vcpu *v = fresh(VCPU_RUNNING);
	assert_true(vcpu_self_off(v));
	assert_int_equal(v->state, VCPU_OFF);
	/* A park or stop request made just before: it is the one acted on. */
	static const uint32_t requests[] = {VCPU_PARK_REQ, VCPU_STOPPED};
	for (unsigned i = 0; i < 2; i++) {
		v = fresh(VCPU_RUNNING);
		compete(v, 1, requests[i]);
		assert_false(vcpu_self_off(v));
		assert_int_equal(v->state, requests[i]);
	}
}

static void test_request_stop(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(states); i++) {
		struct vcpu *v = fresh(states[i]);
		vcpu_request_stop(v);
		assert_int_equal(v->state, VCPU_STOPPED);
		assert_int_equal(doorbells, states[i] == VCPU_STOPPED ? 0 : 1);
	}
}

static void test_park_and_wait(void **state)
{
	(void)state;
	/* Running: asked to park, its CPU answers, the reset goes on. */
	struct vcpu *v = fresh(VCPU_RUNNING);
	answers = v;
	vcpu_park_and_wait(v);
	assert_int_equal(v->state, VCPU_OFF);
	assert_int_equal(doorbells, 1);
	/* It switched itself off (CPU_OFF) just before the request: it stays
	 * off, no request is left for a vCPU that is off. */
	v = fresh(VCPU_RUNNING);
	compete(v, 1, VCPU_OFF);
	vcpu_park_and_wait(v);
	assert_int_equal(v->state, VCPU_OFF);
	assert_int_equal(doorbells, 0);
	/* A start of the old boot still pending: cancelled. */
	v = fresh(VCPU_ON_PENDING);
	vcpu_park_and_wait(v);
	assert_int_equal(v->state, VCPU_OFF);
	/* ... unless it started just then: then it is parked like any other. */
	v = fresh(VCPU_ON_PENDING);
	answers = v;
	compete(v, 1, VCPU_RUNNING);
	vcpu_park_and_wait(v);
	assert_int_equal(v->state, VCPU_OFF);
	assert_int_equal(doorbells, 1);
	/* Stopped meanwhile: nothing to wait for. */
	v = fresh(VCPU_RUNNING);
	compete(v, 1, VCPU_STOPPED);
	vcpu_park_and_wait(v);
	assert_int_equal(v->state, VCPU_STOPPED);
	/* A CPU that never answers: the wait ends (the guest is stopped). */
	v = fresh(VCPU_RUNNING);
	vcpu_park_and_wait(v);
	assert_int_equal(v->state, VCPU_STOPPED);
	assert_int_equal(g.state, GUEST_STOPPED);
}

static int64_t psci(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return psci_handle(fid, a1, a2, a3);
}

static void test_psci_answers(void **state)
{
	(void)state;
	/* AFFINITY_INFO: 0 ON, 1 OFF, 2 ON_PENDING (DEN0022 5.7). */
	static const int64_t affinity[] = {1, 2, 2, 0, 0, 1};
	/* CPU_ON of a vCPU in each state. */
	static const int64_t cpu_on[] = {PSCI_RET_SUCCESS,    PSCI_RET_ON_PENDING,
					 PSCI_RET_ON_PENDING, PSCI_RET_ALREADY_ON,
					 PSCI_RET_ALREADY_ON, PSCI_RET_ALREADY_ON};
	for (unsigned i = 0; i < ARRAY_SIZE(states); i++) {
		fresh(states[i]);
		assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 1, 0, 0), affinity[i]);
		assert_int_equal(psci(PSCI_AFFINITY_INFO_32, 1, 0, 0), affinity[i]);
		assert_int_equal(psci(PSCI_CPU_ON_64, 1, 0x40001000, 0), cpu_on[i]);
	}
	fresh(VCPU_OFF);
	assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 2, 0, 0), PSCI_RET_INVALID_PARAMS);
	assert_int_equal(psci(PSCI_AFFINITY_INFO_64, 1, 1, 0), PSCI_RET_INVALID_PARAMS);
	assert_int_equal(psci(PSCI_CPU_ON_64, 1, 0x1000, 0), PSCI_RET_INVALID_ADDRESS);
	assert_int_equal(psci(PSCI_CPU_ON_64, 5, 0x40001000, 0), PSCI_RET_INVALID_PARAMS);
	/* A CPU_ON racing a reset that has begun: refused, nothing started. */
	struct vcpu *v = fresh(VCPU_OFF);
	g.state = GUEST_RESETTING;
	assert_int_equal(psci(PSCI_CPU_ON_64, 1, 0x40001000, 0), PSCI_RET_INTERNAL_FAILURE);
	assert_int_equal(v->state, VCPU_OFF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_on),     cmocka_unit_test(test_self_off),
		cmocka_unit_test(test_request_stop), cmocka_unit_test(test_park_and_wait),
		cmocka_unit_test(test_psci_answers),
	};
	return cmocka_run_group_tests_name("lifecycle", tests, NULL, NULL);
}
