/* What the bare-metal test guests share: console, device tree, PSCI,
 * counter, and catching the aborts the hypervisor injects. */
#pragma once
#include "arch/sysreg.h"
#include "types.h"

struct guest_info {
	const void *dtb;
	uint64_t ram_base, ram_size;
	const char *bootargs;
	unsigned ipa_bits; /* from ID_AA64MMFR0_EL1.PARange */
	unsigned parange;
	uint32_t resets; /* /chosen/hyp,reset-count: SYSTEM_RESETs before this boot */
	uint64_t dtb_size;		    /* the device tree's totalsize */
	uint64_t initrd_start, initrd_end; /* /chosen linux,initrd-*, 0 if none */
};

/* Sets up the console from the device tree and fills *gi. */
void guest_init(const void *dtb, struct guest_info *gi);
void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A byte from the console (polled), or -1 when none waits. */
int ggetc(void);
/* Value of "key=N" in bootargs, or dflt. */
uint64_t bootarg_u64(const struct guest_info *gi, const char *key, uint64_t dflt);
bool bootarg_has(const struct guest_info *gi, const char *word);
void delay_ms(unsigned ms);
/* PSCI over the device tree's conduit (HVC under the hypervisor, SMC on
 * QEMU with EL2 and no hypervisor). */
int64_t psci_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
void system_off(void) __attribute__((noreturn));
void system_reset(void) __attribute__((noreturn));

/* The last synchronous exception caught (esr 0 when none since reset). */
struct caught {
	uint64_t esr, far, elr;
	unsigned count;
};
extern volatile struct caught caught;
void caught_clear(void);

extern uint8_t __image_start[], __image_end[];
