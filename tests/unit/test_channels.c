/* Channels between guests: the /channels node read against the guests
 * (every refusal), each peer's slots (BARs, INTx), what validation then
 * refuses of a peer, and the PCI host bridge in a peer's device tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/fdt.h"
#include "drivers/fdt_write.h"
#include "hyp/config/channels.h"
#include "hyp/config/guest_fdt.h"

static uint8_t buf[8192], dt[16384];
static const uint8_t kernel[4096];

static struct guest_config guest(const char *name)
{
	struct guest_config g = {.ipa_bits = 40,
				 .ram_ipa = 0x40000000,
				 .ram_size = 0x4000000,
				 .ncpus = 1,
				 .kernel = kernel,
				 .kernel_size = sizeof(kernel),
				 .bootargs = "",
				 .console_ipa = DEFAULT_CONSOLE_IPA, .time_slice_us = DEFAULT_TIME_SLICE_US};
	strcpy(g.name, name);
	return g;
}

/* One channel node with size (or none: size_cells 0) and peers. */
static const void *one(uint64_t size, const char *peers, size_t plen, const char *extra)
{
	struct fdt_writer w;
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_begin_node(&w, "channels");
	fdt_w_begin_node(&w, "c0");
	if (size) {
		uint32_t cells[2] = {(uint32_t)(size >> 32), (uint32_t)size};
		fdt_w_prop_cells(&w, "size", cells, 2);
	}
	if (peers)
		fdt_w_prop(&w, "peers", peers, plen);
	if (extra)
		fdt_w_prop_u32(&w, extra, 1);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	assert_true(fdt_w_finish(&w) > 0);
	return buf;
}

static struct guest_config gs[3];

static const char *parsed(const void *fdt, struct channel_config *c)
{
	const char *why = "";
	assert_int_equal(channels_parse(fdt, gs, 3, c, MAX_CHANNELS, &why), 1);
	return c[0].error;
}

static void test_parse(void **state)
{
	(void)state;
	gs[0] = guest("a"), gs[1] = guest("b"), gs[2] = guest("c");
	struct channel_config c[MAX_CHANNELS];
	static const char ab[] = "a\0b", cab[] = "c\0a\0b";
	assert_string_equal(parsed(one(0x100000, ab, sizeof(ab), NULL), c), "");
	assert_int_equal(c[0].size, 0x100000);
	assert_int_equal(c[0].npeers, 2);
	unsigned id;
	assert_true(channel_peer_id(&c[0], 1, &id) && id == 1);
	assert_false(channel_peer_id(&c[0], 2, &id));
	assert_string_equal(parsed(one(0x1000, cab, sizeof(cab), NULL), c), "");
	assert_true(channel_peer_id(&c[0], 2, &id) && id == 0); /* the order of peers: IDs */

	static const char ax[] = "a\0x", aa[] = "a\0a", a1[] = "a";
	assert_string_equal(parsed(one(0x1000, ax, sizeof(ax), NULL), c), "peer x: no such guest");
	assert_string_equal(parsed(one(0x1000, aa, sizeof(aa), NULL), c), "peer a is listed twice");
	assert_string_equal(parsed(one(0x1000, a1, sizeof(a1), NULL), c),
			    "a channel needs 2 to 8 peers");
	assert_non_null(strstr(parsed(one(0x1800, ab, sizeof(ab), NULL), c),
			       "size=0x1800 must be a power of two from 4 KiB to 64 MiB"));
	assert_non_null(strstr(parsed(one(0x800, ab, sizeof(ab), NULL), c), "must be a power of two"));
	assert_non_null(strstr(parsed(one(128ULL << 20, ab, sizeof(ab), NULL), c), "to 64 MiB"));
	assert_string_equal(parsed(one(0, ab, sizeof(ab), NULL), c), "size must be <size-hi size-lo>");
	assert_string_equal(parsed(one(0x1000, NULL, 0, NULL), c), "peers must be a list of guest names");
	assert_string_equal(parsed(one(0x1000, ab, sizeof(ab), "sise"), c),
			    "sise: unknown property (a channel has size and peers)");
	/* No /channels: none. */
	struct fdt_writer w;
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_end_node(&w);
	assert_true(fdt_w_finish(&w) > 0);
	const char *why = "";
	assert_int_equal(channels_parse(buf, gs, 3, c, MAX_CHANNELS, &why), 0);
}

static void test_layout(void **state)
{
	(void)state;
	struct channel_config c[3] = {
		{.name = "x", .size = 0x1000, .peer = {0, 1}, .npeers = 2},
		{.name = "y", .size = 0x4000000, .peer = {1, 0}, .npeers = 2},
		{.name = "z", .size = 0x100000, .peer = {2, 0}, .npeers = 2, .error = "refused"},
	};
	struct chan_slot s[MAX_CHANNELS];
	assert_int_equal(chan_layout(0, c, 3, s), 2);
	assert_int_equal(s[0].chan, 0);
	assert_int_equal(s[0].id, 0);
	assert_int_equal(s[0].bar0, CHAN_WINDOW_IPA);
	assert_int_equal(s[0].bar2, CHAN_WINDOW_IPA + 0x1000000);
	assert_int_equal(s[0].intid, CHAN_INTID_BASE);
	assert_int_equal(s[1].chan, 1);
	assert_int_equal(s[1].id, 1);
	assert_int_equal(s[1].bar0, CHAN_WINDOW_IPA + 0x1000);
	assert_int_equal(s[1].bar2 % 0x4000000, 0); /* aligned to its size */
	assert_true(s[1].bar2 >= s[0].bar2 + 0x1000);
	assert_true(s[1].bar2 + s[1].size <= CHAN_WINDOW_IPA + CHAN_WINDOW_SIZE);
	assert_int_equal(s[1].intid, CHAN_INTID_BASE + 1);
	assert_int_equal(chan_layout(2, c, 3, s), 0); /* only in the refused one */
	/* Eight of the largest still fit the window. */
	struct channel_config big[MAX_CHANNELS];
	for (unsigned i = 0; i < MAX_CHANNELS; i++)
		big[i] = (struct channel_config){.size = CHANNEL_MAX_SIZE, .peer = {0, 1}, .npeers = 2};
	assert_int_equal(chan_layout(1, big, MAX_CHANNELS, s), MAX_CHANNELS);
	assert_true(s[7].bar2 + s[7].size <= CHAN_WINDOW_IPA + CHAN_WINDOW_SIZE);
}

