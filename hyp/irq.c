/* Physical interrupts. Each is acknowledged, then: the doorbell and
 * maintenance interrupts make this CPU refill its list registers; the EL1
 * timers' PPIs and passthrough SPIs are forwarded to the vCPU with the
 * hardware link, so the guest's own deactivation completes them; the
 * console UART feeds guest input. */
#include "hyp/irq.h"

#include "arch/gic.h"
#include "drivers/console.h"
#include "drivers/gic.h"
#include "hyp/console_mux.h"
#include "hyp/guest.h"
#include "hyp/vgic.h"

void irq_handle_pending(struct vcpu *v, bool in_guest)
{
	for (;;) {
		uint32_t intid = gic->ack();
		if (intid >= GIC_SPURIOUS)
			break;
		/* EOImode 1: this is the priority drop only. */
		gic->eoi(intid);
		if (intid == console_mux_irq()) {
			console_mux_rx();
			console_tx_irq();
			gic->deactivate(intid);
		} else if (intid == INTID_VTIMER || intid == INTID_PTIMER ||
			   intid >= GIC_NR_PRIVATE) {
			if (!vgic_forward_hw(v, intid))
				gic->deactivate(intid);
		} else {
			/* Doorbell or maintenance: refill the list registers now,
			 * which also withdraws a level-sensitive maintenance
			 * interrupt. A vCPU that is not running has its virtual
			 * interface off, and is refilled when it starts. */
			if (in_guest)
				vgic_flush(v);
			else if (intid == INTID_MAINTENANCE)
				gic->hcr_write(0);
			gic->deactivate(intid);
		}
	}
}

void handle_guest_irq(struct gp_regs *r)
{
	struct vcpu *v = this_vcpu();
	(void)r;
	irq_handle_pending(v, true);
	vgic_flush(v);
	vcpu_check_requests(v);
}
