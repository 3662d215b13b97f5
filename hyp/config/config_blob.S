/* The compiled guest configuration (and, through dtc's /incbin/, the guest
 * images it names), linked into the hypervisor image. */
	.section .rodata.config, "a"
	.balign	8
	.global	hyp_config_dtb
hyp_config_dtb:
	.incbin	CONFIG_DTB_PATH
	.global	hyp_config_dtb_end
hyp_config_dtb_end:
