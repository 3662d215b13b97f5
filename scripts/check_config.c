/* check_config CONFIG.dtb [NAME]: what the build can tell about a
 * configuration before any machine runs it. The hypervisor's own parser
 * and validator (hyp/config/config.c, hyp/config/boot_layout.c) run on the host, each
 * guest alone against the most generous machine (52-bit PAs, 8 CPUs,
 * nothing owned), so every line printed is a refusal the hypervisor will
 * make on any machine: a malformed guest node, a kernel that is no
 * bootable image or does not fit, regions that overlap. What depends on
 * the machine or on which other guests start (host RAM and devices, CPUs
 * or devices two guests claim) is left to the boot. A blob the hypervisor
 * cannot read at all, or a property or node it does not know (a typo),
 * fails the build; other refusals only warn (a configuration may hold
 * them on purpose, as the tests' do). */
#include <stdio.h>
#include <stdlib.h>

#include "hyp/config/channels.h"
#include "hyp/config/config.h"

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: %s CONFIG.dtb [NAME]\n", argv[0]);
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	rewind(f);
	void *blob = len > 0 ? malloc((size_t)len) : NULL; /* aligned, as in the image */
	size_t size = blob ? fread(blob, 1, (size_t)len, f) : 0;
	fclose(f);

	const char *name = argc == 3 ? argv[2] : argv[1];
	static struct guest_config cfg[MAX_GUESTS];
	const char *why = "";
	int n = config_parse(blob, size, cfg, MAX_GUESTS, &why);
	if (n < 0) {
		fprintf(stderr, "%s: the hypervisor cannot use this configuration: %s\n", name,
			why);
		return 1;
	}
	/* Channels: what is wrong with one is wrong on every machine. */
	static struct channel_config ch[MAX_CHANNELS];
	int nch = channels_parse(blob, cfg, (unsigned)n, ch, MAX_CHANNELS, &why);
	if (nch < 0) {
		fprintf(stderr, "%s: the hypervisor cannot use this configuration: %s\n", name, why);
		return 1;
	}
	int errors = 0;
	for (int c = 0; c < nch; c++) {
		if (ch[c].error[0]) {
			fprintf(stderr, "%s: error: channel %s: %s\n", name, ch[c].name, ch[c].error);
			errors++;
			continue;
		}
		for (unsigned k = 0; k < ch[c].npeers; k++)
			cfg[ch[c].peer[k]].channels |= 1u << c;
	}
	const struct config_limits generous = {
		.max_ipa_bits = 52, .pa_bits = 52, .ncpus = MAX_GUEST_CPUS, .nr_irqs = 1020};
	const struct config_taken none = {0};
	/* A property or node the schema does not know is a typo that would
	 * silently take something from a guest: an error, not a warning. */
	for (int i = 0; i < n; i++) {
		if (cfg[i].schema_error) {
			fprintf(stderr, "%s: error: guest %s: %s\n", name, cfg[i].name,
				cfg[i].error);
			errors++;
		} else if (config_validate(&cfg[i], &generous, &none) < 0) {
			fprintf(stderr, "%s: warning: guest %s will be refused: %s\n", name,
				cfg[i].name, cfg[i].error);
		}
	}
	return errors ? 1 : 0;
}
