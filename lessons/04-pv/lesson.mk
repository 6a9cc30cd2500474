# Lesson 04: paravirtualization - what a guest that knows it is virtual
# asks of the hypervisor.  Item 1: hypercalls (hcall/).
# Each sub-folder adds its own sources in its own fragment (hcall/hcall.mk, ...).
L04 := lessons/04-pv

-include $(wildcard $(L04)/*/*.mk)
