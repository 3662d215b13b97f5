/* The emulated interrupt controller and UART (hyp/vgic*.c, hyp/vdev/vpl011.c),
 * reached as a guest reaches them: a stage-2 data abort decoded and
 * dispatched by hyp/mmio.c, plus everything else a running machine does to
 * them through hyp/irq.c and the PSCI paths (physical interrupts, the guest
 * taking and ending what its list registers hold, timers firing, SGIs,
 * CPU_OFF/ON, SYSTEM_RESET, console input), in an order the fuzzer picks.
 *
 * The machine is simulated here: four CPUs with their system registers and
 * a GIC with list registers, EOI maintenance, physical pending and active
 * state. Guest A (1-3 vCPUs on CPUs 0-2) is driven; guest B (CPU 3) only
 * watches. After every step:
 *   - B's state, its CPU and its interrupts are exactly as they were, and A
 *     never touched a physical interrupt or a CPU that is not its own;
 *   - what A's list registers hold is what the vGIC believes they hold: no
 *     interrupt lost from them or held twice, none for a vCPU A does not
 *     have, no forwarded interrupt active at the GIC that no list register
 *     will end;
 *   - every register read returned a value the GIC and PL011 specs allow;
 *   - no physical interrupt keeps firing (a storm), no lock is misused. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "arch/esr.h"
#include "drivers/console.h"
#include "drivers/gic.h"
#include "drivers/pl011.h"
#include "hyp/vdev/console_mux.h"
#include "hyp/guest.h"
#include "hyp/vdev/vpl011.h"
#include "hyp/irq.h"
#include "hyp/trap.h"
#include "hyp/vgic/vgic_v2.h"
#include "hyp/vgic/vgic_v3.h"
#include "lib/printf.h"
#include "tests/fuzz/fuzz_input.h"

#define N(a)	 (sizeof(a) / sizeof((a)[0]))
#define NCPU	 4
#define NLR	 4
#define B_CPU	 3
#define NSPI_MAX 1020

static void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "fuzz_vdev: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}
#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond))                                               \
			fail("not %s (%s:%d)", #cond, __FILE__, __LINE__); \
	} while (0)

/* ---- the simulated machine ---- */

struct sysreg {
	const char *name;
	uint64_t val;
};

struct pcpu {
	struct sysreg regs[32];
	struct gic_lr lr[NLR];
	uint32_t eisr; /* LRs ended with EOI maintenance requested */
	uint32_t hcr;
	uint32_t sgi_pending;
	uint32_t ppi_enabled, ppi_active; /* INTIDs 0..31, banked */
	uint8_t sgi_source[16];		  /* GICv2: the CPU that sent it */
};

static struct pcpu pc[NCPU];
static unsigned cur;  /* the CPU running now */
static bool model_v2; /* GICv2: an SGI's acknowledge carries its source */
static bool spi_enabled[NSPI_MAX], spi_active[NSPI_MAX], spi_pending[NSPI_MAX];
static unsigned spi_route[NSPI_MAX];

struct cpu cpus[MAX_CPUS];
struct guest guests[MAX_GUESTS];
static struct guest *const A = &guests[0], *const B = &guests[1];
/* Each guest's console (hyp/vdev/vdev.c keeps them in the hypervisor). */
static struct vpl011 uarts[2];
static struct vpl011 *uart_of(const struct guest *g)
{
	return &uarts[g == A ? 0 : 1];
}
static struct guest_config cfg_a = {.name = "A", .irqs = {40, 41}, .nirqs = 2};
static struct guest_config cfg_b = {.name = "B", .irqs = {50}, .nirqs = 1};

static uint64_t *sysreg(unsigned cpu, const char *name)
{
	struct sysreg *r = pc[cpu].regs;
	for (unsigned i = 0; i < 32; i++) {
		if (!r[i].name) {
			r[i].name = name;
			return &r[i].val;
		}
		if (!strcmp(r[i].name, name))
			return &r[i].val;
	}
	fail("more system registers than the model holds");
	return NULL;
}

/* The counter: 1 GHz, a microsecond a wait, so that the hypervisor's
 * bounded waits (include/wait.h) time out only after a million. */
static uint64_t counter;

uint64_t host_sysreg_read(const char *name)
{
	if (!strcmp(name, "tpidr_el2"))
		return (uint64_t)(uintptr_t)&cpus[cur];
	if (!strcmp(name, "cntpct_el0"))
		return counter;
	if (!strcmp(name, "cntfrq_el0"))
		return 1000000000;
	return *sysreg(cur, name);
}

void host_sysreg_write(const char *name, uint64_t v)
{
	*sysreg(cur, name) = v;
}

void host_lock_error(const char *what)
{
	fail("%s", what);
}

static struct guest *guest_on(unsigned cpu)
{
	return cpus[cpu].vcpu ? cpus[cpu].vcpu->guest : NULL;
}

/* A physical interrupt the code at cur touches must belong to cur's guest:
 * its passthrough SPIs, or this CPU's own PPIs and SGIs. */
static void check_owned(uint32_t intid)
{
	const struct guest *g = guest_on(cur);
	if (intid < GIC_NR_PRIVATE)
		return;
	for (unsigned i = 0; g && i < g->cfg->nirqs; i++)
		if (g->cfg->irqs[i] == intid)
			return;
	fail("CPU %u (guest %s) touched physical SPI %u, not its own", cur, g ? g->name : "-",
	     intid);
}

static bool maint_level(unsigned c)
{
	unsigned valid = 0;
	for (unsigned i = 0; i < NLR; i++)
		valid += pc[c].lr[i].state != 0;
	return (pc[c].hcr & ICH_HCR_EN) &&
	       (pc[c].eisr || ((pc[c].hcr & ICH_HCR_UIE) && valid <= 1));
}

static bool timer_level(unsigned c, unsigned intid)
{
	uint64_t ctl = *sysreg(c, intid == INTID_VTIMER ? "cntv_ctl_el0" : "cntp_ctl_el0");
	return (ctl & 7) == 5;
}

