/* Stage-2 data aborts: emulated devices, or an external abort for the guest. */
#include "arch/sysreg.h"
#include "drivers/console.h"
#include "hyp/guest.h"
#include "hyp/inject.h"
#include "hyp/mmio_decode.h"
#include "hyp/trap.h"

static const struct emu_region *find_emu(const struct guest *g, uint64_t ipa)
{
	for (const struct emu_region *e = g->emu; e < g->emu + g->nemu; e++)
		if (ipa - e->base < e->size)
			return e;
	return NULL;
}

/* The region of this trap's IPA, and the IPA's offset in it (*off): the
 * last trap's page again, or found, and remembered when the whole page
 * is the region's. */
static inline const struct emu_region *lookup(struct vcpu *v, uint64_t *off)
{
	uint64_t hpfar = read_sysreg(hpfar_el2), far = read_sysreg(far_el2);
	if (hpfar == v->mmio_hpfar && v->mmio_emu) {
		*off = v->mmio_page_off + (far & (PAGE_SIZE - 1));
		return v->mmio_emu;
	}
	uint64_t ipa = mmio_fault_ipa(hpfar, far);
	const struct emu_region *e = find_emu(v->guest, ipa);
	if (!e)
		return NULL;
	uint64_t page_off = (ipa & ~(PAGE_SIZE - 1)) - e->base;
	if (page_off + PAGE_SIZE <= e->size) {
		v->mmio_hpfar = hpfar;
		v->mmio_emu = e;
		v->mmio_page_off = page_off;
	}
	*off = ipa - e->base;
	return e;
}

static void __attribute__((noinline))
unhandled(struct vcpu *v, uint64_t esr, const struct emu_region *e)
{
	uint64_t far = read_sysreg(far_el2);
	uint64_t ipa = mmio_fault_ipa(read_sysreg(hpfar_el2), far);
	if (guest_should_report(v->guest, EC_DABT_LOW))
		hyp_printf("hyp: guest %s cpu=%u %s %s ipa=0x%llx pc=0x%llx esr=0x%llx: external "
			   "abort injected\n",
			   v->guest->name, v->pcpu, esr & DABT_WNR ? "write to" : "read from",
			   e ? "undecodable access at emulated" : "unmapped",
			   (unsigned long long)ipa, (unsigned long long)read_sysreg(elr_el2),
			   (unsigned long long)esr);
	inject_external_abort(false, far);
}

/* The access of a valid syndrome (ISV, not from a stage-1 walk) at
 * offset off of the emulated region e, by an instruction of len bytes. A
 * store ends in the device's write function; a load puts what the
 * device's read function returns in the register (x[31], xzr's, is
 * dropped). */
static inline __attribute__((always_inline)) void emulate(struct gp_regs *r, uint64_t esr,
							  struct vcpu *v,
							  const struct emu_region *e, uint64_t off,
							  unsigned len)
{
	struct mmio_access a;
	mmio_fields(esr, &a);
	write_sysreg(elr_el2, read_sysreg(elr_el2) + len);
	if (a.write) {
		e->write(v, e->dev, off, a.width, mmio_store_value(&a, r->x[a.reg]));
		return;
	}
	uint64_t *dst = &r->x[a.reg];
	uint64_t keep = mmio_zero_extend_mask(&a);
	uint64_t raw = e->read(v, e->dev, off, a.width);
	if (keep) {
		*dst = raw & keep;
		return;
	}
	/* Sign-extending: the syndrome again rather than kept across the
	 * call. ESR_EL2 holds it until the next exception to EL2, and none
	 * is taken meanwhile (one at EL2 is fatal). */
	mmio_fields(read_sysreg(esr_el2), &a);
	*dst = mmio_load_value(&a, raw);
}

/* From the vectors, for a data abort with a valid syndrome (ISV, which
 * the Arm ARM's Data Abort ISS never sets for a fault on a stage-1 table
 * walk) by a 32-bit instruction (IL) whose transfer register is below
 * x16: the vectors saved x0-x17. */
void handle_guest_mmio(struct gp_regs *r, uint64_t esr)
{
	struct vcpu *v = this_vcpu();
	uint64_t off;
	const struct emu_region *e = lookup(v, &off);
	if (!e) {
		unhandled(v, esr, NULL);
		return;
	}
	emulate(r, esr, v, e, off, 4);
}

/* From the vectors, for any other data abort, with the whole frame. */
void handle_guest_dabt(struct gp_regs *r, uint64_t esr)
{
	struct vcpu *v = this_vcpu();
	uint64_t off;
	const struct emu_region *e = lookup(v, &off);
	struct mmio_access a;
	if (!e || mmio_decode(esr, &a) != 0) {
		unhandled(v, esr, e);
		return;
	}
	emulate(r, esr, v, e, off, esr & ESR_IL ? 4 : 2); /* 2: a 16-bit T32 instruction */
}
