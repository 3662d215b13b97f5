/* Physical interrupts. Each is acknowledged, then: the doorbell and
 * maintenance interrupts make this CPU refill its list registers; the EL1
 * timers' PPIs and passthrough SPIs are forwarded to the vCPU with the
 * hardware link, so the guest's own deactivation completes them; the
 * console UART feeds guest input. */
#include "hyp/irq.h"

#include "arch/gic.h"
#include "drivers/console.h"
#include "drivers/gic.h"
#include "drivers/gic_cpuif.h"
#include "hyp/vdev/console_mux.h"
#include "hyp/guest.h"
#include "hyp/sched.h"
#include "hyp/vgic/vgic.h"
#include "hyp/vgic/vgic_timer.h"

/* One acknowledged interrupt (iar, as gic_ack gave it), after its
 * priority drop. */
static void handle_one(struct vcpu *v, uint32_t iar, bool in_guest)
{
	uint32_t intid = GIC_IAR_INTID(iar);
	if (intid == INTID_DOORBELL) {
		/* The refill is the caller's (vgic_flush). */
		gic->deactivate(iar);
	} else if (intid == console_mux_irq()) {
		console_mux_rx();
		console_tx_irq();
		gic->deactivate(iar);
	} else if (intid == INTID_VTIMER || intid == INTID_PTIMER || intid >= GIC_NR_PRIVATE) {
		/* An SPI is its owner's whoever runs here (on a shared CPU,
		 * or none); a timer's is the vCPU whose timers are in. */
		struct vcpu *to = intid >= GIC_NR_PRIVATE ? vgic_hw_owner(intid, v) : v;
		if (!to || !vgic_forward_hw(to, intid))
			gic->deactivate(iar);
	} else if (intid == INTID_HYP_TIMER) {
		sched_timer_irq();
		gic->deactivate(iar);
	} else {
		/* Maintenance: level-sensitive, withdrawn only by a refill,
		 * so in the guest one is made now. A vCPU that is not running
		 * has its virtual interface off, and is refilled when it
		 * starts. */
		if (in_guest && intid == INTID_MAINTENANCE)
			vgic_flush(v);
		else if (intid == INTID_MAINTENANCE)
			gic->hcr_write(0);
		gic->deactivate(iar);
	}
}

void irq_handle_pending(struct vcpu *v, bool in_guest)
{
	for (uint32_t iar; GIC_IAR_INTID(iar = gic_ack()) < GIC_SPURIOUS;) {
		gic_eoi(iar); /* EOImode 1: the priority drop only */
		isb();	      /* before the next acknowledge */
		handle_one(v, iar, in_guest);
	}
}

/* Everything but an EL1 timer's interrupt that takes the fast path. */
static void __attribute__((noinline)) guest_irq(struct vcpu *v, uint32_t iar)
{
	handle_one(v, iar, true);
	vgic_flush(v);
	vcpu_check_requests(v);
}

/* The IRQ vector from a guest: one acknowledge per exit. An EL1 timer's
 * interrupt takes the short path, straight into its list register, and
 * back; whatever else is pending signals again as soon as the guest runs
 * (rarer than one at a time, which this keeps short: a channel's doorbell,
 * another vCPU's SGI). On a shared CPU the scheduler's own timer gives
 * the vCPU nothing: whatever the exit does next (stay, or switch) does
 * the rest; a dedicated CPU never has it, nor the test. */
static inline __attribute__((always_inline)) void guest_irq_exit(bool shared)
{
	uint32_t iar = gic_ack(), intid = GIC_IAR_INTID(iar);
	if (intid >= GIC_SPURIOUS)
		return;
	gic_eoi(iar); /* the exception return orders it */
	struct vcpu *v = this_vcpu();
	if ((intid == INTID_VTIMER || intid == INTID_PTIMER) && vgic_forward_timer(v, intid))
		return;
	if (shared && intid == INTID_HYP_TIMER) {
		sched_timer_irq();
		gic->deactivate(iar);
		return;
	}
	guest_irq(v, iar);
}

void handle_guest_irq(void)
{
	guest_irq_exit(false);
}

void handle_shared_irq(void)
{
	/* Any interrupt may give another vCPU here something to do. */
	this_cpu()->resched = true;
	guest_irq_exit(true);
}
