#include "hyp/vdev/console_mux.h"

#include "drivers/console.h"
#include "drivers/gic.h"
#include "drivers/pl011.h"
#include "hyp/guest.h"

static unsigned uart_irq = ~0u;
static uint64_t uart;
static unsigned focus;
static unsigned irq_cpu;

static bool alive(unsigned i)
{
	return i < MAX_GUESTS && guest_alive(&guests[i]);
}

/* A CPU that runs a live guest, other than avoid; MAX_CPUS if none. Its
 * vCPU may be off: an idle CPU still takes interrupts (vcpu.c). */
static unsigned live_cpu(unsigned avoid)
{
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		struct vcpu *v = cpus[i].vcpu;
		if (i != avoid && v && alive(v->guest->id))
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
	for (unsigned k = 1; k <= MAX_GUESTS; k++) {
		unsigned i = (focus + k) % MAX_GUESTS;
		if (alive(i)) {
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
	uart_irq = p->uart_irq;
	pl011_enable_rx_irq(uart);
	gic->irq_enable(uart_irq, cpus[irq_cpu].mpidr, irq_cpu);
	console_enable_tx_irq();
	announce();
}

unsigned console_mux_irq(void)
{
	return uart_irq;
}

/* Drains the UART every time, so that the switch key is always seen: input
 * goes to the focused guest's receive buffer, and what does not fit there
 * (a guest that does not read) is dropped and reported, never left in the
 * UART where it would hide the switch key. */
void console_mux_rx(void)
{
	int c;
	while ((c = pl011_getc(uart)) >= 0) {
		if (c == CONSOLE_SWITCH_KEY) {
			next_focus();
			continue;
		}
		if (!alive(focus))
			continue;
		struct guest *g = &guests[focus];
		if (!vpl011_receive(&g->uart, (uint8_t)c) && guest_should_report(g, REPORT_INPUT))
			hyp_printf("hyp: guest %s input dropped: its receive buffer is full "
				   "(it does not read its UART)\n",
				   g->name);
	}
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
