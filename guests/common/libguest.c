#include "libguest.h"

#include <stdarg.h>

#include "drivers/fdt.h"
#include "drivers/platform.h"
#include "lib/printf.h"
#include "lib/string.h"

#define UART_DR	     0x00
#define UART_FR	     0x18
#define UART_FR_TXFF (1u << 5)
#define UART_FR_RXFE (1u << 4)

static volatile uint32_t *uart;
static enum psci_conduit conduit = PSCI_CONDUIT_HVC; /* as the device tree says */
volatile struct caught caught;
static const unsigned parange_bits[] = {32, 36, 40, 42, 44, 48, 52};

static void putc_raw(char c)
{
	if (!uart)
		return;
	while (uart[UART_FR / 4] & UART_FR_TXFF)
		;
	uart[UART_DR / 4] = (uint8_t)c;
}

int ggetc(void)
{
	if (!uart || (uart[UART_FR / 4] & UART_FR_RXFE))
		return -1;
	return (int)(uart[UART_DR / 4] & 0xff);
}

void gprintf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (const char *p = buf; *p; p++) {
		if (*p == '\n')
			putc_raw('\r');
		putc_raw(*p);
	}
}

void guest_init(const void *dtb, struct guest_info *gi)
{
	memset(gi, 0, sizeof(*gi));
	gi->dtb = dtb;
	gi->bootargs = "";
	if (fdt_check(dtb, 1 << 21, NULL) < 0)
		return; /* no console either: nothing to say it with */
	uart = (volatile uint32_t *)(uintptr_t)platform_find_uart(dtb);
	if (platform_find_psci(dtb) == PSCI_CONDUIT_SMC)
		conduit = PSCI_CONDUIT_SMC;
	int mem = fdt_path_offset(dtb, "/memory");
	fdt_reg(dtb, mem, 0, 0, &gi->ram_base, &gi->ram_size);
	int chosen = fdt_path_offset(dtb, "/chosen");
	int len;
	const char *args = chosen >= 0 ? fdt_getprop(dtb, chosen, "bootargs", &len) : NULL;
	if (args)
		gi->bootargs = args;
	gi->resets = chosen >= 0 ? fdt_prop_u32(dtb, chosen, "hyp,reset-count", 0) : 0;
	gi->dtb_size = fdt_totalsize(dtb);
	if (chosen >= 0 && fdt_prop_u64(dtb, chosen, "linux,initrd-start", &gi->initrd_start) == 0 &&
	    fdt_prop_u64(dtb, chosen, "linux,initrd-end", &gi->initrd_end) < 0)
		gi->initrd_start = 0;
	gi->parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	gi->ipa_bits = gi->parange < 7 ? parange_bits[gi->parange] : 0;
}

uint64_t bootarg_u64(const struct guest_info *gi, const char *key, uint64_t dflt)
{
	const char *p = strstr(gi->bootargs, key);
	size_t n = strlen(key);
	if (!p || p[n] != '=')
		return dflt;
	uint64_t v = 0;
	for (p += n + 1; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

bool bootarg_has(const struct guest_info *gi, const char *word)
{
	return strstr(gi->bootargs, word) != NULL;
}

void delay_ms(unsigned ms)
{
	uint64_t freq = read_sysreg(cntfrq_el0);
	uint64_t end = read_sysreg(cntvct_el0) + freq / 1000 * ms;
	while (read_sysreg(cntvct_el0) < end)
		;
}

int64_t psci_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	if (conduit == PSCI_CONDUIT_SMC)
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	else
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	return (int64_t)x0;
}

void system_off(void)
{
	psci_call(0x84000008, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void system_reset(void)
{
	psci_call(0x84000009, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void caught_clear(void)
{
	caught.esr = caught.far = caught.elr = 0;
}

/* Data aborts resume after the access; instruction aborts return to the
 * caller of the faulting branch (its link register). */
uint64_t guest_sync_exception(uint64_t esr, uint64_t far, uint64_t elr, uint64_t lr)
{
	unsigned ec = (unsigned)(esr >> 26) & 0x3f;
	caught.esr = esr;
	caught.far = far;
	caught.elr = elr;
	caught.count++;
	if (ec == 0x20 || ec == 0x21)
		return lr;
	return elr + 4;
}

void guest_other_exception(uint64_t esr, uint64_t elr)
{
	gprintf("guest: unexpected exception esr=0x%llx elr=0x%llx\n", (unsigned long long)esr,
		(unsigned long long)elr);
}

/* Guests that unmask interrupts define their own. */
__attribute__((weak)) void guest_irq(void)
{
	gprintf("guest: unexpected IRQ\n");
}

/* Guests that start secondary vCPUs define their own; others never do. */
__attribute__((weak)) void secondary_main(void *ctx, uint64_t daif, uint64_t el)
{
	(void)ctx, (void)daif, (void)el;
	psci_call(0x84000002, 0, 0, 0); /* CPU_OFF */
}
