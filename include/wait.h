/* Waiting for another CPU: in WFE, never for ever. A waiter sleeps until a
 * SEV (send_event), an interrupt, or the event stream EL2 enables
 * (el2_regs.c: every few tens of microseconds), so a lost event costs a
 * little time, not the machine; and every wait has a deadline on the
 * counter, after which the waiter reports what it waited for. WFE appears
 * nowhere else in the hypervisor (scripts/lint.sh). */
#pragma once
#include "arch/sysreg.h"

/* The counter's value us microseconds from now. */
static inline uint64_t deadline_after_us(uint64_t us)
{
	uint64_t hz = read_sysreg(cntfrq_el0);
	return read_sysreg(cntpct_el0) + hz / 1000000 * us + hz % 1000000 * us / 1000000;
}

static inline bool deadline_passed(uint64_t deadline)
{
	return (int64_t)(read_sysreg(cntpct_el0) - deadline) >= 0;
}

/* Sleeps until the next event unless the deadline has passed: false then. */
static inline bool wait_event_until(uint64_t deadline)
{
	if (deadline_passed(deadline))
		return false;
	wfe();
	return true;
}

/* How long a CPU may take to answer another (a doorbell, a park request,
 * coming up): far beyond any real answer, short enough to be reported. */
#define WAIT_LIMIT_US 1000000
