/* Stage-2 data aborts: emulated devices, or an external abort for the guest. */
#include "arch/sysreg.h"
#include "drivers/console.h"
#include "hyp/guest.h"
#include "hyp/inject.h"
#include "hyp/mmio_decode.h"
#include "hyp/trap.h"

static struct emu_region *find_emu(struct guest *g, uint64_t ipa)
{
	for (unsigned i = 0; i < g->nemu; i++)
		if (ipa - g->emu[i].base < g->emu[i].size)
			return &g->emu[i];
	return NULL;
}

/* From the vectors, for EC_DABT_LOW. They saved the whole frame unless
 * the syndrome names a transfer register below x19, the only one an
 * emulated access reads or writes. */
void handle_guest_dabt(struct gp_regs *r, uint64_t esr)
{
	struct vcpu *v = this_vcpu();
	uint64_t far = read_sysreg(far_el2);
	uint64_t ipa = mmio_fault_ipa(read_sysreg(hpfar_el2), far);
	struct emu_region *e = find_emu(v->guest, ipa);
	struct mmio_access a;

	if (e && mmio_decode(esr, ipa, &a) == 0) {
		uint64_t off = ipa - e->base;
		if (a.write) {
			uint64_t val = a.reg == 31 ? 0 : r->x[a.reg];
			e->write(v, e->dev, off, a.width,
				 a.width == 8 ? val : val & ((1ULL << (a.width * 8)) - 1));
		} else {
			uint64_t val = mmio_load_value(&a, e->read(v, e->dev, off, a.width));
			if (a.reg != 31)
				r->x[a.reg] = val;
		}
		skip_instruction(esr);
		return;
	}
	if (guest_should_report(v->guest, EC_DABT_LOW))
		hyp_printf("hyp: guest %s cpu=%u %s %s ipa=0x%llx pc=0x%llx esr=0x%llx: external "
			   "abort "
			   "injected\n",
			   v->guest->name, v->pcpu, esr & DABT_WNR ? "write to" : "read from",
			   e ? "undecodable access at emulated" : "unmapped",
			   (unsigned long long)ipa, (unsigned long long)read_sysreg(elr_el2),
			   (unsigned long long)esr);
	inject_external_abort(false, far);
}
