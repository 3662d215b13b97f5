/* The Raspberry Pi firmware's property interface, over the VideoCore
 * mailbox: what the hypervisor asks it at boot (the rate of a clock the
 * firmware runs, for a device handed to a guest, which then gets a fixed
 * clock of that rate: the clock controller itself stays the firmware's).
 * The message and the device-tree lookups are plain C, host-tested. */
#pragma once
#include "types.h"

#define RPI_FW_MSG_WORDS 8

/* The firmware's ID of the clock behind node's first "clocks" entry: the
 * cell itself for a raspberrypi,firmware-clocks provider, the matching
 * firmware clock for a BCM2711/BCM2835 CPRMAN one (EMMC, EMMC2, UART);
 * 0 when there is none. */
uint32_t rpi_fw_clock_of(const void *fdt, int node);
/* A GET_CLOCK_RATE request for clock id in msg (16-byte aligned). */
void rpi_fw_clock_request(uint32_t *msg, uint32_t id);
/* The rate the firmware answered in msg, or -EIO (refused, malformed). */
int rpi_fw_clock_reply(const uint32_t *msg, uint32_t id, uint32_t *hz);
/* Sends msg on the property channel of the mailbox whose registers are
 * mapped at mbox and waits (10 ms at most) for the answer in place; bus:
 * msg's address as the VideoCore sees it. The caller keeps msg coherent
 * (cleaned before, invalidated after). 0, or -ETIMEDOUT. */
int rpi_fw_call(uint64_t mbox, uint32_t bus);
