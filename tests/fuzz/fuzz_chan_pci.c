/* A channel's PCI function (hyp/vdev/chan_pci.c) as guests reach it
 * through the bridge's ECAM and BAR0: random accesses of every width and
 * offset, doorbells, resets, each followed by what the PCI specification
 * and QEMU's ivshmem interface promise, checked against a model kept here:
 * the IDs, class and pin never change, only Command's writable bits stick,
 * Status.InterruptStatus is the pending state, INTx is pending and not
 * disabled, BARs keep their type bits and size alignment (sizing reads the
 * size back), IntrStatus reads what was rung or written and then 0. */
#include <stdio.h>
#include <stdlib.h>

#include "hyp/vdev/chan_pci.h"
#include "tests/fuzz/fuzz_input.h"

#define CHECK(cond)                                         \
	do {                                                \
		if (!(cond)) {                              \
			fprintf(stderr, "not %s\n", #cond); \
			abort();                            \
		}                                           \
	} while (0)

static void check(const struct chan_fn *f, uint32_t mask, uint32_t status, uint16_t id)
{
	CHECK(chan_cfg_read(f, 0, 4) == 0x11101af4);
	CHECK(chan_cfg_read(f, 8, 4) == 0x05000001);
	CHECK(chan_cfg_read(f, 0xe, 1) == 0);
	CHECK(chan_cfg_read(f, 0x3d, 1) == 1);
	CHECK(chan_cfg_read(f, 0x34, 1) == 0);
	uint16_t cmd = (uint16_t)chan_cfg_read(f, 4, 2);
	CHECK((cmd & ~(CHAN_CMD_MEMORY | CHAN_CMD_MASTER | CHAN_CMD_INTX_OFF)) == 0);
	bool pending = (mask & status) != 0;
	CHECK(chan_fn_pending(f) == pending);
	CHECK(!!(chan_cfg_read(f, 6, 2) & CHAN_STATUS_INTX) == pending);
	CHECK(chan_fn_intx(f) == (pending && !(cmd & CHAN_CMD_INTX_OFF)));
	uint32_t bar0 = chan_cfg_read(f, 0x10, 4), bar2 = chan_cfg_read(f, 0x18, 4);
	uint64_t bar2_64 = (uint64_t)chan_cfg_read(f, 0x1c, 4) << 32 | (bar2 & ~0xfu);
	CHECK((bar0 & (CHAN_BAR0_SIZE - 1)) == 0);
	CHECK((bar2 & 0xf) == 0xc);
	CHECK((bar2_64 & (f->shm_size - 1)) == 0);
	CHECK(chan_fn_bar0(f) == (cmd & CHAN_CMD_MEMORY ? bar0 : 0));
	CHECK(chan_fn_bar2(f) == (cmd & CHAN_CMD_MEMORY ? bar2_64 : 0));
	CHECK(chan_cfg_read(f, 0x14, 4) == 0 && chan_cfg_read(f, 0x20, 4) == 0);
	CHECK(f->id == id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	static const uint64_t sizes[] = {0x1000, 0x100000, 0x4000000, 0x2000};
	uint64_t shm = fuzz_value(&in, sizes, 4);
	uint16_t id = (uint16_t)fuzz_pick(&in, 8);
	struct chan_fn f;
	chan_fn_reset(&f, id, shm, 0x10000000, 0x11000000);
	uint32_t mask = 0, status = 0, ring;
	check(&f, mask, status, id);
	for (unsigned step = 0; step < 64 && in.n; step++) {
		switch (fuzz_pick(&in, 6)) {
		case 0: { /* configuration read, any width at any aligned offset */
			unsigned width = 1u << fuzz_pick(&in, 3);
			unsigned off = (fuzz_u32(&in) & 0xfff) & ~(width - 1);
			uint32_t v = chan_cfg_read(&f, off, width);
			CHECK(width == 4 || v >> (8 * width) == 0);
			CHECK(off < 0x40 || v == 0); /* nothing beyond the header */
			break;
		}
		case 1: { /* configuration write */
			unsigned width = 1u << fuzz_pick(&in, 3);
			unsigned off = (fuzz_u32(&in) & 0x7f) & ~(width - 1);
			chan_cfg_write(&f, off, width, fuzz_u32(&in));
			break;
		}
		case 2: { /* BAR sizing, as software does it: all ones, read, restore */
			unsigned bar = fuzz_pick(&in, 2) ? 0x18 : 0x10;
			uint32_t old = chan_cfg_read(&f, bar, 4);
			chan_cfg_write(&f, bar, 4, ~0u);
			uint32_t got = chan_cfg_read(&f, bar, 4);
			if (bar == 0x10)
				CHECK(got == (uint32_t)~(CHAN_BAR0_SIZE - 1));
			else
				CHECK((got & ~0xfu) == (uint32_t)(~(shm - 1) & 0xfffffff0u));
			chan_cfg_write(&f, bar, 4, old);
			CHECK(chan_cfg_read(&f, bar, 4) == old);
			break;
		}
		case 3: { /* BAR0 register read */
			unsigned off = (fuzz_u32(&in) & 0xff) & ~3u;
			uint32_t v = chan_bar0_read(&f, off);
			if (off == CHAN_INTR_MASK)
				CHECK(v == mask);
			else if (off == CHAN_INTR_STATUS) {
				CHECK(v == status);
				status = 0;
			} else if (off == CHAN_IVPOSITION)
				CHECK(v == id);
			else
				CHECK(v == 0);
			break;
		}
		case 4: { /* BAR0 register write: only Doorbell rings */
			unsigned off = (fuzz_u32(&in) & 0xff) & ~3u;
			uint32_t v = fuzz_u32(&in);
			bool rang = chan_bar0_write(&f, off, v, &ring);
			CHECK(rang == (off == CHAN_DOORBELL));
			CHECK(!rang || ring == v);
			if (off == CHAN_INTR_MASK)
				mask = v;
			else if (off == CHAN_INTR_STATUS)
				status = v;
			break;
		}
		default: /* a peer's doorbell, or a reset */
			if (fuzz_pick(&in, 4)) {
				chan_fn_ring(&f);
				status |= 1;
			} else {
				chan_fn_reset(&f, id, shm, 0x10000000, 0x11000000);
				mask = status = 0;
			}
		}
		check(&f, mask, status, id);
	}
	return 0;
}
