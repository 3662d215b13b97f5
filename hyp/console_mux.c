#include "hyp/console_mux.h"

#include "drivers/console.h"
#include "drivers/gic.h"
#include "drivers/pl011.h"
#include "hyp/guest.h"

static unsigned uart_irq = ~0u;
static uint64_t uart;
static unsigned focus;
static unsigned irq_cpu;
static bool throttled; /* the focused guest's FIFO was full */

static bool guest_alive(unsigned i)
{
	return i < MAX_GUESTS && guests[i].cfg &&
	       __atomic_load_n(&guests[i].state, __ATOMIC_ACQUIRE) == GUEST_RUNNING;
}

/* A CPU that runs a live guest, other than avoid; MAX_CPUS if none. */
static unsigned live_cpu(unsigned avoid)
{
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		struct vcpu *v = cpus[i].vcpu;
		if (i != avoid && v && guest_alive(v->guest->id))
			return i;
	}
	return MAX_CPUS;
}

static void announce(void)
{
	hyp_printf("hyp: console input goes to guest %s (Ctrl-] switches)\n", guests[focus].name);
}

static void next_focus(void)
{
	console_mux_rx_room(&guests[focus]); /* the next guest may have room */
	for (unsigned k = 1; k <= MAX_GUESTS; k++) {
		unsigned i = (focus + k) % MAX_GUESTS;
		if (guest_alive(i)) {
			focus = i;
			announce();
			return;
		}
	}
}

void console_mux_init(const struct platform *p)
{
	uart = p->uart_base;
	if (!p->uart_irq || !uart)
		return;
	irq_cpu = live_cpu(MAX_CPUS);
	if (irq_cpu == MAX_CPUS)
		return;
	focus = cpus[irq_cpu].vcpu->guest->id;
	while (!guest_alive(focus))
		focus++;
	uart_irq = p->uart_irq;
	pl011_enable_rx_irq(uart);
	gic->irq_enable(uart_irq, cpus[irq_cpu].mpidr, irq_cpu);
	announce();
}

unsigned console_mux_irq(void)
{
	return uart_irq;
}

/* Moves input into the focused guest's receive FIFO while it has room.
 * When it is full the rest stays in the UART (which then holds off its
 * sender), and the UART's interrupt is masked until the guest reads. */
void console_mux_rx(void)
{
	struct vpl011 *u = guest_alive(focus) ? &guests[focus].uart : NULL;
	while (!u || vpl011_rx_room(u)) {
		int c = pl011_getc(uart);
		if (c < 0)
			return;
		if (c == CONSOLE_SWITCH_KEY) {
			next_focus();
			u = guest_alive(focus) ? &guests[focus].uart : NULL;
		} else if (u) {
			vpl011_receive(u, (uint8_t)c);
		}
	}
	pl011_mask_rx_irq(uart);
	__atomic_store_n(&throttled, true, __ATOMIC_SEQ_CST);
	/* The guest may have read between our check and the mask: look again,
	 * or no read would ever unmask. */
	if (vpl011_rx_room(u))
		console_mux_rx_room(u->guest);
}

void console_mux_rx_room(const struct guest *g)
{
	if (g->id == focus && __atomic_exchange_n(&throttled, false, __ATOMIC_SEQ_CST))
		pl011_unmask_rx_irq(uart);
}

void console_mux_cpu_leaving(unsigned cpu)
{
	if (uart_irq == ~0u || cpu != irq_cpu)
		return;
	unsigned to = live_cpu(cpu);
	if (to == MAX_CPUS)
		return;
	irq_cpu = to;
	gic->irq_enable(uart_irq, cpus[to].mpidr, to);
}

void console_mux_guest_stopped(unsigned guest_id)
{
	if (guest_id == focus)
		next_focus();
}
