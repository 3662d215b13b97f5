/* Touches memory it does not own and reports what happened: each access
 * must come back as an abort the guest can handle, never as a hang or a
 * hypervisor crash. bootargs: hvc=ID (a call, in decimal, to make first,
 * after hvc-delay-ms=N),
 * heartbeats=N (default 3), period-ms=N,
 * probe-gap-ms=N (pause before each probe, default 0). */
#include "libguest.h"

static unsigned contained, escaped, gap_ms;

static void report(const char *what, uint64_t addr)
{
	delay_ms(gap_ms); /* after the access: the first probe comes at once */
	if (caught.count) {
		unsigned ec = (unsigned)(caught.esr >> 26) & 0x3f,
			 fsc = (unsigned)caught.esr & 0x3f;
		gprintf("fault_probe: %s 0x%llx -> abort ec=0x%x fsc=0x%x far=0x%llx\n", what,
			(unsigned long long)addr, ec, fsc, (unsigned long long)caught.far);
		contained++;
	} else {
		gprintf("fault_probe: %s 0x%llx -> NO FAULT (not isolated)\n", what,
			(unsigned long long)addr);
		escaped++;
	}
	caught_clear();
	caught.count = 0;
}

static void probe_read(const char *what, uint64_t addr)
{
	(void)*(volatile uint64_t *)(uintptr_t)addr;
	report(what, addr);
}

static void probe_write(const char *what, uint64_t addr)
{
	*(volatile uint64_t *)(uintptr_t)addr = 0xdeadbeef;
	report(what, addr);
}

static void probe_exec(const char *what, uint64_t addr)
{
	((void (*)(void))(uintptr_t)addr)();
	report(what, addr);
}

int main(const void *dtb)
{
	struct guest_info gi;
	guest_init(dtb, &gi);
	uint64_t end = gi.ram_base + gi.ram_size;
	gap_ms = (unsigned)bootarg_u64(&gi, "probe-gap-ms", 0);
	/* hvc=ID: make that call first (the EL2 fault tests' self-test calls). */
	uint64_t hvc = bootarg_u64(&gi, "hvc", 0);
	if (hvc) {
		delay_ms((unsigned)bootarg_u64(&gi, "hvc-delay-ms", 0));
		gprintf("fault_probe: calling 0x%llx\n", (unsigned long long)hvc);
		psci_call(hvc, 0, 0, 0);
		gprintf("fault_probe: call 0x%llx returned\n", (unsigned long long)hvc);
	}
	gprintf("fault_probe: ipa-bits=%u ram=0x%llx-0x%llx\n", gi.ipa_bits,
		(unsigned long long)gi.ram_base, (unsigned long long)end);

	probe_read("read past end of RAM", end);
	probe_write("write past end of RAM", end + 0x10000);
	if (gi.ram_base >= 4096)
		probe_write("write below RAM", gi.ram_base - 8);
	probe_read("read in an unmapped hole", 0x1000);
	probe_exec("execute past end of RAM", end + 0x2000);
	probe_read("read above the IPA size", 1ULL << gi.ipa_bits);
	probe_write("write far above the IPA size",
		    (1ULL << gi.ipa_bits) + (1ULL << (gi.ipa_bits - 1)));

	gprintf("fault_probe: %s contained=%u escaped=%u\n",
		escaped ? "ISOLATION BROKEN" : "all probes contained", contained, escaped);
	unsigned beats = (unsigned)bootarg_u64(&gi, "heartbeats", 3);
	unsigned period = (unsigned)bootarg_u64(&gi, "period-ms", 200);
	for (unsigned i = 1; i <= beats; i++) {
		delay_ms(period);
		gprintf("fault_probe: heartbeat %u/%u\n", i, beats);
	}
	system_off();
}
