/* The Raspberry Pi 4 drivers against fake registers: the console's pins
 * (GPIO 14/15 to ALT0, RX pulled up, nothing else touched) and power-off
 * through the PM watchdog (the firmware's halt partition, 63, spread over
 * the RSTS bits, every write with the password); a secondary CPU's release
 * from its spin table, every memory operation recorded (it waits with its
 * caches off: what it reads must reach memory before it wakes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/bcm2711_gpio.h"
#include "drivers/bcm2835_pm.h"
#include "drivers/spin_table.h"

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

/* A spin table's release, the memory it touches and when: a log of the
 * operations, and what "memory" (the point of coherency) holds at the
 * event that wakes the CPU. */
static char oplog[512];
static uint64_t cached[2], memory[2]; /* [0]: the index, [1]: the release */
static uint64_t at_event[2];
static bool mapped;
#define INDEX_PA   0x1000
#define RELEASE_PA 0xd8

static unsigned slot(uint64_t pa)
{
	return pa == RELEASE_PA ? 1 : 0;
}
static void logop(const char *s)
{
	strncat(oplog, s, sizeof(oplog) - strlen(oplog) - 1);
}
static int st_map(uint64_t page)
{
	assert_int_equal(page, 0);
	mapped = true;
	logop("map ");
	return 0;
}
static void st_unmap(uint64_t page)
{
	assert_int_equal(page, 0);
	mapped = false;
	logop("unmap ");
}
static void st_write64(uint64_t pa, uint64_t v)
{
	assert_true(mapped); /* a store to an unmapped page would fault */
	cached[slot(pa)] = v;
	logop("write-release ");
}
static void st_write32(uint64_t pa, uint32_t v)
{
	cached[slot(pa)] = v;
	logop("write-index ");
}
static void st_clean(uint64_t pa, uint64_t size)
{
	memory[slot(pa)] = cached[slot(pa)];
	assert_true(size >= (slot(pa) ? 8u : 4u));
	logop(slot(pa) ? "clean-release " : "clean-index ");
}
static void st_event(void)
{
	at_event[0] = memory[0], at_event[1] = memory[1];
	logop("event");
}

static void test_spin_table_release(void **state)
{
	(void)state;
	static const struct spin_table_ops ops = {st_map,     st_unmap, st_write64,
						  st_write32, st_clean, st_event};
	oplog[0] = '\0';
	memset(memory, 0, sizeof(memory));
	assert_int_equal(spin_table_release(&ops, RELEASE_PA, 0x80123000, INDEX_PA, 3), 0);
	/* At the event, memory (not only the cache) holds the index and the
	 * entry; the page was mapped only for the write. */
	assert_int_equal(at_event[0], 3);
	assert_int_equal(at_event[1], 0x80123000);
	assert_false(mapped);
	assert_string_equal(oplog, "write-index clean-index map write-release clean-release unmap "
				   "event");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uart0_pins),
		cmocka_unit_test(test_power_off),
		cmocka_unit_test(test_spin_table_release),
	};
	return cmocka_run_group_tests_name("board", tests, NULL, NULL);
}