/* The INTID the CPU interface of c would signal, or GIC_SPURIOUS. */
static uint32_t highest(unsigned c)
{
	struct pcpu *p = &pc[c];
	for (uint32_t i = 0; i < GIC_NR_PRIVATE; i++) {
		if (!(p->ppi_enabled & BIT(i)) || (p->ppi_active & BIT(i)))
			continue;
		bool pend = i < 16		     ? (p->sgi_pending & BIT(i)) != 0
			    : i == INTID_MAINTENANCE ? maint_level(c)
			    : (i == INTID_VTIMER || i == INTID_PTIMER) ? timer_level(c, i)
								       : false;
		if (pend)
			return i;
	}
	for (uint32_t i = GIC_NR_PRIVATE; i < NSPI_MAX; i++)
		if (spi_pending[i] && spi_enabled[i] && !spi_active[i] && spi_route[i] == c)
			return i;
	return GIC_SPURIOUS;
}

static void m_cpu_init(unsigned cpu, uint64_t mpidr)
{
	(void)cpu, (void)mpidr;
}
/* GICv2 GICC_IAR: an SGI's source CPU in bits [12:10]. */
static uint32_t m_iar(uint32_t i)
{
	return model_v2 && i < 16 ? i | (uint32_t)pc[cur].sgi_source[i] << 10 : i;
}
/* What the CPU interface is given back must be what it acknowledged: on
 * GICv2 the SGI's source too (GICC_EOIR, GICC_DIR). */
static void check_iar(uint32_t iar)
{
	uint32_t i = iar & 0x3ff;
	if (iar != m_iar(i))
		fail("CPU %u ended 0x%x, acknowledged as 0x%x", cur, iar, m_iar(i));
}
static uint32_t m_ack(void)
{
	uint32_t i = highest(cur);
	if (i < GIC_NR_PRIVATE) {
		pc[cur].ppi_active |= BIT(i);
		pc[cur].sgi_pending &= ~BIT(i);
	} else if (i < GIC_SPURIOUS) {
		spi_active[i] = true;
		spi_pending[i] = false;
	}
	return m_iar(i);
}
static void m_eoi(uint32_t iar)
{
	check_iar(iar);
}
static void end_active(uint32_t intid)
{
	if (intid < GIC_NR_PRIVATE)
		pc[cur].ppi_active &= ~BIT(intid);
	else
		spi_active[intid] = false;
}
static void m_deactivate(uint32_t iar)
{
	check_iar(iar);
	end_active(iar & 0x3ff);
}
static void m_send_sgi(uint64_t mpidr, unsigned cpu, unsigned sgi)
{
	(void)mpidr;
	if (cpu >= NCPU || guest_on(cpu) != guest_on(cur))
		fail("CPU %u sent SGI %u to CPU %u of another guest", cur, sgi, cpu);
	pc[cpu].sgi_pending |= BIT(sgi);
	pc[cpu].sgi_source[sgi & 15] = (uint8_t)cur;
}
static void m_irq_enable(uint32_t intid, uint64_t mpidr, unsigned cpu)
{
	(void)mpidr;
	check_owned(intid);
	if (intid < GIC_NR_PRIVATE) {
		pc[cur].ppi_enabled |= BIT(intid);
	} else {
		if (guest_on(cpu) != guest_on(cur))
			fail("SPI %u routed to CPU %u of another guest", intid, cpu);
		spi_enabled[intid] = true;
		spi_route[intid] = cpu;
	}
}
static void m_irq_disable(uint32_t intid)
{
	check_owned(intid);
	if (intid < GIC_NR_PRIVATE)
		pc[cur].ppi_enabled &= ~BIT(intid);
	else
		spi_enabled[intid] = false;
}
static bool spi_edge[1024];
static void m_irq_set_edge(uint32_t intid, bool edge)
{
	check_owned(intid);
	if (spi_enabled[intid])
		fail("SPI %u reconfigured while enabled (UNPREDICTABLE)", intid);
	spi_edge[intid] = edge;
}
static void m_irq_clear_active(uint32_t intid)
{
	check_owned(intid);
	end_active(intid);
}
static unsigned m_lr_count(void)
{
	return NLR;
}
static void m_lr_write(unsigned i, const struct gic_lr *lr)
{
	CHECK(i < NLR && lr->state);
	pc[cur].lr[i] = *lr;
	pc[cur].eisr &= ~BIT(i);
}
static void m_lr_write_hw(unsigned i, uint32_t intid, uint8_t priority)
{
	/* Only the timers' fast path writes this way: it must never take a
	 * list register while an interrupt of higher priority waits in the
	 * queue for the vCPU (the general path would have given it that
	 * register). */
	const struct vcpu *v = cpus[cur].vcpu;
	for (unsigned w = 0; v && w < VGIC_MAP_WORDS; w++)
		for (uint64_t m = v->vgic.pending_map[w]; m; m &= m - 1) {
			unsigned q = w * 64 + (unsigned)__builtin_ctzll(m);
			const struct virq *irq = q < GIC_NR_PRIVATE ? &v->vgic.priv[q]
								   : &v->guest->vgic.spi[q - 32];
			if (irq->priority < priority)
				fail("the timer fast path took LR %u for INTID %u while INTID %u "
				     "of higher priority waited",
				     i, intid, q);
		}
	/* As drivers/gic.h defines it: the hardware link, or EOI maintenance
	 * with gic_soft_deactivate. */
	struct gic_lr lr = {.vintid = intid,
			    .pintid = gic_soft_deactivate ? 0 : intid,
			    .priority = priority,
			    .hw = !gic_soft_deactivate,
			    .eoi_maint = gic_soft_deactivate,
			    .state = GIC_LR_PENDING};
	m_lr_write(i, &lr);
}
static void m_lr_clear(unsigned i)
{
	CHECK(i < NLR);
	memset(&pc[cur].lr[i], 0, sizeof(pc[cur].lr[i]));
	pc[cur].eisr &= ~BIT(i);
}
/* ICH_ELRSR: invalid, and not waiting for its EOI maintenance. */
static uint32_t m_lr_empty(void)
{
	uint32_t empty = 0;
	for (unsigned i = 0; i < NLR; i++)
		if (!pc[cur].lr[i].state && !(pc[cur].eisr & BIT(i)))
			empty |= BIT(i);
	return empty;
}
static void m_hcr_write(uint32_t hcr)
{
	pc[cur].hcr = hcr;
}
static unsigned m_lr_state(unsigned i)
{
	CHECK(i < NLR);
	return pc[cur].lr[i].state;
}
static void m_vcpu_if_reset(void) {}

