/* The machine the device fuzzer (tests/fuzz/fuzz_vdev.c) runs the
 * hypervisor's own code on, in place of include/arch/sysreg.h's
 * instructions (built with -DHOST_ARCH): system registers are variables of
 * the simulated CPU that runs now, barriers order nothing (one host thread
 * runs every simulated CPU), and WFE is where the other CPUs take their
 * pending interrupts, as they would meanwhile on hardware. */
#pragma once
#include <stdint.h>

uint64_t host_sysreg_read(const char *name);
void host_sysreg_write(const char *name, uint64_t v);
void host_wfe(void);

#define read_sysreg(r)	     host_sysreg_read(#r)
#define read_sysreg_const(r) host_sysreg_read(#r)
#define write_sysreg(r, v)   host_sysreg_write(#r, (uint64_t)(v))
#define isb()		     __asm__ volatile("" ::: "memory")
#define dsb(opt)	     __asm__ volatile("" ::: "memory")
#define send_event()	     __asm__ volatile("" ::: "memory")
#define wfe()		     host_wfe()
#define wfi()		     host_wfe()
