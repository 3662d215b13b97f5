#include "hyp/config/boot_layout.h"

#include "lib/string.h"

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

void kernel_image_parse(const void *img, size_t size, struct kernel_image *out)
{
	const uint8_t *b = img;
	*out = (struct kernel_image){0};
	if (size < 64 || memcmp(b + 56, "ARM\x64", 4))
		return;
	out->is_image = true;
	out->text_offset = le64(b + 8);
	out->image_size = le64(b + 16);
	/* Before Linux 3.17 image_size was 0 and text_offset meant 0x80000. */
	if (!out->image_size)
		out->text_offset = 0x80000;
}

const char *kernel_format_problem(const void *img, size_t size)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *why;
	} formats[] = {
		{"\x1f\x8b", 2,
		 "is gzip-compressed (a vmlinuz?): give the Image inside (gzip -dc)"},
		{"\xfd"
		 "7zXZ",
		 6, "is xz-compressed: give the uncompressed Image"},
		{"\x28\xb5\x2f\xfd", 4, "is zstd-compressed: give the uncompressed Image"},
		{"BZh", 3, "is bzip2-compressed: give the uncompressed Image"},
		{"\x04\x22\x4d\x18", 4, "is lz4-compressed: give the uncompressed Image"},
		{"\x7f"
		 "ELF",
		 4, "is an ELF file: give a raw Image or binary (objcopy -O binary)"},
	};
	const uint8_t *b = img;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (size >= formats[i].len && !memcmp(b, formats[i].magic, formats[i].len))
			return formats[i].why;
	/* EFI zboot: a PE/COFF stub ("MZ") around a compressed Image. */
	if (size >= 8 && !memcmp(b, "MZ", 2) && !memcmp(b + 4, "zimg", 4))
		return "is a compressed EFI zboot image: give the uncompressed Image";
	/* Image flags bit 0 (booting.rst): the kernel's endianness. */
	if (size >= 64 && !memcmp(b + 56, "ARM\x64", 4) && (le64(b + 24) & 1))
		return "is a big-endian arm64 Image: guests start little-endian";
	return NULL;
}

/* Kernel at its text_offset from the first 2 MiB boundary in RAM (or at the
 * start of RAM for a raw binary), device tree in the last 2 MiB slot,
 * initrd just below it. Sizes are compared with what is left, never added
 * to addresses before they are known to fit. */
int boot_layout(const struct guest_config *cfg, struct boot_layout *out, const char **why)
{
	struct kernel_image ki;
	kernel_image_parse(cfg->kernel, cfg->kernel_size, &ki);
	uint64_t ram = cfg->ram_ipa, size = cfg->ram_size; /* validated: no wrap */

	if (size < SZ_2M || ALIGN_DOWN(ram + size - SZ_2M, SZ_2M) < ram) {
		*why = "no 2 MiB aligned slot for the device tree";
		return -ENOSPC;
	}
	out->dtb_ipa = ALIGN_DOWN(ram + size - SZ_2M, SZ_2M);
	uint64_t room = out->dtb_ipa - ram; /* bytes below the device tree */

	uint64_t base_off = ki.is_image ? ALIGN_UP(ram, SZ_2M) - ram : 0;
	if (base_off > room || ki.text_offset > room - base_off) {
		*why = "kernel text_offset places it outside memory";
		return -ENOSPC;
	}
	uint64_t kernel_off = base_off + ki.text_offset;
	uint64_t kernel_size = MAX((uint64_t)cfg->kernel_size, ki.image_size);
	if (kernel_size > room - kernel_off) {
		*why = "kernel image_size does not fit in memory";
		return -ENOSPC;
	}
	uint64_t kernel_end = kernel_off + kernel_size;
	if (cfg->initrd_size > room - kernel_end ||
	    ALIGN_DOWN(room - cfg->initrd_size, PAGE_SIZE) < kernel_end) {
		*why = "initrd does not fit between the kernel and the device tree";
		return -ENOSPC;
	}
	out->kernel_ipa = ram + kernel_off;
	out->initrd_ipa = ram + ALIGN_DOWN(room - cfg->initrd_size, PAGE_SIZE);
	return 0;
}