static const struct gic_ops model_ops = {
	.cpu_init = m_cpu_init,
	.ack = m_ack,
	.eoi = m_eoi,
	.deactivate = m_deactivate,
	.send_sgi = m_send_sgi,
	.irq_enable = m_irq_enable,
	.irq_disable = m_irq_disable,
	.irq_clear_active = m_irq_clear_active,
	.irq_set_edge = m_irq_set_edge,
	.lr_count = m_lr_count,
	.lr_write = m_lr_write,
	.lr_write_hw = m_lr_write_hw,
	.lr_clear = m_lr_clear,
	.lr_empty = m_lr_empty,
	.hcr_write = m_hcr_write,
	.lr_state = m_lr_state,
	.vcpu_if_reset = m_vcpu_if_reset,
};
const struct gic_ops *gic = &model_ops;
bool gic_soft_deactivate; /* per input: the hardware link, or QEMU GICv2's way */

/* ---- what the rest of the hypervisor provides to the code under test ---- */

static unsigned uart_lines;
static bool trace; /* FUZZ_TRACE=1: print each step (to read a finding) */

void console_stream_write(const char *name, const char *buf, size_t len, bool end_line)
{
	(void)buf, (void)end_line;
	if (strcmp(name, "A"))
		fail("guest %s printed something: only A runs", name);
	if (len > VPL011_LINE)
		fail("a console line of %zu bytes (at most %d)", len, VPL011_LINE);
	uart_lines++;
}

void hyp_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strstr(buf, "did not")) /* a bounded wait ran out (include/wait.h) */
		fail("%s", buf);
}

/* The console UART's interrupt is never raised here. */
unsigned console_mux_irq(void)
{
	return 1023;
}
void console_mux_rx(void)
{
	fail("console_mux_rx");
}
void console_tx_irq(void)
{
	fail("console_tx_irq");
}

/* Every CPU here is dedicated: the EL2 timer of a shared one (hyp/sched.c)
 * never fires. */
void sched_timer_irq(void)
{
	fail("sched_timer_irq");
}

/* No stop or park requests are made here (hyp/vcpu.c acts on them). */
void vcpu_check_requests(struct vcpu *v)
{
	(void)v;
}

/* As hyp/vcpu.c: on for PSCI AFFINITY_INFO while running or asked to park. */
bool vcpu_is_on(const struct vcpu *v)
{
	uint32_t s = __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
	return s == VCPU_RUNNING || s == VCPU_PARK_REQ;
}

static unsigned wfe_depth;

/* Interrupts every CPU of A would take now; a CPU that keeps taking them
 * is an interrupt storm. */
static void run_interrupts(void)
{
	unsigned self = cur;
	for (unsigned round = 0;; round++) {
		bool any = false;
		for (unsigned c = 0; c < NCPU; c++) {
			if (c == self && wfe_depth)
				continue; /* the waiting CPU runs on after its WFE */
			struct vcpu *v = cpus[c].vcpu;
			if (!v || v->guest != A || highest(c) >= GIC_SPURIOUS)
				continue;
			any = true;
			cur = c;
			if (vcpu_is_on(v))
				handle_guest_irq();
			else
				irq_handle_pending(v, false);
		}
		cur = self;
		if (!any)
			return;
		if (round == 1000)
			fail("an interrupt keeps firing on CPU %u: %u", self, highest(self));
	}
}

/* A vCPU that a reset (another vCPU's) parks while the CPU that runs now
 * waits for it: at this wait it leaves its guest (vcpu_park: leave only)
 * instead of answering the doorbell. */
static struct vcpu *parks_at_wait;

void host_wfe(void)
{
	if (++wfe_depth > 4)
		fail("waits nested %u deep", wfe_depth);
	counter += 1000;
	if (parks_at_wait) {
		struct vcpu *t = parks_at_wait;
		unsigned self = cur;
		parks_at_wait = NULL;
		cur = t->pcpu;
		t->state = VCPU_OFF;
		vgic_cpu_leave(t);
		cur = self;
	}
	run_interrupts();
	wfe_depth--;
}

/* ---- the guests ---- */

static void start_vcpu(struct vcpu *v)
{
	cur = v->pcpu;
	cpus[cur].vcpu = v;
	v->state = VCPU_RUNNING;
	vgic_cpu_reset(v);
}

static void setup_guest(struct guest *g, struct guest_config *c, unsigned nvcpus,
			unsigned first_cpu, enum gic_version version)
{
	struct virq *spi = g->vgic.spi;
	unsigned nr = g->vgic.nr_irqs;
	memset(g, 0, sizeof(*g));
	g->vgic.spi = spi, g->vgic.nr_irqs = nr;
	g->cfg = c, g->name = c->name, g->nvcpus = nvcpus;
	g->vgic.version = version;
	for (unsigned i = 0; i < nvcpus; i++)
		g->vcpus[i] = (struct vcpu){.guest = g, .id = i, .pcpu = first_cpu + i};
	struct vpl011 *u = uart_of(g);
	vpl011_init(u, g, g->name, VGIC_UART_INTID);
	g->emu[g->nemu++] = (struct emu_region){.base = DEFAULT_CONSOLE_IPA,
						.size = VPL011_SIZE,
						.read = vpl011_read,
						.write = vpl011_write,
						.dev = u};
	if (version == GIC_V3) {
		g->emu[g->nemu++] = (struct emu_region){.base = VGIC_GICD_IPA, .size = VGIC_GICD_SIZE, .read = vgicd_v3_read, .write = vgicd_v3_write, .dev = g};
		g->emu[g->nemu++] = (struct emu_region){.base = VGIC_GICR_IPA, .size = nvcpus * GICR_STRIDE, .read = vgicr_read, .write = vgicr_write, .dev = g};
	} else {
		g->emu[g->nemu++] = (struct emu_region){.base = VGIC_GICD_IPA, .size = VGIC_GICD_SIZE, .read = vgicd_v2_read, .write = vgicd_v2_write, .dev = g};
	}
	cur = first_cpu;
	cpus[cur].vcpu = &g->vcpus[0];
	vgic_guest_init(g);
	for (unsigned i = 0; i < nvcpus; i++)
		start_vcpu(&g->vcpus[i]);
}

