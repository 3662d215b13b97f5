/* Per-board fallbacks, used only until (or when) the host device tree cannot
 * be read. Everything else about the machine comes from its device tree. */
#pragma once

#if defined(PLATFORM_QEMU_VIRT)
#define BOARD_NAME	 "qemu-virt"
#define BOARD_UART	 0x09000000ULL
#define BOARD_UART_CLOCK 24000000 /* the DT's apb-pclk */
#elif defined(PLATFORM_RPI4)
#define BOARD_NAME	 "rpi4"
#define BOARD_UART	 0xfe201000ULL
/* The firmware's clock node gives no rate; config.txt fixes it with
 * init_uart_clock (scripts/mk-sdcard.sh). */
#define BOARD_UART_CLOCK 48000000
/* Only for the bring-up build's first line, before the tree is read. */
#define BOARD_GPIO 0xfe200000ULL
#else
#error "unknown PLATFORM"
#endif
