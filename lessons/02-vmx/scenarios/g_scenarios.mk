# lessons/02-vmx/scenarios: the scenarios that run lesson 02's test guests.
STAGE_SRCS_02 += $(L02)/scenarios/guest_run.c $(L02)/scenarios/g_hello.c $(L02)/scenarios/g_cpuid.c \
	$(L02)/scenarios/g_msr.c $(L02)/scenarios/g_portio.c $(L02)/scenarios/g_timer.c \
	$(L02)/scenarios/g_triple.c $(L02)/scenarios/g_native.c
STAGE_SRCS_02 += $(L02)/scenarios/g_cr.c $(L02)/scenarios/g_debug.c $(L02)/scenarios/g_sysmsr.c \
	$(L02)/scenarios/g_fpu.c $(L02)/scenarios/g_dfgate.c