/* Everything of B and of its CPU, to see that A's steps never change it. */
struct b_view {
	struct guest g;
	struct virq spi[64 - GIC_NR_PRIVATE];
	struct pcpu cpu;
	bool spi_enabled, spi_active, spi_pending;
	unsigned spi_route;
};

static void view_b(struct b_view *s)
{
	memset(s, 0, sizeof(*s));
	memcpy(&s->g, B, sizeof(*B));
	memcpy(s->spi, B->vgic.spi, sizeof(s->spi));
	memcpy(&s->cpu, &pc[B_CPU], sizeof(s->cpu));
	unsigned b_spi = cfg_b.irqs[0];
	s->spi_enabled = spi_enabled[b_spi], s->spi_active = spi_active[b_spi];
	s->spi_pending = spi_pending[b_spi], s->spi_route = spi_route[b_spi];
}

/* ---- the invariants ---- */

static void check_lrs(void)
{
	for (unsigned k = 0; k < MAX_GUEST_CPUS; k++) {
		struct vcpu *v = &A->vcpus[k];
		struct vgic_cpu *vc = &v->vgic;
		if (k >= A->nvcpus) {
			for (unsigned w = 0; w < VGIC_MAP_WORDS; w++)
				CHECK(!vc->pending_map[w]);
			CHECK(!vc->lr_used);
			continue;
		}
		for (unsigned w = 0; w < VGIC_MAP_WORDS; w++) {
			for (uint64_t m = vc->pending_map[w]; m; m &= m - 1)
				CHECK(w * 64 + (unsigned)__builtin_ctzll(m) < A->vgic.nr_irqs);
			CHECK(!vc->pending_map[w] == !(vc->queued & BIT(w)));
		}
		/* The timers' fast path is allowed only where the general one
		 * would put the PPI straight into a list register. A write
		 * posted to a live vCPU's timer PPIs is applied before the
		 * writer goes on. */
		static const unsigned timers[] = {INTID_VTIMER, INTID_PTIMER};
		for (unsigned t = 0; t < 2; t++) {
			const struct virq *irq = &vc->priv[timers[t]];
			if (vc->timer_fast & BIT(timers[t]))
				CHECK(irq->hw && irq->enabled && !irq->active && !irq->lr_dirty &&
				      (A->vgic.ctlr & (GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1)));
		}
		CHECK(!vc->posted);
		CHECK(vc->live == vcpu_is_on(v));
		struct pcpu *p = &pc[v->pcpu];
		CHECK(vc->lr_used < BIT(NLR));
		for (unsigned i = 0; i < NLR; i++) {
			const struct gic_lr *lr = &p->lr[i];
			if (!(vc->lr_used & BIT(i))) {
				if (lr->state)
					fail("vCPU %u LR%u holds INTID %u the vGIC does not know "
					     "of",
					     k, i, lr->vintid);
				continue;
			}
			unsigned intid = vc->lr_intid[i];
			CHECK(intid < A->vgic.nr_irqs);
			struct virq *irq = intid < GIC_NR_PRIVATE ? &vc->priv[intid]
								  : &A->vgic.spi[intid - 32];
			if (!irq->in_lr || irq->lr_vcpu != k || irq->lr != i)
				fail("vCPU %u LR%u: INTID %u thinks it is elsewhere", k, i, intid);
			if (lr->state) {
				if (lr->vintid != intid ||
				    lr->hw != (irq->hw && !gic_soft_deactivate))
					fail("vCPU %u LR%u: INTID %u hw=%d eoi=%d, the vGIC holds "
					     "%u hw=%d",
					     k, i, lr->vintid, lr->hw, lr->eoi_maint, intid,
					     irq->hw);
				if (irq->hw && gic_soft_deactivate)
					CHECK(lr->eoi_maint); /* its end comes back to us */
				if (lr->hw) {
					CHECK(lr->pintid == irq->hw_intid);
					CHECK(lr->state != (GIC_LR_PENDING | GIC_LR_ACTIVE));
				}
			}
			for (unsigned j = 0; j < i; j++)
				if (lr->state && p->lr[j].state && p->lr[j].vintid == lr->vintid)
					fail("vCPU %u: INTID %u in LR%u and LR%u", k, intid, j, i);
		}
	}
	/* Every interrupt that says it sits in a list register does. */
	for (unsigned intid = 0; intid < A->vgic.nr_irqs; intid++) {
		for (unsigned k = 0; k < A->nvcpus; k++) {
			struct virq *irq = intid < GIC_NR_PRIVATE ? &A->vcpus[k].vgic.priv[intid]
								  : &A->vgic.spi[intid - 32];
			if (irq->in_lr) {
				CHECK(irq->lr_vcpu < A->nvcpus && irq->lr < NLR);
				struct vgic_cpu *o = &A->vcpus[irq->lr_vcpu].vgic;
				CHECK((o->lr_used & BIT(irq->lr)) && o->lr_intid[irq->lr] == intid);
			}
			if (intid >= GIC_NR_PRIVATE)
				break;
		}
	}
	/* A forwarded interrupt active at the GIC ends when the guest ends it:
	 * so a list register holds it, with the hardware link, or it waits,
	 * pending, for the guest to let it in (a disabled distributor). */
	for (unsigned i = 0; i < cfg_a.nirqs; i++) {
		unsigned intid = cfg_a.irqs[i];
		if (!spi_active[intid])
			continue;
		bool held = false;
		for (unsigned c = 0; c < A->nvcpus; c++)
			for (unsigned l = 0; l < NLR; l++)
				held |= pc[c].lr[l].state &&
					(gic_soft_deactivate
						 ? pc[c].lr[l].vintid == intid
						 : pc[c].lr[l].hw && pc[c].lr[l].pintid == intid);
		if (!held && !A->vgic.spi[intid - 32].pending)
			fail("physical SPI %u stays active: no list register will end it", intid);
	}
	for (unsigned c = 0; c < A->nvcpus; c++) {
		if (!vcpu_is_on(&A->vcpus[c]))
			continue;
		static const unsigned timers[] = {INTID_VTIMER, INTID_PTIMER};
		for (unsigned t = 0; t < 2; t++) {
			if (!(pc[c].ppi_active & BIT(timers[t])))
				continue;
			bool held = false;
			for (unsigned l = 0; l < NLR; l++)
				held |= pc[c].lr[l].state &&
					(gic_soft_deactivate
						 ? pc[c].lr[l].vintid == timers[t]
						 : pc[c].lr[l].hw &&
							   pc[c].lr[l].pintid == timers[t]);
			if (!held && !A->vcpus[c].vgic.priv[timers[t]].pending)
				fail("CPU %u timer PPI %u stays active: no list register ends it",
				     c, timers[t]);
		}
	}
}

