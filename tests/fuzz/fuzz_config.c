/* Config parsing and validation, as the hypervisor runs them at boot
 * (hyp/main.c create_guests): the first input byte chooses a config tree
 * generated from the rest (well-formed, random values) or the rest as a
 * raw, possibly corrupt, blob. Every guest accepted must then satisfy what
 * docs/config.md promises, checked here independently of hyp/config/config.c. */
#include <stdio.h>

#include "hyp/config/devices.h"
#include "hyp/vgic/vgic_layout.h"
#include "tests/fuzz/gen_config.h"

typedef unsigned __int128 u128;

static uint8_t host_fdt[16384];
static const struct host_range owned[] = {
	{0x40000000, 0x100000000, "host RAM", NULL},
	{0x9000000, 0x1000, "the hypervisor's UART", NULL},
	{0x8000000, 0x10000, "the GIC distributor", NULL},
	{0x80a0000, 0xf60000, "the GIC redistributors", NULL},
};
static const struct config_limits lim = {.max_ipa_bits = 48,
					 .pa_bits = 44,
					 .ncpus = 4,
					 .owned = owned,
					 .nowned = N(owned),
					 .uart_irq = 33,
					 .nr_irqs = 288};

#define CHECK(cond)                                                                    \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "guest %s accepted but %s\n", g->name, #cond); \
			abort();                                                       \
		}                                                                      \
	} while (0)

static bool disjoint(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
	return (u128)a + asz <= b || (u128)b + bsz <= a;
}

static bool inside(uint64_t base, uint64_t size, unsigned bits)
{
	return size && (u128)base + size <= (u128)1 << bits;
}

static void check_accepted(const struct guest_config *g, const struct guest_config *const *prev,
			   unsigned nprev)
{
	CHECK(!g->error[0]);
	CHECK(g->ipa_bits >= 32 && g->ipa_bits <= lim.max_ipa_bits);
	CHECK(g->ram_ipa % 4096 == 0 && g->ram_size % 4096 == 0);
	CHECK(inside(g->ram_ipa, g->ram_size, g->ipa_bits));
	CHECK(g->kernel && g->kernel_size > 0 && g->kernel_size <= g->ram_size);
	CHECK(g->console_ipa % 4096 == 0 && inside(g->console_ipa, VPL011_SIZE, g->ipa_bits));
	CHECK(disjoint(g->ram_ipa, g->ram_size, VGIC_WINDOW_IPA, VGIC_WINDOW_SIZE));
	CHECK(disjoint(g->console_ipa, VPL011_SIZE, VGIC_WINDOW_IPA, VGIC_WINDOW_SIZE));
	CHECK(disjoint(g->console_ipa, VPL011_SIZE, g->ram_ipa, g->ram_size));
	CHECK(g->ncpus >= 1 && g->ncpus <= MAX_GUEST_CPUS && g->nmmio <= MAX_PASSTHROUGH);
	/* CPUs may be shared (hyp/sched.c), up to MAX_VCPUS_PER_CPU vCPUs
	 * each over every accepted guest; slices and priorities in range. */
	CHECK(g->time_slice_us >= MIN_TIME_SLICE_US && g->time_slice_us <= MAX_TIME_SLICE_US);
	CHECK(g->priority <= MAX_PRIORITY);
	for (unsigned i = 0; i < g->ncpus; i++) {
		unsigned on = 0;
		CHECK(g->cpus[i] < lim.ncpus);
		for (unsigned j = 0; j < g->ncpus; j++)
			on += g->cpus[j] == g->cpus[i];
		for (unsigned k = 0; k < nprev; k++)
			for (unsigned j = 0; j < prev[k]->ncpus; j++)
				on += prev[k]->cpus[j] == g->cpus[i];
		CHECK(on <= MAX_VCPUS_PER_CPU);
	}
	for (unsigned i = 0; i < g->nirqs; i++) {
		CHECK(g->irqs[i] >= 32 && g->irqs[i] < lim.nr_irqs);
		CHECK(g->irqs[i] != VGIC_UART_INTID && g->irqs[i] != lim.uart_irq);
		for (unsigned j = 0; j < i; j++)
			CHECK(g->irqs[i] != g->irqs[j]);
		for (unsigned k = 0; k < nprev; k++)
			for (unsigned j = 0; j < prev[k]->nirqs; j++)
				CHECK(g->irqs[i] != prev[k]->irqs[j]);
	}
	/* Bus masters (the host tree's virtio transports and the SD
	 * controller behind dma-ranges, or what dma-devices names) only for
	 * a direct-mapped guest, whose RAM the controller's DMA reaches. */
	for (unsigned i = 0; i < g->ndevices; i++) {
		const char *d = g->devices[i].name;
		bool master = strstr(d, "virtio") || strstr(d, "dmabus") || g->devices[i].dma_listed;
		CHECK(!master || g->direct_map);
		if (strstr(d, "dmabus"))
			CHECK((u128)g->ram_ipa + g->ram_size <= 0x40000000);
	}
	for (unsigned i = 0; i < g->nmmio; i++) {
		const struct passthrough *m = &g->mmio[i];
		CHECK(m->size && (m->ipa | m->pa | m->size) % 4096 == 0);
		CHECK(inside(m->pa, m->size, lim.pa_bits));
		CHECK(inside(m->ipa, m->size, g->ipa_bits));
		for (unsigned j = 0; j < lim.nowned; j++)
			CHECK(disjoint(m->pa, m->size, owned[j].base, owned[j].size));
		CHECK(disjoint(m->ipa, m->size, g->ram_ipa, g->ram_size));
		CHECK(disjoint(m->ipa, m->size, g->console_ipa, VPL011_SIZE));
		CHECK(disjoint(m->ipa, m->size, VGIC_WINDOW_IPA, VGIC_WINDOW_SIZE));
		for (unsigned j = 0; j < i; j++)
			CHECK(disjoint(m->ipa, m->size, g->mmio[j].ipa, g->mmio[j].size));
		for (unsigned k = 0; k < nprev; k++)
			for (unsigned j = 0; j < prev[k]->nmmio; j++)
				CHECK(disjoint(m->pa, m->size, prev[k]->mmio[j].pa,
					       prev[k]->mmio[j].size));
	}
}

