#include "hyp/vdev/chan_pci.h"

#define BAR_MEM64_PREFETCH 0xcu /* type 64-bit, prefetchable */
#define CMD_WRITABLE	   (CHAN_CMD_MEMORY | CHAN_CMD_MASTER | CHAN_CMD_INTX_OFF)

void chan_fn_reset(struct chan_fn *f, uint16_t id, uint64_t shm_size, uint32_t bar0,
		   uint64_t bar2)
{
	*f = (struct chan_fn){.shm_size = shm_size, .id = id, .bar0 = bar0, .bar2 = bar2};
}

uint64_t chan_fn_bar2(const struct chan_fn *f)
{
	return f->command & CHAN_CMD_MEMORY ? f->bar2 & ~(f->shm_size - 1) : 0;
}

/* The header's 32-bit word at off (a multiple of 4). */
static uint32_t cfg_word(const struct chan_fn *f, unsigned off)
{
	switch (off) {
	case 0x00:
		return CHAN_PCI_DEVICE << 16 | CHAN_PCI_VENDOR;
	case 0x04:
		return (chan_fn_pending(f) ? CHAN_STATUS_INTX : 0) << 16 | f->command;
	case 0x08:
		return CHAN_PCI_CLASS << 8 | 1; /* revision 1 */
	case 0x0c:
		return f->cache_line; /* header type 0, one function */
	case 0x10:
		return f->bar0 & ~(uint32_t)(CHAN_BAR0_SIZE - 1); /* 32-bit memory */
	case 0x18:
		return (uint32_t)(f->bar2 & ~(f->shm_size - 1)) | BAR_MEM64_PREFETCH;
	case 0x1c:
		return (uint32_t)((f->bar2 & ~(f->shm_size - 1)) >> 32);
	case 0x2c:
		return 0x1100u << 16 | CHAN_PCI_VENDOR; /* subsystem, as QEMU's ivshmem */
	case 0x3c:
		return 1u << 8 | f->int_line; /* interrupt pin A */
	default:
		return 0;
	}
}

uint32_t chan_cfg_read(const struct chan_fn *f, unsigned off, unsigned width)
{
	uint32_t w = cfg_word(f, off & ~3u);
	unsigned shift = (off & 3) * 8;
	return width == 4 ? w : (w >> shift) & (uint32_t)((1ULL << (8 * width)) - 1);
}

void chan_cfg_write(struct chan_fn *f, unsigned off, unsigned width, uint32_t val)
{
	unsigned word = off & ~3u, shift = (off & 3) * 8;
	uint32_t mask = width == 4 ? ~0u : (uint32_t)((1ULL << (8 * width)) - 1) << shift;
	/* The new word: the written bytes over the old ones. */
	uint32_t w = (cfg_word(f, word) & ~mask) | ((val << shift) & mask);
	switch (word) {
	case 0x04: /* Command; Status has no bit software writes here */
		if (mask & 0xffff)
			f->command = (uint16_t)(w & CMD_WRITABLE);
		break;
	case 0x0c:
		f->cache_line = (uint8_t)w;
		break;
	case 0x10: /* sizing reads back the size: the low bits stay 0 */
		f->bar0 = w & ~(uint32_t)(CHAN_BAR0_SIZE - 1);
		break;
	case 0x18:
		f->bar2 = (f->bar2 & ~0xffffffffULL) | ((w & ~0xfu) & ~(f->shm_size - 1));
		break;
	case 0x1c:
		f->bar2 = ((uint64_t)w << 32 | (uint32_t)f->bar2) & ~(f->shm_size - 1);
		break;
	case 0x3c:
		f->int_line = (uint8_t)w;
		break;
	default:
		break; /* read-only or not implemented */
	}
}

uint32_t chan_bar0_read(struct chan_fn *f, unsigned off)
{
	uint32_t v;
	switch (off) {
	case CHAN_INTR_MASK:
		return f->intr_mask;
	case CHAN_INTR_STATUS:
		v = f->intr_status;
		f->intr_status = 0;
		return v;
	case CHAN_IVPOSITION:
		return f->id;
	default:
		return 0; /* Doorbell is write-only, the rest reserved */
	}
}

bool chan_bar0_write(struct chan_fn *f, unsigned off, uint32_t val, uint32_t *ring)
{
	switch (off) {
	case CHAN_INTR_MASK:
		f->intr_mask = val;
		return false;
	case CHAN_INTR_STATUS:
		f->intr_status = val;
		return false;
	case CHAN_DOORBELL:
		*ring = val;
		return true;
	default:
		return false;
	}
}

void chan_fn_ring(struct chan_fn *f)
{
	f->intr_status |= 1;
}
