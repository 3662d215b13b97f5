/* A channel's PCI function as a guest sees it: the configuration header
 * (IDs, class, BAR sizing as PCI software does it, Command and Status),
 * BAR0's ivshmem registers, and the PCI 2.3 interrupt semantics Linux's
 * uio_pci_generic relies on (pci_intx_mask_supported: Interrupt Disable
 * writable; pci_check_and_mask_intx: Status.Interrupt reads the pending
 * state whatever the disable says). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hyp/vdev/chan_pci.h"

#define SHM (1u << 20)

static struct chan_fn fresh(void)
{
	struct chan_fn f;
	chan_fn_reset(&f, 3, SHM, 0x10000000, 0x10100000);
	return f;
}

static void test_header(void **state)
{
	(void)state;
	struct chan_fn f = fresh();
	assert_int_equal(chan_cfg_read(&f, 0, 4), 0x11101af4);
	assert_int_equal(chan_cfg_read(&f, 0, 2), 0x1af4);
	assert_int_equal(chan_cfg_read(&f, 2, 2), 0x1110);
	assert_int_equal(chan_cfg_read(&f, 0xb, 1), 0x05); /* class: memory controller */
	assert_int_equal(chan_cfg_read(&f, 0xa, 1), 0x00); /* subclass RAM */
	assert_int_equal(chan_cfg_read(&f, 8, 1), 1);	    /* revision */
	assert_int_equal(chan_cfg_read(&f, 0xe, 1), 0);	    /* header type 0 */
	assert_int_equal(chan_cfg_read(&f, 0x3d, 1), 1);    /* INTA */
	assert_int_equal(chan_cfg_read(&f, 0x34, 1), 0);    /* no capabilities: no MSI-X */
	assert_int_equal(chan_cfg_read(&f, 6, 2) & 0x10, 0);
	assert_int_equal(chan_cfg_read(&f, 0x100, 4), 0); /* extended space */
	chan_cfg_write(&f, 0, 4, 0);			 /* IDs are read-only */
	assert_int_equal(chan_cfg_read(&f, 0, 4), 0x11101af4);
	chan_cfg_write(&f, 0x3c, 1, 42);
	assert_int_equal(chan_cfg_read(&f, 0x3c, 4), 0x12a);
}

/* Sizing: all ones written, the size read back, the address restored. */
static void test_bars(void **state)
{
	(void)state;
	struct chan_fn f = fresh();
	assert_int_equal(chan_cfg_read(&f, 0x10, 4), 0x10000000);
	assert_int_equal(chan_cfg_read(&f, 0x18, 4), 0x10100000 | 0xc); /* 64-bit prefetchable */
	assert_int_equal(chan_cfg_read(&f, 0x1c, 4), 0);
	assert_int_equal(chan_cfg_read(&f, 0x14, 4), 0); /* BAR1: none (no MSI-X) */
	chan_cfg_write(&f, 0x10, 4, ~0u);
	assert_int_equal(chan_cfg_read(&f, 0x10, 4), ~0u & ~(CHAN_BAR0_SIZE - 1));
	chan_cfg_write(&f, 0x10, 4, 0x20000000);
	assert_int_equal(chan_cfg_read(&f, 0x10, 4), 0x20000000);
	chan_cfg_write(&f, 0x18, 4, ~0u);
	chan_cfg_write(&f, 0x1c, 4, ~0u);
	assert_int_equal(chan_cfg_read(&f, 0x18, 4), (~0u & ~(SHM - 1)) | 0xc);
	assert_int_equal(chan_cfg_read(&f, 0x1c, 4), ~0u);
	chan_cfg_write(&f, 0x18, 4, 0x30000000);
	chan_cfg_write(&f, 0x1c, 4, 0x1);
	assert_int_equal(chan_cfg_read(&f, 0x18, 4), 0x30000000 | 0xc);
	assert_int_equal(chan_cfg_read(&f, 0x1c, 4), 1);
	/* Decoded only with Memory Space on. */
	assert_int_equal(chan_fn_bar2(&f), 0);
	chan_cfg_write(&f, 4, 2, CHAN_CMD_MEMORY);
	assert_int_equal(chan_fn_bar2(&f), 0x130000000ULL);
	assert_int_equal(chan_fn_bar0(&f), 0x20000000);
	/* An address not aligned to the size keeps only the aligned part. */
	chan_cfg_write(&f, 0x18, 4, 0x30012345);
	assert_int_equal(chan_fn_bar2(&f), 0x130000000ULL);
}

static void test_registers(void **state)
{
	(void)state;
	struct chan_fn f = fresh();
	uint32_t ring = 0;
	assert_int_equal(chan_bar0_read(&f, CHAN_IVPOSITION), 3);
	assert_false(chan_bar0_write(&f, CHAN_IVPOSITION, 7, &ring));
	assert_int_equal(chan_bar0_read(&f, CHAN_IVPOSITION), 3);
	assert_true(chan_bar0_write(&f, CHAN_DOORBELL, 1u << 16, &ring));
	assert_int_equal(ring, 1u << 16);
	assert_int_equal(chan_bar0_read(&f, CHAN_DOORBELL), 0);
	/* A ring sets IntrStatus; reading it clears it. */
	chan_fn_ring(&f);
	assert_int_equal(chan_bar0_read(&f, CHAN_INTR_STATUS), 1);
	assert_int_equal(chan_bar0_read(&f, CHAN_INTR_STATUS), 0);
}

static void test_intx(void **state)
{
	(void)state;
	struct chan_fn f = fresh();
	chan_fn_ring(&f);
	assert_false(chan_fn_intx(&f)); /* masked */
	uint32_t ring;
	chan_bar0_write(&f, CHAN_INTR_MASK, 1, &ring);
	assert_true(chan_fn_intx(&f));
	assert_true(chan_cfg_read(&f, 6, 2) & CHAN_STATUS_INTX);
	/* Interrupt Disable: the line drops, Status still says pending
	 * (what pci_check_and_mask_intx reads). */
	chan_cfg_write(&f, 4, 2, CHAN_CMD_MEMORY | CHAN_CMD_INTX_OFF);
	assert_int_equal(chan_cfg_read(&f, 4, 2), CHAN_CMD_MEMORY | CHAN_CMD_INTX_OFF);
	assert_false(chan_fn_intx(&f));
	assert_true(chan_cfg_read(&f, 6, 2) & CHAN_STATUS_INTX);
	assert_true(chan_cfg_read(&f, 4, 4) & (CHAN_STATUS_INTX << 16));
	/* A byte write of Command's high byte keeps the low one. */
	chan_cfg_write(&f, 5, 1, 0);
	assert_int_equal(chan_cfg_read(&f, 4, 2), CHAN_CMD_MEMORY);
	assert_true(chan_fn_intx(&f));
	/* Only the writable Command bits stick. */
	chan_cfg_write(&f, 4, 2, 0xffff);
	assert_int_equal(chan_cfg_read(&f, 4, 2),
			 CHAN_CMD_MEMORY | CHAN_CMD_MASTER | CHAN_CMD_INTX_OFF);
	/* Served: the status read clears the line. */
	chan_cfg_write(&f, 4, 2, CHAN_CMD_MEMORY);
	chan_bar0_read(&f, CHAN_INTR_STATUS);
	assert_false(chan_fn_intx(&f));
	assert_false(chan_cfg_read(&f, 6, 2) & CHAN_STATUS_INTX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header), cmocka_unit_test(test_bars),
		cmocka_unit_test(test_registers), cmocka_unit_test(test_intx)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
