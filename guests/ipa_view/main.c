/* Reports the guest's view of its address space: the PARange the hypervisor
 * shows it, its RAM from the device tree, and a checksum of a write/read
 * walk over every page of that RAM. Then heartbeats, and SYSTEM_OFF.
 * At start it also reports whether a canary in its read-only data is intact,
 * its virtual counter in ms (CNTVOFF: near zero at every start), and
 * whether its RAM outside its image and device tree reads as zero (the
 * hypervisor zeroes it before every start).
 * bootargs: heartbeats=N (default 3), period-ms=N (200), resets=N (after
 * the RAM walk, reset-after-ms=N, default 0, and scribbling over the
 * canary, SYSTEM_RESET until it has been reset N times; reset-once is
 * resets=1), echo (before the heartbeats: print each line typed, until a
 * line "q"), flood-ms=N (first: print numbered lines without pause for N
 * ms, then how many and how many bytes). */
#include "libguest.h"
#include "lib/string.h"

/* Part of the image: a reset that does not reload the image keeps the
 * scribbles of the previous boot. */
static const uint64_t canary[32] = {
#define C(i) 0x5ca1ab1e00000000ULL + (i)*0x9e3779b9ULL
	C(0),  C(1),  C(2),  C(3),  C(4),  C(5),  C(6),	 C(7),	C(8),  C(9),  C(10),
	C(11), C(12), C(13), C(14), C(15), C(16), C(17), C(18), C(19), C(20), C(21),
	C(22), C(23), C(24), C(25), C(26), C(27), C(28), C(29), C(30), C(31),
};

static bool canary_intact(void)
{
	volatile const uint64_t *c = canary;
	for (unsigned i = 0; i < 32; i++)
		if (c[i] != C(i))
			return false;
	return true;
#undef C
}

/* The pages the hypervisor loads: this image, the device tree and the
 * initrd (each page they touch); every other byte of RAM, the rest of the
 * device tree's 2 MiB slot and the gaps around the initrd included, is
 * zeroed at every start. */
static bool overlaps_page(uint64_t a, uint64_t lo, uint64_t hi)
{
	return lo < hi && a < hi && lo < a + 4096;
}

static bool skip_page(const struct guest_info *gi, uint64_t a)
{
	uint64_t dtb = (uintptr_t)gi->dtb;
	return overlaps_page(a, (uintptr_t)__image_start, (uintptr_t)__image_end) ||
	       overlaps_page(a, dtb, dtb + gi->dtb_size) ||
	       overlaps_page(a, gi->initrd_start, gi->initrd_end);
}

