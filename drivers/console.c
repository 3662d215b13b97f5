#include "drivers/console.h"
#include "atomic.h"

#include <stdarg.h>

#include "arch/sysreg.h"
#include "drivers/pl011.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "spinlock.h"
#include "wait.h"

#define cpu_relax() __asm__ volatile("yield" ::: "memory")

/* Output goes through a ring: a writer copies its bytes in under the lock
 * and moves to the UART only what its FIFO takes without waiting, so no
 * CPU holds the lock for the time a line takes on the wire (14 ms for 160
 * characters at 115200 baud). The UART's transmit interrupt, where there
 * is one, moves the rest; without it, the writer waits, lock released. */
#define RING_SIZE 16384 /* a power of two */

static uint64_t uart;
static bool locking;
static bool tx_irq; /* the UART's interrupt is taken (console_mux) */
static spinlock_t lock;
static const char *open_stream;	      /* whose partial line is on the console */
static char ring[RING_SIZE] __noinit; /* read only between tail and head */
static uint32_t head, tail;	      /* free running: bytes in = head - tail */
static uint32_t draining;	      /* one CPU feeds the UART at a time */

void console_init(uint64_t uart_base, uint32_t clock_hz)
{
	uart = uart_base;
	if (uart)
		pl011_init(uart, clock_hz);
}

void console_enable_locking(void)
{
	locking = true;
}

void console_enable_tx_irq(void)
{
	tx_irq = true;
}

uint64_t console_uart_base(void)
{
	return uart;
}

/* Under the lock: moves bytes to the UART while its FIFO has room. */
static void feed_uart(void)
{
	while (tail != head && pl011_tx_ready(uart))
		pl011_write_byte(uart, ring[tail++ % RING_SIZE]);
}

/* Under the lock (or before locking): one byte into the ring; when it is
 * full, the oldest bytes go to the UART first, waiting for it. */
static void put(char c)
{
	if (!locking) {
		pl011_putc(uart, c);
		return;
	}
	if (head - tail == RING_SIZE) {
		uint64_t d = deadline_after_us(10000);
		while (head - tail == RING_SIZE) {
			feed_uart();
			if (deadline_passed(d)) {
				tail++; /* a stuck UART: the oldest byte goes */
				break;
			}
			cpu_relax();
		}
	}
	ring[head++ % RING_SIZE] = c;
}

static void raw_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			put('\r');
		put(s[i]);
	}
}

static bool ring_empty(void)
{
	return __atomic_load_n(&head, __ATOMIC_ACQUIRE) == __atomic_load_n(&tail, __ATOMIC_ACQUIRE);
}

/* Moves the ring to the UART: until it is empty, or until the transmit
 * interrupt is armed with the FIFO full (so that it will fire). One CPU at
 * a time; one that finds the role taken leaves its bytes to the holder,
 * which looks again after giving the role up. */
static void drain(void)
{
	if (!locking)
		return;
	while (!ring_empty()) {
		if (atomic_xchg(&draining, 1))
			return;
		spin_lock(&lock);
		feed_uart();
		bool left = tail != head, armed = false;
		if (left && tx_irq) {
			pl011_set_tx_irq(uart, true);
			/* Still full once armed: the level will cross the trigger. */
			armed = !pl011_tx_ready(uart);
		}
		spin_unlock(&lock);
		__atomic_store_n(&draining, 0, __ATOMIC_RELEASE);
		if (armed)
			return;
		if (left)
			cpu_relax(); /* no interrupt to wait for: feed it ourselves */
	}
}

void console_tx_irq(void)
{
	if (!pl011_tx_irq_pending(uart))
		return;
	spin_lock(&lock);
	pl011_set_tx_irq(uart, false);
	spin_unlock(&lock);
	drain();
}

void console_flush(void)
{
	if (!uart)
		return;
	if (locking)
		spin_lock(&lock);
	while (tail != head)
		pl011_putc(uart, ring[tail++ % RING_SIZE]); /* bounded per byte */
	if (locking)
		spin_unlock(&lock);
}

/* After console_panic: only the CPU reporting prints. */
static bool panicking;
static uint64_t panic_mpidr;

static bool silenced(void)
{
	return panicking && read_sysreg(mpidr_el1) != panic_mpidr;
}

void console_panic(void)
{
	if (!uart)
		return;
	panic_mpidr = read_sysreg(mpidr_el1);
	__atomic_store_n(&panicking, true, __ATOMIC_RELEASE);
	while (tail != head)
		pl011_putc(uart, ring[tail++ % RING_SIZE]);
	locking = false;
}

static void lock_console(void)
{
	if (locking)
		spin_lock(&lock);
}

static void unlock_console(void)
{
	if (locking)
		spin_unlock(&lock);
	drain();
}

/* Ends a guest's partial line before anything else is printed. */
static void close_stream(void)
{
	if (open_stream)
		raw_write("\n", 1);
	open_stream = NULL;
}

static void stream_prefix(const char *name)
{
	raw_write("[", 1);
	raw_write(name, strlen(name));
	raw_write("] ", 2);
}

void console_write(const char *s, size_t len)
{
	if (!uart || silenced())
		return;
	lock_console();
	close_stream();
	raw_write(s, len);
	unlock_console();
}

void console_stream_write(const char *name, const char *buf, size_t len, bool end_line)
{
	if (!uart || silenced())
		return;
	lock_console();
	if (open_stream != name) {
		close_stream();
		stream_prefix(name);
	}
	raw_write(buf, len);
	if (end_line)
		raw_write("\n", 1);
	open_stream = end_line ? NULL : name;
	unlock_console();
}

void hyp_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}
