/* The Raspberry Pi 4 drivers against fake registers: the console's pins
 * (GPIO 14/15 to ALT0, RX pulled up, nothing else touched) and power-off
 * through the PM watchdog (the firmware's halt partition, 63, spread over
 * the RSTS bits, every write with the password). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/bcm2711_gpio.h"
#include "drivers/bcm2835_pm.h"

static uint32_t regs[0x100 / 4];
#define REG(off) regs[(off) / 4]

static void test_uart0_pins(void **state)
{
	(void)state;
	/* Whatever was there: every pin of GPFSEL1 on ALT5 (0b010), every
	 * pull down (0b10). */
	memset(regs, 0, sizeof(regs));
	REG(0x04) = 0x12492492; /* GPFSEL1: pins 10-19 = 0b010 */
	REG(0xe4) = 0xaaaaaaaa; /* PUP_PDN_CNTRL_REG0: pins 0-15 down */
	REG(0x08) = 0x12345678; /* GPFSEL2: not ours */
	bcm2711_gpio_uart0_pins((uintptr_t)regs);
	assert_int_equal((REG(0x04) >> 12) & 7, 4); /* GPIO 14: ALT0 (TXD0) */
	assert_int_equal((REG(0x04) >> 15) & 7, 4); /* GPIO 15: ALT0 (RXD0) */
	/* The other eight pins of GPFSEL1 as they were. */
	assert_int_equal(REG(0x04) & ~(0x3fu << 12), 0x12492492u & ~(0x3fu << 12));
	assert_int_equal((REG(0xe4) >> 28) & 3, 0); /* GPIO 14: no pull */
	assert_int_equal((REG(0xe4) >> 30) & 3, 1); /* GPIO 15: pulled up */
	assert_int_equal(REG(0xe4) & 0x0fffffff, 0xaaaaaaaau & 0x0fffffff);
	assert_int_equal(REG(0x08), 0x12345678);
}

/* bcm2835_pm_reset ends in park(): here, back to the test. */
static jmp_buf parked;
void park(void)
{
	longjmp(parked, 1);
}

static void test_power_off(void **state)
{
	(void)state;
	memset(regs, 0, sizeof(regs));
	REG(0x20) = 0xfffff000 | 0xaaa; /* RSTS: every bit but the partition's */
	REG(0x1c) = 0x30 | 0x100;	/* RSTC: WRCFG set to something else */
	bcm2835_pm_init((uintptr_t)regs);
	assert_true(bcm2835_pm_present());
	if (!setjmp(parked))
		bcm2835_pm_reset(true);
	/* Partition 63: bits 0, 2, 4, 6, 8, 10; the password in the top byte
	 * (the block ignores a write without it). */
	assert_int_equal(REG(0x20) & 0xff000000u, 0x5a000000u);
	assert_int_equal(REG(0x20) & 0x555, 0x555);
	assert_int_equal(REG(0x20) & 0x00fffaaau, 0x00fffaaau); /* the rest kept */
	assert_int_equal(REG(0x24), 0x5a000000u | 10);		   /* WDOG: 10 ticks */
	assert_int_equal(REG(0x1c), 0x5a000000u | 0x100 | 0x20); /* RSTC: full reset */

	/* Another partition there before (2: bit 2) becomes 63, not 63 | 2. */
	REG(0x20) = 0x004;
	if (!setjmp(parked))
		bcm2835_pm_reset(true);
	assert_int_equal(REG(0x20), 0x5a000555u);

	/* A reset (not a halt) leaves RSTS alone. */
	REG(0x20) = 0xaaa;
	if (!setjmp(parked))
		bcm2835_pm_reset(false);
	assert_int_equal(REG(0x20), 0xaaa);
	assert_int_equal(REG(0x1c) & 0xff000030u, 0x5a000020u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uart0_pins),
		cmocka_unit_test(test_power_off),
	};
	return cmocka_run_group_tests_name("board", tests, NULL, NULL);
}