static void check_uart(void)
{
	struct vpl011 *u = uart_of(A);
	CHECK(u->rx_count <= VPL011_RX_FIFO && u->rx_head < VPL011_RX_FIFO);
	CHECK(u->len < VPL011_LINE);
	/* The line the vGIC sees is the UART's masked interrupt status. */
	uint32_t ris =
		(PL011_INT_TX & ~u->ris_cleared) | (u->rx_count ? PL011_INT_RX | PL011_INT_RT : 0);
	CHECK(A->vgic.spi[VGIC_UART_INTID - 32].level == ((ris & u->imsc) != 0));
}

#undef CHECK
#define CHECK(cond)                                                                           \
	do {                                                                                  \
		if (!(cond))                                                                  \
			fail("read of 0x%llx (%u bytes) gave 0x%llx: not %s",                 \
			     (unsigned long long)ipa, width, (unsigned long long)val, #cond); \
	} while (0)

/* What a read may return (GICv3 12.9 / 12.11, GICv2 4.3, PL011 TRM 3.3). */
static void check_read(uint64_t ipa, unsigned width, uint64_t val)
{
	const struct vpl011 *u = uart_of(A);
	if (ipa - DEFAULT_CONSOLE_IPA < VPL011_SIZE) {
		uint64_t off = ipa - DEFAULT_CONSOLE_IPA;
		if (off == PL011_FR) {
			CHECK(val & PL011_FR_TXFE);
			CHECK(!(val & (PL011_FR_TXFF | PL011_FR_BUSY)));
			CHECK(!!(val & PL011_FR_RXFE) == !u->rx_count);
		}
		if (off == PL011_RIS || off == PL011_MIS)
			CHECK(!(val & ~0x7ffULL));
		if (off == PL011_MIS)
			CHECK(!(val & ~(uint64_t)u->imsc));
		return;
	}
	if (A->vgic.version == GIC_V3 && ipa - VGIC_GICR_IPA < A->nvcpus * GICR_STRIDE) {
		/* The SGI frame has only the SGI/PPI registers: the rest of the
		 * distributor-like block is reserved, RAZ (GICv3 12.10). */
		uint64_t off = (ipa - VGIC_GICR_IPA) % GICR_STRIDE;
		if (off >= GICR_SGI_BASE + GICD_IGROUPR && off < GICR_SGI_BASE + GICD_IGRPMODR) {
			off -= GICR_SGI_BASE;
			bool private = (off < GICD_IPRIORITYR && (off & 0x7f) < 4) ||
				       (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32) ||
				       (off >= GICD_ICFGR && off < GICD_ICFGR + 8);
			if (!private)
				CHECK(val == 0);
		}
		return;
	}
	if (ipa - VGIC_GICD_IPA >= VGIC_GICD_SIZE || width != 4 || (ipa & 3))
		return;
	uint64_t off = ipa - VGIC_GICD_IPA;
	unsigned nr = A->vgic.nr_irqs;
	if (off == GICD_TYPER) {
		CHECK((val & 0x1f) == nr / 32 - 1);
		CHECK(((val >> 5) & 7) == A->nvcpus - 1);
	}
	if (off == GICD_CTLR)
		CHECK(!(val & ~(A->vgic.version == GIC_V3 ? 0x53ULL : 0x1ULL)));
	if (off >= GICD_ISENABLER && off < GICD_IPRIORITYR && (unsigned)(off & 0x7f) * 8 >= nr)
		CHECK(val == 0); /* INTIDs the distributor does not implement */
	if (off == GICD_ICFGR && A->vgic.version == GIC_V2)
		CHECK(val == 0xaaaaaaaa); /* SGIs: edge, read-only */
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 1024 && off - GICD_IPRIORITYR >= nr)
		CHECK(val == 0);
}

#undef CHECK
#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond))                                               \
			fail("not %s (%s:%d)", #cond, __FILE__, __LINE__); \
	} while (0)

/* ---- the steps ---- */

static const uint64_t gicd_regs[] = {GICD_CTLR,
				     GICD_TYPER,
				     GICD_IIDR,
				     GICD_IGROUPR,
				     GICD_ISENABLER,
				     GICD_ICENABLER,
				     GICD_ISPENDR,
				     GICD_ICPENDR,
				     GICD_ISACTIVER,
				     GICD_ICACTIVER,
				     GICD_IPRIORITYR,
				     GICD_ITARGETSR,
				     GICD_ICFGR,
				     GICD_SGIR,
				     GICD_CPENDSGIR,
				     GICD_SPENDSGIR,
				     GICD_IROUTER + 32 * 8,
				     GICD_PIDR2,
				     GICD_IGRPMODR};
