/* Where a guest's kernel, initrd and device tree go in its RAM, from the
 * kernel's arm64 Image header (Linux Documentation/arch/arm64/booting.rst).
 * The header comes from a file the user names: every field is checked with
 * overflow-safe arithmetic before anything is copied. Plain C, host-tested. */
#pragma once
#include "hyp/config/config.h"
#include "types.h"

/* arm64 Image header: where a kernel wants to be loaded. */
struct kernel_image {
	bool is_image;	      /* valid "ARM\x64" header */
	uint64_t text_offset; /* load offset from a 2 MiB aligned base */
	uint64_t image_size;  /* effective size, BSS included */
};
void kernel_image_parse(const void *img, size_t size, struct kernel_image *out);
/* Why an image cannot be booted as given, for formats that are neither an
 * arm64 Image nor a raw binary to jump into (compressed, ELF, big-endian),
 * or NULL. */
const char *kernel_format_problem(const void *img, size_t size);

/* IPAs inside the guest's RAM; every range lies inside it. */
struct boot_layout {
	uint64_t kernel_ipa; /* also the entry point */
	uint64_t initrd_ipa;
	uint64_t dtb_ipa; /* the last 2 MiB aligned slot */
};

/* 0, or -ENOSPC with *why set when the images do not fit in the RAM. */
int boot_layout(const struct guest_config *cfg, struct boot_layout *out, const char **why);
