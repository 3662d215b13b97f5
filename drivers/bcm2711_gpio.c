#include "drivers/bcm2711_gpio.h"

#include "arch/mmio.h"

/* BCM2711 ARM Peripherals, 5.3: GPFSELn holds 10 pins, 3 bits each;
 * GPIO_PUP_PDN_CNTRL_REGn holds 16 pins, 2 bits each (0 none, 1 up,
 * 2 down; the BCM2711 replaced the BCM2835's GPPUD sequence). */
#define GPFSEL(pin)	   (0x00 + (pin) / 10 * 4)
#define FSEL_SHIFT(pin)	   ((pin) % 10 * 3)
#define FSEL_ALT0	   4u
#define PUP_PDN(pin)	   (0xe4 + (pin) / 16 * 4)
#define PUP_PDN_SHIFT(pin) ((pin) % 16 * 2)
#define PULL_NONE	   0u
#define PULL_UP		   1u

static void set_field(uint64_t reg, unsigned shift, uint32_t mask, uint32_t val)
{
	uint32_t v = mmio_read32(reg);
	mmio_write32(reg, (v & ~(mask << shift)) | val << shift);
}

void bcm2711_gpio_uart0_pins(uint64_t gpio)
{
	static const struct {
		unsigned pin, pull;
	} pins[] = {{14, PULL_NONE}, {15, PULL_UP}};
	for (unsigned i = 0; i < 2; i++) {
		unsigned pin = pins[i].pin;
		set_field(gpio + GPFSEL(pin), FSEL_SHIFT(pin), 7, FSEL_ALT0);
		set_field(gpio + PUP_PDN(pin), PUP_PDN_SHIFT(pin), 3, pins[i].pull);
	}
}
