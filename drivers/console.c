#include "drivers/console.h"

#include <stdarg.h>

#include "drivers/pl011.h"
#include "lib/printf.h"
#include "spinlock.h"

static uint64_t uart;
static bool locking;
static spinlock_t lock;

void console_init(uint64_t uart_base)
{
	uart = uart_base;
	if (uart)
		pl011_init(uart);
}

void console_enable_locking(void)
{
	locking = true;
}

uint64_t console_uart_base(void)
{
	return uart;
}

void console_write(const char *s, size_t len)
{
	if (!uart)
		return;
	if (locking)
		spin_lock(&lock);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			pl011_putc(uart, '\r');
		pl011_putc(uart, s[i]);
	}
	if (locking)
		spin_unlock(&lock);
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
