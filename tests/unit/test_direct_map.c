/* Direct-mapped guests: their memory must be host RAM that nothing else
 * holds (the hypervisor, the host device tree, firmware's reservations,
 * another direct-mapped guest), each refusal naming what is in the way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hyp/config/direct_map.h"

/* QEMU virt with -m 2G, two banks to see a range across them refused. */
static const struct phys_range ram[] = {{0x40000000, 0x40000000}, {0x80000000, 0x40000000}};
static const struct mem_use used[] = {
	{0x40080000, 0x2c00000, "the hypervisor's image and page pool", NULL},
	{0x48000000, 0x100000, "the host device tree", NULL},
	{0x4ff00000, 0x1000, "a CPU's spin table", NULL},
	{0xa0000000, 0x10000000, NULL, "other"},
};

static int check(uint64_t base, uint64_t size, char *why)
{
	struct guest_config g = {.name = "io", .ram_ipa = base, .ram_size = size};
	int ret = direct_map_check(&g, ram, 2, used, 4);
	strcpy(why, g.error);
	return ret;
}

static void test_direct_map(void **state)
{
	(void)state;
	char why[192];
	assert_int_equal(check(0x80000000, 0x10000000, why), 0);
	assert_int_equal(check(0xb0000000, 0x10000000, why), 0); /* to the top */
	assert_int_equal(check(0x48100000, 0x7e00000, why), 0);  /* between holes */
	assert_int_equal(check(0x50000000, 0x1000, why), 0);

	assert_int_equal(check(0x30000000, 0x10000000, why), -EINVAL);
	assert_string_equal(why, "direct-map: memory 0x30000000-0x3fffffff is not host RAM "
				 "(host RAM starts at 0x40000000)");
	assert_int_equal(check(0xb0000000, 0x10001000, why), -EINVAL); /* past the top */
	assert_int_equal(check(0x7ff00000, 0x200000, why), -EINVAL);	/* across two banks */
	assert_non_null(strstr(why, "is not host RAM"));

	assert_int_equal(check(0x40000000, 0x10000000, why), -EINVAL);
	assert_string_equal(why, "direct-map: memory 0x40000000-0x4fffffff overlaps the "
				 "hypervisor's image and page pool (0x40080000-0x42c7ffff)");
	assert_int_equal(check(0x47000000, 0x2000000, why), -EINVAL);
	assert_string_equal(why, "direct-map: memory 0x47000000-0x48ffffff overlaps the host "
				 "device tree (0x48000000-0x480fffff)");
	assert_int_equal(check(0x4ff00000, 0x1000, why), -EINVAL); /* a page exactly */
	assert_non_null(strstr(why, "overlaps a CPU's spin table"));
	assert_int_equal(check(0x42c7f000, 0x1000, why), -EINVAL); /* the last page */
	assert_int_equal(check(0x42c80000, 0x1000, why), 0);	    /* the page after */
	assert_int_equal(check(0x90000000, 0x20000000, why), -EINVAL);
	assert_string_equal(why, "direct-map: memory 0x90000000-0xafffffff overlaps guest other's "
				 "(0xa0000000-0xafffffff)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_direct_map)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
