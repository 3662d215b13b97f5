/* Minimal formatted output: %d %u %x %s %c %p with 0-padding, width and the
 * l/ll/z length modifiers. Used on the host by the unit tests as well. */
#pragma once
#include <stdarg.h>
#include <stddef.h>

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
