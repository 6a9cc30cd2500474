# lessons/02-vmx/host: the hypervisor's own interrupts (host 8259 + slice
# timer on the host 8254, host NMIs), so no guest can keep the CPU.
STAGE_SRCS_02 += $(L02)/host/host_timer.c $(L02)/host/host_nmi.c $(L02)/host/host_debug.c
