/* One channel as a guest's PCI function (issue: channels between guests):
 * the type-0 configuration header and BAR0's registers of QEMU's ivshmem
 * device interface (docs/specs/ivshmem-spec.rst in QEMU), with PCI 2.3
 * interrupt semantics so that Linux's uio_pci_generic drives it: INTx is
 * asserted while IntrStatus & IntrMask is non-zero and Command's Interrupt
 * Disable is clear, and Status's Interrupt Status bit reads 1 while it is
 * pending whatever that disable says. Plain C, no machine state: the PCI
 * host bridge (chan_bridge.c) maps it into a guest and carries doorbells
 * between peers. Host-tested. */
#pragma once
#include "types.h"

#define CHAN_PCI_VENDOR	   0x1af4
#define CHAN_PCI_DEVICE	   0x1110
#define CHAN_PCI_CLASS	   0x050000 /* memory controller, RAM */
#define CHAN_BAR0_SIZE	   0x100
#define CHAN_CMD_MEMORY	   BIT(1)
#define CHAN_CMD_MASTER	   BIT(2)
#define CHAN_CMD_INTX_OFF  BIT(10)
#define CHAN_STATUS_INTX   BIT(3)

/* BAR0's registers. */
#define CHAN_INTR_MASK	 0x00
#define CHAN_INTR_STATUS 0x04
#define CHAN_IVPOSITION	 0x08
#define CHAN_DOORBELL	 0x0c

struct chan_fn {
	uint64_t shm_size; /* BAR2's size: a power of two, 4 KiB at least */
	uint16_t id;	   /* IVPosition: this peer's index in the channel */
	uint16_t command;
	uint32_t bar0;	   /* as written (address bits kept) */
	uint64_t bar2;	   /* the 64-bit BAR2/BAR3 pair, as written */
	uint8_t cache_line, int_line;
	uint32_t intr_mask, intr_status;
};

/* Power-on state; BAR0 and BAR2 at the addresses the bridge assigned. */
void chan_fn_reset(struct chan_fn *f, uint16_t id, uint64_t shm_size, uint32_t bar0,
		   uint64_t bar2);
/* Configuration space, naturally aligned accesses of 1, 2 or 4 bytes at
 * off (0..4095); beyond the header reads 0 and ignores writes. */
uint32_t chan_cfg_read(const struct chan_fn *f, unsigned off, unsigned width);
void chan_cfg_write(struct chan_fn *f, unsigned off, unsigned width, uint32_t val);
/* BAR0, 4-byte accesses: reading IntrStatus clears it. A Doorbell write
 * returns true and its value in *ring (peer << 16 | vector) for the bridge
 * to carry; the rest never do. */
uint32_t chan_bar0_read(struct chan_fn *f, unsigned off);
bool chan_bar0_write(struct chan_fn *f, unsigned off, uint32_t val, uint32_t *ring);
/* A peer rang this function: IntrStatus bit 0 set. */
void chan_fn_ring(struct chan_fn *f);
/* Whether an interrupt is pending, and the INTx line's level (inline:
 * the doorbell path asks at every access). */
static inline bool chan_fn_pending(const struct chan_fn *f)
{
	return (f->intr_status & f->intr_mask) != 0;
}

static inline bool chan_fn_intx(const struct chan_fn *f)
{
	return chan_fn_pending(f) && !(f->command & CHAN_CMD_INTX_OFF);
}

/* Where its BARs decode now (0 when memory decoding is off). */
static inline uint64_t chan_fn_bar0(const struct chan_fn *f)
{
	return f->command & CHAN_CMD_MEMORY ? f->bar0 & ~(uint32_t)(CHAN_BAR0_SIZE - 1) : 0;
}

uint64_t chan_fn_bar2(const struct chan_fn *f);
