#include "chan.h"

#include "arch/mmio.h"
#include "arch/sysreg.h"
#include "gic_lite.h"

#define VENDOR_DEVICE 0x11101af4u
#define CMD_MEMORY    0x2u
#define REG_MASK      0x0
#define REG_STATUS    0x4
#define REG_IVPOS     0x8
#define REG_DOORBELL  0xc

int chan_find(unsigned idx, unsigned cpu, struct chan *c)
{
	for (unsigned dev = 0, seen = 0; dev < 32; dev++) {
		uint64_t cfg = CHAN_ECAM + ((uint64_t)dev << 15);
		if (mmio_read32(cfg) != VENDOR_DEVICE || seen++ != idx)
			continue;
		c->cfg = cfg;
		c->regs = mmio_read32(cfg + 0x10) & ~0xfu;
		uint64_t bar2 = (mmio_read32(cfg + 0x18) & ~0xfu) | (uint64_t)mmio_read32(cfg + 0x1c) << 32;
		/* Sizing, as PCI software does: all ones in, the size out. */
		uint32_t lo = mmio_read32(cfg + 0x18);
		mmio_write32(cfg + 0x18, ~0u);
		c->size = ~(uint64_t)(mmio_read32(cfg + 0x18) & ~0xfu) + 1;
		c->size &= 0xffffffffULL;
		mmio_write32(cfg + 0x18, lo);
		c->mem = (volatile void *)(uintptr_t)bar2;
		c->intid = mmio_read32(cfg + 0x3c) & 0xff;
		mmio_write32(cfg + 0x4, mmio_read32(cfg + 0x4) | CMD_MEMORY);
		c->id = mmio_read32(c->regs + REG_IVPOS);
		mmio_write32(c->regs + REG_MASK, 1);
		/* The distributor on (GICv3: affinity routing, group 1). */
		mmio_write32(gicd, mmio_read32(gicd) | (gic_version == 3 ? 0x12u : 0x1u));
		gic_enable(cpu, c->intid);
		return 0;
	}
	return -1;
}

void chan_ring(const struct chan *c, unsigned peer)
{
	/* Stores to the memory before the doorbell (the hypervisor orders
	 * them before the peer's interrupt from there). */
	__asm__ volatile("dmb ish" ::: "memory");
	mmio_write32(c->regs + REG_DOORBELL, peer << 16);
}

bool chan_wait(struct chan *c, unsigned max_wfi)
{
	for (;;) {
		unsigned iar = wait_irq(max_wfi);
		if (iar >= 1020)
			return false;
		if (iar == c->intid) {
			c->taken_at = read_sysreg(cntpct_el0); /* the handler's entry */
			mmio_read32(c->regs + REG_STATUS);     /* clears it: the line drops */
		}
		gic_eoi(iar);
		if (iar == c->intid) {
			__asm__ volatile("dmb ish" ::: "memory");
			return true;
		}
	}
}
