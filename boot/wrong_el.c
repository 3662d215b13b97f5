/* Entered at EL1 or EL3: say why we cannot run, then stop. */
#include "board.h"
#include "drivers/console.h"
#include "drivers/fdt.h"
#include "drivers/platform.h"
#include "drivers/psci_fw.h"

void boot_wrong_el(unsigned el, uint64_t dtb)
{
	const void *fdt = (const void *)(uintptr_t)dtb;
	uint64_t uart = BOARD_UART;
	enum psci_conduit conduit = PSCI_CONDUIT_NONE;
	if (dtb && fdt_check(fdt, SZ_2M, NULL) == 0) {
		uint64_t u = platform_find_uart(fdt);
		uart = u ? u : uart;
		conduit = platform_find_psci(fdt);
	}
	console_init(uart, 0);
	if (el == 1) {
		hyp_printf("hyp: entered at EL1, but a hypervisor needs EL2: start QEMU with "
			   "-M virt,virtualization=on (or a loader that enters at EL2)\n");
		/* At EL1 the firmware's PSCI is ours to call: let QEMU exit. */
		psci_fw_init(conduit);
		psci_fw_system_off();
	}
	hyp_printf("hyp: entered at EL%u; this hypervisor must be entered at EL2\n", el);
}
