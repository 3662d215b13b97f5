/* Which CPUs get the Spectre-BHB loop, and its length, by MIDR_EL1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hyp/mitigations.h"

static void test_bhb_loop_k(void **state)
{
	(void)state;
	assert_int_equal(bhb_loop_k(0x410fd083), 8);  /* Cortex-A72 r0p3: the Pi 4 */
	assert_int_equal(bhb_loop_k(0x411fd070), 8);  /* Cortex-A57 r1p0 */
	assert_int_equal(bhb_loop_k(0x414fd0b0), 24); /* Cortex-A76 r4p0 */
	assert_int_equal(bhb_loop_k(0x410fd0c0), 24); /* Neoverse N1 */
	assert_int_equal(bhb_loop_k(0x411fd410), 32); /* Cortex-A78 */
	assert_int_equal(bhb_loop_k(0x410fd034), 0);  /* Cortex-A53: in order, unaffected */
	assert_int_equal(bhb_loop_k(0x000f0510), 0);  /* QEMU's -cpu max */
	assert_int_equal(bhb_loop_k(0x510fd083), 0);  /* the A72's part number, another implementer */
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_bhb_loop_k)};
	return cmocka_run_group_tests_name("mitigations", tests, NULL, NULL);
}
