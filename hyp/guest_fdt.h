/* The device tree each guest boots with, as a boot loader would give it
 * (Linux Documentation/arch/arm64/booting.rst). Plain C, host-tested. */
#pragma once
#include "hyp/config.h"
#include "types.h"

struct guest_fdt_info {
	const struct guest_config *cfg;
	unsigned nvcpus;
	uint64_t initrd_ipa, initrd_size; /* size 0: no initrd */
	unsigned gic_version;		  /* 2 or 3 */
};

/* Size of the blob written to buf, or a negative error. */
int guest_fdt_build(void *buf, size_t cap, const struct guest_fdt_info *info);

/* arm64 Image header (booting.rst): where a kernel wants to be loaded. */
struct kernel_image {
	bool is_image;	      /* valid "ARM\x64" header */
	uint64_t text_offset; /* load offset from a 2 MiB aligned base */
	uint64_t image_size;  /* effective size, BSS included */
};
void kernel_image_parse(const void *img, size_t size, struct kernel_image *out);
