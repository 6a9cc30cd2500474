# lessons/03-ept/machine: the virtual PC (memory layout, start state, run)
# and Spectrum's memory canary.
STAGE_SRCS_03 += $(L03)/machine/pc_machine.c $(L03)/machine/start_state.c $(L03)/machine/canary.c $(L03)/machine/io_profile.c
# machine_ext.c: the socket for later lessons' per-machine state and reports
STAGE_SRCS_03 += $(L03)/machine/machine_ext.c
STAGE_SRCS_03 += $(L03)/scenarios/pc_tables.c
# linuxboot: CPUID edits of every lesson-03 machine (INVPCID, RDTSCP, RDPID hidden)
STAGE_SRCS_03 += $(L03)/machine/pc_cpuid.c
