/* Physical interrupts at EL2: taken from a running guest (HCR_EL2.IMO), or
 * polled by a CPU whose vCPU is not running. */
#pragma once
#include "types.h"

struct vcpu;
struct gp_regs;

/* Acknowledges and handles every pending physical interrupt for this CPU,
 * whose vCPU is v: in the guest (the caller refills its list registers
 * afterwards, vgic_flush), or not running (in_guest false). */
void irq_handle_pending(struct vcpu *v, bool in_guest);
/* The IRQ vector from a guest: the above, then refill the list registers
 * and act on requests (stop, park). */
void handle_guest_irq(void);
/* The same on a shared CPU (hyp/sched.c): the exit then looks at who runs. */
void handle_shared_irq(void);
