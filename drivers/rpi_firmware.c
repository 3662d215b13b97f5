#include "drivers/rpi_firmware.h"

#include "arch/mmio.h"
#include "drivers/fdt.h"
#include "wait.h"

/* BCM2835 mailbox: 0 answers to the ARM, 1 requests from it. */
#define MAIL0_RD	0x00
#define MAIL0_STA	0x18
#define MAIL1_WRT	0x20
#define MAIL1_STA	0x38
#define MAIL_FULL	0x80000000u
#define MAIL_EMPTY	0x40000000u
#define CHAN_PROPERTY	8
#define FW_REQUEST	0
#define FW_SUCCESS	0x80000000u
#define FW_RESPONSE	0x80000000u /* a tag's value-length word, answered */
#define TAG_CLOCK_RATE	0x00030002u
#define TAG_END		0

uint32_t rpi_fw_clock_of(const void *fdt, int node)
{
	/* CPRMAN's IDs (dt-bindings/clock/bcm2835.h) of the clocks the
	 * firmware reports, and its own IDs for them. */
	static const struct {
		uint32_t cprman, fw;
	} cprman[] = {{19, 2 /* UART */}, {28, 1 /* EMMC */}, {51, 12 /* EMMC2 */}};
	int len;
	const uint8_t *c = fdt_getprop(fdt, node, "clocks", &len);
	if (!c || len < 8)
		return 0;
	int prov = fdt_find_phandle(fdt, fdt32(c));
	if (prov < 0 || fdt_prop_u32(fdt, prov, "#clock-cells", 0) != 1)
		return 0;
	uint32_t id = fdt32(c + 4);
	if (fdt_is_compatible(fdt, prov, "raspberrypi,firmware-clocks"))
		return id;
	if (fdt_is_compatible(fdt, prov, "brcm,bcm2711-cprman") ||
	    fdt_is_compatible(fdt, prov, "brcm,bcm2835-cprman"))
		for (unsigned i = 0; i < ARRAY_SIZE(cprman); i++)
			if (cprman[i].cprman == id)
				return cprman[i].fw;
	return 0;
}

void rpi_fw_clock_request(uint32_t *msg, uint32_t id)
{
	const uint32_t m[RPI_FW_MSG_WORDS] = {
		RPI_FW_MSG_WORDS * 4, FW_REQUEST, TAG_CLOCK_RATE, 8, FW_REQUEST, id, 0, TAG_END};
	for (unsigned i = 0; i < RPI_FW_MSG_WORDS; i++)
		msg[i] = m[i];
}

int rpi_fw_clock_reply(const uint32_t *msg, uint32_t id, uint32_t *hz)
{
	if (msg[1] != FW_SUCCESS || msg[2] != TAG_CLOCK_RATE || !(msg[4] & FW_RESPONSE) ||
	    (msg[4] & ~FW_RESPONSE) < 8 || msg[5] != id || !msg[6])
		return -EIO;
	*hz = msg[6];
	return 0;
}

int rpi_fw_call(uint64_t mbox, uint32_t bus)
{
	uint64_t d = deadline_after_us(10000);
	while ((mmio_read32(mbox + MAIL1_STA) & MAIL_FULL) && !deadline_passed(d))
		;
	if (mmio_read32(mbox + MAIL1_STA) & MAIL_FULL)
		return -ETIMEDOUT;
	mmio_write32(mbox + MAIL1_WRT, (bus & ~0xfu) | CHAN_PROPERTY);
	/* Answers on other channels, or to another request, are not ours. */
	while (!deadline_passed(d)) {
		if (mmio_read32(mbox + MAIL0_STA) & MAIL_EMPTY)
			continue;
		uint32_t v = mmio_read32(mbox + MAIL0_RD);
		if (v == ((bus & ~0xfu) | CHAN_PROPERTY))
			return 0;
	}
	return -ETIMEDOUT;
}