static const uint64_t uart_regs[] = {
	PL011_DR,   PL011_FR,  PL011_IBRD, PL011_FBRD, PL011_LCR_H, PL011_CR,	     PL011_IFLS,
	PL011_IMSC, PL011_RIS, PL011_MIS,  PL011_ICR,  PL011_DMACR, PL011_PERIPHID0, PL011_CELLID0};

static void step_mmio(struct fuzz_in *in, struct vcpu *v)
{
	uint64_t ipa;
	unsigned where = fuzz_pick(in, 8);
	if (where < 3)
		ipa = VGIC_GICD_IPA + gicd_regs[fuzz_pick(in, N(gicd_regs))] +
		      fuzz_pick(in, 32) * 4;
	else if (where < 5)
		ipa = VGIC_GICR_IPA + fuzz_pick(in, 4) * GICR_STRIDE +
		      (fuzz_u8(in) & 1) * GICR_SGI_BASE + gicd_regs[fuzz_pick(in, N(gicd_regs))] +
		      fuzz_pick(in, 4) * 4;
	else if (where < 7)
		ipa = DEFAULT_CONSOLE_IPA + uart_regs[fuzz_pick(in, N(uart_regs))] +
		      fuzz_pick(in, 4) * 4;
	else
		ipa = VGIC_WINDOW_IPA + (fuzz_u32(in) & 0x3fffff);
	if (fuzz_u8(in) < 32)
		ipa += fuzz_pick(in, 8); /* unaligned */
	unsigned sas = fuzz_pick(in, 4), rt = fuzz_pick(in, 32);
	bool write = fuzz_u8(in) & 1, sf = fuzz_u8(in) & 1, sse = !write && (fuzz_u8(in) & 1);
	uint64_t esr = (uint64_t)EC_DABT_LOW << ESR_EC_SHIFT | ESR_IL | DABT_ISV |
		       (uint64_t)sas << DABT_SAS_SHIFT | (uint64_t)rt << DABT_SRT_SHIFT |
		       (sse ? DABT_SSE : 0) | (sf ? DABT_SF : 0) | (write ? DABT_WNR : 0);
	if (fuzz_u8(in) < 8)
		esr ^= (uint64_t)fuzz_u32(in) << 5; /* any syndrome the CPU might give */
	rt = (esr >> DABT_SRT_SHIFT) & 31;
	write = esr & DABT_WNR;

	struct gp_regs r;
	for (unsigned i = 0; i < 31; i++)
		r.x[i] = 0x1111111111111111ULL * (i + 1);
	r.x[31] = 0; /* xzr, as the vectors store it */
	if (write && rt < 31)
		r.x[rt] = fuzz_u64(in);
	struct gp_regs before = r;
	cur = v->pcpu;
	write_sysreg(esr_el2, esr);
	write_sysreg(far_el2, ipa);
	write_sysreg(hpfar_el2, (ipa >> 12) << 4);
	write_sysreg(elr_el2, 0x80000);
	write_sysreg(spsr_el2, SPSR_M_EL1H);
	write_sysreg(vbar_el1, 0x100000);
	if (trace)
		fprintf(stderr, "  vCPU %u %s 0x%llx esr 0x%llx value 0x%llx\n", v->id,
			esr & DABT_WNR ? "writes" : "reads", (unsigned long long)ipa,
			(unsigned long long)esr, (unsigned long long)(rt < 31 ? r.x[rt] : 0));
	handle_guest_dabt(&r, esr);

	/* Either the access was emulated and the instruction skipped, or
	 * the guest got an external abort at its vector. */
	uint64_t elr = read_sysreg(elr_el2), skipped = 0x80000 + (esr & ESR_IL ? 4 : 2);
	CHECK(elr == skipped || elr == 0x100200);
	for (unsigned i = 0; i < 31; i++)
		if (i != ((esr >> DABT_SRT_SHIFT) & 31) || elr != skipped || (esr & DABT_WNR))
			CHECK(r.x[i] == before.x[i]);
	if (elr == skipped && !(esr & DABT_WNR) && rt < 31) {
		unsigned width = 1u << ((esr >> DABT_SAS_SHIFT) & 3);
		if (!(esr & DABT_SF))
			CHECK(r.x[rt] >> 32 == 0);
		if (!(esr & DABT_SSE) && width < 8)
			CHECK(r.x[rt] >> (8 * width) == 0);
		check_read(ipa, width, width == 8 ? r.x[rt] : r.x[rt] & (BIT(8 * width) - 1));
	}
}

/* The guest acknowledges (IAR) what its virtual CPU interface signals:
 * the pending list register of highest priority. */
static void step_ack(struct vcpu *v)
{
	struct pcpu *p = &pc[v->pcpu];
	int best = -1;
	for (unsigned i = 0; i < NLR; i++)
		if (p->lr[i].state == GIC_LR_PENDING &&
		    (best < 0 || p->lr[i].priority < p->lr[best].priority))
			best = (int)i;
	if (best >= 0)
		p->lr[best].state = GIC_LR_ACTIVE;
}

/* The guest deactivates (EOIR/DIR) an active interrupt: with the hardware
 * link, the physical one is deactivated too; with EOI maintenance asked,
 * the GIC raises a maintenance interrupt. */
static void step_eoi(struct fuzz_in *in, struct vcpu *v)
{
	struct pcpu *p = &pc[v->pcpu];
	unsigned i = fuzz_pick(in, NLR);
	struct gic_lr *lr = &p->lr[i];
	if (!(lr->state & GIC_LR_ACTIVE))
		return;
	lr->state &= ~GIC_LR_ACTIVE;
	if (lr->hw) {
		if (lr->pintid < GIC_NR_PRIVATE)
			p->ppi_active &= ~BIT(lr->pintid);
		else
			spi_active[lr->pintid] = false;
	}
	if (!lr->state && lr->eoi_maint)
		p->eisr |= BIT(i);
}

