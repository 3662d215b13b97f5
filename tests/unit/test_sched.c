/* Shared CPUs: the local TLB rule (hyp/vcpu_ctx.h, s2_local_flush_needed).
 * QEMU's TCG flushes its TLB at every VTTBR_EL2 write, so no QEMU test can
 * see a missing invalidation; this pins the rule itself: a guest's VMID
 * entries on a CPU are invalidated when a vCPU of that guest comes in after
 * another of its vCPUs ran there, and only then. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hyp/vcpu_ctx.h"

static void test_first_and_same_vcpu(void **state)
{
	(void)state;
	int8_t last = -1;
	assert_false(s2_local_flush_needed(&last, 0)); /* nothing of the guest here yet */
	assert_int_equal(last, 0);
	assert_false(s2_local_flush_needed(&last, 0)); /* the same vCPU again */
	assert_false(s2_local_flush_needed(&last, 0));
}

static void test_sibling(void **state)
{
	(void)state;
	int8_t last = -1;
	s2_local_flush_needed(&last, 0);
	assert_true(s2_local_flush_needed(&last, 1)); /* vCPU 1 after vCPU 0 */
	assert_int_equal(last, 1);
	assert_false(s2_local_flush_needed(&last, 1));
	assert_true(s2_local_flush_needed(&last, 0)); /* and back */
	assert_true(s2_local_flush_needed(&last, 7));
	assert_int_equal(last, 7);
}

/* Each guest has its own slot per CPU: another guest's vCPUs in between
 * (other VMIDs) do not make a guest's own vCPU flush. */
static void test_other_guests(void **state)
{
	(void)state;
	int8_t last[CPU_MAX_GUESTS];
	for (unsigned g = 0; g < CPU_MAX_GUESTS; g++)
		last[g] = -1;
	s2_local_flush_needed(&last[0], 0);
	assert_false(s2_local_flush_needed(&last[1], 0));
	assert_false(s2_local_flush_needed(&last[2], 3));
	assert_false(s2_local_flush_needed(&last[0], 0)); /* guest 0's vCPU 0 again */
	assert_true(s2_local_flush_needed(&last[2], 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_and_same_vcpu),
		cmocka_unit_test(test_sibling),
		cmocka_unit_test(test_other_guests),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