int main(const void *dtb)
{
	uint64_t counter = read_sysreg(cntvct_el0);
	struct guest_info gi;
	guest_init(dtb, &gi);
	uint64_t mpidr = read_sysreg(mpidr_el1);
	gprintf("ipa_view: hello from EL%u mpidr=0x%llx PARange=%u ipa-bits=%u ram=0x%llx-0x%llx\n",
		(unsigned)(read_sysreg(CurrentEL) >> 2) & 3, (unsigned long long)mpidr, gi.parange,
		gi.ipa_bits, (unsigned long long)gi.ram_base,
		(unsigned long long)(gi.ram_base + gi.ram_size));

	gprintf("ipa_view: image canary %s counter-ms=%llu\n",
		canary_intact() ? "intact" : "corrupt",
		(unsigned long long)(counter * 1000 / read_sysreg(cntfrq_el0)));

	/* RAM is zeroed before every start, so a guest cannot leave itself a
	 * note across a reset; the hypervisor's boot counter says. */
	uint64_t resets = bootarg_u64(&gi, "resets", bootarg_has(&gi, "reset-once") ? 1 : 0);
	if (gi.resets)
		gprintf("ipa_view: back after SYSTEM_RESET %u\n", gi.resets);

	/* Nothing of an earlier life: every word outside what the hypervisor
	 * loaded reads zero (the walk below writes both ends of every page,
	 * so a reset that skipped zeroing any of it shows here). */
	uint64_t dirty = 0, checked = 0;
	for (uint64_t a = gi.ram_base; a < gi.ram_base + gi.ram_size; a += 4096) {
		if (skip_page(&gi, a))
			continue;
		volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)a;
		dirty += (p[0] != 0) + (p[511] != 0);
		checked++;
	}
	gprintf("ipa_view: ram %s pages=%llu dirty-words=%llu\n", dirty ? "NOT ZEROED" : "zeroed",
		(unsigned long long)checked, (unsigned long long)dirty);

	/* Write a value derived from each page's address at both ends of the
	 * page, read everything back, and checksum what was read. */
	uint64_t pages = 0, errors = 0, sum = 0;
	for (uint64_t a = gi.ram_base; a < gi.ram_base + gi.ram_size; a += 4096) {
		if (skip_page(&gi, a))
			continue;
		volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)a;
		p[0] = a ^ 0x9e3779b97f4a7c15ULL;
		p[511] = ~a;
		pages++;
	}
	for (uint64_t a = gi.ram_base; a < gi.ram_base + gi.ram_size; a += 4096) {
		if (skip_page(&gi, a))
			continue;
		volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)a;
		uint64_t x = p[0], y = p[511];
		errors += (x != (a ^ 0x9e3779b97f4a7c15ULL)) + (y != ~a);
		sum = (sum ^ x ^ (y << 1)) * 0x100000001b3ULL;
	}
	gprintf("ipa_view: ram walk pages=%llu errors=%llu checksum=0x%016llx\n",
		(unsigned long long)pages, (unsigned long long)errors, (unsigned long long)sum);

	if (gi.resets < resets) {
		delay_ms((unsigned)bootarg_u64(&gi, "reset-after-ms", 0));
		volatile uint64_t *c = (volatile uint64_t *)(uintptr_t)canary;
		for (unsigned i = 0; i < 32; i++)
			c[i] = ~0ULL;
		__asm__ volatile("dsb sy" ::: "memory");
		gprintf("ipa_view: requesting SYSTEM_RESET\n");
		system_reset();
	}

	uint64_t flood_ms = bootarg_u64(&gi, "flood-ms", 0);
	if (flood_ms) {
		uint64_t freq = read_sysreg(cntfrq_el0), t0 = read_sysreg(cntvct_el0);
		uint64_t end = t0 + flood_ms * freq / 1000, lines = 0, bytes = 0;
		while (read_sysreg(cntvct_el0) < end) {
			gprintf("ipa_view: flood %llu\n", (unsigned long long)++lines);
			bytes += sizeof("ipa_view: flood \n") - 1;
			for (uint64_t d = lines; d; d /= 10)
				bytes++;
		}
		gprintf("ipa_view: flood done lines=%llu bytes=%llu ms=%llu\n",
			(unsigned long long)lines, (unsigned long long)bytes,
			(unsigned long long)flood_ms);
	}

	if (bootarg_has(&gi, "echo")) {
		char line[80];
		unsigned n = 0;
		gprintf("ipa_view: echo: type lines, q to end\n");
		for (;;) {
			int c = ggetc();
			if (c < 0 || c == '\n')
				continue;
			if (c != '\r' && n < sizeof(line) - 1) {
				line[n++] = (char)c;
				continue;
			}
			line[n] = '\0';
			gprintf("ipa_view: input %s\n", line);
			if (!strcmp(line, "q"))
				break;
			n = 0;
		}
	}
	unsigned beats = (unsigned)bootarg_u64(&gi, "heartbeats", 3);
	unsigned period = (unsigned)bootarg_u64(&gi, "period-ms", 200);
	for (unsigned i = 1; i <= beats; i++) {
		delay_ms(period);
		gprintf("ipa_view: heartbeat %u/%u\n", i, beats);
	}
	gprintf("ipa_view: done, powering off\n");
	system_off();
}
