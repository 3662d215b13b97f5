#include "drivers/bcm2835_pm.h"

#include "arch/mmio.h"

#define PM_RSTC		      0x1c
#define PM_RSTS		      0x20
#define PM_WDOG		      0x24
#define PM_PASSWORD	      0x5a000000u
#define PM_PASSWORD_MASK      0xff000000u /* write-only: whatever reads there is not kept */
#define PM_RSTC_WRCFG_CLR     0xffffffcfu
#define PM_RSTC_WRCFG_FULL    0x20u
#define PM_RSTS_PARTITION(p)  (((p) & 1) | ((p) & 2) << 1 | ((p) & 4) << 2 | \
			       ((p) & 8) << 3 | ((p) & 16) << 4 | ((p) & 32) << 5)
#define PM_RSTS_HALT	      63

extern void park(void) __attribute__((noreturn));
static uint64_t pm;

void bcm2835_pm_init(uint64_t base)
{
	pm = base;
}

bool bcm2835_pm_present(void)
{
	return pm != 0;
}

void bcm2835_pm_reset(bool halt)
{
	if (pm) {
		if (halt) {
			uint32_t rsts = mmio_read32(pm + PM_RSTS) &
					~(PM_PASSWORD_MASK | PM_RSTS_PARTITION(63u));
			mmio_write32(pm + PM_RSTS, PM_PASSWORD | rsts | PM_RSTS_PARTITION(PM_RSTS_HALT));
		}
		/* A full reset when the watchdog expires, 10 ticks from now. */
		mmio_write32(pm + PM_WDOG, PM_PASSWORD | 10);
		uint32_t rstc = mmio_read32(pm + PM_RSTC) & PM_RSTC_WRCFG_CLR & ~PM_PASSWORD_MASK;
		mmio_write32(pm + PM_RSTC, PM_PASSWORD | rstc | PM_RSTC_WRCFG_FULL);
	}
	park();
}
