/* Calls to the firmware's PSCI (DEN0022), over the conduit its device tree
 * names. Also the function ids and return codes the guest-facing PSCI uses. */
#pragma once
#include "drivers/platform.h"
#include "types.h"

#define PSCI_VERSION	       0x84000000U
#define PSCI_CPU_SUSPEND_32    0x84000001U
#define PSCI_CPU_SUSPEND_64    0xc4000001U
#define PSCI_CPU_OFF	       0x84000002U
#define PSCI_CPU_ON_32	       0x84000003U
#define PSCI_CPU_ON_64	       0xc4000003U
#define PSCI_AFFINITY_INFO_32  0x84000004U
#define PSCI_AFFINITY_INFO_64  0xc4000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_SYSTEM_OFF	       0x84000008U
#define PSCI_SYSTEM_RESET      0x84000009U
#define PSCI_FEATURES	       0x8400000aU

#define PSCI_RET_SUCCESS	  0
#define PSCI_RET_NOT_SUPPORTED	  (-1)
#define PSCI_RET_INVALID_PARAMS	  (-2)
#define PSCI_RET_DENIED		  (-3)
#define PSCI_RET_ALREADY_ON	  (-4)
#define PSCI_RET_ON_PENDING	  (-5)
#define PSCI_RET_INTERNAL_FAILURE (-6)
#define PSCI_RET_INVALID_ADDRESS  (-9)

void psci_fw_init(enum psci_conduit conduit);
int64_t psci_fw_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
int64_t psci_fw_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t ctx);
void psci_fw_cpu_off(void) __attribute__((noreturn));
void psci_fw_system_off(void) __attribute__((noreturn));
