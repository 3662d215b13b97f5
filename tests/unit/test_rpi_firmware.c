/* The Raspberry Pi firmware's property interface: which firmware clock a
 * device of Debian's Pi 4 tree runs on, where the firmware sees the
 * hypervisor's message (the tree's dma-ranges), the message itself, and
 * the mailbox transaction against fake registers and a fake counter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/fdt.h"
#include "drivers/rpi_firmware.h"
#include "hyp/config/devices.h"

/* The counter the mailbox waits are bounded by: 1 MHz, one tick a read. */
static uint64_t now;
uint64_t host_sysreg_read(const char *name)
{
	if (!strcmp(name, "cntfrq_el0"))
		return 1000000;
	if (!strcmp(name, "cntpct_el0"))
		return now++;
	fail_msg("unexpected system register %s", name);
	return 0;
}
void host_sysreg_write(const char *name, uint64_t v)
{
	(void)v;
	fail_msg("unexpected write of %s", name);
}
void host_wfe(void) {}

static uint8_t blob[1 << 20];

static const void *pi4(void)
{
	char path[512];
	const char *dir = getenv("HOST_DTB_DIR");
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/bcm2711-rpi-4-b.dtb", dir);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("%s: cannot open (make unit-test makes it)", path);
	size_t n = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	assert_int_equal(fdt_check(blob, n, NULL), 0);
	return blob;
}

static void test_clock_of(void **state)
{
	(void)state;
	const void *fdt = pi4();
	/* The Arasan SDHCI and emmc2 on CPRMAN's EMMC and EMMC2 clocks. */
	assert_int_equal(rpi_fw_clock_of(fdt, fdt_path_offset(fdt, "/soc/mmc@7e300000")), 1);
	assert_int_equal(rpi_fw_clock_of(fdt, fdt_path_offset(fdt, "/emmc2bus/mmc@7e340000")), 12);
	assert_int_equal(rpi_fw_clock_of(fdt, fdt_path_offset(fdt, "/soc/serial@7e201000")), 2);
	/* The SPI runs on the VPU clock, which the firmware does not name
	 * here; the watchdog has no clock. */
	assert_int_equal(rpi_fw_clock_of(fdt, fdt_path_offset(fdt, "/soc/spi@7e204000")), 0);
	assert_int_equal(rpi_fw_clock_of(fdt, fdt_path_offset(fdt, "/soc/watchdog@7e100000")), 0);
	/* The firmware sees the lowest GiB at bus address 0xc0000000. */
	struct dma_window w[MAX_DMA_WINDOWS];
	int fw = fdt_find_compatible(fdt, -1, "raspberrypi,bcm2835-firmware");
	assert_true(fw >= 0);
	assert_int_equal(devices_dma_windows(fdt, fw, w, MAX_DMA_WINDOWS), 1);
	assert_int_equal(w[0].bus, 0xc0000000);
	assert_int_equal(w[0].cpu, 0);
	assert_int_equal(w[0].last, 0x3fffffff);
}

static void test_message(void **state)
{
	(void)state;
	uint32_t msg[RPI_FW_MSG_WORDS], hz = 0;
	rpi_fw_clock_request(msg, 12);
	assert_int_equal(msg[0], 32);
	assert_int_equal(msg[2], 0x00030002);
	assert_int_equal(msg[5], 12);
	assert_int_equal(msg[7], 0);
	assert_int_equal(rpi_fw_clock_reply(msg, 12, &hz), -EIO); /* not answered */
	msg[1] = 0x80000000u, msg[4] = 0x80000008u, msg[6] = 100000000;
	assert_int_equal(rpi_fw_clock_reply(msg, 12, &hz), 0);
	assert_int_equal(hz, 100000000);
	assert_int_equal(rpi_fw_clock_reply(msg, 1, &hz), -EIO); /* another clock's */
	msg[1] = 0x80000001u; /* the firmware's error */
	assert_int_equal(rpi_fw_clock_reply(msg, 12, &hz), -EIO);
	msg[1] = 0x80000000u, msg[6] = 0; /* no such clock: rate 0 */
	assert_int_equal(rpi_fw_clock_reply(msg, 12, &hz), -EIO);
}

static void test_call(void **state)
{
	(void)state;
	static uint32_t regs[16];
	uint64_t mbox = (uintptr_t)regs;
	/* Room to write, an answer for our buffer on the property channel. */
	memset(regs, 0, sizeof(regs));
	regs[0] = 0xc0001008u;
	assert_int_equal(rpi_fw_call(mbox, 0xc0001000u), 0);
	assert_int_equal(regs[0x20 / 4], 0xc0001008u);
	/* Full for good, or only ever another answer: bounded, refused. */
	regs[0x38 / 4] = 0x80000000u;
	uint64_t t0 = now;
	assert_int_equal(rpi_fw_call(mbox, 0xc0001000u), -ETIMEDOUT);
	assert_true(now - t0 >= 10000 && now - t0 < 10100);
	regs[0x38 / 4] = 0;
	regs[0] = 0xc0002008u;
	assert_int_equal(rpi_fw_call(mbox, 0xc0001000u), -ETIMEDOUT);
	regs[0x18 / 4] = 0x40000000u; /* never an answer */
	regs[0] = 0xc0001008u;
	assert_int_equal(rpi_fw_call(mbox, 0xc0001000u), -ETIMEDOUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_clock_of),
					   cmocka_unit_test(test_message), cmocka_unit_test(test_call)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
