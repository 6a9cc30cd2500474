# Lesson 01: boot + software emulation.
L01 := lessons/01-boot

STAGE_SRCS_01 += $(L01)/scenarios/boot_report.c $(L01)/scenarios/fault.c

-include $(wildcard $(L01)/*/*.mk)
