# lessons/03-ept/scenarios (pc_guest_run and the scenarios of the boot,
# isolation, event and MMIO guests, guests/rt_guests.mk).
STAGE_SRCS_03 += $(L03)/scenarios/pc_guest_run.c $(L03)/scenarios/boot_scenario.c $(L03)/scenarios/sieve16_hvm.c \
	$(L03)/scenarios/mmio_forms_scenario.c $(L03)/scenarios/iso_scenario.c \
	$(L03)/scenarios/evt_scenario.c $(L03)/scenarios/mmio_hostile_scenario.c
