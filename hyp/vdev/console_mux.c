#include "hyp/vdev/console_mux.h"

#include "drivers/console.h"
#include "drivers/gic.h"
#include "drivers/platform.h"
#include "drivers/pl011.h"
#include "hyp/vdev/vpl011.h"
#include "hyp_defs.h"

/* Reported drops of input per guest, at most (like the core's reports). */
#define DROPS_REPORTED 4
#define MAX_SINKS      8

/* Where each guest's input goes, and where it runs. */
static struct sink {
	const char *name;
	struct vpl011 *uart;
	uint32_t cpus;
	bool alive;
	uint8_t drops_reported;
} sinks[MAX_SINKS];

static unsigned uart_irq = ~0u;
static uint64_t uart;
static unsigned focus;
static unsigned irq_cpu;
static uint64_t cpu_mpidr[MAX_CPUS];
static unsigned ncpus;

void console_mux_attach(unsigned id, const char *name, struct vpl011 *u, uint32_t cpus)
{
	if (id < MAX_SINKS)
		sinks[id] = (struct sink){name, u, cpus, true, 0};
}

static bool alive(unsigned i)
{
	return i < MAX_SINKS && __atomic_load_n(&sinks[i].alive, __ATOMIC_ACQUIRE);
}

/* A CPU that runs a live guest, other than avoid; MAX_CPUS if none. Its
 * vCPU may be off: an idle CPU still takes interrupts (vcpu.c). */
static unsigned live_cpu(unsigned avoid)
{
	for (unsigned c = 0; c < ncpus; c++)
		for (unsigned i = 0; i < MAX_SINKS; i++)
			if (c != avoid && alive(i) && (sinks[i].cpus & (1u << c)))
				return c;
	return MAX_CPUS;
}

static void announce(void)
{
	hyp_printf("hyp: console input goes to guest %s (Ctrl-] switches)\n", sinks[focus].name);
}

static void next_focus(void)
{
	for (unsigned k = 1; k <= MAX_SINKS; k++) {
		unsigned i = (focus + k) % MAX_SINKS;
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
	ncpus = p->ncpus < MAX_CPUS ? p->ncpus : MAX_CPUS;
	for (unsigned c = 0; c < ncpus; c++)
		cpu_mpidr[c] = p->cpu_mpidr[c];
	if (!p->uart_irq || !uart)
		return;
	irq_cpu = live_cpu(MAX_CPUS);
	if (irq_cpu == MAX_CPUS)
		return;
	for (unsigned i = 0; i < MAX_SINKS; i++)
		if (alive(i) && (sinks[i].cpus & (1u << irq_cpu))) {
			focus = i; /* the guest on the CPU that takes the input */
			break;
		}
	uart_irq = p->uart_irq;
	pl011_enable_rx_irq(uart);
	gic->irq_enable(uart_irq, cpu_mpidr[irq_cpu], irq_cpu);
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
		struct sink *s = &sinks[focus];
		if (!vpl011_receive(s->uart, (uint8_t)c) && s->drops_reported < DROPS_REPORTED) {
			s->drops_reported++;
			hyp_printf("hyp: guest %s input dropped: its receive buffer is full "
				   "(it does not read its UART)\n",
				   s->name);
		}
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
	gic->irq_enable(uart_irq, cpu_mpidr[to], to);
}

void console_mux_guest_stopped(unsigned guest_id)
{
	if (guest_id >= MAX_SINKS)
		return;
	__atomic_store_n(&sinks[guest_id].alive, false, __ATOMIC_RELEASE);
	if (guest_id == focus)
		next_focus();
}
