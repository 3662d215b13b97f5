/* The data-abort decoder every emulated access goes through
 * (hyp/mmio_decode.h), against the Arm ARM's ISS encoding written out
 * here bit by bit (D23.2.41, ESR_EL2 for a Data Abort; HPFAR_EL2.FIPA). */
#include <stdio.h>
#include <stdlib.h>

#include "hyp/mmio_decode.h"
#include "tests/fuzz/fuzz_input.h"

#define CHECK(cond)                                         \
	do {                                                \
		if (!(cond)) {                              \
			fprintf(stderr, "not %s\n", #cond); \
			abort();                            \
		}                                           \
	} while (0)

static unsigned bit(uint64_t v, unsigned n)
{
	return (unsigned)(v >> n) & 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint64_t esr = fuzz_u64(&in), hpfar = fuzz_u64(&in), far = fuzz_u64(&in);
	uint64_t raw = fuzz_u64(&in);

	/* FIPA, HPFAR_EL2[47:4], is IPA[55:12] (bits above the CPU's IPA
	 * size are RES0); FAR_EL2 gives the page offset. */
	uint64_t ipa = 0;
	for (unsigned b = 0; b < 44; b++)
		ipa |= (uint64_t)bit(hpfar, 4 + b) << (12 + b);
	ipa |= far & 0xfff;
	CHECK(mmio_fault_ipa(hpfar, far) == ipa);

	struct mmio_access a;
	int r = mmio_decode(esr, &a);
	/* ISV (bit 24) says bits [23:14] are valid; S1PTW (bit 7): a stage-1
	 * walk faulted, not the instruction's own access. */
	CHECK((r == 0) == (bit(esr, 24) && !bit(esr, 7)));
	if (r)
		return 0;
	unsigned sas = bit(esr, 22) | bit(esr, 23) << 1;
	CHECK(a.width == (sas == 0 ? 1u : sas == 1 ? 2u : sas == 2 ? 4u : 8u));
	CHECK(a.reg == ((esr >> 16) & 31) && a.reg <= 31);
	CHECK(a.write == bit(esr, 6) && a.sign_extend == bit(esr, 21) && a.sf == bit(esr, 15));

	/* A load puts the access's bytes in the register: sign- or
	 * zero-extended to 64 bits, then the upper half cleared for a W
	 * register. */
	uint64_t v = mmio_load_value(&a, raw);
	unsigned bits = a.width * 8;
	for (unsigned b = 0; b < 64; b++) {
		unsigned want;
		if (b >= 32 && !a.sf)
			want = 0;
		else if (b < bits)
			want = bit(raw, b);
		else
			want = a.sign_extend ? bit(raw, bits - 1) : 0;
		CHECK(bit(v, b) == want);
	}
	return 0;
}