/* The timers' fast path behind a queue (GICv3, hardware link): v's timer
 * is in a list register, taken (active); its other list registers fill
 * with low-priority SGIs; an SPI of higher priority than the timer comes
 * and, no list register being free, waits in v's queue; the guest ends the
 * timer (no exit: the hardware link) and the timer fires again. Its list
 * register is free now, but the SPI must have it first (the GIC model's
 * lr_write_hw check). */
static void step_timer_behind_queue(struct vcpu *v)
{
	struct guest *g = v->guest;
	struct vcpu *o = NULL;
	for (unsigned k = 0; k < g->nvcpus; k++)
		if (k != v->id && vcpu_is_on(&g->vcpus[k]))
			o = &g->vcpus[k];
	if (g->vgic.version != GIC_V3 || gic_soft_deactivate || !vcpu_is_on(v) || !o)
		return;
	struct pcpu *p = &pc[v->pcpu];
	uint64_t sgi_frame = v->id * GICR_STRIDE + GICR_SGI_BASE;
	cur = v->pcpu;
	/* Priorities: the SGIs 8-11 lowest, the timer in between, SPI 60 the
	 * highest; SPI 60 routed to v. */
	vgicr_write(v, g, sgi_frame + GICD_IPRIORITYR + 8, 4, 0xf0f0f0f0);
	vgicr_write(v, g, sgi_frame + GICD_IPRIORITYR + 24, 4, 0xa0a0a0a0);
	vgicd_v3_write(v, g, GICD_IPRIORITYR + 60, 4, 0x10101010);
	vgicd_v3_write(v, g, GICD_IROUTER + 60 * 8, 8, v->id);
	write_sysreg(cntv_ctl_el0, 5); /* enabled, condition met */
	run_interrupts();
	int t = -1;
	for (unsigned i = 0; i < NLR; i++)
		if (p->lr[i].vintid == INTID_VTIMER && p->lr[i].state == GIC_LR_PENDING)
			t = (int)i;
	if (t < 0)
		return;
	p->lr[t].state = GIC_LR_ACTIVE; /* the guest takes it */
	cur = o->pcpu;
	for (unsigned k = 0; k < NLR - 1; k++) {
		vgic_v3_sgi(o, (uint64_t)(8 + k) << 24 | BIT(v->id));
		run_interrupts();
	}
	vgicd_v3_write(o, g, GICD_ISPENDR + 4, 4, BIT(60 - 32));
	run_interrupts();
	/* The guest ends the timer: the hardware link deactivates the PPI. */
	p->lr[t].state = 0;
	p->ppi_active &= ~BIT(INTID_VTIMER);
	cur = v->pcpu;
	run_interrupts(); /* the timer, still due, fires again */
}

static void step_cpu_off_on(struct vcpu *v)
{
	cur = v->pcpu;
	if (vcpu_is_on(v)) {
		v->state = VCPU_OFF;
		vgic_cpu_off(v);
		vgic_cpu_leave(v); /* vcpu_park */
	} else {
		start_vcpu(v);
	}
}

/* A vCPU that has left its guest, by whichever path, holds no write
 * another vCPU posted to its timers' interrupts: it was applied as it
 * left (nothing would apply it later). */
static void check_left(void)
{
	for (unsigned k = 0; k < A->nvcpus; k++) {
		const struct vgic_cpu *vc = &A->vcpus[k].vgic;
		if (!vc->live && vc->posted)
			fail("vCPU %u left its guest with a posted timer-PPI write unapplied", k);
	}
}

/* v writes another vCPU's timer-PPI enable through that vCPU's
 * redistributor (a posted write, applied by the owner) just as a reset
 * parks the owner: the owner leaves its guest while v waits, and must
 * apply the write as it leaves (else v's write is lost). */
static void step_post_then_park(struct fuzz_in *in, struct vcpu *v)
{
	unsigned t = fuzz_pick(in, A->nvcpus);
	struct vcpu *owner = &A->vcpus[t];
	if (owner == v || !vcpu_is_on(owner))
		return;
	uint64_t reg = fuzz_u8(in) & 1 ? GICD_ISENABLER : GICD_ICENABLER;
	parks_at_wait = owner;
	cur = v->pcpu;
	vgicr_write(v, A, t * GICR_STRIDE + GICR_SGI_BASE + reg, 4,
		    BIT(fuzz_u8(in) & 1 ? INTID_VTIMER : INTID_PTIMER));
	if (parks_at_wait) { /* the write did not wait: the owner parks now */
		parks_at_wait = NULL;
		cur = owner->pcpu;
		owner->state = VCPU_OFF;
		vgic_cpu_leave(owner);
	}
	check_left();
}

/* SYSTEM_RESET (hyp/guest.c guest_reset) by vCPU `by`: it switches itself
 * off (vgic_cpu_off, then leaves); every other vCPU is parked, leaving
 * without CPU_OFF (vcpu_park: vgic_cpu_leave only); the distributor and
 * UART start afresh, the boot vCPU starts again. */
static void step_reset(unsigned by)
{
	for (unsigned k = 0; k < A->nvcpus; k++) {
		struct vcpu *v = &A->vcpus[k];
		cur = v->pcpu;
		if (vcpu_is_on(v)) {
			v->state = VCPU_OFF;
			if (k == by)
				vgic_cpu_off(v);
			vgic_cpu_leave(v);
		}
	}
	check_left();
	cur = A->vcpus[0].pcpu;
	vpl011_flush(uart_of(A)); /* a line cut short, as guest_reset and guest_stop print it */
	vgic_guest_init(A);
	vpl011_reset(uart_of(A));
	start_vcpu(&A->vcpus[0]);
}

/* What a booted kernel has done by now: distributor on, every interrupt
 * enabled (through the same emulation a guest's writes reach), so that
 * short inputs already get interrupts into list registers. */
