/* The hypervisor console: whole lines, never interleaved between CPUs. */
#pragma once
#include "types.h"

void console_init(uint64_t uart_base);
/* Before the MMU is on only one CPU runs and exclusives may not work on
 * Device memory, so locking starts here. */
void console_enable_locking(void);
void console_write(const char *s, size_t len);
/* Guest output, each line behind "[name] ". A whole line at once: */
void console_stream_line(const char *name, const char *line, size_t len);
/* Or character by character (the guest with input focus, so that prompts
 * and echo show at once); another writer first closes the open line. */
void console_stream_putc(const char *name, char c);
void hyp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t console_uart_base(void);
