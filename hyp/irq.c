/* Physical interrupts, taken at EL2 while a guest runs (HCR_EL2.IMO). Each
 * is acknowledged, then: the doorbell and maintenance interrupts make this
 * CPU refill its list registers; the EL1 timers' PPIs and passthrough SPIs
 * are forwarded to the vCPU with the hardware link, so the guest's own
 * deactivation completes them; the console UART feeds guest input. */
#include "arch/gic.h"
#include "drivers/console.h"
#include "drivers/gic.h"
#include "hyp/console_mux.h"
#include "hyp/guest.h"
#include "hyp/vgic.h"

void handle_guest_irq(struct gp_regs *r)
{
	struct vcpu *v = this_vcpu();
	(void)r;
	for (;;) {
		uint32_t intid = gic->ack();
		if (intid >= GIC_SPURIOUS)
			break;
		/* EOImode 1: this is the priority drop only. */
		gic->eoi(intid);
		if (intid == INTID_VTIMER || intid == INTID_PTIMER || intid >= GIC_NR_PRIVATE) {
			if (intid == console_mux_irq()) {
				console_mux_rx();
				gic->deactivate(intid);
			} else if (!vgic_forward_hw(v, intid)) {
				gic->deactivate(intid);
			}
			continue;
		}
		/* Doorbell or maintenance: refill the list registers now, which
		 * also withdraws a level-sensitive maintenance interrupt. */
		if (intid == INTID_DOORBELL || intid == INTID_MAINTENANCE)
			vgic_flush(v);
		gic->deactivate(intid);
	}
	vgic_flush(v);
	vcpu_check_requests(v);
}