static void boot_guest(struct guest *g)
{
	for (unsigned k = 0; k < g->nvcpus; k++) {
		struct vcpu *v = &g->vcpus[k];
		cur = v->pcpu;
		if (g->vgic.version == GIC_V3) {
			uint64_t frame = k * GICR_STRIDE + GICR_SGI_BASE;
			vgicr_write(v, g, k * GICR_STRIDE + GICR_WAKER, 4, 0);
			vgicr_write(v, g, frame + GICD_ISENABLER, 4, ~0u);
		} else {
			vgicd_v2_write(v, g, GICD_ISENABLER, 4, ~0u);
		}
	}
	struct vcpu *v = &g->vcpus[0];
	cur = v->pcpu;
	/* A's SPI 41 is an edge (a pulse interrupt, an MSI): the guest's
	 * setting reaches the GIC and reads back (Linux checks it does). */
	if (g == A) {
		uint64_t icfgr = GICD_ICFGR + 41 / 16 * 4;
		uint32_t edge41 = BIT(2 * (41 % 16) + 1);
		uint64_t (*rd)(struct vcpu *, void *, uint64_t, unsigned) =
			g->vgic.version == GIC_V3 ? vgicd_v3_read : vgicd_v2_read;
		void (*wr)(struct vcpu *, void *, uint64_t, unsigned, uint64_t) =
			g->vgic.version == GIC_V3 ? vgicd_v3_write : vgicd_v2_write;
		wr(v, g, icfgr, 4, rd(v, g, icfgr, 4) | edge41);
		if (!(rd(v, g, icfgr, 4) & edge41) || !spi_edge[41] || spi_edge[40])
			fail("a forwarded SPI's edge setting did not reach the GIC or read back");
	}
	for (unsigned w = 1; w < g->vgic.nr_irqs / 32; w++) {
		if (g->vgic.version == GIC_V3)
			vgicd_v3_write(v, g, GICD_ISENABLER + 4 * w, 4, ~0u);
		else
			vgicd_v2_write(v, g, GICD_ISENABLER + 4 * w, 4, ~0u);
	}
	if (g->vgic.version == GIC_V3)
		vgicd_v3_write(v, g, GICD_CTLR, 4, GICD_CTLR_ENABLE_G1 | GICD_CTLR_ARE);
	else
		vgicd_v2_write(v, g, GICD_CTLR, 4, 1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	/* The distributors' SPI state comes from a pool that lives as long
	 * as the hypervisor: taken once. */
	trace = getenv("FUZZ_TRACE") != NULL;
	if (vgic_create(A, 96) < 0 || vgic_create(B, 64) < 0)
		abort();
	/* A guest refused after its distributor was made gives its SPIs
	 * back (guest_create's unwinding): two shares of 992 do not fit
	 * beside A's and B's, one after the other's refusal does. */
	static struct guest refused;
	for (int i = 0; i < 2; i++) {
		if (vgic_create(&refused, 1024) < 0)
			abort();
		vgic_destroy(&refused);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	memset(pc, 0, sizeof(pc));
	memset(cpus, 0, sizeof(cpus));
	memset(spi_enabled, 0, sizeof(spi_enabled));
	memset(spi_active, 0, sizeof(spi_active));
	memset(spi_pending, 0, sizeof(spi_pending));
	memset(spi_route, 0, sizeof(spi_route));
	unsigned how = fuzz_u8(&in);
	enum gic_version version = how & 1 ? GIC_V3 : GIC_V2;
	model_v2 = version == GIC_V2;
	gic_soft_deactivate = version == GIC_V2 && (how & 4);
	setup_guest(A, &cfg_a, 1 + fuzz_pick(&in, 3), 0, version);
	if (how & 2)
		boot_guest(A);
	setup_guest(B, &cfg_b, 1, B_CPU, version);
	static struct b_view b0, b1;
	view_b(&b0);

	for (unsigned steps = 0; in.n && steps < 256; steps++) {
		struct vcpu *v = &A->vcpus[fuzz_pick(&in, A->nvcpus)];
		unsigned op = fuzz_pick(&in, 16);
		if (trace)
			fprintf(stderr, "step %u: vCPU %u op %u\n", steps, v->id, op);
		if (op < 6 && vcpu_is_on(v))
			step_mmio(&in, v);
		else if (op < 8 && vcpu_is_on(v))
			step_ack(v);
		else if (op < 10 && vcpu_is_on(v))
			step_eoi(&in, v);
		else if (op == 10) { /* the guest programs its EL1 timers */
			static const uint64_t ctl[] = {5, 0, 7, 1, 4};
			cur = v->pcpu;
			write_sysreg(cntv_ctl_el0, ctl[fuzz_pick(&in, 5)]);
			write_sysreg(cntp_ctl_el0, ctl[fuzz_pick(&in, 5)]);
		} else if (op == 11) { /* a device raises its SPI (B's too) */
			static const unsigned spis[] = {40, 41, 50};
			unsigned s = spis[fuzz_pick(&in, 3)];
			if (s != cfg_b.irqs[0])
				spi_pending[s] = true;
		} else if (op == 12 && vcpu_is_on(v) && version == GIC_V3) {
			cur = v->pcpu;
			vgic_v3_sgi(v, fuzz_u64(&in)); /* ICC_SGI1R_EL1, trapped */
		} else if (op == 13 && v->id) {
			step_cpu_off_on(v);
		} else if (op == 14) {
			cur = 0;
			vpl011_receive(uart_of(A), fuzz_u8(&in));
		} else if (op == 15) {
			/* The rarer events share one op, so that the committed
			 * corpus decodes as it always has: a reset, and at the
			 * top of the byte's range the two built interleavings. */
			uint8_t b = fuzz_u8(&in);
			if (b < 16)
				step_reset(v->id);
			else if (b >= 248)
				step_timer_behind_queue(v);
			else if (b >= 240 && vcpu_is_on(v) && version == GIC_V3)
				step_post_then_park(&in, v);
		}
		run_interrupts();
		check_lrs();
		check_uart();
		view_b(&b1);
		if (memcmp(&b0, &b1, sizeof(b0)))
			fail("guest B's state changed by guest A's step %u (op %u)", steps, op);
	}
	return 0;
}
