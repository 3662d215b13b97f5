/* The BCM2835/BCM2711 power-management watchdog: how a Raspberry Pi
 * without PSCI firmware resets or halts (BCM2835 ARM Peripherals, and
 * Linux's bcm2835_wdt). */
#pragma once
#include "types.h"

/* base: the block's first register range ("pm"), 0 when there is none. */
void bcm2835_pm_init(uint64_t base);
bool bcm2835_pm_present(void);
/* Resets the machine; with halt, asks the firmware to stay halted
 * (partition 63). QEMU -no-reboot exits either way. */
void bcm2835_pm_reset(bool halt) __attribute__((noreturn));
