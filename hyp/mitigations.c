#include "hyp/mitigations.h"

#define MIDR_IMPLEMENTER(m) (((m) >> 24) & 0xff)
#define MIDR_PARTNUM(m)	    (((m) >> 4) & 0xfff)
#define IMPLEMENTER_ARM	    0x41

unsigned bhb_loop_k(uint64_t midr)
{
	static const struct {
		uint16_t part;
		uint8_t k;
	} parts[] = {
		{0xd07, 8},  /* Cortex-A57 */
		{0xd08, 8},  /* Cortex-A72: the Raspberry Pi 4 */
		{0xd0b, 24}, /* Cortex-A76 */
		{0xd0c, 24}, /* Neoverse N1 */
		{0xd0d, 24}, /* Cortex-A77 */
		{0xd40, 32}, /* Neoverse V1 */
		{0xd41, 32}, /* Cortex-A78 */
		{0xd44, 32}, /* Cortex-X1 */
		{0xd47, 32}, /* Cortex-A710 */
		{0xd49, 32}, /* Neoverse N2 */
		{0xd4b, 32}, /* Cortex-A78C */
	};
	if (MIDR_IMPLEMENTER(midr) != IMPLEMENTER_ARM)
		return 0;
	for (unsigned i = 0; i < ARRAY_SIZE(parts); i++)
		if (parts[i].part == MIDR_PARTNUM(midr))
			return parts[i].k;
	return 0;
}