/* FUZZ_STATS=1: how many guests passed validation (a generator that never
 * makes a valid guest would test only refusals). */
static unsigned long accepted;
static void stats(void)
{
	fprintf(stderr, "fuzz_config: %lu guests accepted\n", accepted);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if (getenv("FUZZ_STATS"))
		atexit(stats);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t kbuf[0x4000], gen[0x80000];
	static struct guest_config cfg[MAX_GUESTS];
	if (!host_fdt[0] && gen_host_fdt(host_fdt, sizeof(host_fdt)) < 0)
		abort();
	if (!size)
		return 0;
	struct fuzz_in in = {data + 1, size - 1};
	uint8_t *blob;
	size_t len;
	if (data[0] & 1) { /* the raw bytes, in a buffer of exactly their size */
		len = size - 1;
		blob = malloc(len ? len : 1);
		memcpy(blob, data + 1, len);
	} else {
		int n = gen_config(&in, gen, sizeof(gen), kbuf, sizeof(kbuf));
		if (n < 0)
			abort(); /* the generator's buffer holds any config it makes */
		len = (size_t)n;
		blob = malloc(len);
		memcpy(blob, gen, len);
	}
	const char *why = "";
	int n = config_parse(blob, len, cfg, MAX_GUESTS, &why);
	if (n < 0) {
		if (!why || !why[0])
			abort(); /* a refusal always says why */
		free(blob);
		return 0;
	}
	struct config_taken taken = {0};
	for (int i = 0; i < n; i++) {
		struct guest_config *g = &cfg[i];
		if (memchr(g->name, 0, sizeof(g->name)) == NULL ||
		    memchr(g->error, 0, sizeof(g->error)) == NULL)
			abort();
		if (devices_resolve(g, host_fdt) < 0 || config_validate(g, &lim, &taken) < 0) {
			if (!g->error[0])
				abort(); /* a refused guest names its reason */
			continue;
		}
		check_accepted(g, taken.guest, taken.n);
		accepted++;
		config_take(&taken, g);
	}
	free(blob);
	return 0;
}
