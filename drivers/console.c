#include "drivers/console.h"

#include <stdarg.h>

#include "drivers/pl011.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "spinlock.h"

static uint64_t uart;
static bool locking;
static spinlock_t lock;
static const char *open_stream; /* whose partial line is on the console */

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

static void lock_console(void)
{
	if (locking)
		spin_lock(&lock);
}

static void unlock_console(void)
{
	if (locking)
		spin_unlock(&lock);
}

static void raw_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			pl011_putc(uart, '\r');
		pl011_putc(uart, s[i]);
	}
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
	if (!uart)
		return;
	lock_console();
	close_stream();
	raw_write(s, len);
	unlock_console();
}

void console_stream_write(const char *name, const char *buf, size_t len, bool end_line)
{
	if (!uart)
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
