/* A minimal GIC driver for the test guests (v3 or v2, found in the device
 * tree): enough to enable, send, take and end interrupts. */
#include "gic_lite.h"

#include "arch/mmio.h"
#include "drivers/fdt.h"
#include "libguest.h"

int gic_version;
uint64_t gicd, gicr, gicc;

void gic_find(const void *dtb)
{
	uint64_t s;
	int n = fdt_find_compatible(dtb, -1, "arm,gic-v3");
	if (n >= 0) {
		gic_version = 3;
		fdt_reg(dtb, n, 0, 0, &gicd, &s);
		fdt_reg(dtb, n, 0, 1, &gicr, &s);
		return;
	}
	n = fdt_find_compatible(dtb, -1, "arm,cortex-a15-gic");
	if (n >= 0) {
		gic_version = 2;
		fdt_reg(dtb, n, 0, 0, &gicd, &s);
		fdt_reg(dtb, n, 0, 1, &gicc, &s);
	}
}

/* Per-CPU set-up; cpu is this vCPU's index. */
void gic_cpu_init(unsigned cpu)
{
	if (gic_version == 3) {
		uint64_t r = gicr + cpu * 0x20000;
		mmio_write32(r + 0x14, mmio_read32(r + 0x14) & ~2u); /* WAKER.ProcessorSleep */
		write_sysreg(S3_0_C12_C12_5, 1);		     /* ICC_SRE_EL1.SRE */
		isb();
		write_sysreg(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1 */
		write_sysreg(S3_0_C12_C12_7, 1);  /* ICC_IGRPEN1_EL1 */
		isb();
	} else {
		mmio_write32(gicc + 0x4, 0xff); /* GICC_PMR */
		mmio_write32(gicc + 0x0, 1);	/* GICC_CTLR: enable */
	}
}

void gic_enable(unsigned cpu, unsigned intid)
{
	if (gic_version == 3 && intid < 32)
		mmio_write32(gicr + cpu * 0x20000 + 0x10000 + 0x100, 1u << intid);
	else
		mmio_write32(gicd + 0x100 + (intid / 32) * 4, 1u << (intid % 32));
}

unsigned gic_ack_iar(void)
{
	if (gic_version == 3)
		return (unsigned)read_sysreg(S3_0_C12_C12_0) & 0xffffff;
	return mmio_read32(gicc + 0xc) & 0x1fff; /* CPUID [12:10]: an SGI's source */
}

unsigned gic_ack(void)
{
	return gic_ack_iar() & (gic_version == 3 ? 0xffffff : 0x3ff);
}

void gic_disable(unsigned cpu, unsigned intid)
{
	if (gic_version == 3 && intid < 32)
		mmio_write32(gicr + cpu * 0x20000 + 0x10000 + 0x180, 1u << intid);
	else
		mmio_write32(gicd + 0x180 + (intid / 32) * 4, 1u << (intid % 32));
}

void gic_eoi(unsigned intid)
{
	if (gic_version == 3)
		write_sysreg(S3_0_C12_C12_1, intid);
	else
		mmio_write32(gicc + 0x10, intid);
	isb();
}

void send_sgi(unsigned target, unsigned sgi)
{
	__asm__ volatile("dsb ish" ::: "memory");
	if (gic_version == 3)
		write_sysreg(S3_0_C12_C11_5, (uint64_t)sgi << 24 | (1u << target));
	else
		mmio_write32(gicd + 0xf00, (1u << (16 + target)) | sgi);
	isb();
}

/* Waits (WFI, interrupts masked) for an interrupt and acknowledges it. */
unsigned wait_irq(unsigned max_wfi)
{
	for (unsigned i = 0; i < max_wfi; i++) {
		unsigned intid = gic_ack();
		if (intid < 1020)
			return intid;
		__asm__ volatile("wfi" ::: "memory");
	}
	return 1023;
}
