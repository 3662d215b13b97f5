/* The Raspberry Pi 4's GPIO block, for the one thing the hypervisor needs
 * of it: its console on the header pins, whatever the firmware's
 * config.txt, its own UART set-up or U-Boot's pin mux left there. Plain C
 * (register accesses only), host-tested against fake registers. */
#pragma once
#include "types.h"

/* GPIO 14 and 15 to ALT0 (the PL011's TXD0 and RXD0, header pins 8 and
 * 10), RXD0 pulled up so that a loose wire reads idle, not noise; every
 * other pin as it was. gpio: the block's base (brcm,bcm2711-gpio). */
void bcm2711_gpio_uart0_pins(uint64_t gpio);
