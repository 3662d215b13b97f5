/* Decoding a stage-2 data abort into an MMIO access (Arm ARM D23.2.41,
 * ISS encoding for a Data Abort). Plain C, host-tested. */
#pragma once
#include "arch/esr.h"
#include "types.h"

struct mmio_access {
	uint64_t ipa;
	unsigned width; /* bytes: 1, 2, 4, 8 */
	unsigned reg;	/* 0..30; 31 is xzr */
	bool write;
	bool sign_extend;
	bool sf; /* the register is 64-bit (else 32-bit, upper zeroed) */
};

/* The faulting IPA from HPFAR_EL2.FIPA and the page offset from FAR_EL2. */
uint64_t mmio_fault_ipa(uint64_t hpfar, uint64_t far);
/* 0, or -EINVAL when the syndrome carries no instruction (ISV clear) or the
 * fault came from a stage-1 table walk. */
int mmio_decode(uint64_t esr, uint64_t ipa, struct mmio_access *out);
/* The value a load of this access puts in the register. */
uint64_t mmio_load_value(const struct mmio_access *a, uint64_t raw);
