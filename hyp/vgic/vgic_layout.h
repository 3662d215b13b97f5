/* Where the virtual GIC and the console sit in every guest's IPA space, and
 * the INTIDs guests see (QEMU virt's layout, which Linux knows well). */
#pragma once

/* INTIDs a virtual distributor can have (GIC: 1020 at most); each guest's
 * is sized to the highest SPI it owns, at least 64 INTIDs (its UART's). */
#define VGIC_MAX_IRQS 1020
#define VGIC_MIN_IRQS 64
/* SPI state for every guest together, carved per guest at creation. */
#define VGIC_SPI_POOL	2048
#define VGIC_UART_INTID 33 /* SPI 1 */

#define VGIC_GICD_IPA  0x08000000ULL
#define VGIC_GICD_SIZE 0x10000ULL
#define VGIC_GICC_IPA  0x08010000ULL /* GICv2: the physical GICV frame */
#define VGIC_GICR_IPA  0x080a0000ULL /* GICv3: 128 KiB per vCPU */
/* Guest memory, consoles and passthrough regions must stay clear of it. */
#define VGIC_WINDOW_IPA	 0x08000000ULL
#define VGIC_WINDOW_SIZE 0x200000ULL
