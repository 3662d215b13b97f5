/* A guest's stage-2 translation: the table plus the VTCR_EL2/VTTBR_EL2 values
 * derived from its IPA size and the CPU's features. */
#pragma once
#include "mm/pgtable.h"
#include "types.h"

/* What the CPU offers, read from ID_AA64MMFR0/1_EL1 (or made up by tests). */
struct cpu_mm_features {
	unsigned parange; /* ID_AA64MMFR0_EL1.PARange encoding */
	bool lpa2_s2;	  /* 52-bit stage-2 IPA with 4 KiB granule */
	bool vmid16;
	bool fwb; /* FEAT_S2FWB: stage 2 can force write-back (HCR_EL2.FWB) */
};

unsigned parange_to_bits(unsigned parange);
/* The smallest PARange encoding that covers bits, or -ERANGE. */
int bits_to_parange(unsigned bits);
/* Largest IPA size a guest can be given on this CPU. */
unsigned stage2_max_ipa_bits(const struct cpu_mm_features *f);

struct stage2 {
	struct pgtable pgt;
	uint16_t vmid;
	uint64_t vtcr;
	uint64_t vttbr;
};

/* 0, or -ERANGE when the CPU cannot give ipa_bits, -ENOMEM without pool. */
int stage2_init(struct stage2 *s2, unsigned ipa_bits, uint16_t vmid,
		const struct cpu_mm_features *f, struct page_pool *pool);
int stage2_map(struct stage2 *s2, ipaddr_t ipa, paddr_t pa, uint64_t size, unsigned prot);
/* Pure computations, exposed for the unit tests. */
uint64_t stage2_vtcr(const struct pgt_geometry *g, bool ds, const struct cpu_mm_features *f);
uint64_t stage2_vttbr(uint64_t root_pa, uint16_t vmid, bool ds);
