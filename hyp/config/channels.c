#include "hyp/config/channels.h"

#include <stdarg.h>

#include "drivers/fdt.h"
#include "lib/printf.h"
#include "lib/string.h"

static int refuse(struct channel_config *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int refuse(struct channel_config *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(c->error, sizeof(c->error), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void parse_channel(const void *fdt, int node, const struct guest_config *guests,
			  unsigned n, struct channel_config *c)
{
	memset(c, 0, sizeof(*c));
	const char *name = fdt_node_name(fdt, node);
	size_t len = MIN(strlen(name), sizeof(c->name) - 1);
	memcpy(c->name, name, len);
	/* A typo must not silently drop a peer or a size. */
	const char *pname;
	const void *val;
	int plen;
	for (int off = fdt_next_prop(fdt, node, -1, &pname, &val, &plen); off >= 0;
	     off = fdt_next_prop(fdt, node, off, &pname, &val, &plen))
		if (strcmp(pname, "size") && strcmp(pname, "peers") && strcmp(pname, "phandle"))
			return (void)refuse(c, "%s: unknown property (a channel has size and peers)",
					    pname);
	const uint8_t *sz = fdt_getprop(fdt, node, "size", &plen);
	if (!sz || plen != 8)
		return (void)refuse(c, "size must be <size-hi size-lo>");
	c->size = fdt_cells(sz, 2);
	if (c->size < PAGE_SIZE || (c->size & (c->size - 1)) || c->size > CHANNEL_MAX_SIZE)
		return (void)refuse(c,
				    "size=0x%llx must be a power of two from 4 KiB to 64 MiB "
				    "(a PCI BAR)",
				    (unsigned long long)c->size);
	const char *p = fdt_getprop(fdt, node, "peers", &plen);
	if (!p || plen <= 0 || p[plen - 1])
		return (void)refuse(c, "peers must be a list of guest names");
	for (const char *s = p; s < p + plen; s += strlen(s) + 1) {
		unsigned gi = n;
		for (unsigned i = 0; i < n && gi == n; i++)
			if (!strcmp(guests[i].name, s))
				gi = i;
		if (gi == n)
			return (void)refuse(c, "peer %s: no such guest", s);
		for (unsigned k = 0; k < c->npeers; k++)
			if (c->peer[k] == gi)
				return (void)refuse(c, "peer %s is listed twice", s);
		if (c->npeers == MAX_CHANNEL_PEERS)
			return (void)refuse(c, "more than %d peers", MAX_CHANNEL_PEERS);
		c->peer[c->npeers++] = gi;
	}
	if (c->npeers < 2)
		return (void)refuse(c, "a channel needs 2 to %d peers", MAX_CHANNEL_PEERS);
}

int channels_parse(const void *fdt, const struct guest_config *guests, unsigned n,
		   struct channel_config *out, unsigned max, const char **why)
{
	int node = fdt_path_offset(fdt, "/channels");
	if (node < 0)
		return 0;
	unsigned k = 0;
	for (int c = fdt_first_child(fdt, node); c >= 0; c = fdt_next_sibling(fdt, c)) {
		if (k == max) {
			*why = "more channels than the hypervisor holds (8)";
			return -EINVAL;
		}
		parse_channel(fdt, c, guests, n, &out[k++]);
	}
	return (int)k;
}

bool channel_peer_id(const struct channel_config *c, unsigned gi, unsigned *id)
{
	for (unsigned k = 0; k < c->npeers; k++)
		if (c->peer[k] == gi) {
			*id = k;
			return true;
		}
	return false;
}

unsigned chan_layout(unsigned gi, const struct channel_config *ch, unsigned nch,
		     struct chan_slot *out)
{
	/* BAR0s in the window's first pages, BAR2s from 16 MiB up, each
	 * aligned to its size: 8 of 64 MiB at most, well inside the window. */
	uint64_t next = CHAN_WINDOW_IPA + 0x1000000;
	unsigned n = 0, id;
	for (unsigned c = 0; c < nch && n < MAX_CHANNELS; c++) {
		if (ch[c].error[0] || !channel_peer_id(&ch[c], gi, &id))
			continue;
		next = ALIGN_UP(next, ch[c].size);
		out[n] = (struct chan_slot){c, id, CHAN_WINDOW_IPA + n * PAGE_SIZE, next, ch[c].size,
					    CHAN_INTID_BASE + n};
		next += ch[c].size;
		n++;
	}
	return n;
}