/* A peer's memory, console, passthrough and interrupts stay clear of the
 * bridge; a guest that is no peer may use that range. */
static void test_validate(void **state)
{
	(void)state;
	struct config_limits lim = {.max_ipa_bits = 44, .pa_bits = 44, .ncpus = 4, .nr_irqs = 288};
	struct config_taken none = {0};
	struct guest_config g = guest("p");
	g.ram_ipa = 0x20000000;
	assert_int_equal(config_validate(&g, &lim, &none), 0);
	g.channels = 1;
	assert_int_equal(config_validate(&g, &lim, &none), -EINVAL);
	assert_string_equal(g.error, "memory overlaps the channels' PCI host bridge at "
				     "0x10000000-0x3f100000");
	g = guest("p");
	g.channels = 1;
	g.console_ipa = 0x3f0ff000;
	assert_int_equal(config_validate(&g, &lim, &none), -EINVAL);
	assert_non_null(strstr(g.error, "console overlaps the channels' PCI host bridge"));
	g = guest("p");
	g.channels = 1;
	g.nirqs = 1;
	g.irqs[0] = 41;
	assert_int_equal(config_validate(&g, &lim, &none), -EINVAL);
	assert_string_equal(g.error, "interrupt 41 is a channel's INTx (40-47)");
	g = guest("p");
	g.channels = 1;
	g.nmmio = 1;
	g.mmio[0] = (struct passthrough){0x3e000000, 0x9010000, 0x1000, NULL};
	assert_int_equal(config_validate(&g, &lim, &none), -EINVAL);
	assert_non_null(strstr(g.error, "overlaps the channels' PCI host bridge"));
}

static void test_device_tree(void **state)
{
	(void)state;
	struct guest_config g = guest("p");
	const struct chan_slot s[2] = {
		{0, 1, CHAN_WINDOW_IPA, CHAN_WINDOW_IPA + 0x1000000, 0x100000, CHAN_INTID_BASE},
		{1, 0, CHAN_WINDOW_IPA + 0x1000, CHAN_WINDOW_IPA + 0x1100000, 0x100000,
		 CHAN_INTID_BASE + 1}};
	struct guest_fdt_info info = {&g, 1, 0, 0, 3, NULL, 0, s, 2};
	int size = guest_fdt_build(dt, sizeof(dt), &info);
	assert_true(size > 0);
	assert_int_equal(fdt_check(dt, (size_t)size, NULL), 0);
	int pci = fdt_path_offset(dt, "/pcie@3f000000");
	assert_true(pci >= 0);
	assert_true(fdt_is_compatible(dt, pci, "pci-host-ecam-generic"));
	assert_string_equal(fdt_getprop(dt, pci, "device_type", NULL), "pci");
	uint64_t a, sz;
	assert_int_equal(fdt_reg(dt, pci, 0, 0, &a, &sz), 0);
	assert_int_equal(a, CHAN_ECAM_IPA);
	assert_int_equal(sz, CHAN_ECAM_SIZE);
	int len;
	const uint8_t *r = fdt_getprop(dt, pci, "ranges", &len);
	assert_int_equal(len, 28);
	assert_int_equal(fdt32(r), 0x02000000); /* 32-bit memory space */
	assert_int_equal(fdt32(r + 8), CHAN_WINDOW_IPA);
	assert_int_equal(fdt32(r + 16), CHAN_WINDOW_IPA); /* at the same CPU address */
	assert_int_equal(fdt32(r + 24), CHAN_WINDOW_SIZE);
	/* INTA of device 1 to SPI 9 (INTID 41) of the guest's GIC, level. */
	const uint8_t *m = fdt_getprop(dt, pci, "interrupt-map", &len);
	assert_int_equal(len, 2 * 32);
	assert_int_equal(fdt32(m + 32), 1u << 11);
	assert_int_equal(fdt32(m + 32 + 12), 1);
	int gic = fdt_find_phandle(dt, fdt32(m + 32 + 16));
	assert_true(gic >= 0 && fdt_getprop(dt, gic, "interrupt-controller", NULL));
	assert_int_equal(fdt32(m + 32 + 20), 0);
	assert_int_equal(fdt32(m + 32 + 24), 41 - 32);
	assert_int_equal(fdt32(m + 32 + 28), 4);
	int chosen = fdt_path_offset(dt, "/chosen");
	assert_int_equal(fdt_prop_u32(dt, chosen, "linux,pci-probe-only", 0), 1);
	/* No channel: no bridge, no probe-only. */
	info.nchan = 0;
	size = guest_fdt_build(dt, sizeof(dt), &info);
	assert_true(fdt_path_offset(dt, "/pcie@3f000000") < 0);
	assert_null(fdt_getprop(dt, fdt_path_offset(dt, "/chosen"), "linux,pci-probe-only", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_parse), cmocka_unit_test(test_layout),
					   cmocka_unit_test(test_validate),
					   cmocka_unit_test(test_device_tree)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
