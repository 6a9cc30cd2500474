# Lesson 01: boot + software emulation.
L01 := lessons/01-boot

STAGE_SRCS_01 += $(L01)/scenarios/boot_report.c $(L01)/scenarios/fault.c $(L01)/scenarios/sieve_reference.c \
	$(L01)/vm/vm.c $(L01)/vm/gmem.c $(L01)/io/portbus.c \
	$(L01)/vdev/uart8250.c $(L01)/vdev/debug_exit.c

-include $(wildcard $(L01)/*/*.mk)
